"""Coverage for planners: distances from each postcode, estimated people, the best sites
for a new outlet, and the admin screen and CSV that show them."""

import csv
import io
import json
import re

import numpy as np
import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.urls import reverse

from locations import coverage
from locations.admin_coverage import CSV_COLUMNS
from locations.coverage import (
    ASSUMED_MEDIAN,
    BY_DISTANCE,
    BY_PERSON_KM,
    FROM_CITY,
    FROM_DISTRICT,
    Coverage,
    Estimate,
    Row,
    best_sites,
    districts_of,
    estimate_people,
    nearest_km,
    population_tables,
)
from locations.gazetteer import PostcodeEntry
from locations.models import Outlet, Place, PostcodeArea
from locations.search.index import IndexedOutlet, OutletIndex, geodesic_metres, wgs84

from .factories import OutletFactory

COVERAGE = reverse("admin:locations_outlet_coverage")


def moved(latitude: float, longitude: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` along the WGS 84 geodesic from a point at ``bearing`` degrees."""
    longitude, latitude, _ = wgs84().fwd(longitude, latitude, bearing, km * 1000)
    return latitude, longitude


def area(postcode, latitude=0.0, longitude=110.0, place="", city="Kota Contoh"):
    return PostcodeEntry(postcode, latitude, longitude, place, city, "Jawa Barat", "village")


def index_of(*outlets: tuple[str, float, float]) -> OutletIndex:
    """An index of outlets given as (kind, latitude, longitude)."""
    return OutletIndex(
        IndexedOutlet(n, f"O{n}", kind, latitude, longitude, (), (), None)
        for n, (kind, latitude, longitude) in enumerate(outlets, 1)
    )


# --- Distances ---------------------------------------------------------------------------


def test_a_postcode_10_km_from_a_kiosk_is_10_km_from_the_nearest_kiosk():
    index = index_of(("kiosk", -6.9, 107.6), ("store", -6.9, 107.0))
    latitude, longitude = moved(-6.9, 107.6, 30.0, 10.0)
    [km] = nearest_km(index, [latitude], [longitude], "kiosk")
    assert km == pytest.approx(10.0, abs=1e-5)


def test_the_distance_to_one_kind_ignores_the_nearer_outlets_of_the_other():
    index = index_of(("store", -6.9, 107.6), ("kiosk", *moved(-6.9, 107.6, 90.0, 25.0)))
    assert nearest_km(index, [-6.9], [107.6], "store")[0] == pytest.approx(0.0, abs=1e-6)
    assert nearest_km(index, [-6.9], [107.6], "kiosk")[0] == pytest.approx(25.0, abs=1e-5)


def test_the_distance_is_nan_when_there_is_no_outlet_of_the_kind():
    index = index_of(("store", -6.9, 107.6))
    assert np.isnan(nearest_km(index, [-6.9, -7.0], [107.6, 107.7], "kiosk")).all()


def test_postcodes_sharing_a_point_share_its_distance():
    index = index_of(("kiosk", -6.9, 107.6))
    distances = nearest_km(index, [-7.0, -7.0, -6.95], [107.7, 107.7, 107.6], "kiosk")
    assert distances[0] == distances[1] > distances[2] > 0


# --- People ------------------------------------------------------------------------------


def test_the_district_is_what_follows_the_last_comma_and_several_are_split_on_slashes():
    assert districts_of("Cihapit, Bandung Wetan") == ["Bandung Wetan"]
    assert districts_of("Kemayoran") == ["Kemayoran"]
    assert districts_of("Mauk / Sukadiri / Kemiri") == ["Mauk", "Sukadiri", "Kemiri"]
    assert districts_of("Silale, Nusaniwe (Nusanive)") == ["Nusaniwe"]
    assert districts_of("Koja (Utara, Selatan), Koja") == ["Koja"]


def test_population_tables_count_each_place_once_and_leave_out_unknown_populations():
    districts, cities = population_tables(
        [
            ("district", "Bandung Wetan", "Kota Bandung", 30_000),
            ("district", "Bandung Wetan", "Kota Bandung", 30_000),  # under another name
            ("district", "Cibeunying", "Kota Bandung", 0),
            ("city", "Kota Bandung", "Kota Bandung", 1_700_000),
            ("regency", "Kabupaten Garut", "Kabupaten Garut", 2_500_000),
            ("locality", "Braga", "Kota Bandung", 5_000),
        ]
    )
    assert districts == {("bandungwetan", "Kota Bandung"): 30_000}
    assert cities == {"kotabandung": 1_700_000, "kabupatengarut": 2_500_000}


def test_a_known_district_shares_its_population_among_its_postcodes():
    areas = [
        area("40111", place="Cihapit, Bandung Wetan", city="Kota Bandung"),
        area("40112", place="Citarum, Bandung Wetan", city="Kota Bandung"),
    ]
    estimates = estimate_people(areas, {("bandungwetan", "Kota Bandung"): 30_000}, {})
    assert estimates == [Estimate(15_000, FROM_DISTRICT), Estimate(15_000, FROM_DISTRICT)]


def test_a_district_of_the_same_name_in_another_city_does_not_match():
    areas = [area("40111", place="Cihapit, Bandung Wetan", city="Kabupaten Bandung")]
    [estimate] = estimate_people(areas, {("bandungwetan", "Kota Bandung"): 30_000}, {})
    assert estimate.source == ASSUMED_MEDIAN


def test_a_postcode_naming_several_districts_gets_its_share_of_each_known_one():
    areas = [
        area("15111", place="Batuceper / Neglasari", city="Kota Tangerang"),
        area("15112", place="Neglasari", city="Kota Tangerang"),
    ]
    districts = {("batuceper", "Kota Tangerang"): 9_000, ("neglasari", "Kota Tangerang"): 4_000}
    first, second = estimate_people(areas, districts, {})
    assert first == Estimate(9_000 + 2_000, FROM_DISTRICT)
    assert second == Estimate(2_000, FROM_DISTRICT)


def test_without_a_known_district_a_known_city_shares_its_population_among_all_its_postcodes():
    areas = [
        area("40111", place="Cihapit, Bandung Wetan", city="Kota Bandung"),
        area("40112", place="Sukaluyu, Cibeunying", city="Kota Bandung"),
        area("40113", place="Cicadas, Cibeunying", city="Kota Bandung"),
        area("40114", place="Braga, Sumur Bandung", city="Kota Bandung"),
    ]
    districts = {("bandungwetan", "Kota Bandung"): 30_000}
    estimates = estimate_people(areas, districts, {"kotabandung": 1_000_000})
    assert estimates[0] == Estimate(30_000, FROM_DISTRICT)
    assert estimates[1:] == [Estimate(250_000, FROM_CITY)] * 3


def test_unknown_postcodes_are_given_the_median_of_the_known_and_marked_assumed():
    areas = [
        area("1", place="A", city="Kota X"),
        area("2", place="B", city="Kota X"),
        area("3", place="C", city="Kota X"),
        area("4", place="D", city="Kota Y"),
    ]
    districts = {("a", "Kota X"): 1_000, ("b", "Kota X"): 5_000, ("c", "Kota X"): 9_000}
    estimates = estimate_people(areas, districts, {})
    assert estimates[3] == Estimate(5_000, ASSUMED_MEDIAN)
    assert [e.source for e in estimates[:3]] == [FROM_DISTRICT] * 3


def test_with_nothing_known_every_postcode_weighs_one_so_person_km_is_km():
    estimates = estimate_people([area("1"), area("2")], {}, {})
    assert estimates == [Estimate(1.0, ASSUMED_MEDIAN)] * 2


# --- Ranking -----------------------------------------------------------------------------


def test_worst_first_is_people_times_distance_or_plain_distance():
    crowded_near = Row(area("1"), 5.0, 20.0, 10_000, FROM_DISTRICT)
    empty_far = Row(area("2"), 5.0, 60.0, 1_000, ASSUMED_MEDIAN)
    middle = Row(area("3"), 5.0, 40.0, 2_000, FROM_CITY)
    result = Coverage((crowded_near, empty_far, middle), {}, 2_000)
    assert [r.area.postcode for r in result.ranked("kiosk", BY_PERSON_KM)] == ["1", "3", "2"]
    assert [r.area.postcode for r in result.ranked("kiosk", BY_DISTANCE)] == ["2", "3", "1"]
    assert empty_far.assumed and not middle.assumed
    assert result.known_share == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        result.ranked("kiosk", "nearest")


# --- Sites -------------------------------------------------------------------------------


def town(centre, count=5, spacing_km=3.0):
    """``count`` points in a row through ``centre``, ``spacing_km`` apart (centre in the
    middle)."""
    half = count // 2
    return [moved(*centre, 90.0, (n - half) * spacing_km) for n in range(count)]


def test_the_best_site_is_the_middle_of_the_crowded_town_far_from_any_kiosk():
    kiosk = (-6.9, 107.6)
    near_town = town(moved(*kiosk, 0.0, 5.0))
    far_town = town(moved(*kiosk, 180.0, 80.0))
    empty_far = [moved(*kiosk, 90.0, 150.0)]
    points = near_town + far_town + empty_far
    people = [50_000] * 5 + [20_000] * 5 + [100]
    index = index_of(("kiosk", *kiosk))
    latitudes, longitudes = [p[0] for p in points], [p[1] for p in points]
    distances = nearest_km(index, latitudes, longitudes, "kiosk")
    first, *_ = best_sites(latitudes, longitudes, people, distances)
    assert first.position == 7  # the far town's middle point
    # Every far-town postcode gets nearer; the gain is their person-km saved, exactly.
    site = points[7]
    to_site = geodesic_metres(*site, np.array(latitudes[5:10]), np.array(longitudes[5:10])) / 1000
    assert first.postcodes == 5
    assert first.people == 100_000
    assert first.person_km == pytest.approx(float(np.sum(20_000 * (distances[5:10] - to_site))))
    assert first.mean_km_saved == pytest.approx(first.person_km / 100_000)


def test_each_next_site_counts_what_the_sites_above_it_already_serve():
    kiosk = (-6.9, 107.6)
    west = town(moved(*kiosk, 270.0, 100.0))
    east = town(moved(*kiosk, 90.0, 100.0))
    points = west + east
    people = [30_000] * 5 + [20_000] * 5
    index = index_of(("kiosk", *kiosk))
    latitudes, longitudes = [p[0] for p in points], [p[1] for p in points]
    distances = nearest_km(index, latitudes, longitudes, "kiosk")
    sites = best_sites(latitudes, longitudes, people, distances, limit=3)
    # The larger town first, then the other: never a second site in the same town.
    assert [site.position for site in sites[:2]] == [2, 7]
    assert all(site.person_km < sites[0].person_km for site in sites[1:])


def test_no_sites_without_an_outlet_to_measure_from():
    distances = np.full(2, np.nan)
    assert best_sites([-6.9, -7.0], [107.6, 107.7], [1.0, 1.0], distances) == []


def test_candidates_are_limited_to_the_worst_postcodes():
    kiosk = (-6.9, 107.6)
    points = [moved(*kiosk, 0.0, km) for km in (10.0, 20.0, 30.0, 200.0)]
    latitudes, longitudes = [p[0] for p in points], [p[1] for p in points]
    distances = nearest_km(index_of(("kiosk", *kiosk)), latitudes, longitudes, "kiosk")
    [only] = best_sites(latitudes, longitudes, [1.0] * 4, distances, candidates=1, limit=5)
    assert only.position == 3


# --- The admin screen --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Test databases reuse ids after a rollback: a result kept from another test could
    # carry the same key.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


KIOSK = (-6.9147, 107.6098)
STORE = (-6.2, 106.8)


@pytest.fixture
def planned(vocabularies):
    """A kiosk in Bandung, a store in Jakarta, and four postcodes: two in Bandung, which
    share its 1,000,000 people (one by the kiosk, one 10 km away), one 40 km away in a
    district of 100,000, one 120 km away that the gazetteer does not know."""
    OutletFactory(code="K-BDG", kind=Outlet.Kind.KIOSK, latitude=KIOSK[0], longitude=KIOSK[1])
    OutletFactory(code="S-JKT", kind=Outlet.Kind.STORE, latitude=STORE[0], longitude=STORE[1])
    points = {
        "40115": (KIOSK, "Cihapit, Bandung Wetan", "Kota Bandung"),
        "40117": (moved(*KIOSK, 90.0, 10.0), "Sukaluyu, Cibeunying", "Kota Bandung"),
        "45111": (moved(*KIOSK, 0.0, 40.0), "Subang, Subang", "Kabupaten Subang"),
        "46111": (moved(*KIOSK, 120.0, 120.0), "Sepi, Jauh", "Kabupaten Jauh"),
    }
    for postcode, ((latitude, longitude), place, city) in points.items():
        PostcodeArea.objects.create(
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            place=place,
            city=city,
            province="Jawa Barat",
            precision="village",
        )
    for kind, name, city, rank in (
        ("district", "Subang", "Kabupaten Subang", 100_000),
        ("city", "Kota Bandung", "Kota Bandung", 1_000_000),
    ):
        Place.objects.create(
            kind=kind,
            name=name,
            key=name.lower().replace(" ", ""),
            city=city,
            province="Jawa Barat",
            latitude=KIOSK[0],
            longitude=KIOSK[1],
            precision="city",
            rank=rank,
        )


def table_postcodes(response, table_id: str) -> list[str]:
    html = response.content.decode()
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<td>(\d{5})</td>", table)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
class TestCoverageScreen:
    def test_lists_the_worst_postcode_first_by_people_times_distance(self, admin_client, planned):
        response = admin_client.get(COVERAGE)
        assert response.status_code == 200
        # 46111: 120 km x 500,000 assumed (the median of 500,000, 500,000 and 100,000);
        # 40117: 10 km x 500,000 before Subang's 40 km x 100,000.
        assert table_postcodes(response, "coverage-worst") == ["46111", "40117", "45111", "40115"]
        html = response.content.decode()
        assert "assumed (median)" in html
        assert "Best sites for a new kiosk" in html

    def test_orders_by_plain_distance_when_asked(self, admin_client, planned):
        response = admin_client.get(COVERAGE, {"order": BY_DISTANCE})
        assert table_postcodes(response, "coverage-worst") == ["46111", "45111", "40117", "40115"]
        by_people = coverage.coverage_for("ID").ranked("kiosk", BY_PERSON_KM)
        assert by_people[0].people_source == ASSUMED_MEDIAN

    def test_proposes_the_far_postcodes_as_sites_for_a_new_kiosk(self, admin_client, planned):
        response = admin_client.get(COVERAGE)
        assert table_postcodes(response, "coverage-sites") == ["46111", "40117", "45111"]

    def test_the_store_switch_measures_from_stores(self, admin_client, planned):
        response = admin_client.get(COVERAGE, {"kind": "store"})
        assert response.status_code == 200
        assert "Best sites for a new store" in response.content.decode()
        # The only store is in Jakarta: the Bandung postcodes are now far too.
        rows = csv_rows(admin_client.get(COVERAGE, {"kind": "store", "format": "csv"}))
        by_code = {row["postcode"]: row for row in rows}
        assert float(by_code["40115"]["store_km"]) > 100
        assert float(by_code["40115"]["kiosk_km"]) == pytest.approx(0.0, abs=1e-3)

    def test_the_map_data_holds_the_postcodes_and_the_sites(self, admin_client, planned):
        response = admin_client.get(COVERAGE)
        html = response.content.decode()
        data = json.loads(
            re.search(r'<script id="coverage-data" type="application/json">(.*?)</script>', html)[1]
        )
        assert len(data["postcodes"]) == 4
        assert data["postcodes"][0]["lines"][0].startswith("46111")
        assert data["sites"][0]["label"] == "Proposed kiosk site 1"
        assert 'src="/static/locations/admin-coverage.js"' in html
        assert "window.axisfinderCoverage" in html

    def test_the_csv_has_a_header_and_one_row_per_postcode(self, admin_client, planned):
        response = admin_client.get(COVERAGE, {"format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert tuple(header) == CSV_COLUMNS
        rows = csv_rows(response)
        assert [row["postcode"] for row in rows] == ["46111", "40117", "45111", "40115"]
        assert [row["rank"] for row in rows] == ["1", "2", "3", "4"]
        subang = rows[2]
        assert subang["people_source"] == FROM_DISTRICT
        assert float(subang["people"]) == 100_000
        assert float(subang["kiosk_km"]) == pytest.approx(40.0, abs=1e-3)
        assert float(subang["person_km"]) == pytest.approx(100_000 * 40.0, rel=1e-6)
        assert [rows[1]["people_source"], rows[3]["people_source"]] == [FROM_CITY] * 2
        assert float(rows[3]["people"]) == 500_000
        assert rows[0]["people_source"] == ASSUMED_MEDIAN
        assert float(rows[0]["people"]) == 500_000

    def test_the_csv_makes_a_formula_like_name_inert(self, admin_client, planned):
        PostcodeArea.objects.filter(postcode="46111").update(place="=HYPERLINK(1)")
        rows = csv_rows(admin_client.get(COVERAGE, {"format": "csv"}))
        assert rows[0]["place"] == "'=HYPERLINK(1)"

    @pytest.mark.parametrize(
        "query", [{"kind": "shop"}, {"order": "nearest"}, {"format": "xlsx"}, {"kind": ""}]
    )
    def test_a_bad_choice_is_a_400_that_names_it(self, admin_client, planned, query):
        response = admin_client.get(COVERAGE, query)
        assert response.status_code == 400
        assert next(iter(query)) in response.content.decode()

    def test_an_outlet_change_is_seen_by_the_next_view(self, admin_client, planned):
        first = csv_rows(admin_client.get(COVERAGE, {"format": "csv"}))
        assert first[0]["postcode"] == "46111"
        far = PostcodeArea.objects.get(postcode="46111")
        OutletFactory(
            code="K-FAR", kind=Outlet.Kind.KIOSK, latitude=far.latitude, longitude=far.longitude
        )
        again = csv_rows(admin_client.get(COVERAGE, {"format": "csv"}))
        by_code = {row["postcode"]: row for row in again}
        assert float(by_code["46111"]["kiosk_km"]) == pytest.approx(0.0, abs=1e-3)
        assert again[0]["postcode"] == "40117"

    def test_a_repeated_view_is_answered_from_the_cache(self, admin_client, planned, monkeypatch):
        admin_client.get(COVERAGE)

        def compute_again(*args, **kwargs):
            raise AssertionError("computed again")

        monkeypatch.setattr(coverage, "compute", compute_again)
        assert admin_client.get(COVERAGE, {"kind": "store"}).status_code == 200
        assert admin_client.get(COVERAGE, {"format": "csv"}).status_code == 200

    def test_staff_need_the_view_permission(self, client, planned, fast_password_hashing):
        clerk = User.objects.create_user("clerk", password="x", is_staff=True)
        client.force_login(clerk)
        assert client.get(COVERAGE).status_code == 403
        assert client.get(COVERAGE, {"format": "csv"}).status_code == 403
        clerk.user_permissions.add(Permission.objects.get(codename="view_outlet"))
        assert client.get(COVERAGE).status_code == 200

    def test_people_who_are_not_staff_are_sent_to_log_in(
        self, client, planned, fast_password_hashing
    ):
        assert client.get(COVERAGE)["Location"].startswith(reverse("admin:login"))
        client.force_login(User.objects.create_user("visitor", password="x"))
        response = client.get(COVERAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_the_outlet_list_links_to_the_screen(self, admin_client, planned):
        response = admin_client.get(reverse("admin:locations_outlet_changelist"))
        assert f'href="{COVERAGE}"' in response.content.decode()

    def test_an_empty_gazetteer_gives_an_empty_screen(self, admin_client, vocabularies):
        OutletFactory(kind=Outlet.Kind.KIOSK)
        response = admin_client.get(COVERAGE)
        assert response.status_code == 200
        assert table_postcodes(response, "coverage-worst") == []
        assert 'id="coverage-no-sites"' in response.content.decode()
        assert csv_rows(admin_client.get(COVERAGE, {"format": "csv"})) == []
