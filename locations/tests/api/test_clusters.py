"""GET /api/v1/outlets/clusters/: outlets grouped for a zoomed-out map."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locations.importers import import_outlets
from locations.models import Outlet
from locations.search import BBox
from locations.search.index import MAX_CLUSTERS, cluster_cell

from ..factories import OutletFactory
from ..outlet_files import csv_bytes, row
from .support import NIGHT_WIB, NOON_WIB, body, weekdays_nine_to_nine

pytestmark = pytest.mark.django_db

URL = "/api/v1/outlets/clusters/"
#: Java, Bali and more: every outlet of the fixture below.
INDONESIA_WEST = "95,-11,120,6"
BANDUNG = (-6.9175, 107.6191)
JAKARTA = (-6.2, 106.8)


@pytest.fixture
def spread(vocabularies):
    """Five kiosks a few kilometres apart in Bandung, three stores in Jakarta, one store in
    Denpasar, and a permanently closed store in Bandung."""
    for n in range(5):
        OutletFactory(
            code=f"BDG-{n}",
            kind="kiosk",
            latitude=BANDUNG[0] + n * 0.02,
            longitude=BANDUNG[1],
            services=["topup"],
        )
    for n in range(3):
        OutletFactory(code=f"JKT-{n}", latitude=JAKARTA[0], longitude=JAKARTA[1] + n * 0.03)
    OutletFactory(code="DPS", latitude=-8.65, longitude=115.22)
    OutletFactory(code="GONE", status="permanently_closed")


def clusters(client, **params):
    params.setdefault("bbox", INDONESIA_WEST)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return body(response)


def test_each_cluster_has_a_point_a_count_and_a_bbox(spread, client):
    for cluster in clusters(client, zoom="5"):
        assert set(cluster) in (
            {"latitude", "longitude", "count", "bbox"},
            {"latitude", "longitude", "count", "bbox", "code", "kind", "open_now"},
        )
        west, south, east, north = cluster["bbox"]
        assert west <= cluster["longitude"] <= east
        assert south <= cluster["latitude"] <= north


@pytest.mark.parametrize("zoom", ["0", "3", "6", "9", "12", "15", "22"])
def test_counts_add_up_to_the_searchable_outlets_in_the_bbox(spread, client, zoom):
    assert sum(cluster["count"] for cluster in clusters(client, zoom=zoom)) == 9


def test_counts_add_up_to_the_outlets_passing_the_filters(spread, client):
    assert sum(c["count"] for c in clusters(client, zoom="3", kind="kiosk")) == 5
    assert sum(c["count"] for c in clusters(client, zoom="3", kind="store")) == 4
    assert sum(c["count"] for c in clusters(client, zoom="3", service="topup")) == 5
    assert clusters(client, zoom="3", open_now="true", at=NIGHT_WIB) == []


def test_only_outlets_inside_the_bbox_are_counted(spread, client):
    bali = "114,-9,116,-8"
    assert clusters(client, zoom="10", bbox=bali) == [
        {
            "latitude": -8.65,
            "longitude": 115.22,
            "count": 1,
            "bbox": [115.22, -8.65, 115.22, -8.65],
            "code": "DPS",
            "kind": "store",
            "open_now": False,
        }
    ]


def test_a_lone_outlet_carries_its_code_kind_and_open_ness_and_a_group_none(spread, client):
    found = sorted(clusters(client, zoom="6"), key=lambda c: c["count"])
    assert [(c["count"], c.get("code"), c.get("kind"), c.get("open_now")) for c in found] == [
        (1, "DPS", "store", False),
        (3, None, None, None),
        (5, None, None, None),
    ]


def test_a_lone_outlet_carries_its_kind_and_whether_it_is_open_at_the_instant(spread, client):
    weekdays_nine_to_nine(Outlet.objects.get(code="BDG-0"))
    bandung = "107.5,-7,107.7,-6.8"

    def lone(at):
        found = clusters(client, zoom="14", bbox=bandung, at=at)
        return {c["code"]: (c["kind"], c["open_now"]) for c in found}

    assert lone(NOON_WIB) == {
        "BDG-0": ("kiosk", True),
        **{f"BDG-{n}": ("kiosk", False) for n in range(1, 5)},
    }
    assert lone(NIGHT_WIB)["BDG-0"] == ("kiosk", False)


def test_a_cluster_sits_at_the_mean_of_its_outlets_within_their_extent(spread, client):
    jakarta = next(c for c in clusters(client, zoom="9") if c["count"] == 3)
    assert jakarta["latitude"] == pytest.approx(-6.2)
    assert jakarta["longitude"] == pytest.approx(106.83)
    assert jakarta["bbox"] == pytest.approx([106.8, -6.2, 106.86, -6.2])


def test_a_higher_zoom_gives_more_and_smaller_clusters(spread, client):
    def widest(found):
        return max(max(c["bbox"][2] - c["bbox"][0], c["bbox"][3] - c["bbox"][1]) for c in found)

    # The five Bandung kiosks, 2 km apart, in a viewport a large screen shows at zoom 14.
    bandung = "107.5,-7,107.7,-6.8"
    far, middle, near = (clusters(client, zoom=zoom, bbox=bandung) for zoom in ("3", "10", "14"))
    assert len(far) < len(middle) < len(near) == 5
    assert widest(far) > widest(middle) > widest(near) == 0


def test_no_outlet_in_the_bbox_is_an_empty_list(spread, client):
    assert clusters(client, zoom="5", bbox="-10,-10,10,10") == []


def test_the_clusters_path_answers_clusters_not_an_outlet(spread, client):
    found = clusters(client, zoom="5")
    assert isinstance(found, list)
    assert sum(cluster["count"] for cluster in found) == 9


# However wide the viewport and deep the zoom: at most MAX_CLUSTERS groups ---------------

#: A 40 by 40 grid of outlets over the whole world: 1,600, more than an answer may hold.
LATITUDES = [-78 + 4 * n for n in range(40)]
LONGITUDES = [-175 + 8.75 * n for n in range(40)]


@pytest.fixture
def world(vocabularies):
    import_outlets(
        csv_bytes(
            *(
                row(code=f"W{n}-{m}", latitude=str(latitude), longitude=str(longitude))
                for n, latitude in enumerate(LATITUDES)
                for m, longitude in enumerate(LONGITUDES)
            )
        ),
        "csv",
    )


def inside(bbox: str) -> int:
    box = BBox.parse(bbox)
    return sum(box.contains(lat, lng) for lat in LATITUDES for lng in LONGITUDES)


@pytest.mark.parametrize(
    ("bbox", "zoom"),
    [
        ("-180,-90,180,90", "22"),  # the world at street level: one cell per outlet before
        ("-180,-90,180,90", "0"),
        ("-180,-90,180,90", "12"),
        ("-175.0000001,-78.0000001,-174.9999999,-77.9999999", "22"),  # a tiny box, one outlet
        ("-175,-78,-175,-78", "22"),  # a point
        ("-175,-90,-175,90", "22"),  # zero width: one column of outlets
        ("-180,-78,180,-78", "22"),  # zero height: one row of outlets
        ("-180,-90,180,90", "5"),
        ("0,-90,0.5,90", "22"),  # a thin strip with no outlet
    ],
)
def test_an_answer_never_exceeds_the_bound_and_counts_every_outlet_inside(
    world, client, bbox, zoom
):
    found = clusters(client, bbox=bbox, zoom=zoom)
    assert len(found) <= MAX_CLUSTERS
    assert sum(cluster["count"] for cluster in found) == inside(bbox)


def test_the_world_at_zoom_22_is_grouped_instead_of_one_item_per_outlet(world, client):
    found = clusters(client, bbox="-180,-90,180,90", zoom="22")
    assert len(LATITUDES) * len(LONGITUDES) > MAX_CLUSTERS
    assert len(found) <= MAX_CLUSTERS
    assert max(cluster["count"] for cluster in found) > 1


def grid_cells_touched(bbox: BBox, cell: float) -> int:
    """How many cells of the index's grid (see OutletIndex.clusters) ``bbox`` touches."""
    columns = math.floor((bbox.east + 180) / cell) - math.floor((bbox.west + 180) / cell) + 1
    rows = math.floor((bbox.north + 90) / cell) - math.floor((bbox.south + 90) / cell) + 1
    return columns * rows


@st.composite
def bboxes(draw) -> BBox:
    west, east = sorted(draw(st.floats(-180, 180)) for _ in range(2))
    south, north = sorted(draw(st.floats(-90, 90)) for _ in range(2))
    return BBox(west, south, east, north)


@given(bbox=bboxes(), zoom=st.integers(0, 22))
def test_the_grid_never_has_more_cells_in_the_bbox_than_the_bound(bbox, zoom):
    cell = cluster_cell(zoom, bbox)
    assert grid_cells_touched(bbox, cell) <= MAX_CLUSTERS


@pytest.mark.parametrize("zoom", [5, 9, 14])
def test_a_screen_sized_viewport_keeps_the_zoom_s_cells(zoom):
    # 1,920 by 1,080 pixels: 30 by 17 cells of 64 pixels, well within the bound.
    degrees_per_pixel = 360 / (256 * 2**zoom)
    bbox = BBox(60.0, -30.0, 60.0 + 1920 * degrees_per_pixel, -30.0 + 1080 * degrees_per_pixel)
    assert cluster_cell(zoom, bbox) == pytest.approx(64 * degrees_per_pixel)
