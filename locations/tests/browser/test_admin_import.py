"""The import screen in a real browser, through the live server: a large file's progress
arrives as the page streams in, then its preview; confirming imports it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from locations import admin as outlet_admin
from locations.models import Outlet

from ..outlet_files import csv_bytes, row

pytestmark = pytest.mark.browser


def test_a_large_file_shows_its_progress_then_imports_on_confirmation(
    open_page, staff, monkeypatch, tmp_path
):
    monkeypatch.setattr(outlet_admin, "STREAM_FROM_BYTES", 0)
    path = tmp_path / "gerai.csv"
    path.write_bytes(csv_bytes(*(row(code=f"AX-{n}") for n in range(3))))
    page = open_page(reverse("admin:locations_outlet_import"), user=staff, language="id")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Periksa berkas").click()

    expect(page.get_by_role("heading", name="Memeriksa gerai.csv")).to_be_visible()
    # Only each stage's newest line is shown: the finished one, with a full bar.
    reading = page.locator(".import-stage p:visible")
    expect(reading).to_have_count(1)
    expect(reading).to_contain_text("membaca: 3 / 3 baris")
    expect(reading).to_contain_text("selesai dalam")
    expect(page.locator("#import-summary")).to_contain_text("3 gerai akan dibuat")

    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.locator("#import-saved")).to_have_text("gerai.csv diimpor: 3 dibuat, 0 diperbarui.")
    expect(page.locator(".import-stage p:visible")).to_have_count(3)
    assert sorted(Outlet.objects.values_list("code", flat=True)) == ["AX-0", "AX-1", "AX-2"]
