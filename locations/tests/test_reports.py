"""The form "Report a problem" on an outlet's page: what a report saves, the answers to
bad, oversized, robotic, forged and too frequent reports, the staff's list of reports, and
the date the outlet's details were last checked."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from locations.models import Report
from locations.views import REPORT_MAX_BYTES, REPORT_WINDOW_SECONDS, REPORTS_PER_CLIENT

from .factories import OutletFactory, ReportFactory
from .test_outlet_page import text

pytestmark = pytest.mark.django_db

REPORTS = reverse("admin:locations_report_changelist")
#: Wednesday 2026-11-25, 12:20 UTC: 40 minutes before the rate limit's next window.
NOW = datetime(2026, 11, 25, 12, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no report counted against any client."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outlet(db):
    return OutletFactory(code="AX-BDG-01", name="AXIS Store Braga")


def report_url(outlet) -> str:
    return reverse("locations:report", kwargs={"slug": outlet.slug})


def thanks_url(outlet) -> str:
    return f"{outlet.get_absolute_url()}?reported=1#report-problem"


def send(client, outlet, **fields):
    """Post a report of wrong hours, with ``fields`` changed (None leaves a field out)."""
    data = {"kind": "wrong_hours", "message": "Closes at 20:00 now.", "contact": "", **fields}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(report_url(outlet), data, REMOTE_ADDR="203.0.113.7")


def send_from(client, outlet, address: str):
    return client.post(report_url(outlet), {"kind": "other"}, REMOTE_ADDR=address)


def report_form(html: str) -> str:
    """The report form's markup."""
    match = re.search(r'<form id="report-problem"[^>]*>.*?</form>', html, re.S)
    assert match, "no report form"
    return match[0]


# The form on the page ---------------------------------------------------------------------


def test_the_outlet_page_has_the_report_form_posting_to_its_own_url_with_a_csrf_token(
    client, outlet
):
    form = report_form(client.get(outlet.get_absolute_url()).content.decode())
    assert 'method="post"' in form
    assert f'action="{report_url(outlet)}#report-problem"' in form
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+"', form)


def test_the_report_section_comes_after_the_services_and_before_the_map(client, outlet):
    html = client.get(outlet.get_absolute_url()).content.decode()
    services = html.index('id="services-heading"')
    heading = html.index('<h2 id="report-heading">Report a problem</h2>')
    assert services < heading < html.index('<form id="report-problem"') < html.index('id="map"')


def test_the_kinds_are_five_required_radio_buttons_in_a_fieldset_with_a_legend(client, outlet):
    form = report_form(client.get(outlet.get_absolute_url()).content.decode())
    fieldset = re.search(r"<fieldset[^>]*>(.*?)</fieldset>", form, re.S)[1]
    assert "<legend>What is wrong?</legend>" in fieldset
    radios = re.findall(r'<input type="radio" name="kind" value="(\w+)" required', fieldset)
    assert radios == ["wrong_address", "wrong_hours", "closed", "kiosk_broken", "other"]
    assert '<label for="report-kind_1">' in fieldset


def test_the_message_and_contact_are_labelled_and_limited_in_length(client, outlet):
    form = report_form(client.get(outlet.get_absolute_url()).content.decode())
    assert '<label for="report-message">Tell us more (optional)</label>' in form
    assert re.search(
        r'<textarea name="message"[^>]* maxlength="1000"[^>]*id="report-message"', form
    )
    assert (
        '<label for="report-contact">Email or phone (optional), only used to answer your report'
        in form
    )
    assert re.search(r'<input type="text" name="contact" maxlength="200" id="report-contact"', form)


def test_the_honeypot_is_hidden_from_people_keyboards_and_screen_readers(client, outlet):
    form = report_form(client.get(outlet.get_absolute_url()).content.decode())
    hidden = re.search(r'<div class="report-website" aria-hidden="true">(.*?)</div>', form, re.S)
    assert hidden, "no hidden honeypot"
    assert re.search(
        r'<input type="text" name="website" tabindex="-1" autocomplete="off" id="report-website">',
        hidden[1],
    )


def test_the_honeypot_s_class_hides_it_in_the_page_s_style(client, outlet):
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert re.search(r"\.report-website \{ position: absolute; [^}]*clip-path: inset\(50%\)", html)


# A report ---------------------------------------------------------------------------------


def test_a_report_is_saved_with_its_outlet_words_and_the_page_s_language(client, outlet):
    response = send(client, outlet, contact="budi@example.com")

    assert response.status_code == 303
    assert response["Location"] == thanks_url(outlet)
    report = Report.objects.get()
    assert (report.outlet, report.kind, report.message, report.contact, report.language) == (
        outlet,
        "wrong_hours",
        "Closes at 20:00 now.",
        "budi@example.com",
        "en",
    )
    assert report.state == Report.State.NEW
    assert report.handled_at is None and report.handled_by is None


def test_after_a_report_the_page_thanks_with_a_status_message(client, outlet):
    response = send(client, outlet)
    html = client.get(response["Location"]).content.decode()
    thanks = re.search(r'<p class="report-thanks" role="status">(.*?)</p>', report_form(html))
    assert thanks and thanks[1].startswith("Thank you: your report has been sent.")


def test_the_page_does_not_thank_anyone_unasked(client, outlet):
    assert 'role="status">Thank you' not in client.get(outlet.get_absolute_url()).content.decode()


def test_a_report_needs_only_its_kind(client, outlet):
    assert send(client, outlet, message=None, contact=None).status_code == 303
    assert Report.objects.get().message == ""


def test_a_report_for_a_renamed_outlet_is_saved_and_thanked_on_its_page_now(client, outlet):
    old = report_url(outlet)
    outlet.name = "AXIS Store Braga Baru"
    outlet.save()
    response = client.post(old, {"kind": "wrong_address"})
    assert response["Location"] == thanks_url(outlet)
    assert Report.objects.get().outlet == outlet


def test_a_report_for_an_unknown_outlet_is_not_found(client, outlet):
    assert client.post("/outlets/gone--ax-none/report/", {"kind": "other"}).status_code == 404
    assert not Report.objects.exists()


def test_the_report_url_asked_for_leads_to_the_form(client, outlet):
    response = client.get(report_url(outlet))
    assert response.status_code == 302
    assert response["Location"] == f"{outlet.get_absolute_url()}#report-problem"


# Mistakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "error"),
    [(None, "Choose what is wrong."), ("haunted", "Choose one of the problems listed.")],
)
def test_a_report_without_a_known_kind_is_refused_on_the_page_naming_the_field(
    client, outlet, kind, error
):
    response = send(client, outlet, kind=kind)

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"<h1>AXIS Store Braga</h1>", html), "the whole page comes back"
    form = report_form(html)
    assert '<fieldset class="report-kinds" aria-describedby="report-kind_error">' in form
    assert f'<p class="field-error" id="report-kind_error" role="alert">{error}</p>' in form
    assert not Report.objects.exists()


def test_a_refused_report_keeps_what_was_typed(client, outlet):
    form = report_form(send(client, outlet, kind=None, contact="0812 3456 789").content.decode())
    assert "Closes at 20:00 now.</textarea>" in form
    assert 'value="0812 3456 789"' in form


@pytest.mark.parametrize(("field", "limit"), [("message", 1000), ("contact", 200)])
def test_too_long_a_message_or_contact_is_refused_with_the_field_s_error(
    client, outlet, field, limit
):
    response = send(client, outlet, **{field: "x" * (limit + 1)})

    assert response.status_code == 400
    form = report_form(response.content.decode())
    error = re.search(
        rf'<p class="field-error" id="report-{field}_error" role="alert">(.*?)</p>', form
    )
    assert error and f"at most {limit} characters" in error[1]
    assert re.search(rf'aria-invalid="true" aria-describedby="report-{field}_error"', form)
    assert not Report.objects.exists()


def test_a_message_of_1000_characters_is_accepted(client, outlet):
    assert send(client, outlet, message="x" * 1000).status_code == 303
    assert len(Report.objects.get().message) == 1000


def test_the_largest_report_in_a_script_of_wide_characters_fits_the_size_limit(client, outlet):
    # 1,000 characters of Chinese take 9,000 bytes once %-encoded, more than 8 KB.
    response = send(client, outlet, message="地" * 1000, contact="地" * 200)
    assert response.status_code == 303
    assert Report.objects.get().message == "地" * 1000


def test_a_body_larger_than_the_limit_is_refused_unread_and_nothing_saved(client, outlet):
    response = send(client, outlet, message="x" * REPORT_MAX_BYTES)

    assert response.status_code == 413
    assert "Report too long" in text(response.content.decode())
    assert not hasattr(response.wsgi_request, "_post"), "the body was read"
    assert not Report.objects.exists()


# Robots and forgeries ---------------------------------------------------------------------


def test_a_filled_honeypot_is_thanked_as_a_report_but_nothing_is_saved(client, outlet):
    response = send(client, outlet, website="https://spam.example")
    assert response.status_code == 303
    assert response["Location"] == thanks_url(outlet)
    assert not Report.objects.exists()


def test_a_filled_honeypot_is_thanked_whatever_else_the_form_holds(client, outlet):
    response = send(client, outlet, kind="haunted", website="https://spam.example")
    assert response.status_code == 303
    assert not Report.objects.exists()


def test_a_report_without_the_csrf_token_is_forbidden(outlet):
    client = Client(enforce_csrf_checks=True)
    client.get(outlet.get_absolute_url())  # the CSRF cookie
    assert client.post(report_url(outlet), {"kind": "other"}).status_code == 403
    assert not Report.objects.exists()


def test_a_report_with_the_token_from_the_page_is_saved(outlet):
    client = Client(enforce_csrf_checks=True)
    form = report_form(client.get(outlet.get_absolute_url()).content.decode())
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', form)[1]
    response = client.post(report_url(outlet), {"kind": "other", "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Report.objects.get().kind == "other"


# The rate limit ---------------------------------------------------------------------------


def test_the_limit_is_twenty_reports_an_hour():
    assert (REPORTS_PER_CLIENT, REPORT_WINDOW_SECONDS) == (20, 60 * 60)


def test_a_client_s_21st_report_within_the_hour_is_refused(client, outlet, clock):
    for _ in range(REPORTS_PER_CLIENT):
        assert send_from(client, outlet, "203.0.113.7").status_code == 303

    response = send_from(client, outlet, "203.0.113.7")

    assert response.status_code == 429
    assert "Too many reports" in text(response.content.decode())
    assert "try again in 40 minutes" in text(response.content.decode())
    assert response["Retry-After"] == str(40 * 60)
    assert Report.objects.count() == REPORTS_PER_CLIENT


def test_another_client_may_still_report(client, outlet, clock):
    for _ in range(REPORTS_PER_CLIENT):
        send_from(client, outlet, "203.0.113.7")
    assert send_from(client, outlet, "198.51.100.23").status_code == 303
    assert Report.objects.count() == REPORTS_PER_CLIENT + 1


def test_the_count_starts_again_in_the_next_hour(client, outlet, clock):
    for _ in range(REPORTS_PER_CLIENT):
        send_from(client, outlet, "203.0.113.7")
    clock.now = NOW + timedelta(minutes=40)
    assert send_from(client, outlet, "203.0.113.7").status_code == 303


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(
    client, outlet, clock, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(REPORTS_PER_CLIENT):
        client.post(report_url(outlet), {"kind": "other"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    refused = client.post(report_url(outlet), {"kind": "other"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    accepted = client.post(
        report_url(outlet), {"kind": "other"}, HTTP_X_FORWARDED_FOR="198.51.100.23"
    )
    assert (refused.status_code, accepted.status_code) == (429, 303)


def test_honeypot_catches_count_toward_the_limit(client, outlet, clock):
    for _ in range(REPORTS_PER_CLIENT):
        send(client, outlet, website="https://spam.example")
    assert send(client, outlet).status_code == 429
    assert not Report.objects.exists()


def test_reports_with_mistakes_do_not_count_toward_the_limit(client, outlet, clock):
    for _ in range(REPORTS_PER_CLIENT + 5):
        assert send(client, outlet, kind=None).status_code == 400
    assert send(client, outlet).status_code == 303


# Staff ------------------------------------------------------------------------------------


@pytest.fixture
def reports(outlet):
    """Three reports: two new (wrong hours at Braga, a broken kiosk), one handled."""
    kiosk = OutletFactory(code="AX-BDG-04", kind="kiosk", name="AXIS Kiosk Dago")
    return {
        "hours": ReportFactory(outlet=outlet, message="Closes at 20:00 now."),
        "kiosk": ReportFactory(outlet=kiosk, kind=Report.Kind.KIOSK_BROKEN, message="No QRIS."),
        "handled": ReportFactory(
            outlet=outlet, kind=Report.Kind.WRONG_ADDRESS, state=Report.State.HANDLED
        ),
    }


def listed(client, **query) -> list[int]:
    response = client.get(REPORTS, query)
    assert response.status_code == 200
    return sorted(report.pk for report in response.context["cl"].result_list)


def test_staff_see_each_report_with_its_outlet_kind_state_and_message(admin_client, reports):
    response = admin_client.get(REPORTS)
    html = response.content.decode()
    assert listed(admin_client) == sorted(report.pk for report in reports.values())
    outlet = reports["hours"].outlet
    change = reverse("admin:locations_outlet_change", args=[outlet.pk])
    assert f'<a href="{change}">AXIS Store Braga (AX-BDG-01)</a>' in html
    assert "Closes at 20:00 now." in html and "Kiosk not working" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind__exact": "kiosk_broken"}, ["kiosk"]),
        ({"state__exact": "new"}, ["hours", "kiosk"]),
        ({"state__exact": "handled"}, ["handled"]),
        ({"q": "AX-BDG-04"}, ["kiosk"]),
    ],
)
def test_staff_filter_reports_by_kind_state_and_outlet_code(admin_client, reports, query, expected):
    assert listed(admin_client, **query) == sorted(reports[name].pk for name in expected)


def test_staff_filter_reports_by_outlet(admin_client, reports):
    braga = reports["hours"].outlet
    assert listed(admin_client, outlet__id__exact=braga.pk) == sorted(
        [reports["hours"].pk, reports["handled"].pk]
    )


def test_mark_as_handled_records_when_and_by_whom(admin_client, admin_user, reports, clock):
    new = [reports["hours"].pk, reports["kiosk"].pk]
    response = admin_client.post(
        REPORTS, {"action": "mark_handled", "_selected_action": new}, follow=True
    )
    assert response.status_code == 200
    handled = Report.objects.filter(pk__in=new)
    assert {(r.state, r.handled_at, r.handled_by) for r in handled} == {
        ("handled", NOW, admin_user)
    }


def test_mark_as_new_forgets_who_handled_it(admin_client, admin_user, reports):
    Report.objects.filter(pk=reports["handled"].pk).mark(Report.State.HANDLED, admin_user)
    admin_client.post(REPORTS, {"action": "mark_new", "_selected_action": [reports["handled"].pk]})
    report = Report.objects.get(pk=reports["handled"].pk)
    assert (report.state, report.handled_at, report.handled_by) == ("new", None, None)


def test_what_the_customer_sent_cannot_be_changed_by_staff(admin_client, reports):
    report = reports["hours"]
    change = reverse("admin:locations_report_change", args=[report.pk])
    form = admin_client.get(change).context["adminform"].form
    assert set(form.fields) == {"state"}


def test_staff_setting_a_report_handled_in_its_form_records_when_and_by_whom(
    admin_client, admin_user, reports, clock
):
    report = reports["hours"]
    change = reverse("admin:locations_report_change", args=[report.pk])
    assert admin_client.post(change, {"state": "handled"}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.handled_at, report.handled_by) == ("handled", NOW, admin_user)


def test_the_outlet_s_form_links_to_its_new_reports(admin_client, reports):
    braga = reports["hours"].outlet
    html = admin_client.get(reverse("admin:locations_outlet_change", args=[braga.pk])).content
    link = f'<a href="{REPORTS}?outlet__id__exact={braga.pk}&amp;state__exact=new">1 new report</a>'
    assert link in html.decode()


# When the details were checked ------------------------------------------------------------


def test_the_page_says_when_staff_last_checked_the_details(client):
    outlet = OutletFactory(checked_on=date(2026, 11, 2))
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert '<p class="checked-on">Details checked on 2 November 2026</p>' in html


def test_the_page_says_nothing_of_checks_never_made(client, outlet):
    assert "Details checked on" not in client.get(outlet.get_absolute_url()).content.decode()


def test_staff_set_the_checked_date_on_the_outlet_s_form(admin_client, outlet):
    change = reverse("admin:locations_outlet_change", args=[outlet.pk])
    assert "checked_on" in admin_client.get(change).context["adminform"].form.fields


# In Indonesian ----------------------------------------------------------------------------


def test_the_page_in_indonesian_has_the_form_and_its_reports_say_so(client, outlet):
    html = client.get(outlet.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in html
    form = report_form(html)
    assert len(re.findall(r'<input type="radio" name="kind"', form)) == 5

    response = client.post(report_url(outlet), {"kind": "closed"}, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 303
    assert Report.objects.get().language == "id"


def test_a_refused_report_in_indonesian_comes_back_in_indonesian(client, outlet):
    response = client.post(report_url(outlet), {"kind": ""}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert 'id="report-kind_error" role="alert"' in report_form(html)
