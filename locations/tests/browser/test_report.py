"""Reporting a problem from an outlet's page in a real browser, with and without script, on a
phone: the report reaches the database, the page thanks the person, and the form is
accessible, its mistakes included."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from locations.models import Report

from .support import axe

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_reports_counted():
    """The live server counts reports in this process's cache: none from earlier tests."""
    cache.clear()


def report_wrong_hours(page):
    page.get_by_label("Wrong hours").check()
    page.get_by_label("Tell us more (optional)").fill("Closes at 20:00 now, not 17:00.")
    page.get_by_role("button", name="Send report").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_customer_reports_wrong_hours_and_is_thanked(open_page, outlets, javascript):
    braga = outlets["braga"]
    page = open_page(braga.get_absolute_url(), device="phone", javascript=javascript)

    report_wrong_hours(page)

    thanks = page.get_by_role("status").filter(has_text="Thank you")
    expect(thanks).to_contain_text("your report has been sent")
    expect(thanks).to_be_in_viewport()
    assert page.url.endswith(f"{braga.get_absolute_url()}?reported=1#report-problem")
    report = Report.objects.get()
    assert (report.outlet, report.kind, report.message, report.language) == (
        braga,
        Report.Kind.WRONG_HOURS,
        "Closes at 20:00 now, not 17:00.",
        "en",
    )


def test_the_keyboard_skips_the_honeypot(open_page, outlets):
    page = open_page(outlets["braga"].get_absolute_url())
    expect(page.locator("#report-website")).not_to_be_in_viewport()
    page.get_by_label("Email or phone").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send report")).to_be_focused()


def test_the_report_form_has_no_serious_accessibility_violation(open_page, outlets):
    page = open_page(outlets["braga"].get_absolute_url(), device="phone")
    expect(page.locator("#report-problem")).to_be_attached()
    assert axe(page, include="section.report") == []


def test_a_report_without_its_kind_shows_an_accessible_error(page, watch, outlets):
    page.goto(outlets["braga"].get_absolute_url())
    page.get_by_label("Tell us more (optional)").fill("Gone.")
    page.get_by_role("button", name="Send report").click()

    error = page.get_by_role("alert")
    expect(error).to_have_text("Choose what is wrong.")
    expect(page.get_by_role("group", name="What is wrong?")).to_have_attribute(
        "aria-describedby", "report-kind_error"
    )
    expect(page.get_by_label("Tell us more (optional)")).to_have_value("Gone.")
    assert axe(page, include="section.report") == []
    assert not Report.objects.exists()
    # Chromium logs the page's 400 as a failed load: that one is expected.
    assert all(re.search(r"status of 400", line) for line in watch.console_errors)
    watch.console_errors.clear()
