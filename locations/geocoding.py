"""Where a search starts: coordinates, a postcode or a place name turned into one origin.

Offline first: the gazetteer tables (:class:`~locations.models.PostcodeArea`,
:class:`~locations.models.Place`) answer without the network. With ``GEOCODER =
"nominatim"``, free text also goes to OpenStreetMap's Nominatim (it knows streets; the
gazetteer knows places only), and so does a postcode the gazetteer lacks. Every online
failure falls back to the offline answer, with a message saying so.

Several places can share a name (Kota Bandung, Kabupaten Bandung). They are ranked, most
likely first, by:

1. the kind a qualifier word asks for (``Kota Bandung``: the city);
2. with a qualifier, a place whose own name has it (``Kota Agung``, a district);
3. a place whose city or province the rest of the query names (``Cicendo, Bandung``);
4. kind: city, regency, province, district, locality, village;
5. population (``rank``), then name.

The first is the origin; the other distinct places are ``alternatives``.
"""

from __future__ import annotations

import difflib
import hashlib
import heapq
import logging
import math
import os
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from .gazetteer import PlaceQuery, fold, place_key, read_query
from .models import Place, PostcodeArea

logger = logging.getLogger(__name__)

KIND_ORDER = {k: i for i, k in enumerate(("city", "regency", "province", "district", "locality"))}
MAX_ALTERNATIVES = 8
MAX_GRAM = 6  # words in the longest name tried inside free text
MAX_WORDS = 30  # words of free text read at all
MAX_WAIT = 1.0  # seconds a request waits for its online slot before falling back
POLL = 0.1  # seconds between looks at another process's gate
# Names are stored as typed ("Kota Bandung") with aliases; a bare "Bandung" also tries these.
NAME_PREFIXES = ("kota", "kabupaten", "kab", "provinsi")
ID_POSTCODE = re.compile(r"[0-9]{5}")
POSTCODE_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")
GATE_KEY = "locations.geocoding:gate"


@dataclass(frozen=True)
class Origin:
    """A point to search from, with what to call it and where it came from."""

    latitude: float
    longitude: float
    label: str
    source: str  # "coordinates", "postcode" or "place"
    precision: str | None = None  # a Precision value for gazetteer points, else None


@dataclass(frozen=True)
class Resolution:
    """An origin, the other places the text may mean, and a note to show (or "")."""

    origin: Origin | None
    alternatives: tuple[Origin, ...] = ()
    suggestions: tuple[str, ...] = ()
    message: str = ""


class GeocodingError(Exception):
    """What was typed cannot become an origin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(GeocodingError):
    """Nothing by that name or code; ``suggestions`` are close names or codes that exist."""

    def __init__(self, message: str, suggestions=()):
        super().__init__(message)
        self.suggestions = tuple(suggestions)


class InvalidQuery(GeocodingError):
    """A parameter (``param``) that cannot be read: a bad request, not an unknown place."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


class _Unavailable(Exception):
    """The online geocoder did not answer (error, time-out or no free slot)."""


def resolve(*, lat=None, lng=None, postcode=None, q=None, country="ID") -> Resolution:
    """The origin of one of: ``lat`` and ``lng``, ``postcode``, or free text ``q``.

    Blank values count as absent. Raises InvalidQuery (several or no kinds, bad
    coordinates) or NotFound.
    """
    given = [
        name
        for name, values in (("lat", (lat, lng)), ("postcode", (postcode,)), ("q", (q,)))
        if any(value is not None and str(value).strip() for value in values)
    ]
    if len(given) > 1:
        raise InvalidQuery(given[1], _("Give coordinates, a postcode or a place, not several."))
    if not given:
        raise InvalidQuery("q", _("Give coordinates, a postcode or a place."))
    if given[0] == "postcode":
        return lookup_postcode(str(postcode), country)
    if given[0] == "q":
        return find_place(str(q), country)
    latitude, longitude = _coordinate("lat", lat, 90), _coordinate("lng", lng, 180)
    label = f"{latitude:.5f}, {longitude:.5f}"
    return Resolution(Origin(latitude, longitude, label, "coordinates"))


def lookup_postcode(postcode: str, country: str = "ID") -> Resolution:
    """The gazetteer's point for ``postcode``; else Nominatim's when configured.

    Raises NotFound for a malformed code, and for an unknown one with the nearest known
    codes as suggestions.
    """
    code = "".join(postcode.split()).upper()
    if country == "ID" and not ID_POSTCODE.fullmatch(code):
        message = _("“%(code)s” is not a postcode: an Indonesian postcode has five digits.")
        raise NotFound(message % {"code": code[:20]})
    if not 0 < len(code) <= 10:
        raise NotFound(_("“%(code)s” is not a postcode.") % {"code": code[:20]})
    area = PostcodeArea.objects.lookup(code, country)
    if area is not None:
        return Resolution(_postcode_origin(area))
    note = ""
    if _online_enabled():
        try:
            found = _online({"postalcode": code}, country)
        except _Unavailable:
            note = _("Online search is unavailable.")
        else:
            if found:
                return Resolution(Origin(*found, source="postcode"))
    nearby = PostcodeArea.objects.neighbours(code, country, count=2)
    message = unknown_postcode_message(code, country)
    if nearby:
        message += " " + _("Nearby postcodes: %(codes)s.") % {"codes": ", ".join(nearby)}
    raise NotFound(" ".join(filter(None, (message, note))), nearby)


def unknown_postcode_message(code: str, country: str) -> str:
    """``No postcode 40199 in Indonesia.``"""
    country_name = _("Indonesia") if country == "ID" else country
    return _("No postcode %(code)s in %(country)s.") % {"code": code, "country": country_name}


def find_place(q: str, country: str = "ID") -> Resolution:
    """The place (or, online, the address) that free text ``q`` names.

    Online (when configured) first, for street-level answers. Offline: a known postcode
    in the text wins; then the whole text; then its comma-separated parts; then runs of
    words (see :func:`_find_offline`). Any case, accents and punctuation match. Raises
    NotFound with close names as suggestions, InvalidQuery for empty text.
    """
    text = " ".join(q.split())[:300]
    if not fold(text):
        raise InvalidQuery("q", _("Type a place name, an address or a postcode."))
    if country == "ID" and ID_POSTCODE.fullmatch(fold(text)):
        return lookup_postcode(text, country)
    if not _online_enabled():
        return _find_offline(text, country)
    try:
        found = _online(text, country)
    except _Unavailable:
        note = _("Online search is unavailable; showing the offline match.")
        try:
            return replace(_find_offline(text, country), message=note)
        except NotFound as error:
            raise NotFound(f"{error.message} {note}", error.suggestions) from None
    if found is None:  # Nominatim knows nothing by that name; the gazetteer may.
        return _find_offline(text, country)
    return Resolution(Origin(*found, source="place"))


# --- Offline place search -------------------------------------------------------------


class _Probe(NamedTuple):
    """One reading of the text: a name, the keys it may be stored under, the words around it."""

    query: PlaceQuery
    keys: frozenset
    context: frozenset = frozenset()
    order: tuple = ()  # within its stage: the part's index, or minus the run's length
    position: int = 0  # a run's first word


def _probe(text: str, *args) -> _Probe:
    query = read_query(text)
    keys = {query.key, query.bare_key, *(prefix + query.bare_key for prefix in NAME_PREFIXES)}
    return _Probe(query, frozenset(keys), *args)


def _find_offline(text: str, country: str) -> Resolution:
    """The gazetteer's answer: readings tried in stages, one query for all their keys.

    In a stage, the reading whose best place the rest of the text confirms most wins
    (``Jalan Braga, Sumur Bandung, Bandung``); then, for parts, the first; for runs of
    words, the longest, then the likeliest place (so a street name that is also some
    village's does not beat the city), then the first.
    """
    if country == "ID":
        for code in reversed(POSTCODE_IN_TEXT.findall(text)):  # a postcode ends an address
            area = PostcodeArea.objects.lookup(code, country)
            if area is not None:
                return Resolution(_postcode_origin(area))
    parts = [fold(part) for part in re.split(r"[,;]", text) if fold(part)]
    words = " ".join(parts).split()[:MAX_WORDS]
    stages = [[_probe(" ".join(parts))]]
    if len(parts) > 1:
        stages.append(
            [
                _probe(part, frozenset(_keys(" ".join(parts[:i] + parts[i + 1 :]).split())), (i,))
                for i, part in enumerate(parts)
            ]
        )
    stages.append(
        [
            _probe(" ".join(words[i : i + n]), _keys(words[:i]) | _keys(words[i + n :]), (-n,), i)
            for n in range(min(len(words), MAX_GRAM), 0, -1)
            for i in range(len(words) - n + 1)
            if not "".join(words[i : i + n]).isdigit()
        ]
    )
    wanted = {key for stage in stages for probe in stage for key in probe.keys}
    rows = list(Place.objects.filter(country=country, key__in=wanted))
    for stage in stages:
        matches = [(p, r) for p in stage for r in rows if r.key in p.keys]
        if matches:
            probe = min(
                matches, key=lambda m: (-_context(*m), m[0].order, _rank(*m), m[0].position)
            )[0]
            places = sorted((r for r in rows if r.key in probe.keys), key=lambda r: _rank(probe, r))
            # One origin per name, city and province: aliases, and a village named like its
            # district, are one place to a reader (the likeliest row's point stands for it).
            by_label = {}
            for origin in map(_place_origin, places):
                by_label.setdefault(origin.label, origin)
            origins = list(by_label.values())
            return Resolution(origins[0], tuple(origins[1 : MAX_ALTERNATIVES + 1]))
    suggestions = _suggest(parts if len(parts) > 1 else [" ".join(parts)], country)
    message = _("No place called “%(text)s”.") % {"text": text[:80]}
    if suggestions:
        message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(suggestions)}
    raise NotFound(message, suggestions)


def _keys(words: list[str]) -> frozenset[str]:
    """Keys of every run of up to MAX_GRAM words: what the text around a name can say."""
    spans = ((i, j) for i in range(len(words)) for j in range(i + 1, i + MAX_GRAM + 1))
    return frozenset("".join(words[i:j]) for i, j in spans if j <= len(words))


@lru_cache(maxsize=4096)
def _field_keys(name: str) -> frozenset:
    return frozenset({place_key(name), read_query(name).bare_key})


def _context(probe: _Probe, place: Place) -> int:
    """How many of the place's city and province the rest of the query names."""
    own = _field_keys(place.name)
    return sum(
        bool(name) and not own & _field_keys(name) and bool(probe.context & _field_keys(name))
        for name in (place.city, place.province)
    )


def _rank(probe: _Probe, place: Place) -> tuple:
    """Sort key of the rules in the module docstring, most likely first."""
    kind = probe.query.kind
    return (
        bool(kind) and place.kind != kind,
        bool(kind) and place.key != probe.query.key,
        -_context(probe, place),
        KIND_ORDER.get(place.kind, len(KIND_ORDER)),
        -place.rank,
        place.name,
    )


def _postcode_origin(area: PostcodeArea) -> Origin:
    label = ", ".join(_distinct(area.place, area.city))
    return Origin(
        area.latitude, area.longitude, f"{area.postcode} {label}", "postcode", area.precision
    )


def _place_origin(place: Place) -> Origin:
    label = ", ".join(_distinct(place.name, place.city, place.province))
    return Origin(place.latitude, place.longitude, label, "place", place.precision)


def _distinct(*names: str) -> list[str]:
    """Non-blank names, each once (a city's own city field repeats its name)."""
    return list(dict.fromkeys(name for name in names if name))


# Per country: the table's signature, display names by key, and keys by letter pair.
# Rebuilt when the table changes (a new load), checked with one aggregate query.
_names: dict[str, tuple[tuple, dict[str, str], dict[str, list[str]]]] = {}
SHORTLIST = 300  # keys sharing most letter pairs with a typo that difflib then scores


def _pairs(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)}


def _known_names(country: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    places = Place.objects.filter(country=country)
    signature = tuple(places.aggregate(Count("id"), Max("id"), Max("key")).values())
    cached = _names.get(country)
    if cached is None or cached[0] != signature:
        names: dict[str, str] = {}
        for key, name in places.order_by("-rank").values_list("key", "name"):
            names.setdefault(key, name)
        by_pair: dict[str, list[str]] = {}
        for key in names:
            for pair in _pairs(key):
                by_pair.setdefault(pair, []).append(key)
        cached = _names[country] = (signature, names, by_pair)
    return cached[1], cached[2]


def _suggest(texts: list[str], country: str, count: int = 5) -> tuple[str, ...]:
    """The display names closest in spelling to any of ``texts``, closest first."""
    names, by_pair = _known_names(country)
    scored: dict[str, float] = {}
    readings = [read_query(text) for text in texts[:3]]
    for target in dict.fromkeys(key for r in readings for key in (r.key, r.bare_key)):
        matcher = difflib.SequenceMatcher(b=target)
        for key in difflib.get_close_matches(target, _shortlist(target, by_pair), count, 0.6):
            matcher.set_seq1(key)
            scored[names[key]] = max(scored.get(names[key], 0), matcher.ratio())
    return tuple(sorted(scored, key=lambda name: (-scored[name], name))[:count])


def _shortlist(target: str, by_pair: dict[str, list[str]]) -> list[str]:
    """The SHORTLIST keys sharing most letter pairs with ``target``, per letter (Dice).

    difflib over all 20k names takes ~50 ms a word; over these, a few, for the same names.
    """
    shared = Counter()
    for pair in _pairs(target):
        shared.update(by_pair.get(pair, ()))
    return heapq.nlargest(SHORTLIST, shared, key=lambda k: shared[k] / (len(k) + len(target)))


# --- Online (Nominatim) ------------------------------------------------------------------

_clock = time.monotonic  # replaced in tests: nothing here really waits there
_sleep = time.sleep
_slot_lock = threading.Lock()
_last_request: float | None = None
_geocoder: tuple[tuple, Nominatim] | None = None
_geocoder_lock = threading.Lock()


def _online_enabled() -> bool:
    return settings.GEOCODER == "nominatim"


def _nominatim() -> Nominatim:
    """The geocoder, built on first use (and again only if its settings change)."""
    global _geocoder
    config = (settings.GEOCODER_USER_AGENT, settings.GEOCODER_TIMEOUT, settings.GEOCODER_DOMAIN)
    with _geocoder_lock:
        if _geocoder is None or _geocoder[0] != config:
            user_agent, timeout, domain = config
            _geocoder = (config, Nominatim(user_agent=user_agent, timeout=timeout, domain=domain))
        return _geocoder[1]


def _online(query: str | dict, country: str) -> tuple[float, float, str] | None:
    """Nominatim's (latitude, longitude, address), or None when it knows no such place.

    Answers, "no result" included, are cached; raises _Unavailable on any failure.
    """
    normal = fold(query) if isinstance(query, str) else repr(sorted(query.items()))
    digest = hashlib.sha256(f"{settings.GEOCODER_DOMAIN}|{country}|{normal}".encode()).hexdigest()
    cache_key = f"locations.geocoding:{digest}"
    cached = cache.get(cache_key)
    if cached is not None:
        return tuple(cached) or None
    if not _take_slot():
        raise _Unavailable("no free slot")
    try:
        location = _nominatim().geocode(query, country_codes=country.lower(), exactly_one=True)
    except (GeopyError, OSError, ValueError) as error:  # ConfigurationError is a GeopyError
        logger.warning("Nominatim failed for %r: %s", query, error)
        raise _Unavailable(str(error)) from error
    found = (location.latitude, location.longitude, location.address) if location else ()
    cache.set(cache_key, found, settings.GEOCODER_CACHE_SECONDS)
    return found or None


def _take_slot() -> bool:
    """Wait, at most MAX_WAIT, until one more request keeps to GEOCODER_MIN_INTERVAL.

    Threads of this process queue on a lock and the time of the last request; processes
    share a cache entry that lives for the interval (``cache.add`` succeeds for one).
    """
    global _last_request
    interval = float(settings.GEOCODER_MIN_INTERVAL)
    deadline = _clock() + MAX_WAIT
    if not _slot_lock.acquire(timeout=MAX_WAIT):
        return False
    try:
        if _last_request is not None and _last_request + interval > _clock():
            if _last_request + interval > deadline:
                return False
            _sleep(_last_request + interval - _clock())
        if interval > 0:
            # Cache timeouts are whole seconds, so the gate can outlive the interval: our
            # own gate does not stop us (the lock above already spaced our requests).
            token, seconds = f"{socket.gethostname()}:{os.getpid()}", max(1, math.ceil(interval))
            while not cache.add(GATE_KEY, token, seconds):
                if cache.get(GATE_KEY) == token:
                    cache.set(GATE_KEY, token, seconds)
                    break
                if _clock() + POLL > deadline:
                    return False
                _sleep(POLL)
        _last_request = _clock()
        return True
    finally:
        _slot_lock.release()


def _coordinate(name: str, value, limit: int) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not -limit <= number <= limit:  # NaN fails this too
        message = _("%(name)s must be a number from -%(limit)s to %(limit)s.")
        raise InvalidQuery(name, message % {"name": name, "limit": limit})
    return number
