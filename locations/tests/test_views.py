"""The outlet list and outlet pages."""

import re
from datetime import UTC, date, datetime, time

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from locations import hours
from locations.models import Outlet

from .factories import OpeningRangeFactory, OutletFactory, SpecialHoursFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # Wednesday 12:00 WIB


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr("locations.views.timezone.now", lambda: NOW)


def test_list_shows_each_searchable_outlet_with_its_status(client):
    outlet = OutletFactory(code="AX-1", name="AXIS Store Dago")
    OpeningRangeFactory(outlet=outlet, weekday=2, opens=time(9), closes=time(21))
    OutletFactory(code="AX-2", status=Outlet.Status.PERMANENTLY_CLOSED)
    response = client.get(reverse("locations:locator"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="AX-1"' in html and 'data-code="AX-2"' not in html
    assert "Open · closes 21:00 WIB" in html


def test_list_says_the_outlets_are_sample_data(client):
    assert "sample data" in client.get(reverse("locations:locator")).content.decode()


def test_outlet_page_shows_hours_status_and_upcoming_special_hours(client):
    outlet = OutletFactory(name="AXIS Store Braga")
    OpeningRangeFactory(outlet=outlet, weekday=2, opens=time(9), closes=time(21))
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 3, 20),
        end_date=date(2026, 3, 24),
        reason="Idul Fitri 2026",
    )
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 12, 24),
        end_date=date(2026, 12, 24),
        opens=time(10),
        closes=time(15),
        reason="Christmas Eve",
    )
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert "AXIS Store Braga" in html
    assert "Open · closes 21:00 WIB" in html
    assert "Christmas Eve" in html
    assert "Idul Fitri 2026" not in html  # past special hours are not shown


def test_permanently_closed_outlet_page_still_answers(client):
    outlet = OutletFactory(status=Outlet.Status.PERMANENTLY_CLOSED)
    response = client.get(outlet.get_absolute_url())
    assert response.status_code == 200
    assert "Permanently closed" in response.content.decode()


@pytest.mark.parametrize("slug", ["no-such-outlet", "axis--no-such-code"])
def test_unknown_outlet_is_404(client, slug):
    assert client.get(f"/outlets/{slug}/").status_code == 404


def test_old_slug_of_a_renamed_outlet_redirects_to_the_new_one(client):
    outlet = OutletFactory(code="AX-9", name="Old Name")
    outlet.name = "New Name"
    outlet.save()
    response = client.get("/outlets/old-name--ax-9/")
    assert response.status_code == 301
    assert response["Location"] == "/outlets/new-name--ax-9/"


def test_pages_answer_in_bahasa_indonesia(client):
    outlet = OutletFactory()
    OpeningRangeFactory(outlet=outlet, weekday=2, opens=time(9), closes=time(21))
    html = client.get(reverse("locations:locator"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Buka · tutup 21:00 WIB" in html


def test_a_store_s_page_says_to_bring_an_id_card(client):
    outlet = OutletFactory(kind=Outlet.Kind.STORE)
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert "bring your ID card (KTP) or passport" in html


def test_a_kiosk_s_page_says_it_is_self_service(client):
    outlet = OutletFactory(kind=Outlet.Kind.KIOSK)
    html = client.get(outlet.get_absolute_url()).content.decode()
    assert "Self-service: pay by bank card or QR code (QRIS)." in html


def test_the_stylesheet_colours_exactly_the_status_states():
    with open(finders.find("locations/site.css"), encoding="utf-8") as css:
        styled = set(re.findall(r"\.status-(\w+)", css.read()))
    assert styled == set(hours.STATES)
