"""Outlets in API answers, from the search index's cards rather than from the database.

Most of a list answer is the outlets' own fields (code, name, address, services...), which
change only when the outlet does. So the search index keeps each outlet's own fields as
JSON bytes, its card (:func:`card`, made when the index loads the outlet and made again
when the outlet changes), and an answer is the cards with each outlet's distance, status
and URL written in: no rows read, no serializer run per outlet. An outlet's page reads its
card and its hours (kept with its compiled schedule) the same way.

The bytes are those that :class:`~locations.api.serializers.OutletSerializer` and DRF's
JSON renderer write for the same outlet (the tests compare the two): the serializers stay
the description of the answers, in the OpenAPI schema too.
"""

import json
from types import SimpleNamespace

from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from ..hours import status as status_at
from ..search.index import Hit
from .serializers import OWN_FIELDS, OutletSerializer, status_data


class Encoded(bytes):
    """JSON already encoded; the API's renderers send it as it is."""


def encode(value) -> bytes:
    """``value`` as DRF's JSON renderer writes it, with the API's settings."""
    text = json.dumps(
        value,
        cls=JSONEncoder,
        ensure_ascii=not api_settings.UNICODE_JSON,
        allow_nan=not api_settings.STRICT_JSON,
        separators=(",", ":") if api_settings.COMPACT_JSON else (", ", ": "),
    )
    # As the renderer does: JavaScript strings cannot hold these two unescaped.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def card(fields: dict) -> bytes:
    """The JSON object of an outlet's own fields (:data:`OWN_FIELDS`, from ``fields``)."""
    return encode({name: fields[name] for name in OWN_FIELDS})


def members(pairs) -> Encoded:
    """A JSON object of ``(name, value)`` pairs, in order; :class:`Encoded` values are
    written as they are."""
    return Encoded(
        b"{"
        + b",".join(
            encode(name) + b":" + (value if isinstance(value, Encoded) else encode(value))
            for name, value in pairs
        )
        + b"}"
    )


class Outlets:
    """Hits written as the list's outlets, at one instant, for one request."""

    def __init__(self, request, at):
        self.at = at
        # The URL of every outlet's page: one reverse() and one absolute URL per answer.
        self.serializer = OutletSerializer(context={"request": request, "at": at})
        # Outlets often share hours (and so a compiled schedule): one status each.
        self._statuses: dict[int, bytes] = {}

    def status(self, hit: Hit) -> bytes:
        key = id(hit.schedule)
        status = self._statuses.get(key)
        if status is None:
            value = status_data(status_at(hit.schedule, self.at))
            status = self._statuses[key] = encode(value)
        return status

    def one(self, hit: Hit, fields: dict | None = None) -> Encoded:
        """One outlet: its card, then ``distance_km``, ``status`` and ``url``
        (``fields``: the card read already)."""
        slug = (fields or json.loads(hit.card))["slug"]
        distance = None if hit.distance_km is None else round(hit.distance_km, 3)
        url = self.serializer.get_url(SimpleNamespace(slug=slug))
        return Encoded(
            b'%s,"distance_km":%s,"status":%s,"url":%s}'
            % (hit.card[:-1], encode(distance), self.status(hit), encode(url))
        )

    def feature(self, hit: Hit) -> Encoded:
        """One outlet as a GeoJSON Feature, the list's outlet as its properties."""
        fields = json.loads(hit.card)
        point = {"type": "Point", "coordinates": [fields["longitude"], fields["latitude"]]}
        return members(
            [
                ("type", "Feature"),
                ("id", fields["code"]),
                ("geometry", point),
                ("properties", self.one(hit, fields)),
            ]
        )

    def many(self, hits) -> Encoded:
        return Encoded(b"[" + b",".join(self.one(hit) for hit in hits) + b"]")

    def features(self, hits) -> Encoded:
        return Encoded(b"[" + b",".join(self.feature(hit) for hit in hits) + b"]")


def outlet(hit: Hit):
    """An outlet of the index as :class:`~locations.api.serializers.OutletDetailSerializer`
    reads one: its card's fields, its lifecycle, hours and compiled schedule."""
    schedule = hit.schedule
    return SimpleNamespace(
        **json.loads(hit.card),
        status=schedule.lifecycle,
        hours=schedule.hours,
        closed_on_public_holidays=schedule.hours.closed_on_public_holidays,
        service_slugs=hit.services,
        payment_slugs=hit.payments,
        schedule_now=schedule,
    )
