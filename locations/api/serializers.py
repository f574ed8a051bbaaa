"""What the API answers: outlets (with distance and live status), their hours, postcodes."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import geocoding, osm_hours
from ..columns import COLUMNS
from ..hours import ACTIVE, STATES, WEEKDAYS, day_text
from ..kinds import KINDS
from ..models import Outlet, PostcodeArea, Precision


def rfc3339(instant: datetime) -> str:
    """An aware instant as RFC 3339 text, in its own zone when the offset is whole minutes
    (RFC 3339 has no seconds in offsets, which local mean time before 1970 may have), else
    in UTC."""
    if instant.utcoffset() % timedelta(minutes=1):
        instant = instant.astimezone(UTC)
    return instant.isoformat()


class StatusSerializer(serializers.Serializer):
    """An outlet's status at the instant asked about (:class:`locations.hours.Status`)."""

    open_now = serializers.BooleanField()
    state = serializers.ChoiceField(choices=STATES)
    next_change = serializers.DateTimeField(
        allow_null=True,
        help_text="The next instant the outlet opens or closes, with its UTC offset; null "
        "when it never changes.",
    )
    label = serializers.CharField(help_text="e.g. `Open · closes 21:00 WIB`.")

    def to_representation(self, status):
        return status_data(status)


def status_data(status) -> dict:
    """What :class:`StatusSerializer` writes (a function: a serializer per status was a
    fifth of a list's time)."""
    return {
        "open_now": status.open_now,
        "state": status.state,
        "next_change": rfc3339(status.next_change) if status.next_change else None,
        "label": status.label,
    }


#: An outlet's own fields in the list, in order: the outlet file's columns (but the file's
#: text forms of hours and lifecycle), with the slug. A search adds distance, status, URL.
OWN_FIELDS = ("code", "slug", *COLUMNS[1:-2])


class OutletSerializer(serializers.ModelSerializer):
    """An outlet in a list: ``distance_km`` and ``status`` come from the search."""

    services = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    payment_methods = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    distance_km = serializers.SerializerMethodField(
        help_text="Geodesic (WGS 84) distance from the origin, 3 decimals; null without one."
    )
    status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The outlet's page.")

    class Meta:
        model = Outlet
        fields = [*OWN_FIELDS, "distance_km", "status", "url"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, outlet) -> float | None:
        distance = getattr(outlet, "distance_km", None)
        return None if distance is None else round(distance, 3)

    @extend_schema_field(StatusSerializer)
    def get_status(self, outlet):
        status = getattr(outlet, "status_now", None)
        if status is None:
            status = outlet.status_at(self.context.get("at") or timezone.now())
        return status_data(status)

    def get_url(self, outlet) -> str:
        # One reverse() and one absolute URL a serializer, not one an outlet.
        template = getattr(self, "_url_template", None)
        if template is None:
            path = outlet_path_template()
            request = self.context.get("request")
            template = self._url_template = request.build_absolute_uri(path) if request else path
        return template.replace(SLUG_MARK, outlet.slug)

    def computed(self, outlet) -> dict:
        """The fields that are not the outlet's own attributes."""
        return {
            "services": _slugs(outlet, "service_slugs", "services"),
            "payment_methods": _slugs(outlet, "payment_slugs", "payment_methods"),
            "distance_km": self.get_distance_km(outlet),
            "status": self.get_status(outlet),
            "url": self.get_url(outlet),
        }

    def to_representation(self, outlet):
        # Written out rather than field by field: DRF's generic path cost the list more
        # than the search itself (the declared fields still describe the schema).
        computed = self.computed(outlet)
        return {
            name: computed[name] if name in computed else getattr(outlet, name)
            for name in self.Meta.fields
        }


SLUG_MARK = "---slug---"
#: (URLconf, script prefix) -> the outlet page's path with SLUG_MARK for its slug.
_OUTLET_PATHS: dict[tuple, str] = {}


def outlet_path_template() -> str:
    """An outlet page's path, :data:`SLUG_MARK` in place of the slug: reversed once per
    URLconf and script prefix (a reverse() takes about 50 µs, a tenth of a fast answer)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    path = _OUTLET_PATHS.get(key)
    if path is None:
        path = _OUTLET_PATHS[key] = reverse("locations:outlet", kwargs={"slug": SLUG_MARK})
    return path


def _slugs(outlet, loaded: str, relation: str) -> list[str]:
    """Slugs the search attached to the outlet, else from the (prefetched) relation."""
    slugs = getattr(outlet, loaded, None)
    if slugs is None:
        slugs = [entry.slug for entry in getattr(outlet, relation).all()]
    return list(slugs)


class WeeklyRangeSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 Monday ... 6 Sunday.")
    day = serializers.CharField(help_text=f"{', '.join(WEEKDAYS)}.")
    opens = serializers.CharField(help_text="Local time HH:MM.")
    closes = serializers.CharField(help_text="Local time HH:MM; at or before `opens`: next day.")


class TimeRangeSerializer(serializers.Serializer):
    opens = serializers.CharField()
    closes = serializers.CharField()


class SpecialHoursSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    closed = serializers.BooleanField()
    ranges = TimeRangeSerializer(many=True)
    reason = serializers.CharField()


def _clock(value) -> str:
    return value.strftime("%H:%M")


class OutletDetailSerializer(OutletSerializer):
    """One outlet with its full hours."""

    opening_hours = serializers.SerializerMethodField()
    opening_hours_osm = serializers.SerializerMethodField(
        help_text="The same hours in OpenStreetMap `opening_hours` syntax."
    )
    special_hours = serializers.SerializerMethodField(help_text="Upcoming special hours.")
    hours_today = serializers.SerializerMethodField(
        help_text="The ranges that start on the outlet's local date at the instant asked "
        "about, after special hours and public holidays, in local time: `08:00–22:00`, "
        "ranges separated by `, `, a range past midnight ending on the next day's clock; "
        "empty when the outlet is closed all day (or temporarily or permanently closed)."
    )

    class Meta(OutletSerializer.Meta):
        fields = [
            *OutletSerializer.Meta.fields,
            "opening_hours",
            "opening_hours_osm",
            "special_hours",
            "closed_on_public_holidays",
            "hours_today",
        ]

    @extend_schema_field(WeeklyRangeSerializer(many=True))
    def get_opening_hours(self, outlet):
        return [
            {
                "weekday": r.weekday,
                "day": WEEKDAYS[r.weekday],
                "opens": _clock(r.opens),
                "closes": _clock(r.closes),
            }
            for r in outlet.hours.weekly
        ]

    def computed(self, outlet) -> dict:
        return {
            **super().computed(outlet),
            "opening_hours": self.get_opening_hours(outlet),
            "opening_hours_osm": self.get_opening_hours_osm(outlet),
            "special_hours": self.get_special_hours(outlet),
            "hours_today": self.get_hours_today(outlet),
        }

    def _status(self, outlet):
        """The status the view worked out already, when it did: hours compiled once."""
        return getattr(outlet, "status_now", None) or outlet.status_at(
            self.context.get("at") or timezone.now()
        )

    def get_hours_today(self, outlet) -> str:
        if outlet.status != ACTIVE:
            return ""
        schedule = getattr(outlet, "schedule_now", None) or outlet.schedule()
        return day_text(schedule.day_spans(self._status(outlet).local.toordinal()))

    def get_opening_hours_osm(self, outlet) -> str:
        return osm_hours.render(outlet.hours)

    @extend_schema_field(SpecialHoursSerializer(many=True))
    def get_special_hours(self, outlet):
        today = self._status(outlet).local.date()
        return [
            {
                "start_date": rule.start.isoformat(),
                "end_date": rule.end.isoformat(),
                "closed": rule.closed,
                "ranges": [
                    {"opens": _clock(r.opens), "closes": _clock(r.closes)} for r in rule.ranges
                ],
                "reason": rule.reason,
            }
            for rule in outlet.hours.dated
            if rule.end >= today
        ]


class OriginSerializer(serializers.Serializer):
    """Where a search starts (:class:`locations.geocoding.Origin`) and how it was found."""

    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    label = serializers.CharField()
    source = serializers.ChoiceField(choices=geocoding.SOURCES)
    precision = serializers.ChoiceField(
        choices=Precision.choices,
        allow_null=True,
        help_text="How closely a gazetteer point marks what it names (`city`: the city's "
        "centre); null for coordinates, an outlet or an online answer.",
    )
    match = serializers.ChoiceField(
        choices=geocoding.MATCHES,
        allow_null=True,
        help_text="What the text `q` matched: a postcode in it, a place, an outlet's name or "
        "address, or the online geocoder's answer; null when not from text.",
    )
    matched = serializers.CharField(
        allow_null=True,
        help_text="The part of the text `q` used, as typed; null when not from text.",
    )


class OutletListSerializer(serializers.Serializer):
    """The shape of the list's answer (for the schema)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    origin = OriginSerializer(allow_null=True)
    alternatives = OriginSerializer(
        many=True, help_text="Other places or outlets the text `q` may mean, likeliest first."
    )
    message = serializers.CharField(
        allow_null=True,
        help_text="A note to show: which outlet the text matched, which part of it was not "
        "used, that a postcode's point is approximate, or that online search fell back "
        "offline.",
    )
    results = OutletSerializer(many=True)


class PostcodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostcodeArea
        fields = ["postcode", "country", "latitude", "longitude", "place", "province", "precision"]


class ClusterSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    count = serializers.IntegerField()
    bbox = serializers.ListField(
        child=serializers.FloatField(),
        min_length=4,
        max_length=4,
        help_text="west, south, east, north",
    )
    code = serializers.CharField(required=False, help_text="The outlet's code, when `count` is 1.")
    kind = serializers.ChoiceField(
        choices=KINDS, required=False, help_text="The outlet's kind, when `count` is 1."
    )
    open_now = serializers.BooleanField(
        required=False,
        help_text="Whether the outlet is open at the instant asked about (`at`, else now), "
        "when `count` is 1.",
    )

    def to_representation(self, cluster):
        data = {
            "latitude": round(cluster.latitude, 6),
            "longitude": round(cluster.longitude, 6),
            "count": cluster.count,
            "bbox": list(cluster.bbox),
        }
        if cluster.code is not None:
            data.update(code=cluster.code, kind=cluster.kind, open_now=cluster.open_now)
        return data


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: each wrong parameter with its reasons (schema: ValidationErrorSchema)."""


class ValidationErrorSchema(OpenApiSerializerExtension):
    """The 400's keys are the wrong parameters' names, so its schema is a map."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Each wrong parameter, by name, with its reasons.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "minProperties": 1,
        }


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PostcodeNotFoundSerializer(DetailSerializer):
    suggestions = serializers.ListField(child=serializers.CharField())
