"""What the schemathesis run (scripts/fuzz-api) found, kept from coming back: the answers
the API gave that its OpenAPI document did not allow, and the one that was a 500."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from drf_spectacular.generators import SchemaGenerator

from locations.api.serializers import rfc3339

from ..factories import OpeningRangeFactory, OutletFactory

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = ["/api/v1/outlets/", "/api/v1/outlets.geojson"]


@pytest.fixture
def schema():
    """The OpenAPI document as /api/v1/schema/ serves it (postprocessing hooks included)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def outlet(vocabularies):
    """A Bandung store open Monday to Saturday 09:00-21:00."""
    outlet = OutletFactory(code="AX-00001")
    for weekday in range(6):
        OpeningRangeFactory(
            outlet=outlet, weekday=weekday, opens=datetime.time(9), closes=datetime.time(21)
        )
    return outlet


def body(response):
    return json.loads(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


# --- `at` far in the past: a 500 (ValueError from date.fromordinal), or an offset in
# seconds (local mean time) that RFC 3339, and so the schema's date-time, does not allow.


@pytest.mark.parametrize(
    "at", ["0001-01-01T00:00:00Z", "0293-02-28T03:59:08Z", "1969-12-31T23:59:59Z"]
)
@pytest.mark.parametrize("path", [*LIST_ENDPOINTS, "/api/v1/outlets/AX-00001/"])
def test_an_instant_before_1970_is_a_400_naming_at(outlet, client, path, at):
    response = client.get(path, {"at": at})
    assert response.status_code == 400
    assert list(body(response)) == ["at"]


@pytest.mark.parametrize("at", ["2101-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"])
def test_an_instant_after_2100_is_a_400_naming_at(outlet, client, at):
    response = client.get("/api/v1/outlets/", {"at": at})
    assert response.status_code == 400
    assert list(body(response)) == ["at"]


def test_clusters_check_the_instant_too(outlet, client):
    query = {"bbox": "100,-10,120,0", "zoom": "5", "at": "0001-01-01T00:00:00Z"}
    response = client.get("/api/v1/outlets/clusters/", query)
    assert response.status_code == 400
    assert list(body(response)) == ["at"]


@pytest.mark.parametrize("at", ["1970-01-01T00:00:00Z", "2100-12-31T23:59:59+07:00"])
def test_the_first_and_last_instants_answer(outlet, client, at):
    response = client.get("/api/v1/outlets/AX-00001/", {"at": at})
    assert response.status_code == 200
    assert body(response)["status"]["next_change"] is not None


def test_next_change_with_an_offset_in_seconds_is_given_in_utc():
    # Jakarta's local mean time was UTC+07:07:12.
    instant = datetime.datetime(1900, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert rfc3339(instant) == "1900-03-01T01:52:48+00:00"


def test_next_change_keeps_a_whole_minute_offset():
    instant = datetime.datetime(2026, 11, 25, 21, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert rfc3339(instant) == "2026-11-25T21:00:00+05:30"


# --- The schema said otherwise than the answers.


def test_distance_km_is_nullable_in_the_schema(schema, outlet, client):
    outlet_schemas = ("Outlet", "OutletDetail")
    for name in outlet_schemas:
        assert schema["components"]["schemas"][name]["properties"]["distance_km"]["nullable"]
    # Without an origin, the answer has null.
    assert body(client.get("/api/v1/outlets/"))["results"][0]["distance_km"] is None


def test_a_400_is_described_as_a_map_of_parameter_names_to_reasons(schema, client, outlet):
    described = schema["components"]["schemas"]["ValidationError"]
    assert described["type"] == "object"
    assert described["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert "properties" not in described
    response = client.get("/api/v1/outlets/", {"limit": "0", "kind": "ship"})
    assert response.status_code == 400
    errors = body(response)
    assert set(errors) == {"limit", "kind"}
    assert all(isinstance(reason, str) for reasons in errors.values() for reason in reasons)


def test_no_query_parameter_is_documented_as_possibly_empty(schema):
    # An empty value is a 400 naming the parameter (see test_errors), so the schema says so:
    # no allowEmptyValue, and text has at least one character.
    for label, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert not parameter.get("allowEmptyValue", False), (label, parameter)
                if parameter["schema"]["type"] == "string":
                    assert parameter["schema"]["minLength"] >= 1, (label, parameter)


def test_a_required_parameter_may_not_be_empty(outlet, client):
    response = client.get("/api/v1/outlets/clusters/", {"bbox": "", "zoom": "5"})
    assert response.status_code == 400
    assert list(body(response)) == ["bbox"]


def test_every_operation_documents_the_servers_414(schema):
    for label, operation in operations(schema):
        assert "414" in operation["responses"], label
        assert "content" not in operation["responses"]["414"], label


# --- A postcode longer than the route took was a plain 404, without `suggestions`.


def test_a_long_postcode_is_unknown_with_no_suggestions(vocabularies, client):
    postcode = "𔩋è·q°ÇëGWbÕ¡<3±q`塞x" * 2
    response = client.get(f"/api/v1/postcodes/{postcode}/")
    assert response.status_code == 404
    assert body(response)["suggestions"] == []
    assert set(body(response)) == {"detail", "suggestions"}
