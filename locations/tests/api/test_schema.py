"""The OpenAPI document (/api/v1/schema/) and the interactive documentation (/api/v1/docs/)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from locations import geocoding, hours

from .support import LIST_PARAMETERS

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/outlets/",
    "/api/v1/outlets.geojson",
    "/api/v1/outlets/{code}/",
    "/api/v1/outlets/clusters/",
    "/api/v1/postcodes/{postcode}/",
]


@pytest.fixture(scope="module")
def schema():
    """The document, built once for the module (it needs no database)."""
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return json.loads(response.content)


def parameters(operation, where="query"):
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == where}


def enum(schema, component, field):
    """The values the schema allows in ``field`` of ``component`` (an enum it refers to)."""
    reference = schema["components"]["schemas"][component]["properties"][field]["$ref"]
    return schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["enum"]


def test_the_schema_is_an_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "axisfinder API"


def test_the_schema_documents_every_endpoint_and_nothing_else(schema):
    assert sorted(schema["paths"]) == sorted(ENDPOINTS)
    assert all(list(schema["paths"][path]) == ["get"] for path in ENDPOINTS)


@pytest.mark.parametrize("path", ["/api/v1/outlets/", "/api/v1/outlets.geojson"])
def test_every_query_parameter_of_the_list_is_documented(schema, path):
    assert set(parameters(schema["paths"][path]["get"])) == LIST_PARAMETERS


def test_the_clusters_require_bbox_and_zoom(schema):
    query = parameters(schema["paths"]["/api/v1/outlets/clusters/"]["get"])
    assert query["bbox"]["required"] is True
    assert query["zoom"]["required"] is True
    assert {"kind", "service", "payment", "open_now", "at"} <= set(query)


def test_the_clusters_document_the_most_groups_an_answer_holds(schema):
    description = schema["paths"]["/api/v1/outlets/clusters/"]["get"]["description"]
    assert "At most 1,000 groups" in description


def test_the_detail_documents_its_code_and_at(schema):
    operation = schema["paths"]["/api/v1/outlets/{code}/"]["get"]
    assert set(parameters(operation, "path")) == {"code"}
    assert set(parameters(operation)) == {"at"}


def test_the_postcode_documents_its_country(schema):
    assert set(parameters(schema["paths"]["/api/v1/postcodes/{postcode}/"]["get"])) == {"country"}


def test_the_status_state_is_one_of_the_states_the_hours_answer(schema):
    assert enum(schema, "Status", "state") == list(hours.STATES)


def test_the_origin_source_is_one_of_the_geocoder_s_sources(schema):
    assert enum(schema, "Origin", "source") == list(geocoding.SOURCES)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_documents_its_answer_bad_requests_and_throttling(schema, path):
    assert {"200", "400", "429"} <= set(schema["paths"][path]["get"]["responses"])


@pytest.mark.parametrize("path", [p for p in ENDPOINTS if "clusters" not in p])
def test_endpoints_that_can_find_nothing_document_a_404(schema, path):
    assert "404" in schema["paths"][path]["get"]["responses"]


def test_the_geojson_is_documented_as_application_geo_json(schema):
    responses = schema["paths"]["/api/v1/outlets.geojson"]["get"]["responses"]
    assert "application/geo+json" in responses["200"]["content"]


def test_the_schema_is_yaml_unless_json_is_asked_for(client):
    response = client.get("/api/v1/schema/")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi;")
    assert response.content.startswith(b"openapi: 3.")


def test_the_schema_is_json_for_an_accept_asking_for_it(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert json.loads(response.content)["openapi"].startswith("3.")


# --- The documentation page ----------------------------------------------------------------


@pytest.fixture
def docs(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def assets(html):
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_documentation_loads_its_assets_from_the_site(docs):
    found = assets(docs)
    assert any(url.endswith(".js") for url in found)
    assert any(url.endswith(".css") for url in found)
    assert all(url.startswith("/static/") for url in found), found


def test_the_documentation_s_assets_are_static_files_of_the_site(docs):
    for url in assets(docs):
        assert finders.find(url.removeprefix("/static/")), url


def test_the_documentation_reads_the_site_s_own_schema(docs):
    assert "/api/v1/schema/" in docs
    assert "://" not in "".join(assets(docs))
