"""No query string, however malformed, produces a 500; every 4xx has a JSON body."""

import json
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..factories import OpeningRangeFactory, OutletFactory
from .support import LIST_PARAMETERS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PARAMETERS = [*sorted(LIST_PARAMETERS), "zoom", "format"]
ENDPOINTS = [
    "/api/v1/outlets/",
    "/api/v1/outlets.geojson",
    "/api/v1/outlets/clusters/",
    "/api/v1/outlets/AX-1/",
    "/api/v1/postcodes/40115/",
]
SPECIAL_VALUES = [
    "",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "0",
    "1",
    "-1",
    "90",
    "-180.0000001",
    "1000",
    "100",
    "101",
    "22",
    "true",
    "false",
    "store,kiosk",
    "store,,kiosk",
    "topup,qris",
    "cash",
    "40115",
    "bandung",
    "ID",
    "id",
    "2026-11-25T12:00:00+07:00",
    "2026-11-25T05:00:00Z",
    "2026-11-25T12:00:00",
    "9999-12-31T23:59:59-23:59",
    "107.5,-7.0,107.7,-6.8",
    "170,-10,-170,10",
    "1,2,3,4,5",
    "\x00",
    "x" * 300,
    "٤٠١١٥",
    "²",
]
#: Already percent-escaped: broken escapes, NUL, invalid UTF-8, separators.
RAW_FRAGMENTS = ["%", "%zz", "%00", "%C3", "%FF%FE", "%2B07:00", "+", "&", "=", "&&=", "%26"]

text = st.text(max_size=40)
keys = st.sampled_from(PARAMETERS) | text
values = st.sampled_from(SPECIAL_VALUES) | text | st.floats().map(str) | st.integers().map(str)


@st.composite
def query_strings(draw):
    """key=value pairs joined by ``&``: real and made-up keys, escaped values, and raw
    fragments a client may send without escaping."""
    pairs = []
    for key, value, raw in draw(
        st.lists(st.tuples(keys, values, st.sampled_from(["", *RAW_FRAGMENTS])), max_size=6)
    ):
        pairs.append(f"{quote(key, safe='')}={quote(value, safe='')}{raw}")
    return "&".join(pairs)


@pytest.fixture
def data(gazetteer):
    outlet = OutletFactory(code="AX-1", services=["topup"], payment_methods=["qris"])
    OpeningRangeFactory(outlet=outlet, weekday=2)
    OutletFactory(code="AX-2", kind="kiosk", latitude=-6.2, longitude=106.8)


def assert_well_behaved(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        answer = json.loads(response.content)
        assert isinstance(answer, dict) and answer


def fetch(client, url):
    cache.clear()  # a hundred requests are more than the throttle allows a minute
    return client.get(url)


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINTS), query=query_strings())
def test_any_query_string_is_answered_without_a_server_error(data, client, endpoint, query):
    assert_well_behaved(fetch(client, f"{endpoint}?{query}"))


@FUZZ
@given(query=query_strings())
def test_a_400_names_only_parameters_the_query_string_gave_or_the_list_takes(data, client, query):
    response = fetch(client, f"/api/v1/outlets/?{query}")
    if response.status_code == 400:
        assert set(json.loads(response.content)) <= set(LIST_PARAMETERS) | set(QueryDict(query))


@FUZZ
@given(
    segment=st.text(min_size=1, max_size=25) | st.sampled_from(["40115", "%00", "%zz", "²"]),
    query=query_strings(),
)
def test_any_postcode_or_code_in_the_path_is_answered_without_a_server_error(
    data, client, segment, query
):
    escaped = segment if segment.startswith("%") else quote(segment, safe="")
    for path in (f"/api/v1/postcodes/{escaped}/", f"/api/v1/outlets/{escaped}/"):
        assert_well_behaved(fetch(client, f"{path}?{query}"))
