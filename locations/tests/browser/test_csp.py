"""The Content Security Policy in a real browser: every page works under it with no
violation (maps, their tiles, the API documentation, the admin), and the policy does
refuse an inline script or style that carries no nonce.

Each page records the browser's ``securitypolicyviolation`` events from before its first
script runs; the fence (support.Watch) also fails a test on the console error Chromium
logs for each violation.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from ..test_security_headers import directives
from .support import log_in, map_ready

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI} (${where})`);
}, true);
"""
#: Script elements the browser would run inline, with their nonces (as the page sees
#: them: Chromium hides the nonce attribute's value from the DOM once the page has it).
INLINE_SCRIPT_NONCES = """() => [...document.querySelectorAll("script:not([src])")]
  .filter((script) => !script.type || /javascript|module/.test(script.type))
  .map((script) => script.nonce)"""
LOAD_IMAGE = """url => new Promise(done => {
  const image = new Image();
  image.onload = () => done("loaded");
  image.onerror = () => done("failed");
  image.src = url;
})"""
#: A map tile that has loaded: the policy let the tile server's image in.
TILE = ".leaflet-tile-loaded"


@pytest.fixture
def context(context):
    """The default context, recording every violation of the policy in each page."""
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def open_under_policy(page, path: str, ready) -> dict[str, list[str]]:
    """Open ``path``, wait until ``ready(page)`` sees it working and the network is
    quiet, and check the policy it came with: a nonce for its inline scripts, each of
    which carries it, nothing refused. Returns the policy's directives."""
    response = page.goto(path)
    assert response.status == 200
    ready(page)
    page.wait_for_load_state("networkidle")
    policy = directives(response.headers["content-security-policy"])
    nonces = [source for source in policy["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1, policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    inline = page.evaluate(INLINE_SCRIPT_NONCES)
    assert inline, "the page has an inline script for the nonce to allow"
    assert [f"'nonce-{nonce}'" for nonce in inline] == nonces * len(inline)
    assert page.evaluate("window.cspViolations") == []
    return policy


def test_the_locator_and_its_map_tiles_work_under_the_policy(page, watch, outlets):
    def ready(page):
        map_ready(page)
        expect(page.locator(TILE).first).to_be_attached()

    policy = open_under_policy(page, "/", ready)
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_search_works_under_the_policy(page, watch, outlets):
    def ready(page):
        map_ready(page)
        expect(page.locator(".map-outlet").first).to_be_visible()

    open_under_policy(page, "/?q=40115", ready)


def test_an_outlet_page_works_under_the_policy(page, watch, outlets):
    def ready(page):
        expect(page.locator("#map .outlet-marker")).to_have_count(1)
        expect(page.locator(TILE).first).to_be_attached()

    open_under_policy(page, outlets["braga"].get_absolute_url(), ready)


def test_the_api_documentation_works_under_the_policy(page, watch, outlets):
    def ready(page):
        # Swagger UI has started and read the schema (connect-src).
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()

    open_under_policy(page, reverse("api:docs"), ready)


def test_the_admin_outlet_form_and_its_map_work_under_the_policy(
    page, watch, context, live_server, outlets, staff
):
    log_in(context, staff, live_server.url)

    def ready(page):
        expect(page.locator("#outlet-map .leaflet-marker-icon")).to_have_count(1)
        expect(page.locator(TILE).first).to_be_attached()

    open_under_policy(
        page, reverse("admin:locations_outlet_change", args=[outlets["braga"].pk]), ready
    )


def test_the_coverage_screen_works_under_the_policy(
    page, watch, context, live_server, outlets, staff
):
    cache.clear()
    log_in(context, staff, live_server.url)

    def ready(page):
        expect(page.locator("#coverage-map path.coverage-postcode").first).to_be_attached()
        expect(page.locator(TILE).first).to_be_attached()

    open_under_policy(page, reverse("admin:locations_outlet_coverage"), ready)


def test_the_policy_refuses_an_inline_script_or_style_without_the_nonce(page, watch, outlets):
    open_under_policy(page, outlets["braga"].get_absolute_url(), map_drawn)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          const styled = document.createElement("p");
          styled.setAttribute("style", "color: red");
          document.body.append(styled);
        }"""
    )
    expect(page.locator("p[style]")).to_have_count(1)
    page.wait_for_function("window.cspViolations.length === 2")
    violations = page.evaluate("window.cspViolations")
    assert [violation.split()[0] for violation in violations] == [
        "script-src-elem",
        "style-src-attr",
    ]
    assert page.evaluate("window.injected") is None
    # Nor does an image from another site (it never reaches the network, or the fence).
    assert page.evaluate(LOAD_IMAGE, "https://example.com/pixel.gif") == "failed"
    assert page.evaluate("window.cspViolations.length") == 3
    assert page.evaluate("window.cspViolations[2]").startswith(
        "img-src refused https://example.com/pixel.gif"
    )
    assert page.locator("p[style]").evaluate("p => getComputedStyle(p).color") != "rgb(255, 0, 0)"
    # What Chromium logged for the three, expected here.
    assert len(watch.console_errors) == 3
    assert all("Content Security Policy" in error for error in watch.console_errors)
    watch.console_errors.clear()


def map_drawn(page):
    expect(page.locator("#map .outlet-marker")).to_have_count(1)
