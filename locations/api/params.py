"""The API's query parameters: the query string turned into typed values, or a 400 naming
each parameter that is wrong."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Outlet, PaymentMethod, Service
from ..search import MAX_RADIUS_KM, BBox, Filters

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class FiniteFloatField(serializers.FloatField):
    """A float that is a real number: no ``NaN``, ``inf`` or ``1e309``."""

    default_error_messages = {"finite": _("Must be a finite number.")}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("finite")
        return value


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantField(serializers.Field):
    """An ISO 8601 instant with its UTC offset (``2026-11-25T20:30:00+07:00`` or ``...Z``)."""

    default_error_messages = {
        "invalid": _("Must be an ISO 8601 date and time, e.g. 2026-11-25T20:30:00+07:00."),
        "naive": _("Must have a UTC offset (Z or +07:00)."),
        "range": _("Must be in the years 1970 to 2100."),
    }
    #: The instants hours can be evaluated at: the public-holiday calendars cover these
    #: years, and the local mean times of old (offsets with seconds) are left out.
    EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
    LATEST = datetime(2101, 1, 1, tzinfo=UTC)

    def to_internal_value(self, data):
        try:
            value = datetime.fromisoformat(str(data).strip())
        except ValueError:
            self.fail("invalid")
        if value.utcoffset() is None:
            self.fail("naive")
        if not self.EARLIEST <= value < self.LATEST:
            self.fail("range")
        return value

    def to_representation(self, value):
        return value.isoformat()


class SlugListField(serializers.CharField):
    """Comma-separated slugs, each one of ``choices`` (a callable, read per request)."""

    default_error_messages = {"unknown": _("Unknown: {names}. Known: {known}.")}

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        names = frozenset(name.strip() for name in text.split(",") if name.strip())
        known = set(self.choices())
        unknown = sorted(names - known)
        if unknown:
            self.fail("unknown", names=", ".join(unknown), known=", ".join(sorted(known)))
        return names


class BBoxField(serializers.CharField):
    """``min_lng,min_lat,max_lng,max_lat`` (a map's viewport)."""

    def to_internal_value(self, data):
        try:
            return BBox.parse(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


def _kinds():
    return Outlet.Kind.values


def _services():
    return Service.objects.values_list("slug", flat=True)


def _payments():
    return PaymentMethod.objects.values_list("slug", flat=True)


class FilterParams(serializers.Serializer):
    """What an outlet must be or have (shared by the list, the GeoJSON and the clusters)."""

    kind = SlugListField(
        _kinds, required=False, help_text="`store`, `kiosk`, or both comma-separated."
    )
    service = SlugListField(
        _services,
        required=False,
        help_text="Comma-separated service slugs; the outlet must offer all of them.",
    )
    payment = SlugListField(
        _payments,
        required=False,
        help_text="Comma-separated payment-method slugs; the outlet must accept all of them.",
    )
    open_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="`true`: only outlets open at `at` (default: now).",
    )
    at = InstantField(
        required=False,
        help_text="ISO 8601 instant with a UTC offset, in the years 1970-2100; status and "
        "`open_now` are evaluated then (default: now).",
    )
    bbox = BBoxField(
        required=False,
        help_text="`min_lng,min_lat,max_lng,max_lat`, each min at most its max: only outlets "
        "inside (the map's viewport).",
    )

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(
            kinds=data.get("kind", frozenset()),
            services=data.get("service", frozenset()),
            payments=data.get("payment", frozenset()),
            open_now=data["open_now"],
            bbox=data.get("bbox"),
        )


class OutletListParams(FilterParams):
    """The outlet list's query: an origin (at most one kind), a radius, a limit, a page."""

    lat = FiniteFloatField(
        required=False, min_value=-90, max_value=90, help_text="Origin latitude (with `lng`)."
    )
    lng = FiniteFloatField(
        required=False, min_value=-180, max_value=180, help_text="Origin longitude (with `lat`)."
    )
    postcode = serializers.CharField(
        required=False, max_length=10, help_text="Origin: a postcode (five digits in Indonesia)."
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}\Z",
        required=False,
        default="ID",
        help_text="ISO 3166-1 alpha-2 country of `postcode` and `q` (default `ID`).",
    )
    q = serializers.CharField(
        required=False, max_length=200, help_text="Origin: a place name or an address."
    )
    radius_km = FiniteFloatField(
        required=False,
        max_value=MAX_RADIUS_KM,
        help_text="Only outlets within this geodesic distance (0 < radius_km <= 1000).",
    )
    limit = serializers.IntegerField(
        required=False,
        default=DEFAULT_LIMIT,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text="How many nearest outlets (1-100, default 20); the page size without an origin.",
    )
    page = serializers.IntegerField(
        required=False, default=1, min_value=1, help_text="Page number, without an origin."
    )

    def validate_radius_km(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("Must be more than 0."))
        return value

    def validate_country(self, value):
        return value.upper()

    def validate(self, data):
        errors = {}
        if ("lat" in data) != ("lng" in data):
            missing = "lng" if "lat" in data else "lat"
            errors[missing] = [_("Give lat and lng together.")]
        given = [name for name in ("lat", "postcode", "q") if name in data]
        if len(given) > 1:
            errors[given[1]] = [_("Give one origin: lat and lng, postcode, or q.")]
        if "radius_km" in data and not given:
            errors["radius_km"] = [_("Needs an origin: lat and lng, postcode, or q.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data

    @property
    def has_origin(self) -> bool:
        return any(name in self.validated_data for name in ("lat", "postcode", "q"))


class ClusterParams(FilterParams):
    """The clusters' query: the filters, a viewport and a zoom level."""

    zoom = serializers.IntegerField(
        min_value=0, max_value=22, help_text="The map's zoom level (0-22), as in Leaflet."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bbox"].required = True


class AtParams(serializers.Serializer):
    """The outlet detail's query."""

    at = InstantField(
        required=False,
        help_text="ISO 8601 instant with a UTC offset, in the years 1970-2100; the status is "
        "evaluated then (default: now).",
    )


class PostcodeParams(serializers.Serializer):
    country = serializers.RegexField(
        r"^[A-Za-z]{2}\Z", required=False, default="ID", help_text="ISO 3166-1 alpha-2."
    )
