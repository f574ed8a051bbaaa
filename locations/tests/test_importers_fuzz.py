"""Whatever the file holds, an import either succeeds or reports errors: it never crashes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locations.importers import ImportFailed, import_outlets
from locations.models import Outlet

from .outlet_files import VALID, csv_bytes, feature, geojson_bytes, json_bytes, json_item

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
cell_text = st.text(max_size=40) | st.sampled_from(
    [
        "",
        "NaN",
        "1e309",
        "-0",
        "91",
        "Asia/Jakarta",
        "WIB",
        "24/7",
        "PH off",
        "Mo-Fr 25:00-26:00",
        "=1+1",
        "topup;;",
        "store",
        "\x00",
        '"',
        "2026 Feb 30 off",
    ]
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def imports_or_reports(data: bytes, fmt: str) -> None:
    count = Outlet.objects.count()
    try:
        import_outlets(data, fmt)
    except ImportFailed as failure:
        assert failure.errors, "a failed import names at least one error"
        assert all(error.startswith(("line ", "item ")) for error in failure.errors)
        assert Outlet.objects.count() == count


@FUZZ
@given(cells=st.fixed_dictionaries({column: cell_text for column in VALID}))
def test_any_csv_cells(vocabularies, cells):
    imports_or_reports(csv_bytes(cells), "csv")


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_as_csv(vocabularies, data):
    imports_or_reports(data, "csv")


@FUZZ
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["json", "geojson"]))
def test_any_bytes_as_json(vocabularies, data, fmt):
    imports_or_reports(data, fmt)


@FUZZ
@given(field=st.sampled_from(sorted(VALID)), value=json_value)
def test_any_json_value_in_a_field(vocabularies, field, value):
    imports_or_reports(json_bytes({**json_item(VALID), field: value}), "json")


@FUZZ
@given(
    key=st.sampled_from(["type", "geometry", "properties"]),
    value=json_value,
    coordinates=st.lists(json_value, max_size=4),
)
def test_any_geojson_feature(vocabularies, key, value, coordinates):
    item = feature(json_item(VALID))
    broken_point = {**item, "geometry": {"type": "Point", "coordinates": coordinates}}
    imports_or_reports(geojson_bytes({**item, key: value}, broken_point), "geojson")
