"""The API's routes: no outlet code can be hidden by another endpoint."""

import pytest
from django.urls import URLPattern, get_resolver
from django.urls.resolvers import RoutePattern

from locations.models import RESERVED_CODES

from ..factories import OutletFactory
from .support import body


def fixed_paths_under_outlets() -> set[str]:
    """The last segment of each fixed route /api/v1/outlets/<segment>/."""
    resolver = get_resolver()
    segments = set()
    for prefix in resolver.url_patterns:
        for pattern in getattr(prefix, "url_patterns", []):
            if not isinstance(pattern, URLPattern) or not isinstance(pattern.pattern, RoutePattern):
                continue
            route = str(pattern.pattern)
            head, _, rest = route.partition("v1/outlets/")
            if not head and rest.endswith("/") and "<" not in rest and rest.count("/") == 1:
                segments.add(rest[:-1].lower())
    return segments


def test_every_fixed_route_under_outlets_is_a_reserved_code():
    assert fixed_paths_under_outlets() == {"clusters"}
    assert fixed_paths_under_outlets() <= set(RESERVED_CODES)


@pytest.mark.django_db
def test_an_outlet_code_containing_clusters_is_still_reached_at_its_detail(client):
    OutletFactory(code="clusters-2")
    response = client.get("/api/v1/outlets/clusters-2/")
    assert response.status_code == 200
    assert body(response)["code"] == "clusters-2"
