"""The JSON API (version 1): HTTP in, calls to the search and hours rules, JSON out."""

import re

from django.core.paginator import EmptyPage
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import status as http
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import geocoding, hours
from ..models import Outlet, PostcodeArea
from ..search import clusters as cluster_outlets
from ..search import find as find_outlet
from ..search import query as search_query
from ..search.index import CELL_PIXELS, MAX_CLUSTERS, cluster_cell
from ..search.query import QueryError, SearchQuery
from . import cards, serializers
from . import params as api_params
from .renderers import GeoJSONRenderer

ERRORS = {
    400: OpenApiResponse(
        serializers.ValidationErrorSerializer,
        description="A parameter is wrong: each one named, with its reasons.",
        examples=[
            OpenApiExample("lat without lng", {"lng": ["Give lat and lng together."]}),
            OpenApiExample(
                "empty value", {"lat": ["Empty: give a value, or leave the parameter out."]}
            ),
            OpenApiExample(
                "unknown parameter",
                {"radius": ["Unknown parameter radius. Did you mean radius_km?"]},
            ),
        ],
    ),
    429: OpenApiResponse(
        serializers.DetailSerializer,
        description="Too many requests from this client; see the Retry-After header.",
    ),
}
#: Postcodes anywhere: ASCII letters and digits, with a space or a hyphen ("SW1A 1AA").
POSTCODE_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,9}")
NOT_FOUND = OpenApiResponse(serializers.DetailSerializer, description="Not found.")


def now():
    """The API's present instant, to the whole second: statuses are worked out to the
    second, and answers in the same second share them (``cards.STATUSES``)."""
    return timezone.now().replace(microsecond=0)


def search(request, query: SearchQuery) -> dict:
    """The hits the list (and the GeoJSON) answer with, and what goes around them."""
    try:
        result = query.run(now())
    except QueryError as error:
        raise ValidationError(error.errors) from None
    except geocoding.NotFound as error:
        raise ValidationError({query.origin_parameter: [error.message]}) from None
    except EmptyPage:
        raise NotFound(_("No page %(page)s.") % {"page": query.page}) from None
    answer = {"count": result.count, "next": None, "previous": None, "origin": None}
    answer.update(alternatives=[], message=None)
    if result.resolution is not None:
        answer.update(
            origin=origin_data(result.origin),
            alternatives=[origin_data(place) for place in result.resolution.alternatives],
            message=result.resolution.message or None,
        )
    else:
        if result.page.has_next():
            answer["next"] = page_url(request, result.page.next_page_number())
        if result.page.has_previous():
            answer["previous"] = page_url(request, result.page.previous_page_number())
    # Written from the index's cards (cards.Outlets): no outlet is read from the database.
    answer["hits"] = result.hits
    answer["at"] = result.at
    return answer


def origin_data(origin: geocoding.Origin) -> dict:
    return {
        "latitude": round(origin.latitude, 6),
        "longitude": round(origin.longitude, 6),
        "label": origin.label,
        "source": origin.source,
        "precision": origin.precision,
        "match": origin.match,
        "matched": origin.matched,
    }


def page_url(request, number: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class OutletListView(APIView):
    """Outlets, nearest first when an origin is given; by code, a page at a time, without."""

    @extend_schema(
        operation_id="outlets_list",
        parameters=api_params.LIST,
        responses={
            200: serializers.OutletListSerializer,
            404: OpenApiResponse(serializers.DetailSerializer, description="No such page."),
            **ERRORS,
        },
        examples=[
            OpenApiExample(
                "The 20 nearest to a postcode",
                description="GET /api/v1/outlets/?postcode=40115&open_now=true",
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "origin": {
                        "latitude": -6.92184,
                        "longitude": 107.60713,
                        "label": "40115 Citarum, Bandung Wetan, Kota Bandung",
                        "source": "postcode",
                    },
                    "alternatives": [],
                    "message": None,
                    "results": [
                        {
                            "code": "AX-KI-000123",
                            "slug": "axis-kiosk-braga--ax-ki-000123",
                            "name": "AXIS Kiosk Braga",
                            "kind": "kiosk",
                            "address": "Jl. Braga No. 12",
                            "city": "Bandung",
                            "province": "Jawa Barat",
                            "postcode": "40111",
                            "country": "ID",
                            "latitude": -6.9175,
                            "longitude": 107.6091,
                            "timezone": "Asia/Jakarta",
                            "phone": "",
                            "services": ["topup", "data_package"],
                            "payment_methods": ["qris", "debit_card"],
                            "distance_km": 0.513,
                            "status": {
                                "open_now": True,
                                "state": "open",
                                "next_change": "2026-11-25T22:00:00+07:00",
                                "label": "Open · closes 22:00 WIB",
                            },
                            "url": "https://outlets.example.id/outlets/axis-kiosk-braga--ax-ki-000123/",
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        answer = search(request, api_params.read(request, search_query.LIST))
        outlets = cards.Outlets(request, answer.pop("at"))
        answer["results"] = outlets.many(answer.pop("hits"))
        return Response(cards.members(answer.items()))


class OutletGeoJSONView(APIView):
    """The list's query as a GeoJSON FeatureCollection (RFC 7946)."""

    renderer_classes = [GeoJSONRenderer]

    @extend_schema(
        operation_id="outlets_geojson",
        parameters=api_params.LIST,
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A FeatureCollection: each feature a Point [longitude, latitude] "
                "with the list's result fields as properties.",
            ),
            (404, "application/geo+json"): NOT_FOUND,
            (400, "application/geo+json"): ERRORS[400],
            (429, "application/geo+json"): ERRORS[429],
        },
    )
    def get(self, request):
        answer = search(request, api_params.read(request, search_query.LIST))
        outlets = cards.Outlets(request, answer["at"])
        return Response(
            cards.members(
                [
                    ("type", "FeatureCollection"),
                    ("features", outlets.features(answer["hits"])),
                    *((name, answer[name]) for name in ("count", "next", "previous", "origin")),
                ]
            )
        )


class OutletDetailView(APIView):
    """One outlet with its full hours (permanently closed outlets too)."""

    @extend_schema(
        operation_id="outlets_retrieve",
        parameters=[
            *api_params.DETAIL,
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="The outlet's code."),
        ],
        responses={200: serializers.OutletDetailSerializer, 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request, code):
        query = api_params.read(request, search_query.DETAIL)
        hit = find_outlet(code)
        if hit is not None:
            # A searchable outlet, from the index: its card, hours and compiled schedule.
            outlet = cards.outlet(hit)
        else:
            # Any other (permanently closed, the code in another case, the index behind).
            try:
                # get(), not first(): no ORDER BY, so the planner takes the code index.
                outlet = Outlet.objects.with_hours().with_code(code).get()
            except Outlet.DoesNotExist:
                raise NotFound(_("No outlet with code %(code)s.") % {"code": code}) from None
            # Compiled once (with its holiday calendar): the status and today's hours read it.
            outlet.schedule_now = outlet.schedule()
        at = query.at or now()
        outlet.status_now = hours.status(outlet.schedule_now, at)
        context = {"request": request, "at": at}
        return Response(serializers.OutletDetailSerializer(outlet, context=context).data)


class ClusterView(APIView):
    """Outlets grouped on a grid that follows the zoom, for a zoomed-out map; never more
    than :data:`~locations.search.index.MAX_CLUSTERS` groups, whatever the viewport and
    the zoom."""

    @extend_schema(
        operation_id="outlets_clusters",
        parameters=api_params.CLUSTERS,
        responses={200: serializers.ClusterSerializer(many=True), **ERRORS},
        description=f"Searchable outlets inside `bbox` passing the filters, grouped on a grid "
        f"of {CELL_PIXELS}-pixel cells at `zoom`. At most {MAX_CLUSTERS:,} groups: where "
        f"`bbox` would hold more cells than that at `zoom`, the cells are widened.",
    )
    def get(self, request):
        query = api_params.read(request, search_query.CLUSTERS)
        cell = cluster_cell(query.zoom, query.bbox)
        clusters = cluster_outlets(cell, query.filters(), at=query.at or now())
        return Response(serializers.ClusterSerializer(clusters, many=True).data)


class PostcodeView(APIView):
    """Where a postcode is, from the offline gazetteer."""

    @extend_schema(
        operation_id="postcodes_retrieve",
        parameters=[
            *api_params.POSTCODE,
            OpenApiParameter("postcode", str, OpenApiParameter.PATH),
        ],
        responses={
            200: serializers.PostcodeSerializer,
            404: OpenApiResponse(
                serializers.PostcodeNotFoundSerializer,
                description="Unknown postcode, with the nearest known ones.",
                examples=[
                    OpenApiExample(
                        "Unknown",
                        {
                            "detail": "No postcode 40199 in Indonesia.",
                            "suggestions": ["40198", "40211"],
                        },
                    )
                ],
            ),
            **ERRORS,
        },
    )
    def get(self, request, postcode):
        country = api_params.read(request, search_query.POSTCODE).country
        # Only what can be a postcode reaches the database: PostgreSQL refuses a NUL in text,
        # and neighbours() does arithmetic on digits, which "²" and "٤" also are.
        well_formed = POSTCODE_FORM.fullmatch(postcode) is not None
        area = PostcodeArea.objects.lookup(postcode, country) if well_formed else None
        if area is None:
            suggestions = (
                PostcodeArea.objects.neighbours(postcode, country)
                if well_formed and postcode.isdigit()
                else []
            )
            message = geocoding.unknown_postcode_message(postcode, country)
            return Response(
                {"detail": message, "suggestions": suggestions}, status=http.HTTP_404_NOT_FOUND
            )
        return Response(serializers.PostcodeSerializer(area).data)


class JSONErrors:
    """Errors in JSON, as everywhere under /api/, from a view whose answer is in another
    format (the OpenAPI document in YAML, the documentation in HTML)."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class SchemaView(JSONErrors, SpectacularAPIView):
    """The OpenAPI document: YAML, or JSON with ``?format=json`` or an ``Accept`` for it."""

    content_negotiation_class = DefaultContentNegotiation


class DocsView(JSONErrors, SpectacularSwaggerView):
    """The interactive documentation (Swagger UI, its assets served by the site)."""

    # A page, not a resource: OPTIONS would describe the view through the page's template
    # (a 500); a JSON 405 instead.
    http_method_names = ["get", "head"]


class NotFoundView(APIView):
    """Any other path under /api/: a JSON 404, whatever the method."""

    schema = None
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        detail = _("No such API endpoint: %(path)s") % {"path": request.path}
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != "not-found":
                detail = _("No such API endpoint. Did you mean %(path)s?") % {
                    "path": request.path + "/"
                }
        raise NotFound(detail)
