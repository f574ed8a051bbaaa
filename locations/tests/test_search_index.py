"""The per-process search index over the database: what it loads, and that it follows
every write."""

import datetime
from datetime import UTC

import pytest

from locations import search
from locations.importers import import_outlets
from locations.models import Outlet, SearchChange
from locations.search import Filters

from .factories import HolidayDateFactory, OpeningRangeFactory, OutletFactory

pytestmark = pytest.mark.django_db

BANDUNG = (-6.9147, 107.6098)
# Monday 2026-11-30 10:00 WIB.
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def codes(outlets):
    return [outlet.code for outlet in outlets]


def nearest(**kwargs):
    kwargs.setdefault("limit", 10)
    kwargs.setdefault("at", MONDAY_MORNING)
    return Outlet.objects.for_hits(search.nearest(*BANDUNG, **kwargs), kwargs["at"])


def test_nearest_gives_outlets_nearest_first_with_distance_and_status(vocabularies):
    OutletFactory(code="FAR", latitude=-6.2, longitude=106.8)
    OutletFactory(code="NEAR", latitude=-6.92, longitude=107.61)
    near, far = nearest()
    assert codes([near, far]) == ["NEAR", "FAR"]
    assert 0.5 < near.distance_km < 1.0
    assert 110 < far.distance_km < 130
    assert near.status_now.state == "closed"  # no hours at all


def test_permanently_closed_outlets_are_left_out_and_temporarily_closed_shown(vocabularies):
    OutletFactory(code="GONE", status=Outlet.Status.PERMANENTLY_CLOSED)
    OutletFactory(code="PAUSED", status=Outlet.Status.TEMPORARILY_CLOSED)
    [paused] = nearest()
    assert paused.code == "PAUSED"
    assert paused.status_now.state == "temporarily_closed"


def test_open_now_keeps_the_outlets_open_at_the_instant(vocabularies):
    OpeningRangeFactory(outlet=OutletFactory(code="OPEN"), weekday=0)  # Monday 09-17
    OpeningRangeFactory(outlet=OutletFactory(code="SHUT"), weekday=1)  # Tuesday only
    assert codes(nearest(filters=Filters(open_now=True))) == ["OPEN"]


def test_filters_on_kind_service_and_payment(vocabularies):
    OutletFactory(code="S1", services=["esim_activation"], payment_methods=["cash"])
    OutletFactory(code="K1", kind="kiosk", services=["topup"], payment_methods=["qris"])
    assert codes(nearest(filters=Filters(kinds=frozenset({"kiosk"})))) == ["K1"]
    assert codes(nearest(filters=Filters(services=frozenset({"esim_activation"})))) == ["S1"]
    assert codes(nearest(filters=Filters(payments=frozenset({"qris"})))) == ["K1"]


def test_a_warm_search_costs_two_queries(vocabularies, django_assert_num_queries):
    OutletFactory.create_batch(5)
    nearest()
    with django_assert_num_queries(2):  # the change log, then the rows
        nearest()


def test_matching_lists_filtered_outlets_in_code_order(vocabularies):
    OutletFactory(code="B", kind="kiosk")
    OutletFactory(code="A", kind="kiosk")
    OutletFactory(code="C")
    hits = search.matching(Filters(kinds=frozenset({"kiosk"})), at=MONDAY_MORNING)
    assert [Outlet.objects.get(pk=hit.outlet_id).code for hit in hits] == ["A", "B"]


def lone_outlets(clusters):
    """Code, kind and open-ness of each cluster that is one outlet, by code."""
    return sorted((c.code, c.kind, c.open_now) for c in clusters if c.count == 1)


def test_a_lone_outlet_s_cluster_carries_its_kind_and_whether_it_is_open(vocabularies):
    OpeningRangeFactory(outlet=OutletFactory(code="OPEN", kind="kiosk"), weekday=0)
    OutletFactory(code="SHUT", latitude=-6.2, longitude=106.8)
    found = search.clusters(0.05, at=MONDAY_MORNING)
    assert lone_outlets(found) == [("OPEN", "kiosk", True), ("SHUT", "store", False)]


def test_a_group_of_several_carries_no_code_kind_or_open_ness(vocabularies):
    OutletFactory.create_batch(2)
    [group] = search.clusters(0.05, at=MONDAY_MORNING)
    assert (group.count, group.code, group.kind, group.open_now) == (2, None, None, None)


class TestTheIndexFollowsEveryWrite:
    def test_a_moved_outlet(self, vocabularies):
        outlet = OutletFactory(code="MOVER", latitude=-6.2, longitude=106.8)
        assert nearest()[0].distance_km > 100
        outlet.latitude, outlet.longitude = BANDUNG
        outlet.save()
        assert nearest()[0].distance_km == 0

    def test_a_deleted_outlet(self, vocabularies):
        outlet = OutletFactory()
        assert len(nearest()) == 1
        outlet.delete()
        assert nearest() == []

    def test_a_bulk_update(self, vocabularies):
        OutletFactory()
        assert len(nearest()) == 1
        Outlet.objects.update(status=Outlet.Status.PERMANENTLY_CLOSED)
        assert nearest() == []

    def test_new_services(self, vocabularies):
        outlet = OutletFactory()
        esim = Filters(services=frozenset({"esim_activation"}))
        assert nearest(filters=esim) == []
        outlet.services.add(*outlet.services.model.objects.filter(slug="esim_activation"))
        assert len(nearest(filters=esim)) == 1

    def test_new_hours(self, vocabularies):
        outlet = OutletFactory()
        assert nearest(filters=Filters(open_now=True)) == []
        OpeningRangeFactory(outlet=outlet, weekday=0)
        assert len(nearest(filters=Filters(open_now=True))) == 1

    def test_a_holiday_added_by_staff(self, vocabularies):
        outlet = OutletFactory(closed_on_public_holidays=True)
        OpeningRangeFactory(outlet=outlet, weekday=0)
        assert len(nearest(filters=Filters(open_now=True))) == 1
        HolidayDateFactory(date=datetime.date(2026, 11, 30))
        assert nearest(filters=Filters(open_now=True)) == []

    def test_an_import(self, vocabularies):
        assert nearest() == []
        import_outlets(
            b"code,kind,name,address,city,province,postcode,country,latitude,longitude,"
            b"timezone,phone,services,payment_methods,opening_hours,status\n"
            b"IMP1,kiosk,AXIS Kiosk,Jl. A,Bandung,Jawa Barat,40111,ID,-6.91,107.61,,,"
            b"topup,qris,24/7,\n",
            "csv",
        )
        [imported] = nearest(filters=Filters(open_now=True))
        assert imported.code == "IMP1"

    def test_new_hours_of_a_lone_outlet_on_the_map(self, vocabularies):
        changed = OutletFactory(code="CHANGED")
        OpeningRangeFactory(outlet=OutletFactory(code="KEPT", latitude=-6.2), weekday=0)
        assert lone_outlets(search.clusters(0.05, at=MONDAY_MORNING)) == [
            ("CHANGED", "store", False),
            ("KEPT", "store", True),
        ]
        OpeningRangeFactory(outlet=changed, weekday=0)
        assert lone_outlets(search.clusters(0.05, at=MONDAY_MORNING)) == [
            ("CHANGED", "store", True),
            ("KEPT", "store", True),
        ]

    def test_each_write_is_logged_with_the_outlet_it_changed(self, vocabularies):
        outlet = OutletFactory()
        assert SearchChange.objects.filter(outlet_id=outlet.pk).exists()


def test_the_index_is_reused_while_nothing_changes(vocabularies):
    OutletFactory()
    assert search.current_index() is search.current_index()
