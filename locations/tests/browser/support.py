"""What the browser tests share: the fence around each page, viewports, languages, logging
in, accessibility checks with axe-core, and screenshots."""

import os
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

#: Viewports the pages are checked at: a small phone and a laptop.
DEVICES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
#: The browser's own language (Accept-Language) for each of the site's languages.
LOCALES = {"en": "en-US", "id": "id-ID", "zh-hans": "zh-CN"}
#: Where ``make install-dev`` puts axe-core (from the npm registry; never committed).
AXE_SCRIPT = Path(settings.BASE_DIR) / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "browser-screenshots"
#: Chromium's flags here: no sandbox (root in a container), no GPU, nothing fetched by the
#: browser itself.
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str):
    """Skip the test for want of a tool, or fail it where the tools must be there (CI sets
    ``REQUIRE_BROWSER=1``, so that a broken install cannot pass as a skipped suite)."""
    if os.environ.get("REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def blank_png(width: int, height: int, grey: int = 0xEE) -> bytes:
    """A plain grey PNG, what an offline map shows for each tile."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = (b"\x00" + bytes([grey]) * width) * height  # filter byte, then grey pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


BLANK_TILE = blank_png(256, 256)


def is_tile(url: str) -> bool:
    return "tile" in url.lower() or urlsplit(url).path.endswith(".png")


class Watch:
    """Fences a browser context in to the live server, and records what no page may do.

    Requests to the server go through; map tiles from elsewhere get :data:`BLANK_TILE`;
    any other request leaving the machine is refused and recorded. Console errors and
    uncaught exceptions are recorded, and so is every JavaScript dialog: an ``alert(1)``
    hidden in an outlet's name must never run. :meth:`check` fails on any of them (a
    test that expects a console error asserts on ``console_errors`` and clears it).
    """

    def __init__(self, context, server_url: str):
        server = urlsplit(server_url)
        self.server = (server.scheme, server.netloc)
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", self._uncaught)
        context.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == self.server:
            route.continue_()
        elif is_tile(url):
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            self.external.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            where = message.location
            self.console_errors.append(f"{message.text} ({where['url']}:{where['lineNumber']})")

    def _uncaught(self, web_error):
        self.console_errors.append(f"uncaught: {web_error.error}")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self):
        assert self.dialogs == [], "a page opened a dialog"
        assert self.external == [], "a page asked for something beyond the test server"
        assert self.console_errors == [], "a page logged errors"


def map_ready(page):
    """Wait until the locator's map has drawn its markers (for a search) or its first
    answer from the API (without one)."""
    expect(page.locator("#map")).to_have_attribute("data-ready", "true")
    return page


def zoom_in_to_outlets(page, asked: list[str]):
    """Activate the map's largest group of outlets, which zooms to it, until the map asks
    the API for each outlet in view; ``asked`` is where the test records the URLs the page
    requests. At most four steps: the country, a region, a city."""
    for _ in range(4):
        if any("/api/v1/outlets.geojson?" in url for url in asked):
            break
        groups = page.locator(".map-cluster[data-count]")
        counts = groups.evaluate_all("groups => groups.map(group => +group.dataset.count)")
        group = groups.nth(counts.index(max(counts))).element_handle()
        group.click()
        # The answer for the new view replaces the group.
        page.wait_for_function("group => !group.isConnected", arg=group)
    expect(page.locator(".map-outlet").first).to_be_visible()


def log_in(context, user, server_url: str):
    """Give the browser a session of ``user`` (quicker than the login form, which
    Django's own tests cover)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server_url}]
    )


def axe(page, *, include: str | None = None, exclude: tuple[str, ...] = ()) -> list[dict]:
    """The serious and critical accessibility violations axe-core finds on the page (or in
    what ``include`` selects, less what ``exclude`` selects), each as its rule, impact,
    summary and elements.

    axe is evaluated through the DevTools protocol rather than added as a <script>, which
    the page's Content Security Policy would rightly refuse. For the same reason it does
    not preload the page's style sheets: it would copy each @import (the admin's forms.css
    has one) into a <style> element of its own, which the policy refuses too; only the
    rule on CSS that locks the screen's orientation needs them, and no style sheet here
    sets an orientation.
    """
    if not AXE_SCRIPT.exists():
        unavailable(f"axe-core is not installed at {AXE_SCRIPT}: run `make install-dev`")
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        """([include, exclude]) => axe.run(
          include ? {include: [include], exclude} : {exclude}, {preload: false}
        )""",
        [include, list(exclude)],
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "elements": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> Path:
    """Save what the page's viewport shows as ``browser-screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path)
    return path
