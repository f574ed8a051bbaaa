"""A large file's check and import on a page that shows the progress as it is sent."""

import pytest
from django.urls import reverse

from locations import admin as outlet_admin
from locations import streamed
from locations.models import Outlet, PendingImport

from .outlet_files import csv_bytes, row
from .test_admin import confirm, token_in, upload

IMPORT = reverse("admin:locations_outlet_import")


@pytest.fixture
def staff_client(client, migrated_database, django_user_model, monkeypatch):
    """An operator's browser, with every file large enough to stream and a line drawn on
    every row; the worker thread sees the test's committed rows."""
    monkeypatch.setattr(outlet_admin, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(streamed, "INTERVAL", 0)
    user = django_user_model.objects.create_superuser("operator", password="pw")
    client.force_login(user)
    return client


def page_of(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_a_large_file_is_checked_on_a_page_that_shows_each_row_read(staff_client):
    data = csv_bytes(row(code="AX-1"), row(code="AX-2"))
    response = staff_client.post(IMPORT, upload(data), HTTP_ACCEPT_ENCODING="gzip")
    # Sent as it is made: neither compressed nor buffered by a proxy.
    assert "Content-Encoding" not in response
    assert response["X-Accel-Buffering"] == "no"
    page = page_of(response)
    assert "<h2>Checking outlets.csv</h2>" in page
    assert '<div class="import-stage"><p>reading: 0 / 2 rows' in page
    assert "<p>reading: 1 / 2 rows · " in page
    assert "reading: 2 / 2 rows · " in page and "done in" in page
    assert '<progress value="2" max="2">100%</progress>' in page
    # Then the preview and its confirmation, and the page's end.
    assert "Preview of outlets.csv" in page
    assert 'name="confirm"' in page
    assert page.rstrip().endswith("</html>")
    assert page.index("done in") < page.index("Preview of")
    assert not Outlet.objects.exists()
    kept = PendingImport.objects.get()
    assert (kept.token, kept.name) == (token_in(page), "outlets.csv")


def test_a_large_file_with_errors_lists_them_after_the_progress(staff_client):
    page = page_of(staff_client.post(IMPORT, upload(csv_bytes(row(kind="shop")))))
    assert "line 2: kind: unknown kind &#x27;shop&#x27; (store or kiosk)" in page
    assert "Upload a file again" in page
    assert 'name="confirm"' not in page
    assert not PendingImport.objects.exists()


def test_confirming_a_large_file_shows_each_stage_then_what_was_imported(staff_client):
    data = csv_bytes(row(code="AX-1"), row(code="AX-2", opening_hours="Mo-Su 00:00-24:00"))
    token = token_in(page_of(staff_client.post(IMPORT, upload(data))))
    page = page_of(confirm(staff_client, token))
    assert "<h2>Importing outlets.csv</h2>" in page
    stages = [
        "reading: 2 / 2",
        "saving outlets: 2 / 2",
        "writing hours, services and payments: 2 / 2",
    ]
    positions = [page.index(stage) for stage in stages]
    assert positions == sorted(positions)
    assert page.count('<div class="import-stage">') == 3
    assert "Imported outlets.csv: 2 created, 0 updated." in page
    assert sorted(Outlet.objects.values_list("code", flat=True)) == ["AX-1", "AX-2"]
    assert not PendingImport.objects.exists()


def test_the_progress_page_is_in_the_operators_language(staff_client):
    staff_client.cookies["django_language"] = "id"
    page = page_of(staff_client.post(IMPORT, upload(csv_bytes(row(code="AX-1")))))
    assert '<html lang="id"' in page
    assert "Memeriksa outlets.csv" in page
    assert "membaca: 1 / 1 baris" in page


def test_an_unexpected_error_is_said_in_words_and_nothing_is_written(staff_client, monkeypatch):
    data = csv_bytes(row(code="AX-1"))
    token = token_in(page_of(staff_client.post(IMPORT, upload(data))))

    def broken(*args):
        raise RuntimeError("disk full")  # after the outlet rows, before their hours

    monkeypatch.setattr("locations.importers._create_children", broken)
    page = page_of(confirm(staff_client, token))
    assert "stopped on an unexpected error" in page
    assert page.rstrip().endswith("</html>")
    assert not Outlet.objects.exists()


def test_a_large_file_that_is_not_utf8_gets_its_error_not_a_crash(staff_client):
    data = csv_bytes(row(code="AX-1", name="Toko Ü")).replace("Ü".encode(), b"\xdc")
    response = staff_client.post(IMPORT, upload(data))
    assert response.status_code == 200
    assert not response.streaming
    assert "UTF-8" in " ".join(response.context["errors"])
    assert not PendingImport.objects.exists()


def test_large_files_in_two_tabs_each_confirm_their_own(staff_client):
    tab_a = token_in(
        page_of(staff_client.post(IMPORT, upload(csv_bytes(row(code="AX-A")), "a.csv")))
    )
    tab_b = token_in(
        page_of(staff_client.post(IMPORT, upload(csv_bytes(row(code="AX-B")), "b.csv")))
    )
    page = page_of(confirm(staff_client, tab_a))
    assert "Imported a.csv: 1 created, 0 updated." in page
    assert list(Outlet.objects.values_list("code", flat=True)) == ["AX-A"]
    assert list(PendingImport.objects.values_list("token", flat=True)) == [tab_b]
    page = page_of(confirm(staff_client, tab_b))
    assert "Imported b.csv: 1 created, 0 updated." in page
    assert sorted(Outlet.objects.values_list("code", flat=True)) == ["AX-A", "AX-B"]


def test_a_large_file_can_be_cancelled_from_its_preview(staff_client):
    token = token_in(page_of(staff_client.post(IMPORT, upload(csv_bytes(row(code="AX-A"))))))
    response = staff_client.post(IMPORT, {"cancel": "Cancel", "token": token}, follow=True)
    assert response.redirect_chain == [(IMPORT, 302)]
    assert "Discarded outlets.csv; nothing was imported." in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not Outlet.objects.exists()
