"""GET /api/v1/outlets/clusters/: outlets grouped for a zoomed-out map."""

import pytest

from ..factories import OutletFactory
from .support import NIGHT_WIB, body

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
            {"latitude", "longitude", "count", "bbox", "code"},
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
        }
    ]


def test_a_lone_outlet_carries_its_code_and_a_group_does_not(spread, client):
    found = sorted(clusters(client, zoom="6"), key=lambda c: c["count"])
    assert [(c["count"], c.get("code")) for c in found] == [(1, "DPS"), (3, None), (5, None)]


def test_a_cluster_sits_at_the_mean_of_its_outlets_within_their_extent(spread, client):
    jakarta = next(c for c in clusters(client, zoom="9") if c["count"] == 3)
    assert jakarta["latitude"] == pytest.approx(-6.2)
    assert jakarta["longitude"] == pytest.approx(106.83)
    assert jakarta["bbox"] == pytest.approx([106.8, -6.2, 106.86, -6.2])


def test_a_higher_zoom_gives_more_and_smaller_clusters(spread, client):
    def widest(found):
        return max(max(c["bbox"][2] - c["bbox"][0], c["bbox"][3] - c["bbox"][1]) for c in found)

    far, middle, near = (clusters(client, zoom=zoom) for zoom in ("3", "7", "14"))
    assert len(far) < len(middle) < len(near) == 9
    assert widest(far) > widest(middle) > widest(near) == 0


def test_no_outlet_in_the_bbox_is_an_empty_list(spread, client):
    assert clusters(client, zoom="5", bbox="-10,-10,10,10") == []
