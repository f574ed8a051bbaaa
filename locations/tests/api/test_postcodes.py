"""GET /api/v1/postcodes/{postcode}/: where a postcode is, from the offline gazetteer."""

import pytest

from locations.models import PostcodeArea

from .support import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def abroad(gazetteer):
    """A postcode in Malaysia and one in the United Kingdom, beside the Bandung ones."""
    PostcodeArea.objects.create(
        country="MY",
        postcode="50000",
        latitude=3.1466,
        longitude=101.6958,
        place="Kuala Lumpur",
        city="Kuala Lumpur",
        province="Wilayah Persekutuan",
        precision="city",
    )
    PostcodeArea.objects.create(
        country="GB",
        postcode="SW1A 1AA",
        latitude=51.501,
        longitude=-0.1416,
        place="Westminster",
        city="London",
        province="England",
        precision="village",
    )


def test_a_known_postcode_answers_with_its_point_place_and_precision(gazetteer, client):
    response = client.get("/api/v1/postcodes/40115/")
    assert response.status_code == 200
    assert body(response) == {
        "postcode": "40115",
        "country": "ID",
        "latitude": -6.9147,
        "longitude": 107.6098,
        "place": "Bandung Wetan",
        "province": "Jawa Barat",
        "precision": "district",
    }


def test_an_unknown_postcode_is_a_404_with_the_nearest_known_ones(gazetteer, client):
    response = client.get("/api/v1/postcodes/40116/")
    assert response.status_code == 404
    answer = body(response)
    assert set(answer) == {"detail", "suggestions"}
    assert "40116" in answer["detail"]
    assert answer["suggestions"] == ["40115", "40117"]


def test_suggestions_come_nearest_first(gazetteer, client):
    assert body(client.get("/api/v1/postcodes/40119/"))["suggestions"] == ["40117", "40115"]


@pytest.mark.parametrize("postcode", ["bandung", "4011x", "%C2%B2", "%D9%A4%D9%A0"])
def test_something_that_is_no_postcode_is_a_404_without_suggestions(gazetteer, client, postcode):
    response = client.get(f"/api/v1/postcodes/{postcode}/")
    assert response.status_code == 404
    assert body(response)["suggestions"] == []


def test_country_selects_the_country_s_postcodes(abroad, client):
    answer = body(client.get("/api/v1/postcodes/50000/", {"country": "MY"}))
    assert answer["country"] == "MY"
    assert answer["place"] == "Kuala Lumpur"


def test_country_is_read_in_any_case(abroad, client):
    assert body(client.get("/api/v1/postcodes/50000/", {"country": "my"}))["country"] == "MY"


def test_country_defaults_to_indonesia(abroad, client):
    assert client.get("/api/v1/postcodes/50000/").status_code == 404


def test_a_postcode_with_letters_and_a_space_is_found(abroad, client):
    response = client.get("/api/v1/postcodes/SW1A%201AA/", {"country": "GB"})
    assert response.status_code == 200
    assert body(response)["place"] == "Westminster"


@pytest.mark.parametrize("country", ["IDN", "1D", "I", "ïd", "I\x00"])
def test_a_country_that_is_not_two_letters_is_a_400(gazetteer, client, country):
    response = client.get("/api/v1/postcodes/40115/", {"country": country})
    assert response.status_code == 400
    assert list(body(response)) == ["country"]
