"""Browser tests: one live server and one headless Chromium for the whole run.

Each test gets a fresh browser context fenced in by :class:`~.support.Watch`, and a
database that pytest-django empties after it (the server thread must see committed rows,
so these tests are transactional); the rows the migrations wrote are put back each time.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings

from ..factories import OpeningRangeFactory, OutletFactory
from .support import BROWSER_FLAGS, DEVICES, LOCALES, Watch, log_in, unavailable

DEBIAN_CHROMIUM = "/usr/bin/chromium"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests with a live server last, as Django runs its TransactionTestCases
    last: each empties every table when it ends, which a later test that expects the
    migrated rows would trip on. pytest-django orders them so, but pytest then groups the
    tests by browser (a session-scoped parameter), which moves them back among the rest."""
    items.sort(key=lambda item: "live_server" in item.fixturenames)


@pytest.fixture(scope="session", autouse=True)
def _database_beside_the_event_loop():
    # Playwright's sync API keeps an event loop in the test's thread, and Django refuses
    # database calls from a thread with a running loop unless told it is safe.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _migrated_rows(migrated_database):
    """Each test starts with exactly what the migrations wrote, committed, for the live
    server's threads to see."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type):
    """Debian's Chromium (Playwright cannot download its own browser offline), or the one
    ``AXISFINDER_CHROMIUM`` names, or else Playwright's own."""
    executable = os.environ.get("AXISFINDER_CHROMIUM") or (
        DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else None
    )
    if executable is None and not Path(browser_type.executable_path).exists():
        unavailable(
            "No Chromium for the browser tests: apt-get install chromium, "
            "or set AXISFINDER_CHROMIUM to a Chromium executable"
        )
    args = {
        **browser_type_launch_args,
        "args": BROWSER_FLAGS,
    }
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # Service workers blocked, except in the offline tests: a page served by the worker
    # would bypass the fence's routes (Watch) and the tests' own.
    return {**browser_context_args, "base_url": live_server.url, "service_workers": "block"}


@pytest.fixture
def context(new_context):
    """The default context: a laptop in English."""
    return new_context(**DEVICES["desktop"], locale=LOCALES["en"])


@pytest.fixture
def watch(context, live_server):
    """The fence around the default ``page``, checked when the test ends."""
    watch = Watch(context, live_server.url)
    yield watch
    watch.check()


@pytest.fixture
def page(page, watch):
    """pytest-playwright's page, fenced in."""
    return page


@pytest.fixture
def open_page(new_context, live_server):
    """Open a path in a context of its own: ``language`` "en", "id" or "zh-hans" (the language
    cookie, and the browser's Accept-Language), ``device`` "phone" or "desktop",
    ``javascript`` off to see the page as the server sends it, ``user`` logged in,
    ``geolocation`` ({"latitude": ..., "longitude": ...}) shared by the browser (without
    it, headless Chromium refuses to share any), and ``timezone`` the browser's own zone
    (an IANA name; the machine's without it). Each such context is fenced in and checked
    when the test ends."""
    watches = []

    def open_(
        path,
        *,
        language="en",
        device="desktop",
        javascript=True,
        user=None,
        geolocation=None,
        timezone=None,
    ):
        shared = {"permissions": ["geolocation"], "geolocation": geolocation}
        context = new_context(
            **DEVICES[device],
            locale=LOCALES[language],
            java_script_enabled=javascript,
            **(shared if geolocation else {}),
            **({"timezone_id": timezone} if timezone else {}),
        )
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        if user is not None:
            log_in(context, user, live_server.url)
        watches.append(Watch(context, live_server.url))
        page = context.new_page()
        page.goto(path)
        return page

    yield open_
    for watch in watches:
        watch.check()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)


@pytest.fixture
def outlets(gazetteer):
    """Outlets around postcode 40115 (Bandung), two of them with names that would run as
    markup or break out of a <script> if a page let them, a kiosk always open and a store
    always closed, further away; and two in Jakarta and two in Surabaya, for groups on
    the map of the country.

    Whatever the clock says, the kiosks named as markup and as a script and the store
    without hours are closed, and the kiosk open round the clock is open; only the Braga
    store's state (09:00–17:00) follows the time the tests run at."""
    braga = OutletFactory(
        code="AX-BDG-01",
        kind="store",
        name="AXIS Store Braga",
        latitude=-6.917464,
        longitude=107.619123,
        services=["topup", "esim_activation"],
    )
    round_the_clock = OutletFactory(
        code="AX-BDG-04", kind="kiosk", name="AXIS Kiosk Dago", latitude=-6.8935, longitude=107.613
    )
    for weekday in range(7):
        OpeningRangeFactory(outlet=braga, weekday=weekday)
        # From midnight to midnight: open all day, every day.
        OpeningRangeFactory(
            outlet=round_the_clock, weekday=weekday, opens=datetime.time(0), closes=datetime.time(0)
        )
    return {
        "braga": braga,
        "markup": OutletFactory(
            code="AX-BDG-02",
            kind="kiosk",
            name="<img src=x onerror=alert(1)>",
            latitude=-6.9201,
            longitude=107.6072,
        ),
        "script": OutletFactory(
            code="AX-BDG-03",
            kind="kiosk",
            name="</script><script>alert(2)</script>",
            latitude=-6.9102,
            longitude=107.6155,
        ),
        "jakarta": OutletFactory(
            code="AX-JKT-01",
            name="AXIS Store Sudirman",
            city="Jakarta Pusat",
            province="DKI Jakarta",
            postcode="10220",
            latitude=-6.2088,
            longitude=106.8229,
        ),
        "jakarta_kiosk": OutletFactory(
            code="AX-JKT-02",
            kind="kiosk",
            name="AXIS Kiosk Monas",
            city="Jakarta Pusat",
            province="DKI Jakarta",
            postcode="10110",
            latitude=-6.1754,
            longitude=106.8272,
        ),
        "round_the_clock": round_the_clock,
        "no_hours": OutletFactory(
            code="AX-BDG-05",
            kind="store",
            name="AXIS Store Buah Batu",
            latitude=-6.9436,
            longitude=107.6312,
        ),
        "surabaya": OutletFactory(
            code="AX-SBY-01",
            name="AXIS Store Tunjungan",
            city="Surabaya",
            province="Jawa Timur",
            postcode="60261",
            latitude=-7.2625,
            longitude=112.7383,
        ),
        "surabaya_kiosk": OutletFactory(
            code="AX-SBY-02",
            kind="kiosk",
            name="AXIS Kiosk Gubeng",
            city="Surabaya",
            province="Jawa Timur",
            postcode="60281",
            latitude=-7.2656,
            longitude=112.7521,
        ),
    }
