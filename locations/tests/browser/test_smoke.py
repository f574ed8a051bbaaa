"""The locator in a real browser: it loads cleanly, and answers without JavaScript."""

import pytest

pytestmark = pytest.mark.browser


def test_locator_loads_without_errors_or_requests_beyond_the_site(page, watch, outlets):
    response = page.goto("/")
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    watch.check()


def test_locator_lists_the_nearest_outlets_without_javascript(open_page, outlets):
    page = open_page("/?q=40115", javascript=False)
    codes = [item.get_attribute("data-code") for item in page.locator("li.result").all()]
    assert codes[:3] == ["AX-BDG-02", "AX-BDG-03", "AX-BDG-01"]  # nearest first


def test_outlet_names_are_shown_as_text_never_run_as_markup(open_page, outlets):
    page = open_page("/?q=40115")
    names = page.locator("li.result .name").all_inner_texts()
    assert "<img src=x onerror=alert(1)>" in names
    assert "</script><script>alert(2)</script>" in names
    assert page.locator('img[src="x"]').count() == 0


def test_locator_answers_in_indonesian_when_the_cookie_asks(open_page, outlets):
    page = open_page("/", language="id")
    assert page.locator("html").get_attribute("lang") == "id"
