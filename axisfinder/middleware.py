"""The project's middleware: compression, the Content-Security-Policy header, the answer
when the database is lost, and the request log."""

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.views import defaults
from rest_framework.settings import api_settings

from locations.search import timing


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's, except that a page shown as it is sent (``response.progressive``, see
    :mod:`locations.streamed`) goes uncompressed: gzip would hold its lines back until
    the end."""

    def process_response(self, request, response):
        if getattr(response, "progressive", False):
            return response
        return super().process_response(request, response)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's, except that the headers of a response with no policy of its own (no
    nonce used, no view's decorator) are built once per policy setting rather than on
    every response: the API's answers, the static files and most errors are such
    responses, and building both headers took about 70 µs each time.

    A page that used its nonce, and any response a view decorated, go through
    django-csp's own code unchanged.
    """

    #: What a view's ``csp_*`` decorators set on its response.
    OWN_POLICY = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = (None, None, ())

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in self.OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, value, excluded in self.plain_headers():
            if value and header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def plain_headers(self) -> tuple:
        """``(header, value, excluded URL prefixes)`` of the enforced policy and of the
        report-only one, for a response with no policy of its own; built again only when
        the settings' policies are other objects (``override_settings`` in tests)."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        policy_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built_for, built_for_ro, headers = self._built
        if policy is not built_for or policy_ro is not built_for_ro:
            headers = tuple(
                (
                    header,
                    build_policy(report_only=report_only),
                    tuple((setting or {}).get("EXCLUDE_URL_PREFIXES") or ()),
                )
                for header, setting, report_only in (
                    (CSP_HEADER, policy, False),
                    (CSP_HEADER_REPORT_ONLY, policy_ro, True),
                )
            )
            self._built = (policy, policy_ro, headers)
        return headers


# --- Faults -----------------------------------------------------------------------------

#: What a lost database raises through Django, whichever the backend: a refused or
#: dropped PostgreSQL connection (psycopg's OperationalError), one closed under us
#: (InterfaceError), an SQLite file that cannot be opened or is locked (OperationalError).
DATABASE_DOWN = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30

fault_logger = logging.getLogger("axisfinder.faults")


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503, never a traceback: ``{"detail"}``
    under ``/api/`` (as the API's other errors), a plain page elsewhere, with
    ``Retry-After``; and one error line in the log.

    Django turns an exception into a response at each middleware's edge, so no
    middleware's ``__call__`` ever sees another's exception. The view's (and its
    template's, where the session and the user are first loaded) reach
    :meth:`process_exception`, wherever this sits in ``MIDDLEWARE``; the rest (a session
    saved after the view, an error page that itself failed) reach ``handler500``, which
    the root URLconf points at :func:`server_error`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return service_unavailable(request, exception)
        return None


def server_error(request):
    """``handler500``: :func:`service_unavailable` for a lost database, else Django's own
    page. Django calls it while handling the exception, which ``sys.exc_info`` holds."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return service_unavailable(request, error)
    return defaults.server_error(request)


def service_unavailable(request, error: Exception) -> HttpResponse:
    """The 503 answer for a lost database, built without the database or a template."""
    # One line: psycopg's messages run over several.
    cause = " ".join(str(error).split())
    fault_logger.error(
        "database unavailable: %s %s: %s: %s",
        request.method,
        # A decoded path may hold a line end (%0A): escaped, it stays on the line.
        request.path.encode("unicode_escape").decode("ascii"),
        type(error).__name__,
        cause,
    )
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The database cannot be reached just now. Try again in a minute.")},
            status=503,
        )
    else:
        title = gettext("Service unavailable")
        text = gettext("The outlet finder cannot answer just now. Please try again in a minute.")
        page = (
            '<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n"
            "</body>\n</html>\n"
        ).format(lang=escape(get_language() or "en"), title=escape(title), text=escape(text))
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    # The line above says why; Django's own ("Service Unavailable: /path", or a
    # traceback when it came by handler500) would only repeat it.
    response._has_been_logged = True
    return response


# --- The request log --------------------------------------------------------------------

request_logger = logging.getLogger("axisfinder.requests")
#: Query parameter names that are logged as they are; any other name (a value typed
#: without a name, ``/?40115``) is logged as ``?``.
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,39}")


class RequestLogMiddleware:
    """One JSON line per request on the ``axisfinder.requests`` logger::

        {"time": "2026-11-30T05:12:03.101Z", "method": "GET", "path": "/",
         "params": ["q", "kind"], "status": 200, "duration_ms": 12.4,
         "search_ms": 1.9, "client": "203.0.113.7"}

    ``params`` holds the query's parameter names, never their values; no cookie, header
    or form body is read. ``search_ms`` is the time spent searching (resolving the origin,
    the nearest outlets, clusters; see :mod:`locations.search.timing`), ``null`` when no
    search ran. ``client`` is the address the trusted proxies saw (see :func:`client_address`).

    Put it first in ``MIDDLEWARE``, so that the time and the status are those of
    everything else. A streamed response (the admin's import page, static files) is logged
    when the server closes it, after its last byte, with ``"streamed": true``: its time is
    that of the whole stream. Every other response is logged as soon as it is made.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        with timing.tally() as searches:
            response = self.get_response(request)
        if not response.streaming:
            self.log(request, response, started, searches)
            return response
        # The server calls close() once the stream has ended or the client has gone:
        # a wrapped close() is the one moment every streamed response shares (its
        # content may be a generator, an async iterator, or a file sent with sendfile).
        close = response.close
        logged = []

        def close_and_log():
            try:
                close()
            finally:
                if not logged:
                    logged.append(True)
                    self.log(request, response, started, searches, streamed=True)

        response.close = close_and_log
        return response

    @staticmethod
    def log(request, response, started, searches, streamed=False):
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": request.method,
            "path": request.path,
            "params": parameter_names(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "search_ms": None if searches.milliseconds is None else round(searches.milliseconds, 1),
            "client": client_address(request),
        }
        if streamed:
            entry["streamed"] = True
        request_logger.info(json.dumps(entry))


def parameter_names(request) -> list[str]:
    """The query's parameter names, each once, in order; ``?`` for any that does not look
    like a name (a value typed alone, ``/?40115``)."""
    try:
        names = dict.fromkeys(request.GET)
    except TooManyFieldsSent:  # answered 400 already, by whatever read the query first
        return ["?"]
    return [name if PARAMETER_NAME.fullmatch(name) else "?" for name in names]


def client_address(request) -> str:
    """The client's address: with ``NUM_PROXIES`` (``DJANGO_NUM_PROXIES``) trusted proxies
    in front, the one the outermost of them added to ``X-Forwarded-For`` (as the API's
    throttle reads it then); without, the connection's own address, since anyone can
    send that header."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded.strip():
        return remote
    addresses = forwarded.split(",")
    return addresses[-min(proxies, len(addresses))].strip()[:64] or remote
