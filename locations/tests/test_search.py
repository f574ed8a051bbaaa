"""The nearest-outlet index against a brute-force geopy ``geodesic`` oracle, without a database."""

import math
import random
from datetime import UTC, datetime, time

import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from locations import hours, search
from locations.hours import Hours, WeeklyRange
from locations.search import BBox, Filters, IndexedOutlet, OutletIndex
from locations.search.index import grid_clusters

ALWAYS = hours.compile_schedule(Hours.always_open(), "Asia/Jakarta")
OFFICE = hours.compile_schedule(
    Hours(tuple(WeeklyRange(day, time(9), time(17)) for day in range(7))), "Asia/Jakarta"
)
CLOSED = hours.compile_schedule(Hours.always_open(), "Asia/Jakarta", hours.TEMPORARILY_CLOSED)
SCHEDULES = (ALWAYS, OFFICE, CLOSED)
SERVICES = ("topup", "data_package", "esim_activation", "sim_replacement")
PAYMENTS = ("cash", "qris", "debit_card")
# Wednesday 2026-11-25 at 20:00 WIB: office hours are over, 24/7 outlets are open.
EVENING = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)

# City centres the random outlets cluster around (Sumatra to Papua), and a far-off spot.
CENTRES = [
    (3.5952, 98.6722),
    (-6.2146, 106.8451),
    (-6.9147, 107.6098),
    (-8.6500, 115.2167),
    (-5.1477, 119.4327),
    (-2.5337, 140.7181),
    (1.4748, 124.8421),
]


def random_outlets(rng: random.Random, count: int) -> list[IndexedOutlet]:
    outlets = []
    for n in range(count):
        lat, lng = rng.choice(CENTRES)
        spread = rng.choice((0.02, 0.2, 2.0))
        outlets.append(
            IndexedOutlet(
                id=1000 + n,
                code=f"T{n:05d}",
                kind=rng.choice(search.KINDS),
                latitude=max(-90.0, min(90.0, lat + rng.gauss(0, spread))),
                longitude=max(-180.0, min(180.0, lng + rng.gauss(0, spread))),
                services=tuple(s for s in SERVICES if rng.random() < 0.5),
                payments=tuple(p for p in PAYMENTS if rng.random() < 0.6),
                schedule=rng.choice(SCHEDULES),
            )
        )
    # Two outlets at the very same point: the lower code comes first.
    twin = outlets[0]
    outlets.append(
        IndexedOutlet(
            999,
            "T00000A",
            twin.kind,
            twin.latitude,
            twin.longitude,
            twin.services,
            twin.payments,
            twin.schedule,
        )
    )
    return outlets


def passes(outlet: IndexedOutlet, filters: Filters, at: datetime) -> bool:
    """The filters spelt out one outlet at a time, for the oracle."""
    return (
        (not filters.kinds or outlet.kind in filters.kinds)
        and filters.services <= set(outlet.services)
        and filters.payments <= set(outlet.payments)
        and (not filters.open_now or hours.status(outlet.schedule, at).open_now)
        and (filters.bbox is None or bool(filters.bbox.contains(outlet.latitude, outlet.longitude)))
    )


def oracle(
    outlets, latitude, longitude, limit, radius_km=None, filters=search.NO_FILTERS, at=EVENING
):
    """The tutorial approach: geodesic to every outlet, sorted (ties by code)."""
    ranked = sorted(
        (geodesic((latitude, longitude), (o.latitude, o.longitude)).km, o.code, o.id)
        for o in outlets
        if passes(o, filters, at)
    )
    if radius_km is not None:
        ranked = [entry for entry in ranked if entry[0] <= radius_km]
    return ranked[:limit]


def assert_same_answer(hits, expected):
    assert [hit.outlet_id for hit in hits] == [entry[2] for entry in expected]
    for hit, (km, _code, _id) in zip(hits, expected, strict=True):
        assert abs(hit.distance_km - km) * 1000 < 1  # metres


@pytest.fixture(scope="module")
def outlets():
    return random_outlets(random.Random(2026), 800)


@pytest.fixture(scope="module")
def index(outlets):
    return OutletIndex(outlets)


def query_points(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        lat, lng = rng.choice(CENTRES)
        yield lat + rng.gauss(0, 1.0), lng + rng.gauss(0, 1.0)


def test_nearest_without_radius_matches_the_oracle(index, outlets):
    for lat, lng in query_points(1, 25):
        assert_same_answer(index.nearest(lat, lng, limit=20), oracle(outlets, lat, lng, 20))


def test_nearest_within_a_radius_matches_the_oracle(index, outlets):
    for lat, lng in query_points(2, 20):
        for radius in (1, 25, 300):
            expected = oracle(outlets, lat, lng, 10, radius)
            assert_same_answer(index.nearest(lat, lng, limit=10, radius_km=radius), expected)


def test_an_outlet_just_inside_the_radius_is_in_and_just_outside_is_out(index, outlets):
    for lat, lng in query_points(3, 20):
        nearest = oracle(outlets, lat, lng, 5)
        edge_km, _code, edge_id = nearest[-1]
        inside = index.nearest(lat, lng, limit=5, radius_km=edge_km + 1e-6)
        outside = index.nearest(lat, lng, limit=5, radius_km=edge_km - 1e-6)
        assert edge_id in [hit.outlet_id for hit in inside]
        assert edge_id not in [hit.outlet_id for hit in outside]
        assert_same_answer(outside, oracle(outlets, lat, lng, 5, edge_km - 1e-6))


def test_filters_match_the_oracle(index, outlets):
    cases = [
        Filters(kinds=frozenset({"kiosk"})),
        Filters(services=frozenset({"esim_activation", "sim_replacement"})),
        Filters(payments=frozenset({"qris"}), kinds=frozenset({"store"})),
        Filters(open_now=True),
        Filters(open_now=True, services=frozenset({"topup"}), payments=frozenset({"cash"})),
        Filters(bbox=BBox(106.0, -7.5, 108.0, -6.0)),
    ]
    for filters in cases:
        for lat, lng in query_points(4, 6):
            for radius in (None, 50):
                expected = oracle(outlets, lat, lng, 20, radius, filters)
                hits = index.nearest(
                    lat, lng, limit=20, radius_km=radius, filters=filters, at=EVENING
                )
                assert_same_answer(hits, expected)


def test_without_a_radius_the_nearest_are_found_however_far(outlets):
    papua = [o for o in outlets if o.longitude > 135]
    index = OutletIndex(papua)
    # From Jakarta, the nearest outlets are some 3,800 km away in Papua.
    hits = index.nearest(-6.2, 106.8, limit=3)
    assert len(hits) == 3
    assert hits[0].distance_km > 3000
    assert_same_answer(hits, oracle(papua, -6.2, 106.8, 3))


def test_a_radius_with_nothing_inside_gives_no_answer(index):
    assert index.nearest(-45.0, 60.0, limit=10, radius_km=100) == []


def test_a_limit_above_the_number_of_outlets_gives_them_all(outlets):
    index = OutletIndex(outlets[:7])
    assert len(index.nearest(0.0, 110.0, limit=100)) == 7


def test_an_empty_index_answers_nothing():
    assert OutletIndex([]).nearest(-6.2, 106.8, limit=5) == []
    assert list(OutletIndex([]).matching()) == []


def test_a_service_no_outlet_offers_matches_nothing(index):
    filters = Filters(services=frozenset({"no_such_service"}))
    assert index.nearest(-6.2, 106.8, limit=5, filters=filters) == []
    assert list(index.matching(filters)) == []


def test_equal_distances_are_ordered_by_code(outlets, index):
    twin = outlets[0]
    hits = index.nearest(twin.latitude, twin.longitude, limit=2)
    assert [hit.outlet_id for hit in hits] == [twin.id, 999]
    assert hits[0].distance_km == hits[1].distance_km == 0


def test_open_now_needs_an_instant(index):
    with pytest.raises(ValueError, match="at"):
        index.nearest(-6.2, 106.8, limit=5, filters=Filters(open_now=True))


def test_hits_carry_the_services_and_payment_methods_in_order(index, outlets):
    by_id = {o.id: o for o in outlets}
    for hit in index.nearest(-6.2, 106.8, limit=30):
        assert (hit.services, hit.payments) == (
            by_id[hit.outlet_id].services,
            by_id[hit.outlet_id].payments,
        )


def test_matching_lists_the_filtered_outlets_in_code_order(index, outlets):
    filters = Filters(kinds=frozenset({"kiosk"}), open_now=True)
    expected = [o.id for o in sorted(outlets, key=lambda o: o.code) if passes(o, filters, EVENING)]
    assert [hit.outlet_id for hit in index.matching(filters, EVENING)] == expected
    assert all(hit.distance_km is None for hit in index.matching(filters, EVENING))


@settings(max_examples=150, deadline=None)
@given(
    origin=st.tuples(st.floats(-89, 89), st.floats(-180, 180)),
    seed=st.integers(0, 10_000),
    limit=st.integers(1, 30),
    radius=st.none() | st.floats(0.01, 1000),
)
def test_anywhere_on_earth_the_answer_matches_the_oracle(origin, seed, limit, radius):
    rng = random.Random(seed)
    lat0, lng0 = origin
    outlets = []
    for n in range(200):
        # Outlets around the origin at every scale, across the antimeridian and near poles.
        spread = rng.choice((0.001, 0.1, 3.0, 40.0))
        lat = max(-90.0, min(90.0, lat0 + rng.gauss(0, spread)))
        lng = (lng0 + rng.gauss(0, spread) + 180) % 360 - 180
        outlets.append(IndexedOutlet(n, f"C{n:04d}", "kiosk", lat, lng, (), (), ALWAYS))
    index = OutletIndex(outlets)
    hits = index.nearest(lat0, lng0, limit=limit, radius_km=radius)
    assert_same_answer(hits, oracle(outlets, lat0, lng0, limit, radius))


@settings(max_examples=300, deadline=None)
@given(
    a=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    b=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
)
def test_a_geodesic_is_never_shorter_than_the_sphere_bound(a, b):
    (lat1, lng1), (lat2, lng2) = a, b
    sphere = search.metres_for_chord(math.dist(*search.unit_vectors([lat1, lat2], [lng1, lng2])))
    assert geodesic(a, b).m >= search.SPHERE_RATIO * sphere - 1e-6


def test_bbox_reads_min_lng_min_lat_max_lng_max_lat():
    assert BBox.parse("106.7,-6.4,107.0,-6.1") == BBox(106.7, -6.4, 107.0, -6.1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("nan,0,1,1", "finite"),
        ("0,10,1,5", "south edge"),
        ("108,-7,107,-6", "min_lng is greater than max_lng"),
        ("0,-91,1,5", "latitudes"),
        ("-181,0,1,1", "longitudes"),
    ],
)
def test_a_malformed_bbox_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        BBox.parse(text)


def test_a_bbox_across_the_antimeridian_holds_both_sides():
    box = BBox(170.0, -20.0, -170.0, 20.0)
    assert box.contains(0.0, 175.0)
    assert box.contains(0.0, -175.0)
    assert not box.contains(0.0, 0.0)


def test_a_viewport_holds_exactly_the_outlets_inside_it_on_the_edges_too():
    rng = random.Random(5)
    grid = [round(rng.uniform(-180, 180), 1) for _ in range(40)] + [-180.0, 180.0]
    outlets = [
        IndexedOutlet(n, f"V{n:03}", "store", round(rng.uniform(-10, 10), 1), lng, (), (), OFFICE)
        for n, lng in enumerate(rng.choice(grid) for _ in range(300))
    ]
    index = OutletIndex(outlets)
    for _ in range(200):
        west, east = rng.choice(grid), rng.choice(grid)  # west > east: across the antimeridian
        south, north = sorted(round(rng.uniform(-10, 10), 1) for _ in range(2))
        box = BBox(west, south, east, north)
        expected = sorted(o.code for o in outlets if box.contains(o.latitude, o.longitude))
        assert [hit.code for hit in index.matching(Filters(bbox=box))[:]] == expected
        clustered = index.clusters(1000.0, Filters(bbox=box))
        assert sum(cluster.count for cluster in clustered) == len(expected)


def test_open_now_follows_the_clock_forwards_and_backwards():
    office = [
        IndexedOutlet(n, f"O{n}", "store", -6.2, 106.8 + n / 100, (), (), OFFICE) for n in range(5)
    ]
    index = OutletIndex(office)
    open_now = Filters(open_now=True)

    def wib(day, hour, minute=0, second=0):
        return datetime(2026, 11, day, hour - 7, minute, second, tzinfo=UTC)

    for at, expected in [
        (wib(25, 16, 59, 59), 5),
        (wib(25, 17), 0),
        (wib(25, 8, 59, 59), 0),
        (wib(25, 9), 5),
        (wib(26, 12), 5),
        (wib(24, 20), 0),
    ]:
        assert len(index.matching(open_now, at)) == expected, at
        assert len(index.nearest(-6.2, 106.8, limit=10, filters=open_now, at=at)) == expected


def test_clusters_group_the_filtered_outlets_on_the_grid(index, outlets):
    filters = Filters(kinds=frozenset({"store"}), bbox=BBox(100.0, -10.0, 130.0, 5.0))
    clusters = index.clusters(1.0, filters)
    members = [o for o in outlets if passes(o, filters, EVENING)]
    assert sum(c.count for c in clusters) == len(members)
    for cluster in clusters:
        west, south, east, north = cluster.bbox
        inside = [
            o for o in members if west <= o.longitude <= east and south <= o.latitude <= north
        ]
        assert len(inside) >= cluster.count
        assert south <= cluster.latitude <= north and west <= cluster.longitude <= east
        assert math.floor(east + 180) - math.floor(west + 180) <= 1  # a cell, or two merged
        if cluster.count == 1:
            [alone] = [o for o in members if (o.longitude, o.latitude) == (west, south)]
            assert cluster.code == alone.code
        else:
            assert cluster.code is None


def test_clusters_in_neighbouring_cells_that_would_overlap_are_one():
    # Two outlets either side of a cell border, and one well inside the next cell over.
    latitudes = np.array([-6.9, -6.9, -6.5])
    longitudes = np.array([106.98, 107.02, 108.5])
    clusters = grid_clusters(latitudes, longitudes, lambda points: [("C", "store", True)], 1.0)
    assert sorted(c.count for c in clusters) == [1, 2]
    [pair] = [c for c in clusters if c.count == 2]
    assert pair.bbox == (106.98, -6.9, 107.02, -6.9)
    assert pair.longitude == pytest.approx(107.0)


def test_clusters_of_nothing_are_empty(index):
    assert index.clusters(1.0, Filters(services=frozenset({"no_such_service"}))) == []
    assert index.clusters(1.0, Filters(bbox=BBox(-10.0, -10.0, -5.0, -5.0))) == []


def test_matching_makes_hits_only_for_the_page_asked_for(index, outlets):
    matches = index.matching()
    assert len(matches) == len(outlets)
    page = matches[10:15]
    in_code_order = sorted(outlets, key=lambda o: o.code)
    assert [hit.outlet_id for hit in page] == [o.id for o in in_code_order[10:15]]
    assert matches[-1].outlet_id == in_code_order[-1].id
