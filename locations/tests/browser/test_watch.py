"""The fence around every browser test's pages (support.Watch) catches what it must."""

import pytest

pytestmark = pytest.mark.browser

LOAD_IMAGE = """url => new Promise(done => {
  const image = new Image();
  image.onload = () => done(image.naturalWidth + "x" + image.naturalHeight);
  image.onerror = () => done("failed");
  image.src = url;
})"""


def test_a_map_tile_from_elsewhere_is_answered_with_a_blank_tile(page, watch):
    page.goto("/")
    size = page.evaluate(LOAD_IMAGE, "https://tile.openstreetmap.org/5/25/16.png")
    assert size == "256x256"
    assert watch.external == []


def test_any_other_request_beyond_the_test_server_is_refused_and_recorded(page, watch):
    # From a blank page: the site's own pages have a Content Security Policy, under which
    # the browser refuses such a request before the fence sees it.
    page.goto("about:blank")
    assert page.evaluate(LOAD_IMAGE, "https://example.com/pixel.gif") == "failed"
    assert watch.external == ["https://example.com/pixel.gif"]
    watch.external.clear()
    watch.console_errors.clear()  # "Failed to load resource", from the refused load


def test_a_dialog_is_recorded(page, watch):
    page.goto("/")
    page.evaluate("alert('hello')")
    assert watch.dialogs == ["alert: hello"]
    watch.dialogs.clear()
