"""Security headers on every page: the Content Security Policy (the site itself and the
tile server only, inline scripts by nonce), Referrer-Policy, X-Content-Type-Options and
framing refused."""

import re

import csp.middleware
import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import reverse

from axisfinder.middleware import CSPMiddleware
from axisfinder.settings import tile_sources

from .factories import OutletFactory

pytestmark = pytest.mark.django_db

#: The policy's directives, the nonce apart (tiles from the default MAP_TILES_URL).
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
#: Script elements the browser does not run, which the policy therefore does not cover.
DATA_TYPES = ("application/json", "application/ld+json")


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as its directives and their sources."""
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def nonce_of(response) -> str:
    """The nonce the response's policy allows scripts by (it must have exactly one)."""
    script_src = directives(response["Content-Security-Policy"])["script-src"]
    nonces = [source for source in script_src if source.startswith("'nonce-")]
    assert len(nonces) == 1, script_src
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


def inline_script_nonces(html: str) -> list[str | None]:
    """The nonce of each script element the page would run inline (None if it has none)."""
    nonces = []
    for attributes in SCRIPT.findall(html):
        kind = re.search(r'\btype="([^"]*)"', attributes)
        if re.search(r"\bsrc=", attributes) or (kind and kind.group(1) in DATA_TYPES):
            continue
        nonce = re.search(r'\bnonce="([^"]*)"', attributes)
        nonces.append(nonce.group(1) if nonce else None)
    return nonces


@pytest.fixture
def outlet(vocabularies):
    return OutletFactory(code="AX-BDG-01", name="AXIS Store Braga")


@pytest.fixture
def pages(outlet):
    """Every kind of page with an inline script: the locator, a search, an outlet, the API
    documentation, the admin's outlet form and its coverage screen."""
    return {
        "locator": ("/", False),
        "search": ("/?q=Bandung", False),
        "outlet": (outlet.get_absolute_url(), False),
        "docs": (reverse("api:docs"), False),
        "outlet form": (reverse("admin:locations_outlet_change", args=[outlet.pk]), True),
        "coverage": (reverse("admin:locations_outlet_coverage"), True),
    }


@pytest.mark.parametrize("name", ["locator", "search", "outlet", "docs", "outlet form", "coverage"])
def test_each_page_allows_its_inline_scripts_by_the_nonce_alone(client, admin_user, pages, name):
    path, staff_only = pages[name]
    if staff_only:
        client.force_login(admin_user)
    response = client.get(path)
    assert response.status_code == 200
    nonce = nonce_of(response)
    policy = directives(response["Content-Security-Policy"])
    policy["script-src"].remove(f"'nonce-{nonce}'")
    # The pages' own inline style is allowed by the same nonce, and by nothing else.
    if f"'nonce-{nonce}'" in policy["style-src"]:
        policy["style-src"].remove(f"'nonce-{nonce}'")
    assert policy == POLICY
    for attributes in re.findall(r"<style\b([^>]*)>", response.content.decode()):
        assert f'nonce="{nonce}"' in attributes
    scripts = inline_script_nonces(response.content.decode())
    assert scripts, "the page has an inline script to check"
    assert scripts == [nonce] * len(scripts)


def test_no_directive_allows_inline_code_or_eval_beyond_the_nonce(client, outlet):
    header = client.get(outlet.get_absolute_url())["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "'strict-dynamic'" not in header
    assert "*" not in header  # the tile server is named, not a wildcard of the web


def test_each_response_has_a_nonce_of_its_own(client, outlet):
    first = nonce_of(client.get(outlet.get_absolute_url()))
    second = nonce_of(client.get(outlet.get_absolute_url()))
    assert first != second
    assert len(first) >= 22  # 16 random bytes, in base 64


def test_a_page_without_inline_script_needs_no_nonce(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_the_json_api_carries_the_policy_too(client, outlet):
    response = client.get(reverse("api:outlet-detail", args=[outlet.code]))
    policy = directives(response["Content-Security-Policy"])
    assert policy == POLICY


def library_and_project_headers(request_factory, response_factory, path="/api/v1/outlets/"):
    """The CSP headers django-csp's own middleware and the project's give the same
    response, twice each (the project's second answer comes from what it built)."""
    results = []
    for middleware_class in (csp.middleware.CSPMiddleware, CSPMiddleware):
        middleware = middleware_class(lambda request: response_factory())
        answers = []
        for _ in range(2):
            request = request_factory.get(path)
            response = middleware(request)
            answers.append({name: response.get(name) for name in (HEADER, HEADER_REPORT_ONLY)})
        results.append(answers)
    return results


@pytest.mark.parametrize(
    "response_factory",
    [
        HttpResponse,
        lambda: HttpResponse(status=404),
        lambda: csp_update({"img-src": "https://example.test"})(lambda r: HttpResponse())(None),
        lambda: csp_exempt()(lambda r: HttpResponse())(None),
    ],
    ids=["plain", "not found", "a view's own policy", "exempt"],
)
def test_the_middleware_writes_what_django_csp_writes(rf, settings, response_factory):
    library, project = library_and_project_headers(rf, response_factory)
    assert library == project
    assert project[0] == project[1]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    library, project = library_and_project_headers(rf, response_factory)
    assert library == project
    if project[0][HEADER]:  # not exempt
        assert project[0][HEADER].startswith("default-src 'self'")
        assert project[0][HEADER_REPORT_ONLY] == "default-src 'none'"


def test_a_policy_setting_changed_is_built_again_and_exclusions_are_kept(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
        "DIRECTIVES": {"default-src": ["'self'"]},
    }
    library, project = library_and_project_headers(rf, HttpResponse, path="/healthz")
    assert library == project
    assert project[0][HEADER] is None
    library, project = library_and_project_headers(rf, HttpResponse, path="/")
    assert project[0][HEADER] == "default-src 'self'"


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(rf):
    request = rf.get("/")
    CSPMiddleware(lambda request: HttpResponse())(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_pages_refuse_framing_sniffing_and_referrers_to_other_sites(client, outlet):
    response = client.get(outlet.get_absolute_url())
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_api_documentation_sends_nothing_to_an_online_validator(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert '"validatorUrl": null' in html
    # Its page styles come from a file: no <style> element for the policy to refuse.
    assert "<style" not in html
    assert "locations/api-docs.css" in html


@pytest.mark.parametrize(
    "template, sources",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        (
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            [
                "https://a.tile.openstreetmap.org",
                "https://b.tile.openstreetmap.org",
                "https://c.tile.openstreetmap.org",
            ],
        ),
        (
            "https://tiles-{s}.example.id:8443/{z}/{x}/{y}{r}.png",
            [f"https://tiles-{s}.example.id:8443" for s in "abc"],
        ),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", ["http://127.0.0.1:8080"]),
        ("//tile.example.org/{z}/{x}/{y}.png", ["tile.example.org"]),
        ("/tiles/{z}/{x}/{y}.png", []),
    ],
)
def test_the_tile_sources_are_the_hosts_leaflet_asks(template, sources):
    assert tile_sources(template) == sources


@pytest.mark.parametrize(
    "template",
    ["https://{z}.tiles.example.id/{x}/{y}.png", "ftp://tile.example.org/{z}/{x}/{y}.png"],
)
def test_a_tile_template_no_policy_can_express_is_a_settings_error(template):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILES_URL"):
        tile_sources(template)
