"""Keeping each process's search index current: writes are applied as patches, large
rebuilds run off the request path, and threads never see each other's answers."""

import datetime
import subprocess
import sys
import threading
from datetime import UTC

import pytest
from django.db import connection
from django.db.models.deletion import Collector

from locations import hours, search
from locations.gazetteer import fold
from locations.models import Outlet, PostcodeArea, SearchChange
from locations.search import Filters, IndexedOutlet, LayeredIndex, OutletIndex, live
from locations.search.loading import build_index

from .factories import HolidayDateFactory, OpeningRangeFactory, OutletFactory

BANDUNG = (-6.9147, 107.6098)
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 10:00 WIB
MONDAY_NIGHT = datetime.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 22:00 WIB


def answer(index, **filters):
    """What an index answers, in a form two indexes can be compared by."""
    hits = index.nearest(*BANDUNG, limit=50, filters=Filters(**filters), at=MONDAY_MORNING)
    return [(hit.code, hit.distance_km) for hit in hits]


def listing(index, **filters):
    return [hit.code for hit in index.matching(Filters(**filters), MONDAY_MORNING)[:]]


def clusters(index):
    return sorted((c.count, c.code, round(c.latitude, 9)) for c in index.clusters(0.05))


@pytest.fixture
def live_index():
    """A fresh per-process index for the test (the module's own is shared)."""
    return live.LiveIndex()


@pytest.mark.django_db
class TestWritesArePatchedIn:
    def test_one_edit_patches_the_built_index_instead_of_rebuilding_it(
        self, vocabularies, live_index
    ):
        outlets = OutletFactory.create_batch(20)
        built = live_index.get()
        outlets[3].latitude, outlets[3].longitude = BANDUNG
        outlets[3].save()
        patched = live_index.get()
        assert isinstance(patched, LayeredIndex)
        assert patched.base is built
        assert answer(patched)[0] == (outlets[3].code, 0.0)

    def test_find_answers_a_code_from_the_new_version_and_not_a_deleted_one(
        self, vocabularies, live_index
    ):
        outlets = OutletFactory.create_batch(5)
        assert b'"name":"AXIS Store' in live_index.get().find(outlets[1].code).card
        outlets[1].name = "Toko Baru"
        outlets[1].save()
        outlets[2].delete()
        patched = live_index.get()
        assert isinstance(patched, LayeredIndex)
        assert b'"name":"Toko Baru"' in patched.find(outlets[1].code).card
        assert patched.find(outlets[2].code) is None
        assert patched.find(outlets[0].code).code == outlets[0].code
        assert patched.find(outlets[0].code.lower()) is None  # exactly the code

    def test_a_patched_index_answers_as_a_rebuilt_one(self, vocabularies, live_index):
        outlets = [
            OutletFactory(latitude=-6.9 + n / 100, longitude=107.6 - n / 150, kind=kind)
            for n, kind in enumerate(["store", "kiosk"] * 15)
        ]
        for outlet in outlets[:10]:
            OpeningRangeFactory(outlet=outlet, weekday=0)
        live_index.get()
        outlets[0].delete()
        outlets[1].status = Outlet.Status.PERMANENTLY_CLOSED
        outlets[1].save()
        outlets[2].latitude = -6.5
        outlets[2].save()
        OpeningRangeFactory(outlet=outlets[20], weekday=0)
        OutletFactory(code="AAA-NEW", latitude=-6.95, longitude=107.7, kind="kiosk")
        OutletFactory(code="ZZZ-NEW", latitude=-6.85, longitude=107.5)
        patched, rebuilt = live_index.get(), build_index()
        assert isinstance(patched, LayeredIndex)
        for filters in ({}, {"kinds": frozenset({"kiosk"})}, {"open_now": True}):
            assert answer(patched, **filters) == answer(rebuilt, **filters)
            assert listing(patched, **filters) == listing(rebuilt, **filters)
        assert clusters(patched) == clusters(rebuilt)
        assert len(patched) == len(rebuilt) == 30

    def test_a_page_of_a_patched_listing_is_the_same_page(self, vocabularies, live_index):
        outlets = [OutletFactory(code=f"C{n:02d}") for n in range(0, 40, 2)]
        live_index.get()
        OutletFactory(code="C05")
        OutletFactory(code="C31")
        outlets[0].delete()
        patched, rebuilt = live_index.get(), build_index()
        for page in (slice(0, 7), slice(7, 14), slice(14, 30)):
            assert [h.code for h in patched.matching()[page]] == [
                h.code for h in rebuilt.matching()[page]
            ]
        assert patched.matching()[-1].code == "C38"

    def test_a_renamed_outlet_is_found_by_its_new_name_only(self, vocabularies, live_index):
        outlet = OutletFactory(name="AXIS Kiosk Plaza Semanggi")
        assert live_index.get().containing(["semanggi"], 10) == [outlet.pk]
        outlet.name = "AXIS Kiosk Grand Indonesia"
        outlet.save()
        index = live_index.get()
        assert index.containing(["semanggi"], 10) == []
        assert index.containing(["grand", "indonesia"], 10) == [outlet.pk]

    def test_a_holiday_rebuilds_every_schedule(self, vocabularies, live_index):
        outlet = OutletFactory(closed_on_public_holidays=True)
        OpeningRangeFactory(outlet=outlet, weekday=0)
        assert answer(live_index.get(), open_now=True)
        HolidayDateFactory(date=datetime.date(2026, 11, 30))
        assert answer(live_index.get(), open_now=True) == []

    def test_a_log_rolled_back_under_the_index_makes_it_rebuild(self, vocabularies, live_index):
        OutletFactory()
        first = live_index.get()
        # A change the index applied is gone (a rollback), and another took its id.
        last = SearchChange.objects.last()
        SearchChange.objects.filter(pk=last.pk).update(token="someone-else")
        rebuilt = live_index.get()
        assert rebuilt is not first and not isinstance(rebuilt, LayeredIndex)

    def test_a_change_committed_late_into_a_gap_is_still_applied(self, vocabularies, live_index):
        outlet = OutletFactory(latitude=-6.2, longitude=106.8)
        live_index.get()
        top = SearchChange.objects.last().pk
        # Another transaction took id top+1 but commits after top+2 has been read.
        SearchChange.objects.create(pk=top + 2, outlet_id=outlet.pk + 1000, token="later")
        live_index.get()
        with connection.cursor() as cursor:  # a write that logs nothing by itself
            cursor.execute(
                f"UPDATE {Outlet._meta.db_table} SET latitude = %s, longitude = %s WHERE id = %s",
                [*BANDUNG, outlet.pk],
            )
        SearchChange.objects.create(pk=top + 1, outlet_id=outlet.pk, token="late")
        assert answer(live_index.get())[0] == (outlet.code, 0.0)


@pytest.mark.django_db
def test_a_cascaded_delete_logs_the_outlet_once(vocabularies):
    outlet = OutletFactory()
    for weekday in range(7):
        OpeningRangeFactory(outlet=outlet, weekday=weekday)
    outlet_id, last = outlet.pk, SearchChange.objects.last().pk
    outlet.delete()
    logged = SearchChange.objects.filter(pk__gt=last).values_list("outlet_id", flat=True)
    assert list(logged) == [outlet_id]


@pytest.mark.django_db
def test_models_searches_do_not_read_keep_fast_deletes():
    collector = Collector(using="default")
    assert collector.can_fast_delete(PostcodeArea.objects.all())


@pytest.mark.django_db
def test_a_bulk_import_logs_one_change_for_everything_when_large(vocabularies):
    SearchChange.objects.record(range(1, SearchChange.objects.MAX_OUTLETS + 2))
    assert SearchChange.objects.last().outlet_id is None


@pytest.mark.django_db(transaction=True)
def test_a_large_rebuild_runs_in_the_background_while_searches_keep_the_old_index(
    vocabularies, live_index, monkeypatch
):
    monkeypatch.setattr(live, "INLINE_REBUILD_BELOW", 0)
    OutletFactory(code="OLD")
    old = live_index.get()
    OutletFactory(code="NEW")
    SearchChange.objects.record()  # anything may have changed: rebuild
    assert live_index.get() is old  # answered at once, from the previous index
    live_index.wait_for_rebuild(timeout=30)
    assert listing(live_index.get()) == ["NEW", "OLD"]


@pytest.mark.django_db(transaction=True)
def test_current_is_none_while_a_large_rebuild_runs_so_pages_ask_the_database(
    vocabularies, live_index, monkeypatch
):
    monkeypatch.setattr(live, "INLINE_REBUILD_BELOW", 0)
    OutletFactory(code="OLD")
    assert live_index.current().find("OLD") is not None
    OutletFactory(code="NEW")
    SearchChange.objects.record()  # anything may have changed: rebuild
    assert live_index.current() is None  # the index answering searches is behind
    live_index.wait_for_rebuild(timeout=30)
    assert live_index.current().find("NEW").code == "NEW"


def test_text_search_needs_every_word_and_ignores_case_and_accents():
    texts = ["axis kiosk cafe nusa bali", "axis store grand indonesia jakarta", "grand mall"]
    index = OutletIndex(
        IndexedOutlet(n, f"T{n}", "kiosk", 0.0, 110.0, (), (), None, text)
        for n, text in enumerate(texts)
    )
    assert index.containing([fold("Café")], 10) == [0]
    assert index.containing(["grand"], 10) == [1, 2]
    assert index.containing(["grand", "indonesia"], 10) == [1]
    assert index.containing(["grand", "bali"], 10) == []


def every_day(opens: int, closes: int) -> hours.Schedule:
    weekly = tuple(
        hours.WeeklyRange(day, datetime.time(opens), datetime.time(closes)) for day in range(7)
    )
    return hours.compile_schedule(hours.Hours(weekly=weekly), "Asia/Jakarta", hours.ACTIVE, None)


def test_threads_asking_about_different_instants_get_their_own_answers():
    day = every_day(9, 17)
    night = every_day(20, 23)
    index = OutletIndex(
        IndexedOutlet(n, f"T{n:03d}", "kiosk", -6.9 + n / 1000, 107.6, (), (), schedule)
        for n, schedule in enumerate([day, night] * 50)
    )
    expected = {MONDAY_MORNING: "T000", MONDAY_NIGHT: "T001"}
    wrong = []
    start = threading.Barrier(4)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible

    def ask(at):
        start.wait()
        for _ in range(300):
            hits = index.nearest(-6.9, 107.6, limit=50, filters=Filters(open_now=True), at=at)
            if len(hits) != 50 or hits[0].code != expected[at]:
                wrong.append((at, len(hits), hits[0].code if hits else None))

    try:
        threads = [threading.Thread(target=ask, args=(at,)) for at in list(expected) * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert wrong == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the in-memory test database locks whole tables"
)
def test_threads_searching_while_outlets_change_see_every_change(vocabularies):
    outlets = OutletFactory.create_batch(30)
    search.current_index()
    failures = []

    def searcher():
        try:
            for _ in range(30):
                hits = search.nearest(*BANDUNG, limit=100, at=MONDAY_MORNING)
                if len({hit.code for hit in hits}) != len(hits):
                    failures.append("duplicate")
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    for outlet in outlets[:10]:
        outlet.latitude += 0.01
        outlet.save()
    for thread in threads:
        thread.join()
    assert failures == []
    assert answer(search.current_index()) == answer(build_index())


def test_commands_that_do_not_search_load_neither_scipy_nor_pyproj():
    code = (
        "import sys, django; django.setup();"
        "from django.core.management import call_command; call_command('check');"
        "print('loaded:', sorted(m for m in ('scipy', 'pyproj') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "loaded: []" in result.stdout.splitlines(), result.stdout + result.stderr
