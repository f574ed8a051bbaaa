"""The locator as an installable web app that keeps working without a connection: its
manifest, and what its service worker (``templates/locations/service-worker.js``) is told.

The worker keeps the page shell, the last searches and every outlet page the person
opened, and shows them from its stored copy when the network fails (see the template for
how). Its *version* names its caches: a deployment with other static files gives another
version, the browser installs the new worker, and the new worker deletes what the old one
kept and no stored page still needs.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .build.icons import SIZES as ICON_SIZES

THEME_COLOR = "#6b1f9e"
#: Searches kept for offline use: the latest ones (the locator's pages with a query).
SEARCHES_KEPT = 10
#: Outlet pages kept: every one opened, up to this many (the oldest go first).
OUTLET_PAGES_KEPT = 500
#: "Save for offline" keeps this many of the nearest outlets, and each one's page.
SAVED_OUTLETS = 50
#: How long a page waits for the network before the stored copy is shown instead, when
#: there is one: a connection whose data has run out often hangs rather than fails.
NETWORK_WAIT_MS = 6000


def version() -> str:
    """What names this deployment's caches: a digest of the static files' names (hashed
    by content under ``collectstatic``), so that any change to a script, a style or an
    icon makes a new version."""
    hashed = getattr(staticfiles_storage, "hashed_files", None)
    if hashed:
        return _digest(tuple(sorted(hashed.items())))
    # Debug: the files are served as they are, unhashed; their sizes and times stand in.
    return _digest(
        tuple(
            (str(path), path.stat().st_size, path.stat().st_mtime_ns)
            for folder in settings.STATICFILES_DIRS
            for path in sorted(Path(folder).rglob("*"))
            if path.is_file()
        )
    )


@functools.lru_cache(maxsize=4)
def _digest(items: tuple) -> str:
    return hashlib.sha256(repr(items).encode()).hexdigest()[:16]


def worker_config() -> dict:
    """What the service worker is told: its version, where things are, what it keeps."""
    return {
        "version": version(),
        "static": settings.STATIC_URL
        if settings.STATIC_URL.startswith("/")
        else "/" + settings.STATIC_URL,
        "locator": reverse("locations:locator"),
        "outlet_prefix": reverse("locations:outlet", kwargs={"slug": "x"}).removesuffix("x/"),
        "offline": reverse("locations:offline"),
        # Kept when the worker installs, so that the locator opens with no connection.
        "shell": [
            reverse("locations:locator"),
            reverse("locations:offline"),
            reverse("locations:manifest"),
            *(static(f"locations/icons/icon-{size}.png") for size in ICON_SIZES),
        ],
        "searches_kept": SEARCHES_KEPT,
        "outlet_pages_kept": OUTLET_PAGES_KEPT,
        "network_wait_ms": NETWORK_WAIT_MS,
    }


def manifest() -> dict:
    """The web app manifest (W3C Web Application Manifest), in the active language."""
    icons = []
    for size in ICON_SIZES:
        for purpose in ("any", "maskable"):
            icons.append(
                {
                    "src": static(f"locations/icons/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": purpose,
                }
            )
    locator = reverse("locations:locator")
    return {
        "id": locator,
        "name": _("axisfinder: AXIS stores and kiosks"),
        "short_name": "axisfinder",
        "description": _(
            "Find the nearest AXIS store or kiosk, whether it is open now, and what it "
            "can do; the pages you opened stay available without a connection."
        ),
        "lang": get_language(),
        "start_url": locator,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
