"""The query a search asks, read under one set of rules for the locator page and the API.

A :class:`SearchQuery` holds what a visitor or a client asks: an origin (coordinates, a
postcode or a place), filters, an instant, a radius, a limit and a page.
:meth:`SearchQuery.parse` reads it from query-string text with the rules of
:data:`PARAMETERS` (one entry per parameter: how its text is read, and the OpenAPI schema
that says so) and the rules between parameters (one origin at most, ``lat`` with ``lng``,
a radius only around an origin). What the page and the API read differs only in
:class:`Accepts`: which parameters, which are required, and how strict about blanks and
unknown names. How they show a :class:`QueryError` is theirs.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Protocol

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from .. import geocoding
from ..kinds import KINDS, KIOSK, STORE
from ..models import PaymentMethod, Service
from . import matching, nearest
from .index import MAX_RADIUS_KM, BBox, Filters, Hit
from .timing import timed

__all__ = [
    "CLUSTERS",
    "DETAIL",
    "LIST",
    "PAGE",
    "PARAMETERS",
    "POSTCODE",
    "Accepts",
    "Parameter",
    "QueryError",
    "SearchQuery",
    "SearchResult",
    "known_slugs",
]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_ZOOM = 22
MAX_POSTCODE_LENGTH = 10
MAX_Q_LENGTH = 200
DEFAULT_COUNTRY = "ID"
#: The instants hours can be evaluated at: the public-holiday calendars cover these years,
#: and the local mean times of old (offsets with seconds) are left out.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2101, 1, 1, tzinfo=UTC)
#: The parameters an origin can come from, in the order the rules name them.
ORIGINS = ("lat", "postcode", "q")

MESSAGES = {
    "required": _("This field is required."),
    "blank": _("Empty: give a value, or leave the parameter out."),
    "null": _("Null characters are not allowed."),
    "unknown_parameter": _("Unknown parameter %(name)s. Known: %(known)s."),
    "did_you_mean": _("Unknown parameter %(name)s. Did you mean %(suggestion)s?"),
    "nameless": _("A value without a parameter name."),
    "number": _("A valid number is required."),
    "integer": _("A valid integer is required."),
    "min": _("Ensure this value is greater than or equal to {min_value}."),
    "max": _("Ensure this value is less than or equal to {max_value}."),
    "above": _("Must be more than %(minimum)s."),
    "max_length": _("Ensure this field has no more than {max_length} characters."),
    "country": _("Must be two letters (ISO 3166-1 alpha-2), e.g. ID."),
    "bbox": _("Must be four numbers: min_lng,min_lat,max_lng,max_lat."),
    "boolean": _("Must be true or false."),
    "unknown_slugs": _("Unknown: {names}. Known: {known}."),
    "instant": _("Must be an ISO 8601 date and time, e.g. 2026-11-25T20:30:00+07:00."),
    "naive": _("Must have a UTC offset (Z or +07:00)."),
    "range": _("Must be in the years %(first)s to %(last)s."),
    "together": _("Give lat and lng together."),
    "one_origin": _("Give one origin: lat and lng, postcode, or q."),
    "needs_origin": _("Needs an origin: lat and lng, postcode, or q."),
}

#: ``vocabulary(name)``: the slugs a ``service`` or ``payment`` parameter may name.
Vocabulary = Callable[[str], Collection[str]]


class QueryError(Exception):
    """Parameters that cannot make a query: ``errors`` maps each one to its reasons."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__(errors)
        self.errors = {
            name: [str(message) for message in messages] for name, messages in errors.items()
        }


class Invalid(ValueError):
    """One parameter's text cannot be read; the message says why."""


def known_slugs(vocabulary: str) -> frozenset[str]:
    """The slugs the database knows for ``"service"`` or ``"payment"``."""
    model = {"service": Service, "payment": PaymentMethod}[vocabulary]
    return frozenset(model.objects.values_list("slug", flat=True))


def _number_text(value: float) -> str:
    return f"{value:g}"


# --- How one parameter's text is read ------------------------------------------------------


class Reader(Protocol):
    """How one parameter's text becomes a value (or Invalid), and the OpenAPI schema that
    states the same rules."""

    def read(self, text: str, vocabulary: Vocabulary) -> Any: ...

    def schema(self) -> dict: ...


#: ASCII decimal numbers only: float() would also take "1_0", "inf" and Arabic-Indic digits.
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
FOUR_NUMBERS = re.compile(rf"{NUMBER.pattern}(?:,{NUMBER.pattern}){{3}}")
TRUE = frozenset({"true", "t", "yes", "y", "on", "1"})
FALSE = frozenset({"false", "f", "no", "n", "off", "0"})


@dataclass(frozen=True)
class Number:
    """A finite decimal number within ``minimum`` (exclusive when ``above``) and ``maximum``."""

    minimum: float
    maximum: float
    above: bool = False

    def read(self, text: str, vocabulary: Vocabulary) -> float:
        value = float(text) if NUMBER.fullmatch(text) else math.nan
        if not math.isfinite(value):
            raise Invalid(MESSAGES["number"])
        if self.above and value <= self.minimum:
            raise Invalid(MESSAGES["above"] % {"minimum": _number_text(self.minimum)})
        if value < self.minimum:
            raise Invalid(MESSAGES["min"].format(min_value=_number_text(self.minimum)))
        if value > self.maximum:
            raise Invalid(MESSAGES["max"].format(max_value=_number_text(self.maximum)))
        return value

    def schema(self) -> dict:
        schema = {"type": "number", "format": "double"}
        schema |= {"minimum": self.minimum, "maximum": self.maximum}
        return schema | ({"exclusiveMinimum": True} if self.above else {})


@dataclass(frozen=True)
class Integer:
    """A whole number, at least ``minimum`` and at most ``maximum`` (when given)."""

    minimum: int
    maximum: int | None = None

    def read(self, text: str, vocabulary: Vocabulary) -> int:
        try:
            value = int(text) if INTEGER.fullmatch(text) else None
        except ValueError:  # more digits than int() converts
            value = None
        if value is None:
            raise Invalid(MESSAGES["integer"])
        if value < self.minimum:
            raise Invalid(MESSAGES["min"].format(min_value=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise Invalid(MESSAGES["max"].format(max_value=self.maximum))
        return value

    def schema(self) -> dict:
        schema = {"type": "integer", "minimum": self.minimum}
        return schema | ({"maximum": self.maximum} if self.maximum is not None else {})


@dataclass(frozen=True)
class Text:
    """Free text of at most ``max_length`` characters."""

    max_length: int

    def read(self, text: str, vocabulary: Vocabulary) -> str:
        if len(text) > self.max_length:
            raise Invalid(MESSAGES["max_length"].format(max_length=self.max_length))
        return text

    def schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 alpha-2 code, in any case; read in capitals."""

    PATTERN = re.compile(r"[A-Za-z]{2}")

    def read(self, text: str, vocabulary: Vocabulary) -> str:
        if not self.PATTERN.fullmatch(text):
            raise Invalid(MESSAGES["country"])
        return text.upper()

    def schema(self) -> dict:
        return {"type": "string", "minLength": 1, "pattern": f"^{self.PATTERN.pattern}$"}


@dataclass(frozen=True)
class Slugs:
    """Comma-separated slugs, each one of ``choices``, or of ``vocabulary(name)`` when
    ``choices`` is empty (read only when the parameter is given)."""

    name: str
    choices: tuple[str, ...] = ()

    def read(self, text: str, vocabulary: Vocabulary) -> frozenset[str]:
        names = frozenset(name.strip() for name in text.split(",") if name.strip())
        if not names:
            raise Invalid(MESSAGES["blank"])
        known = set(self.choices or vocabulary(self.name))
        unknown = sorted(names - known)
        if unknown:
            raise Invalid(
                MESSAGES["unknown_slugs"].format(
                    names=", ".join(unknown), known=", ".join(sorted(known))
                )
            )
        return names

    def schema(self) -> dict:
        return {"type": "string", "minLength": 1}


@dataclass(frozen=True)
class Boolean:
    """``true`` or ``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``)."""

    def read(self, text: str, vocabulary: Vocabulary) -> bool:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise Invalid(MESSAGES["boolean"])

    def schema(self) -> dict:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Instant:
    """An ISO 8601 instant with its UTC offset, from :data:`EARLIEST` to :data:`LATEST`."""

    def read(self, text: str, vocabulary: Vocabulary) -> datetime:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise Invalid(MESSAGES["instant"]) from None
        if value.utcoffset() is None:
            raise Invalid(MESSAGES["naive"])
        if not EARLIEST <= value < LATEST:
            raise Invalid(MESSAGES["range"] % {"first": EARLIEST.year, "last": LATEST.year - 1})
        return value

    def schema(self) -> dict:
        return {"type": "string", "format": "date-time", "minLength": 1}


@dataclass(frozen=True)
class Box:
    """``min_lng,min_lat,max_lng,max_lat``: four decimal numbers, then the ranges and
    order :meth:`BBox.parse` checks."""

    def read(self, text: str, vocabulary: Vocabulary) -> BBox:
        if not FOUR_NUMBERS.fullmatch(text):
            raise Invalid(MESSAGES["bbox"])
        try:
            return BBox.parse(text)
        except ValueError as error:
            raise Invalid(str(error)) from None

    def schema(self) -> dict:
        return {"type": "string", "minLength": 1, "pattern": f"^{FOUR_NUMBERS.pattern}$"}


@dataclass(frozen=True)
class Parameter:
    """One query parameter: how its text is read (``reader``) and what it means."""

    name: str
    reader: Reader
    description: str

    def read(self, text: str, vocabulary: Vocabulary):
        return self.reader.read(text, vocabulary)

    def schema(self) -> dict:
        """Its OpenAPI schema: the reader's rules, and the query's default."""
        schema = self.reader.schema()
        default = DEFAULTS.get(self.name)
        return schema | ({"default": default} if default not in (None, frozenset()) else {})


PARAMETERS: dict[str, Parameter] = {
    parameter.name: parameter
    for parameter in (
        Parameter("lat", Number(-90, 90), "Origin latitude (with `lng`)."),
        Parameter("lng", Number(-180, 180), "Origin longitude (with `lat`)."),
        Parameter(
            "postcode",
            Text(MAX_POSTCODE_LENGTH),
            "Origin: a postcode (five digits in Indonesia).",
        ),
        Parameter(
            "country",
            Country(),
            f"ISO 3166-1 alpha-2 country (default `{DEFAULT_COUNTRY}`); in a search, the "
            "country of `postcode` and `q`.",
        ),
        Parameter("q", Text(MAX_Q_LENGTH), "Origin: a place name or an address."),
        Parameter(
            "radius_km",
            Number(0, MAX_RADIUS_KM, above=True),
            "Only outlets within this geodesic distance "
            f"(0 < radius_km <= {_number_text(MAX_RADIUS_KM)}); needs an origin.",
        ),
        Parameter(
            "limit",
            Integer(1, MAX_LIMIT),
            f"How many nearest outlets (1-{MAX_LIMIT}, default {DEFAULT_LIMIT}); the page "
            "size without an origin.",
        ),
        Parameter("page", Integer(1), "Page number, without an origin."),
        Parameter("kind", Slugs("kind", KINDS), f"`{STORE}`, `{KIOSK}`, or both comma-separated."),
        Parameter(
            "service",
            Slugs("service"),
            "Comma-separated service slugs; the outlet must offer all of them.",
        ),
        Parameter(
            "payment",
            Slugs("payment"),
            "Comma-separated payment-method slugs; the outlet must accept all of them.",
        ),
        Parameter("open_now", Boolean(), "`true`: only outlets open at `at` (default: now)."),
        Parameter(
            "at",
            Instant(),
            f"ISO 8601 instant with a UTC offset, in the years {EARLIEST.year}-"
            f"{LATEST.year - 1}; the status (and, in a search, `open_now`) is evaluated then "
            "(default: now).",
        ),
        Parameter(
            "bbox",
            Box(),
            "`min_lng,min_lat,max_lng,max_lat`, each min at most its max: only outlets "
            "inside (the map's viewport).",
        ),
        Parameter(
            "zoom", Integer(0, MAX_ZOOM), f"The map's zoom level (0-{MAX_ZOOM}), as in Leaflet."
        ),
    )
}


@dataclass(frozen=True)
class Accepts:
    """The parameters one page or endpoint reads, and how strictly.

    ``strict`` (the API): a blank value is malformed, and a name not in ``names`` is
    refused, with the closest known name suggested. Otherwise (the page, whose forms send
    every field and whose links may carry anything): blanks count as not given, unknown
    names are ignored, and a bad value of a name in ``forgiving`` counts as not given.
    """

    names: tuple[str, ...]
    required: frozenset[str] = frozenset()
    strict: bool = True
    forgiving: frozenset[str] = frozenset()

    def unknown(self, name: str) -> str:
        """Why ``name`` is refused, with the closest known name when there is one."""
        if not name:
            return str(MESSAGES["nameless"])
        close = difflib.get_close_matches(name.lower(), self.names, n=1)
        if close:
            return MESSAGES["did_you_mean"] % {"name": name, "suggestion": close[0]}
        return MESSAGES["unknown_parameter"] % {"name": name, "known": ", ".join(self.names)}


FILTERS = ("kind", "service", "payment", "open_now", "at", "bbox")
#: The outlet list and its GeoJSON.
LIST = Accepts(("lat", "lng", "postcode", "country", "q", "radius_km", "limit", "page", *FILTERS))
CLUSTERS = Accepts((*FILTERS, "zoom"), required=frozenset({"bbox", "zoom"}))
DETAIL = Accepts(("at",))
POSTCODE = Accepts(("country",))
#: The locator page (``/?q=40115&kind=kiosk&open_now=1``): a stale page number in a link
#: shows the first page rather than an error.
PAGE = Accepts(
    ("q", "lat", "lng", "kind", "service", "open_now", "radius_km", "at", "limit", "page"),
    strict=False,
    forgiving=frozenset({"page"}),
)


# --- The query ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a search asks; :meth:`parse` reads it from a query string.

    Absent values are ``None`` (or empty sets, ``False``, the defaults). The instant ``at``
    is ``None`` for "now": :meth:`run` takes the caller's now.
    """

    lat: float | None = None
    lng: float | None = None
    postcode: str | None = None
    country: str = DEFAULT_COUNTRY
    q: str | None = None
    kind: frozenset[str] = frozenset()
    service: frozenset[str] = frozenset()
    payment: frozenset[str] = frozenset()
    open_now: bool = False
    bbox: BBox | None = None
    at: datetime | None = None
    radius_km: float | None = None
    limit: int = DEFAULT_LIMIT
    page: int = 1
    zoom: int | None = None

    @classmethod
    def parse(
        cls,
        values: Mapping[str, str],
        accepts: Accepts = LIST,
        *,
        vocabulary: Vocabulary = known_slugs,
    ) -> SearchQuery:
        """The query of ``values`` (parameter name -> text, e.g. a ``QueryDict``), read as
        ``accepts`` says; QueryError naming every parameter that is wrong."""
        errors: dict[str, list[str]] = {}
        read: dict[str, Any] = {}
        if accepts.strict:
            for name in values:
                if name not in accepts.names:
                    errors[name] = [accepts.unknown(name)]
        for name in accepts.names:
            text = values[name].strip() if name in values else ""
            if name not in values or (not text and not accepts.strict):
                if name in accepts.required:
                    errors[name] = [str(MESSAGES["required"])]
                continue
            try:
                if not text:
                    raise Invalid(MESSAGES["blank"])
                if "\x00" in text:
                    raise Invalid(MESSAGES["null"])
                read[name] = PARAMETERS[name].read(text, vocabulary)
            except Invalid as error:
                if name not in accepts.forgiving:
                    errors[name] = [str(error)]
        for name, message in _relations(set(read), failed=set(errors)):
            errors.setdefault(name, []).append(str(message))
        if errors:
            raise QueryError(errors)
        return cls(**read)

    @property
    def has_origin(self) -> bool:
        return self.origin_parameter is not None

    @property
    def origin_parameter(self) -> str | None:
        """The parameter the origin comes from (``lat``, ``postcode`` or ``q``), if any."""
        values = {"lat": self.lat, "postcode": self.postcode, "q": self.q}
        return next((name for name in ORIGINS if values[name] is not None), None)

    def filters(self) -> Filters:
        """What an outlet must be or have, for the search index."""
        return Filters(
            kinds=self.kind,
            services=self.service,
            payments=self.payment,
            open_now=self.open_now,
            bbox=self.bbox,
        )

    @timed
    def resolve(self) -> geocoding.Resolution:
        """The origin. Raises QueryError for a parameter the geocoder cannot read, and
        ``geocoding.NotFound`` when no place or postcode has that name."""
        try:
            return geocoding.resolve(
                lat=self.lat, lng=self.lng, postcode=self.postcode, q=self.q, country=self.country
            )
        except geocoding.InvalidQuery as error:
            raise QueryError({error.param: [error.message]}) from None

    @timed
    def run(
        self,
        now: datetime,
        *,
        per_page: int | None = None,
        clamp_page: bool = False,
        resolution: geocoding.Resolution | None = None,
    ) -> SearchResult:
        """Search at ``at`` (else ``now``): with an origin, the ``limit`` nearest outlets;
        without, page ``page`` of the outlets by code, ``per_page`` (default ``limit``) a
        page. A page past the end raises ``EmptyPage``, or is the last with ``clamp_page``.
        Errors of :meth:`resolve` pass through; a caller that has resolved the origin
        already passes its ``resolution``."""
        at = self.at or now
        filters = self.filters()
        if self.has_origin:
            resolution = resolution or self.resolve()
            origin = resolution.origin
            hits = nearest(
                origin.latitude,
                origin.longitude,
                limit=self.limit,
                at=at,
                radius_km=self.radius_km,
                filters=filters,
            )
            return SearchResult(at, hits, len(hits), resolution=resolution)
        pages = Paginator(matching(filters, at=at), per_page or self.limit)
        page = pages.get_page(self.page) if clamp_page else pages.page(self.page)
        return SearchResult(at, list(page), pages.count, page=page)


#: The query's defaults, as the OpenAPI document states them.
DEFAULTS = {f.name: f.default for f in fields(SearchQuery)}


def _relations(read: Collection[str], *, failed: Collection[str]):
    """(parameter, reason) for each rule between the parameters ``read`` that is broken.

    A rule that involves a parameter which ``failed`` is not judged: its own error says
    what to fix first (``lat=abc`` alone is a bad number, not also a missing ``lng``).
    """
    if ("lat" in read) != ("lng" in read) and not {"lat", "lng"} & set(failed):
        yield ("lng" if "lat" in read else "lat"), MESSAGES["together"]
    origins = [name for name in ORIGINS if name in read or (name == "lat" and "lng" in read)]
    if len(origins) > 1:
        yield origins[1], MESSAGES["one_origin"]
    tried = origins or {"lat", "lng", "postcode", "q"} & set(failed)
    if "radius_km" in read and not tried:
        yield "radius_km", MESSAGES["needs_origin"]


@dataclass(frozen=True)
class SearchResult:
    """What a query found: the instant, the hits to show (load their rows with
    ``Outlet.objects.for_hits``), how many match in all, the origin's resolution (with an
    origin) or the page (without)."""

    at: datetime
    hits: list[Hit]
    count: int
    resolution: geocoding.Resolution | None = None
    page: Page | None = field(default=None, compare=False)

    @property
    def origin(self) -> geocoding.Origin | None:
        return self.resolution.origin if self.resolution else None
