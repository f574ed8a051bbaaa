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
from datetime import datetime
from types import SimpleNamespace

from django.utils.translation import get_language
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from ..hours import status as status_at
from ..search.index import Hit
from .serializers import OWN_FIELDS, SLUG_MARK, OutletSerializer, status_data


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


def card_value(card: bytes, name: bytes) -> bytes:
    """The JSON of member ``name`` in a card, as it is written there, for a member whose
    value holds no comma: a number, or plain ASCII text (a code, a slug) with no escapes.

    ``"name":`` is found only where the member is: inside a string a quote is escaped,
    and a string value is followed by a comma or a brace, never by a colon.
    """
    start = card.index(b'"%s":' % name) + len(name) + 3
    end = card.find(b",", start)
    return card[start : end if end >= 0 else -1]


def card_slug(card: bytes) -> bytes:
    """The slug in a card, as it is written there, without its quotes."""
    return card_value(card, b"slug")[1:-1]


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


def array(items) -> Encoded:
    """A JSON array of :class:`Encoded` items."""
    return Encoded(b"[" + b",".join(items) + b"]")


class Statuses:
    """Outlets' statuses at one instant, encoded, by language and compiled schedule.

    Outlets share schedules (160 among 100,000 generated outlets), and answers in the same
    second ask about the same instant (the API's "now" is to the second), so they share
    the statuses too: this keeps those of the latest instant asked about.
    """

    def __init__(self):
        self._latest: tuple[datetime | None, dict] = (None, {})

    def at(self, at: datetime) -> dict:
        """The statuses at ``at``: the latest instant's, or a fresh set that becomes the
        latest (a thread holding the previous set keeps it, whole)."""
        instant, statuses = self._latest
        if instant != at:
            statuses = {}
            self._latest = (at, statuses)
        return statuses


STATUSES = Statuses()


class Outlets:
    """Hits written as the list's outlets, at one instant, for one request."""

    def __init__(self, request, at):
        self.at = at
        # Every outlet's page URL is this one with its slug in place of the mark: one
        # reverse() and one absolute URL per answer, encoded once around the slug.
        serializer = OutletSerializer(context={"request": request, "at": at})
        url = serializer.get_url(SimpleNamespace(slug=SLUG_MARK))
        self._url_around = encode(url).split(SLUG_MARK.encode())
        self._statuses = STATUSES.at(at)
        self._language = get_language()

    def status(self, hit: Hit) -> bytes:
        # By the schedule's id, the schedule kept beside its status: an id can be reused
        # once an object is freed, so the entry must hold this very schedule.
        key = (self._language, id(hit.schedule))
        known = self._statuses.get(key)
        if known is not None and known[0] is hit.schedule:
            return known[1]
        status = encode(status_data(status_at(hit.schedule, self.at)))
        self._statuses[key] = (hit.schedule, status)
        return status

    def one(self, hit: Hit) -> Encoded:
        """One outlet: its card, then ``distance_km``, ``status`` and ``url``."""
        distance = b"null" if hit.distance_km is None else b"%r" % round(hit.distance_km, 3)
        before, after = self._url_around
        return Encoded(
            b'%s,"distance_km":%s,"status":%s,"url":%s%s%s}'
            % (hit.card[:-1], distance, self.status(hit), before, card_slug(hit.card), after)
        )

    def feature(self, hit: Hit) -> Encoded:
        """One outlet as a GeoJSON Feature, the list's outlet as its properties."""
        value = hit.card
        return Encoded(
            b'{"type":"Feature","id":%s,"geometry":{"type":"Point","coordinates":[%s,%s]},'
            b'"properties":%s}'
            % (
                card_value(value, b"code"),
                card_value(value, b"longitude"),
                card_value(value, b"latitude"),
                self.one(hit),
            )
        )

    def many(self, hits) -> Encoded:
        return array(self.one(hit) for hit in hits)

    def features(self, hits) -> Encoded:
        return array(self.feature(hit) for hit in hits)


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
