"""Fixtures for the JSON API's tests: a fresh throttle for each test, and outlets at known
distances from Bandung (the gazetteer fixture is in the tests' conftest)."""

import pytest
from django.core.cache import cache

from locations.models import Outlet

from ..factories import OutletFactory
from .support import always_open, weekdays_nine_to_nine


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with an empty request history: the default 120 requests a minute
    is per client, and every test client is 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outlets(gazetteer):
    """Around postcode 40115 (Bandung), nearest first: NEAR (a kiosk open around the clock,
    40 m away), MID (a store, ~6 km), FAR (a store in Jakarta, ~120 km); and GONE, the
    nearest of all but permanently closed."""
    always_open(
        OutletFactory(
            code="NEAR",
            kind="kiosk",
            name="AXIS Kiosk Braga",
            address="Jl. Braga No. 12",
            phone="+62 22 4201234",
            latitude=-6.915,
            longitude=107.61,
            services=["topup", "data_package"],
            payment_methods=["qris", "debit_card"],
        )
    )
    weekdays_nine_to_nine(
        OutletFactory(
            code="MID",
            latitude=-6.95,
            longitude=107.65,
            services=["topup", "esim_activation", "sim_replacement"],
            payment_methods=["cash", "qris"],
        )
    )
    weekdays_nine_to_nine(
        OutletFactory(
            code="FAR",
            latitude=-6.2,
            longitude=106.8,
            city="Jakarta Pusat",
            province="DKI Jakarta",
            postcode="10110",
            services=["topup"],
            payment_methods=["cash"],
        )
    )
    always_open(
        OutletFactory(
            code="GONE",
            latitude=-6.9148,
            longitude=107.6099,
            status=Outlet.Status.PERMANENTLY_CLOSED,
        )
    )
