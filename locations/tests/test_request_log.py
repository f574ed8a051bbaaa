"""The request log: one JSON line per request, without query values or secrets."""

import json
import logging

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from axisfinder.middleware import RequestLogMiddleware
from locations.search import timing

FIELDS = {"time", "method", "path", "params", "status", "duration_ms", "search_ms", "client"}


class Lines(logging.Handler):
    """The messages logged, as they were formatted."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    @property
    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def request_log():
    """The lines the request log writes during the test."""
    handler = Lines()
    logger = logging.getLogger("axisfinder.requests")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_a_request_is_one_json_line_with_its_method_path_status_and_times(db, client, request_log):
    client.get("/api/v1/outlets/?lat=-6.9147&lng=107.6098&limit=3")

    assert len(request_log.lines) == 1
    (entry,) = request_log.entries
    assert set(entry) == FIELDS
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v1/outlets/"
    assert entry["params"] == ["lat", "lng", "limit"]
    assert entry["status"] == 200
    assert entry["client"] == "127.0.0.1"
    assert entry["time"].endswith("Z")
    assert isinstance(entry["duration_ms"], float)
    assert isinstance(entry["search_ms"], float)
    assert 0 <= entry["search_ms"] <= entry["duration_ms"]


def test_the_locator_s_search_time_is_logged(db, client, request_log):
    client.get("/?lat=-6.9147&lng=107.6098")

    assert isinstance(request_log.entries[0]["search_ms"], float)


def test_a_request_without_a_search_logs_no_search_time(db, client, request_log):
    client.get("/healthz")

    assert request_log.entries[0]["search_ms"] is None


def test_the_status_of_an_error_is_logged(db, client, request_log):
    client.get("/api/v1/outlets/?lat=abc")
    client.get("/api/v1/no-such-thing/")

    assert [entry["status"] for entry in request_log.entries] == [400, 404]


def test_query_values_are_left_out_and_only_names_kept(db, client, request_log):
    client.get("/?q=Jl.+Rahasia+17,+Bandung+40115&kind=kiosk")

    (line,) = request_log.lines
    assert "Rahasia" not in line and "40115" not in line and "kiosk" not in line
    assert json.loads(line)["params"] == ["q", "kind"]


def test_a_value_typed_without_a_name_is_not_logged(db, client, request_log):
    client.get("/?Jl.%20Rahasia%2017,%2040115")

    (line,) = request_log.lines
    assert "Rahasia" not in line and "40115" not in line
    assert json.loads(line)["params"] == ["?"]


def test_a_query_of_too_many_parameters_is_logged_with_its_refusal(db, client, request_log):
    client.get("/?" + "&".join(f"p{number}=1" for number in range(1001)))

    (entry,) = request_log.entries
    assert (entry["status"], entry["params"]) == (400, ["?"])


def test_no_cookie_header_or_form_body_reaches_the_log(db, client, request_log):
    client.cookies["sessionid"] = "cookie-secret-1"
    client.cookies["csrftoken"] = "csrf-secret-2"
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "siti", "password": "body-secret-3", "csrfmiddlewaretoken": "csrf-secret-4"},
        HTTP_AUTHORIZATION="Bearer header-secret-5",
        HTTP_X_API_KEY="header-secret-6",
    )

    (line,) = request_log.lines
    assert "secret" not in line and "siti" not in line
    entry = json.loads(line)
    assert (entry["method"], entry["path"], entry["params"]) == ("POST", "/admin/login/", ["next"])


def test_a_forwarded_address_is_ignored_without_trusted_proxies(db, client, request_log, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": None}

    client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.5")

    assert request_log.entries[0]["client"] == "10.0.0.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client_address"),
    [
        # One proxy: the address it added last; what the client wrote before it is not trusted.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        # Two proxies: the one the outer proxy added, before the inner proxy's own.
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.4", "203.0.113.9"),
        # Fewer addresses than proxies: the first there is.
        (2, "203.0.113.9", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_address_they_forwarded(
    proxies, forwarded, client_address, db, client, request_log, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}

    client.get("/healthz", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.5")

    assert request_log.entries[0]["client"] == client_address


def test_behind_a_proxy_a_request_without_the_header_logs_the_connection(
    db, client, request_log, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    client.get("/healthz", REMOTE_ADDR="10.0.0.5")

    assert request_log.entries[0]["client"] == "10.0.0.5"


def test_a_streamed_response_is_logged_once_when_it_is_closed(db, request_log):
    def view(request):
        return StreamingHttpResponse(iter([b"line 1\n", b"line 2\n"]))

    response = RequestLogMiddleware(view)(RequestFactory().get("/admin/import/?step=2"))

    assert request_log.lines == []  # not while the body is still to be sent
    assert b"".join(response.streaming_content) == b"line 1\nline 2\n"
    response.close()
    response.close()
    (entry,) = request_log.entries
    assert entry["streamed"] is True
    assert (entry["path"], entry["params"], entry["status"]) == ("/admin/import/", ["step"], 200)


def test_searches_are_summed_and_a_search_inside_a_search_counts_once(request_log):
    @timing.timed
    def inner():
        return "answer"

    @timing.timed
    def outer():
        return inner()

    def view(request):
        outer()
        inner()
        return HttpResponse("ok")

    RequestLogMiddleware(view)(RequestFactory().get("/"))

    assert isinstance(request_log.entries[0]["search_ms"], float)
    with timing.tally() as tally:
        outer()
        inner()
    assert tally.searches == 2


def test_outside_a_request_searches_are_not_measured():
    @timing.timed
    def search():
        return "answer"

    assert search() == "answer"
    with timing.tally() as tally:
        pass
    assert (tally.searches, tally.milliseconds) == (0, None)
