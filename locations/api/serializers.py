"""What the API answers: outlets (with distance and live status), their hours, postcodes."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import osm_hours
from ..models import Outlet, PostcodeArea


class StatusSerializer(serializers.Serializer):
    """An outlet's status at the instant asked about (:class:`locations.hours.Status`)."""

    open_now = serializers.BooleanField()
    state = serializers.ChoiceField(
        choices=[
            "open",
            "closing_soon",
            "opening_soon",
            "closed",
            "temporarily_closed",
            "permanently_closed",
        ]
    )
    next_change = serializers.DateTimeField(
        allow_null=True,
        help_text="The next instant the outlet opens or closes, with its UTC offset; null "
        "when it never changes.",
    )
    label = serializers.CharField(help_text="e.g. `Open · closes 21:00 WIB`.")

    def to_representation(self, status):
        return {
            "open_now": status.open_now,
            "state": status.state,
            "next_change": status.next_change.isoformat() if status.next_change else None,
            "label": status.label,
        }


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
        fields = [
            "code",
            "slug",
            "name",
            "kind",
            "address",
            "city",
            "province",
            "postcode",
            "country",
            "latitude",
            "longitude",
            "timezone",
            "phone",
            "services",
            "payment_methods",
            "distance_km",
            "status",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_distance_km(self, outlet) -> float | None:
        distance = getattr(outlet, "distance_km", None)
        return None if distance is None else round(distance, 3)

    @extend_schema_field(StatusSerializer)
    def get_status(self, outlet):
        status = getattr(outlet, "status_now", None)
        if status is None:
            status = outlet.status_at(self.context.get("at") or timezone.now())
        return StatusSerializer(status).data

    def get_url(self, outlet) -> str:
        request = self.context.get("request")
        path = outlet.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class WeeklyRangeSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 Monday ... 6 Sunday.")
    day = serializers.CharField(help_text="Mo, Tu, We, Th, Fr, Sa, Su.")
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


DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _clock(value) -> str:
    return value.strftime("%H:%M")


class OutletDetailSerializer(OutletSerializer):
    """One outlet with its full hours."""

    opening_hours = serializers.SerializerMethodField()
    opening_hours_osm = serializers.SerializerMethodField(
        help_text="The same hours in OpenStreetMap `opening_hours` syntax."
    )
    special_hours = serializers.SerializerMethodField(help_text="Upcoming special hours.")

    class Meta(OutletSerializer.Meta):
        fields = [
            *OutletSerializer.Meta.fields,
            "opening_hours",
            "opening_hours_osm",
            "special_hours",
            "closed_on_public_holidays",
        ]

    @extend_schema_field(WeeklyRangeSerializer(many=True))
    def get_opening_hours(self, outlet):
        return [
            {
                "weekday": r.weekday,
                "day": DAY_CODES[r.weekday],
                "opens": _clock(r.opens),
                "closes": _clock(r.closes),
            }
            for r in outlet.hours.weekly
        ]

    def get_opening_hours_osm(self, outlet) -> str:
        return osm_hours.render(outlet.hours)

    @extend_schema_field(SpecialHoursSerializer(many=True))
    def get_special_hours(self, outlet):
        at = self.context.get("at") or timezone.now()
        today = outlet.status_at(at).local.date()
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
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    label = serializers.CharField()
    source = serializers.ChoiceField(choices=["coordinates", "postcode", "place"])


class OutletListSerializer(serializers.Serializer):
    """The shape of the list's answer (for the schema)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    origin = OriginSerializer(allow_null=True)
    alternatives = OriginSerializer(
        many=True, help_text="Other places the text `q` may mean, likeliest first."
    )
    message = serializers.CharField(
        allow_null=True, help_text="A note to show, e.g. that online search fell back offline."
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

    def to_representation(self, cluster):
        data = {
            "latitude": round(cluster.latitude, 6),
            "longitude": round(cluster.longitude, 6),
            "count": cluster.count,
            "bbox": list(cluster.bbox),
        }
        if cluster.code is not None:
            data["code"] = cluster.code
        return data


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: each wrong parameter with its reasons."""

    parameter = serializers.ListField(
        child=serializers.CharField(), help_text="Named after the wrong parameter."
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PostcodeNotFoundSerializer(DetailSerializer):
    suggestions = serializers.ListField(child=serializers.CharField())
