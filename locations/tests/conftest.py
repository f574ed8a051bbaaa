import pytest

from locations.models import Place, PostcodeArea


@pytest.fixture
def vocabularies(db):
    """The service and payment vocabularies: ``migrate`` wrote them into the test database
    (a test that needs them says so by asking for this fixture)."""


@pytest.fixture
def city_centre_postcode(db):
    """40999: a Bandung postcode known only by its city's centre."""
    return PostcodeArea.objects.create(
        postcode="40999",
        latitude=-6.9147,
        longitude=107.6098,
        place="",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="city",
    )


@pytest.fixture
def gazetteer(vocabularies):
    """Two Bandung postcodes and two places named Bandung (the city is the likelier)."""
    PostcodeArea.objects.create(
        postcode="40115",
        latitude=-6.9147,
        longitude=107.6098,
        place="Bandung Wetan",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="district",
    )
    PostcodeArea.objects.create(
        postcode="40117",
        latitude=-6.91,
        longitude=107.62,
        place="Cihapit",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="village",
    )
    Place.objects.create(
        kind="city",
        name="Kota Bandung",
        key="kotabandung",
        province="Jawa Barat",
        latitude=-6.9147,
        longitude=107.6098,
        precision="city",
        rank=1_700_000,
    )
    Place.objects.create(
        kind="regency",
        name="Kabupaten Bandung",
        key="kabupatenbandung",
        province="Jawa Barat",
        latitude=-7.0251,
        longitude=107.5197,
        precision="city",
    )
