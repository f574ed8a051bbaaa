"""With no connection after a first visit: the searches and outlet pages opened before
show from the copy stored on the device, with a banner saying so; a page not stored says
what is; a new deployment replaces the service worker and its caches."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from locations import hours, offline
from locations.models import Outlet

from .support import DEVICES, LOCALES, Watch

pytestmark = pytest.mark.browser

SEARCH = "/?q=40115"
COPIED = "Copied: paste it into a message."


@pytest.fixture
def phone(browser, browser_context_args, live_server):
    """A phone in Indonesian whose pages may install the service worker (the other
    browser tests block it), fenced in like the rest."""
    options = {**browser_context_args, **DEVICES["phone"], "locale": LOCALES["id"]}
    context = browser.new_context(**{**options, "service_workers": "allow"})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}]
    )
    watch = Watch(context, live_server.url)
    yield context
    # The browser reports each request it could not make while offline.
    watch.console_errors = [e for e in watch.console_errors if "ERR_INTERNET_DISCONNECTED" not in e]
    context.close()
    watch.check()


def until(page, condition: str, seconds: float = 10):
    """Wait until the page's async function ``condition`` resolves to something true
    (``wait_for_function`` takes a promise itself for true, without waiting for it)."""
    met = page.evaluate(
        f"""async () => {{
            const test = {condition};
            for (const end = Date.now() + {seconds * 1000}; Date.now() < end; ) {{
                if (await test()) return true;
                await new Promise(resolve => setTimeout(resolve, 50));
            }}
            return false;
        }}"""
    )
    if not met:
        workers = page.evaluate(
            """navigator.serviceWorker.getRegistration().then(r => r && {
                installing: r.installing && r.installing.state,
                waiting: r.waiting && r.waiting.state,
                active: r.active && r.active.state})"""
        )
        names = page.evaluate("caches.keys()")
        stored = page.locator(".stored-copy[data-stored-at]").count()
        raise AssertionError(
            f"not met within {seconds} s: {condition}; {workers}; {names}; stored copy {stored}"
        )


def controlled(page):
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page


def stored_count(page) -> int:
    return page.evaluate(
        "caches.open('axisfinder-pages').then(cache => cache.keys()).then(keys => keys.length)"
    )


def worker_version(page) -> str:
    return page.evaluate(
        """() => new Promise(resolve => {
            navigator.serviceWorker.addEventListener("message", e => resolve(e.data.version),
                                                     {once: true});
            navigator.serviceWorker.controller.postMessage("version");
        })"""
    )


def visit_and_store(page):
    """Open a search and its first outlet with the worker in control: both are kept."""
    page.goto(SEARCH)
    controlled(page)
    page.reload()
    results = page.locator("li.result")
    expect(results.first).to_be_visible()
    codes = results.evaluate_all("items => items.map(item => item.dataset.code)")
    states = page.locator("li.result [data-state]").evaluate_all(
        "items => items.map(item => item.dataset.state)"
    )
    first = results.first.locator("h2 a")
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    until(page, "() => caches.open('axisfinder-pages').then(c => c.keys()).then(k => k.length > 1)")
    return codes, states, page.url, name


def test_searches_and_outlet_pages_opened_before_show_with_no_connection(phone, outlets):
    Outlet.objects.filter(code="AX-BDG-04").update(phone="+62 22 4201234")
    page = phone.new_page()
    codes, states, outlet_url, name = visit_and_store(page)
    banner = page.locator(".stored-copy")
    expect(banner).to_be_hidden()

    phone.set_offline(True)
    page.goto(SEARCH)
    expect(banner).to_be_visible()
    stored_at = banner.get_attribute("data-stored-at")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", stored_at)
    expect(banner).to_contain_text("Tidak ada koneksi")
    results = page.locator("li.result")
    assert results.evaluate_all("items => items.map(item => item.dataset.code)") == codes
    shown = page.locator("li.result [data-state]").evaluate_all(
        "items => items.map(item => item.dataset.state)"
    )
    assert shown == states
    # Addresses, phone numbers and directions links are in the stored page.
    expect(results.locator("a[href='tel:+62224201234']")).to_be_visible()
    expect(results.first.locator("a.directions").first).to_have_attribute(
        "href", re.compile("^https://")
    )

    page.goto(outlet_url)
    expect(page.locator("h1")).to_have_text(name)
    expect(banner).to_be_visible()

    # A search never opened: what is stored, to open instead.
    page.goto("/?q=Surabaya")
    expect(page.locator("h1")).to_have_text("Tidak ada koneksi")
    stored = page.locator("[data-stored-pages] a")
    expect(stored).to_have_count(stored_count(page))
    hrefs = stored.evaluate_all("links => links.map(link => link.href)")
    assert outlet_url in hrefs and any(href.endswith(SEARCH) for href in hrefs)
    stored.filter(has_text=name).first.click()
    expect(page.locator("h1")).to_have_text(name)

    phone.set_offline(False)
    page.goto(SEARCH)
    expect(page.locator("li.result").first).to_be_visible()
    expect(banner).to_be_hidden()


def test_a_new_deployment_replaces_the_worker_and_its_caches(phone, outlets, monkeypatch):
    page = phone.new_page()
    page.goto("/")
    controlled(page)
    before = worker_version(page)
    assert before == offline.version()
    assert f"axisfinder-shell-{before}" in page.evaluate("caches.keys()")

    monkeypatch.setattr(offline, "version", lambda: "next-release")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    until(page, "() => navigator.serviceWorker.getRegistration().then(r => !r.installing)")
    assert "axisfinder-shell-next-release" in page.evaluate("caches.keys()")
    # The next page opened: the new worker takes over (once the old one has finished
    # answering the page it was serving) and leaves only its own shell.
    page.goto(SEARCH)
    controlled(page)
    until(
        page,
        """() => caches.keys().then(names =>
            !names.some(name => name.startsWith('axisfinder-shell-') &&
                                name !== 'axisfinder-shell-next-release'))""",
    )
    assert worker_version(page) == "next-release"


def server_statuses(codes, instant) -> dict[str, tuple[str, str]]:
    """What the server says of each outlet at ``instant``: state and Indonesian label."""
    with translation.override("id"):
        answers = {}
        for outlet in Outlet.objects.with_hours().filter(code__in=codes):
            status = hours.status(outlet.schedule(), instant)
            answers[outlet.code] = (status.state, status.label)
        return answers


def shown_statuses(page) -> dict[str, tuple[str, str]]:
    shown = page.locator("li.result").evaluate_all(
        """items => items.map(item => {
            const badge = item.querySelector("[data-state]");
            return [item.dataset.code, badge.dataset.state, badge.textContent];
        })"""
    )
    return {code: (state, label) for code, state, label in shown}


def test_statuses_shown_offline_later_are_the_servers_at_that_instant(phone, outlets):
    page = phone.new_page()
    codes, _, outlet_url, _ = visit_and_store(page)
    made = datetime.fromisoformat(page.locator(".stored-copy").get_attribute("data-copy-taken"))
    phone.set_offline(True)
    jakarta = ZoneInfo("Asia/Jakarta")
    day = made.astimezone(jakarta).date()
    later = [
        made + timedelta(minutes=1),
        # Braga opens 09:00 and closes 17:00 WIB: opening soon, open, closing soon, closed.
        datetime.combine(day + timedelta(days=1), time(8, 45), jakarta),
        datetime.combine(day + timedelta(days=2), time(12, 0), jakarta),
        datetime.combine(day + timedelta(days=3), time(16, 40), jakarta),
        datetime.combine(day + timedelta(days=6), time(21, 15), jakarta),
        datetime.combine(day + timedelta(days=29), time(3, 0), jakarta),
    ]
    for instant in later:
        page.clock.set_fixed_time(instant)
        page.goto(SEARCH)
        expect(page.locator(".stored-copy")).to_be_visible()
        expected = server_statuses(codes, instant)
        assert shown_statuses(page) == expected, instant
    # The outlet page too.
    page.goto(outlet_url)
    badge = page.locator(".outlet-summary [data-state]")
    code = page.locator("article.outlet").get_attribute("data-code")
    state, label = server_statuses([code], later[-1])[code]
    expect(badge).to_have_attribute("data-state", state)
    expect(badge).to_have_text(label)


def test_the_open_now_filter_offline_leaves_out_outlets_closed_since(phone, outlets, monkeypatch):
    # The page is made at 10:00 WIB, when the Braga store (09:00-17:00) is open too.
    made = datetime(2026, 12, 21, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: made.astimezone(UTC))
    page = phone.new_page()
    page.goto(SEARCH + "&open_now=on")
    controlled(page)
    page.reload()
    expect(page.locator("li.result").first).to_be_visible()
    until(page, "() => caches.open('axisfinder-pages').then(c => c.keys()).then(k => k.length)")
    listed = page.locator("li.result").evaluate_all("items => items.map(i => i.dataset.code)")
    assert {"AX-BDG-01", "AX-BDG-04"} <= set(listed)
    phone.set_offline(True)
    # 03:00 WIB the next day: only the kiosk open round the clock is open.
    night = datetime(2026, 12, 22, 3, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    page.clock.set_fixed_time(night)
    page.goto(page.url)
    expect(page.locator(".stored-copy")).to_be_visible()
    shown = page.locator("li.result:not([hidden])").evaluate_all(
        "items => items.map(i => i.dataset.code)"
    )
    open_then = {
        code
        for code, (state, _) in server_statuses(listed, night).items()
        if state in ("open", "closing_soon")
    }
    assert set(shown) == open_then == {"AX-BDG-04"}
    # Unticked, the list shows every stored outlet again, each with its status.
    page.locator("details.search-filters summary").click()
    page.get_by_label("Hanya yang buka").uncheck()
    expect(page.locator("li.result:not([hidden])")).to_have_count(len(listed))


def test_save_for_offline_keeps_the_nearest_outlets_and_their_pages(phone, outlets):
    page = phone.new_page()
    page.goto(SEARCH)
    controlled(page)
    save = page.get_by_role("button", name="Simpan untuk offline")
    save.click()
    status = page.locator(".save-offline [role=status]")
    expect(status).to_contain_text("Tersimpan untuk dipakai tanpa koneksi")
    saved = int(re.search(r": (\d+) gerai", status.inner_text()).group(1))
    assert saved == Outlet.objects.count()  # fewer outlets than the 50 nearest
    assert re.search(r"\(\d+(,\d)? kB\)", status.inner_text())

    phone.set_offline(True)
    # The search, with all of them, and an outlet page never opened.
    page.goto(SEARCH)
    expect(page.locator(".stored-copy")).to_be_visible()
    expect(page.locator("li.result")).to_have_count(saved)
    page.goto(outlets["surabaya"].get_absolute_url())
    expect(page.locator("h1")).to_have_text(outlets["surabaya"].name)
    expect(page.locator(".stored-copy")).to_be_visible()
    expect(page.locator(".outlet-summary [data-state]")).to_have_attribute(
        "data-state", re.compile(".+")
    )


def test_saving_with_no_connection_says_so(phone, outlets):
    page = phone.new_page()
    page.goto(SEARCH)
    controlled(page)
    phone.set_offline(True)
    page.get_by_role("button", name="Simpan untuk offline").click()
    expect(page.locator(".save-offline [role=status]")).to_contain_text("tidak ada koneksi")


def test_an_outlet_page_prints_on_one_page_with_its_address_hours_and_coordinates(
    open_page, outlets
):
    braga = outlets["braga"]
    page = open_page(braga.get_absolute_url(), device="phone")
    page.emulate_media(media="print")
    for hidden in (".site-header", "#map", ".links", ".share", ".sample-notice"):
        expect(page.locator(hidden)).to_be_hidden()
    for shown in ("h1", "address.where", ".coordinates", "table.hours.week"):
        expect(page.locator(shown)).to_be_visible()
    expect(page.locator(".coordinates")).to_contain_text("-6.917464, 107.619123")
    expect(page.locator(".opening-hours .zone")).to_contain_text("WIB")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_share_copies_the_outlet_where_the_browser_has_no_share_sheet(
    browser, browser_context_args, live_server, outlets
):
    context = browser.new_context(
        **{**browser_context_args, **DEVICES["desktop"], "locale": LOCALES["en"]},
        permissions=["clipboard-read", "clipboard-write"],
    )
    watch = Watch(context, live_server.url)
    page = context.new_page()
    braga = outlets["braga"]
    page.goto(braga.get_absolute_url())
    has_share = page.evaluate("'share' in navigator")
    page.get_by_role("button", name="Share").click()
    if not has_share:
        expect(page.locator(".share [role=status]")).to_have_text(COPIED)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("AXIS Store Braga\n")
        assert braga.address in copied
        assert copied.rstrip().endswith(braga.get_absolute_url())

    page.goto(SEARCH)
    result = page.locator("li.result", has_text="AXIS Store Braga")
    result.get_by_role("button", name="Copy as text").click()
    expect(page.locator("p.copied")).to_have_text(COPIED)
    text = page.evaluate("navigator.clipboard.readText()")
    lines = text.split("\n")
    assert lines[0] == "AXIS Store Braga"
    assert any(braga.address in line for line in lines)
    assert any(line.endswith(braga.get_absolute_url()) for line in lines)
    directions = "https://www.google.com/maps/dir/?api=1&destination="
    assert any(line.startswith(directions) for line in lines)
    context.close()
    watch.check()
