"""Closing outlets for a holiday in bulk, as an operator does it in Bahasa Indonesia:
select outlets in the list, choose the action, give the dates and the reason."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from locations.models import SpecialHours

from ..factories import OutletFactory
from .support import axe
from .test_admin_map import DJANGO_ADMIN_OWN

pytestmark = pytest.mark.browser


def test_an_operator_closes_the_selected_outlets_for_idul_fitri(open_page, staff):
    OutletFactory(code="AX-JKT-1", timezone="Asia/Jakarta")
    OutletFactory(code="AX-JYP-1", timezone="Asia/Jayapura")
    OutletFactory(code="AX-MKS-1", timezone="Asia/Makassar")
    page = open_page(reverse("admin:locations_outlet_changelist"), user=staff, language="id")
    for code in ("AX-JKT-1", "AX-JYP-1"):
        page.get_by_role("row").filter(has_text=code).get_by_role("checkbox").check()
    page.select_option("select[name=action]", "close_for_dates")
    page.locator("button[name=index]").click()

    expect(page.locator("#closure-count")).to_contain_text("2 gerai akan tutup sepanjang hari")
    assert axe(page, exclude=DJANGO_ADMIN_OWN) == []
    year = datetime.date.today().year + 1
    page.get_by_label("Tanggal tutup pertama").fill(f"{year}-03-20")
    page.get_by_label("Tanggal tutup terakhir").fill(f"{year}-03-24")
    page.get_by_label("Alasan").fill("Idul Fitri")
    page.get_by_role("button", name="Tutup gerai-gerai ini").click()

    expect(page.locator(".messagelist .success")).to_contain_text("2 gerai ditutup")
    closed = SpecialHours.objects.values_list("outlet__code", "start_date", "end_date", "reason")
    first, last = datetime.date(year, 3, 20), datetime.date(year, 3, 24)
    assert sorted(closed) == [
        ("AX-JKT-1", first, last, "Idul Fitri"),
        ("AX-JYP-1", first, last, "Idul Fitri"),
    ]
