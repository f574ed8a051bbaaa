"""Where a search starts: coordinates, a postcode or a place name turned into one origin.

Offline first: the gazetteer tables (:class:`~locations.models.PostcodeArea`,
:class:`~locations.models.Place`) and the outlets themselves answer without the network.
With ``GEOCODER = "nominatim"``, free text goes to OpenStreetMap's Nominatim first (it
knows streets; the gazetteer knows places only), and so does a postcode the gazetteer
lacks. Every online failure falls back to the offline answer, with a message saying so.

Offline, free text is read in this order, the first answer winning:

1. a known postcode in the text (the last one: a postcode ends an address);
2. the whole text as a place name (``Bandung``, ``Kota Bandung``);
3. a place named by part of the text, when the rest of the text only confirms it (its
   city or province: ``Cicendo, Bandung``), so nothing typed goes unused;
4. an outlet whose name or address holds the text (``Grand Indonesia``, ``plaza
   cendana``): every word must be in the outlet's name, address, city, province or
   postcode, and a run of them that is not only brand, kind or street words (at least
   four letters: not ``AXIS``, ``Jl``, ``Mall``) must be a phrase of its name or address.
   The longest such run wins, a name before an address, then the shortest name and code;
5. a place named by part of the text (``Jl. Sudirman, Jakarta``: Jakarta), the answer
   saying which part was used and which was not.

An answer's origin records how the text found it (``match``) and the text used
(``matched``); its ``message`` says so in words when not all of the text was used, when
an outlet was matched, or when a postcode's point is only its city's or province's centre.

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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from . import search
from .gazetteer import (
    CITY,
    DISTRICT,
    ID_POSTCODE,
    LOCALITY,
    POSTCODE_IN_TEXT,
    PROVINCE,
    QUALIFIERS,
    REGENCY,
    VILLAGE,
    PlaceQuery,
    fold,
    place_key,
    read_query,
)
from .models import Outlet, Place, PostcodeArea

logger = logging.getLogger(__name__)

#: Place kinds, likeliest first, for a name that several places share (rule 4 above).
KIND_ORDER = {
    kind: i for i, kind in enumerate((CITY, REGENCY, PROVINCE, DISTRICT, LOCALITY, VILLAGE))
}
MAX_ALTERNATIVES = 8
MAX_GRAM = 6  # words in the longest name tried inside free text
MAX_WORDS = 30  # words of free text read at all
MAX_WAIT = 1.0  # seconds a request waits for its online slot before falling back
POLL = 0.1  # seconds between looks at another process's gate
# Names are stored as typed ("Kota Bandung") with aliases; a bare "Bandung" also tries these.
NAME_PREFIXES = ("kota", "kabupaten", "kab", "provinsi")
GATE_KEY = "locations.geocoding:gate"
#: Where an origin comes from (``Origin.source``).
SOURCES = ("coordinates", "postcode", "place")
#: How free text found an origin (``Origin.match``).
MATCHES = ("postcode", "place", "outlet_name", "outlet_address", "online")
#: A word of free text, or a comma or semicolon (which end a part of it).
TOKEN = re.compile(r"[^\s,;]+|[,;]")
#: Words that say what an outlet is, not where: they find no outlet alone, and need not be
#: in its record (an outlet asked for as a store may be a kiosk).
BRAND_WORDS = frozenset(
    {"axis", "xl", "store", "stores", "kiosk", "kios", "toko", "gerai", "outlet", "counter"}
)
#: Small words around a name, and place qualifiers (``Kota``): they need not be there either.
FILLER_WORDS = frozenset({"di", "dekat", "sekitar", "near", "at", "in", "the", *QUALIFIERS})
#: Address words too common to find an outlet alone, after SAME_WORDS.
STREET_WORDS = frozenset(
    {"jl", "no", "lt", "blok", "kav", "rt", "rw", "mall", "plaza", "gedung", "ruko"}
)
#: Spellings that mean the same in an address (``Jalan Braga`` is ``Jl. Braga``).
SAME_WORDS = {
    "jalan": "jl",
    "jln": "jl",
    "nomor": "no",
    "nomer": "no",
    "lantai": "lt",
    "mal": "mall",
}
GENERIC_WORDS = BRAND_WORDS | FILLER_WORDS | STREET_WORDS
MIN_PHRASE = 4  # letters an outlet's phrase needs in words that are not generic or numbers
OUTLET_FIELDS = ("name", "address", "city", "province", "postcode")
OUTLET_ROWS = 200  # outlets read for one text at most (a few share a mall; not hundreds)
OUTLET_CANDIDATES = 1000  # outlets holding the words, of which OUTLET_ROWS are read


@dataclass(frozen=True)
class Origin:
    """A point to search from, with what to call it and where it came from."""

    latitude: float
    longitude: float
    label: str
    source: str  # one of SOURCES (from free text, an outlet is a "place")
    precision: str | None = None  # a Precision value for gazetteer points, else None
    # How free text found it: a MATCHES value and the part of the text used (None when not
    # from text). Notes on the origin, not part of it: they do not count in comparisons.
    match: str | None = field(default=None, compare=False)
    matched: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Resolution:
    """An origin, the other places the text may mean, and a note to show (or "").

    ``unused`` is the part of free text the answer did not use (``Jl. Sudirman`` of
    ``Jl. Sudirman, Jakarta``); ``matched``, the part it used.
    """

    origin: Origin | None
    alternatives: tuple[Origin, ...] = ()
    suggestions: tuple[str, ...] = ()
    message: str = ""
    unused: str = ""

    @property
    def matched(self) -> str:
        return (self.origin.matched or "") if self.origin else ""


class GeocodingError(Exception):
    """What was typed cannot become an origin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(GeocodingError):
    """Nothing by that name or code; ``suggestions`` are close names or codes that exist.

    ``message`` names the suggestions too (for the API's one line of text); ``reason`` is
    the message without them, for a page that shows the suggestions as links.
    """

    def __init__(self, message: str, suggestions=(), reason: str | None = None):
        super().__init__(message)
        self.suggestions = tuple(suggestions)
        self.reason = message if reason is None else reason


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
        origin = _postcode_origin(area)
        return Resolution(origin, message=_message(origin))
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
    unknown = unknown_postcode_message(code, country)
    listed = _("Nearby postcodes: %(codes)s.") % {"codes": ", ".join(nearby)} if nearby else ""
    message = " ".join(filter(None, (unknown, listed, note)))
    raise NotFound(message, nearby, reason=" ".join(filter(None, (unknown, note))))


def unknown_postcode_message(code: str, country: str) -> str:
    """``No postcode 40199 in Indonesia.``"""
    country_name = _("Indonesia") if country == "ID" else country
    return _("No postcode %(code)s in %(country)s.") % {"code": code, "country": country_name}


def find_place(q: str, country: str = "ID") -> Resolution:
    """The place, outlet (or, online, the address) that free text ``q`` names.

    Online (when configured) first, for street-level answers. Offline: a known postcode
    in the text wins; then the whole text as a place; then an outlet's name or address
    or a part of the text as a place (see the module docstring and
    :func:`_find_offline`). Any case, accents and punctuation match. Raises NotFound with
    close names as suggestions, InvalidQuery for empty text.
    """
    text = " ".join(q.split())[:300]
    if not fold(text):
        raise InvalidQuery("q", _("Type a place name, an address or a postcode."))
    if country == "ID" and ID_POSTCODE.fullmatch(fold(text)):
        resolution = lookup_postcode(text, country)
        origin = replace(resolution.origin, match="postcode", matched=text)
        return replace(resolution, origin=origin)
    if not _online_enabled():
        return _find_offline(text, country)
    try:
        found = _online(text, country)
    except _Unavailable:
        note = _("Online search is unavailable; showing the offline match.")
        try:
            offline = _find_offline(text, country)
        except NotFound as error:
            raise NotFound(
                f"{error.message} {note}", error.suggestions, f"{error.reason} {note}"
            ) from None
        return replace(offline, message=" ".join(filter(None, (note, offline.message))))
    if found is None:  # Nominatim knows nothing by that name; the gazetteer may.
        return _find_offline(text, country)
    return Resolution(Origin(*found, source="place", match="online", matched=text))


# --- Offline place search -------------------------------------------------------------


class _Probe(NamedTuple):
    """One reading of the text: a name, the keys it may be stored under, the words around it."""

    query: PlaceQuery
    keys: frozenset
    context: frozenset = frozenset()
    order: tuple = ()  # within its stage: the part's index, or minus the run's length
    position: int = 0  # a run's first word
    span: range = range(0)  # the indexes of its words in the text


def _probe(text: str, *args, span: range) -> _Probe:
    query = read_query(text)
    keys = {query.key, query.bare_key, *(prefix + query.bare_key for prefix in NAME_PREFIXES)}
    return _Probe(query, frozenset(keys), *args, span=span)


class _Typed:
    """Free text as typed: its folded words, the comma-separated parts they fall in, and
    where each was typed (so that an answer can quote the part of the text it used)."""

    def __init__(self, text: str):
        self.text = text
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []  # each word's token, as a slice of the text
        self.parts: list[range] = []  # the indexes of each non-empty part's words
        start = 0
        for token in TOKEN.finditer(text):
            if token.group() in ",;":
                self._end_part(start)
                start = len(self.words)
                continue
            for word in fold(token.group()).split():
                self.words.append(word)
                self.spans.append(token.span())
        self._end_part(start)

    def _end_part(self, start: int) -> None:
        if len(self.words) > start:
            self.parts.append(range(start, len(self.words)))

    def split(self, used) -> tuple[str, str]:
        """The text of the words in ``used`` and of the others, as typed: each run of
        neighbouring words once, runs joined with commas. A token holding both kinds
        (``plaza-cendana``) is quoted word by word, folded."""
        tokens: dict[tuple[int, int], list[int]] = {}
        for index, span in enumerate(self.spans):
            tokens.setdefault(span, []).append(index)
        runs: list[tuple[bool, list]] = []  # pieces: [start, end] of the text, or a word
        for (start, end), indexes in tokens.items():
            kinds = {index in used for index in indexes}
            if len(kinds) == 1:
                pieces = [(kinds.pop(), [start, end])]
            else:
                pieces = [(index in used, self.words[index]) for index in indexes]
            for flag, piece in pieces:
                if not runs or runs[-1][0] != flag:
                    runs.append((flag, [piece]))
                elif isinstance(piece, list) and isinstance(runs[-1][1][-1], list):
                    runs[-1][1][-1][1] = end  # the same run of the text goes on
                else:
                    runs[-1][1].append(piece)
        texts: dict[bool, list[str]] = {True: [], False: []}
        for flag, pieces in runs:
            words = (p if isinstance(p, str) else self.text[p[0] : p[1]] for p in pieces)
            texts[flag].append(" ".join(words).strip(" ,;"))
        return ", ".join(filter(None, texts[True])), ", ".join(filter(None, texts[False]))


def _find_offline(text: str, country: str) -> Resolution:
    """The offline answer, in the order of the module docstring: a postcode in the text,
    the gazetteer's readings tried in stages (one query for all their keys), the outlets
    (one query), then a reading of part of the text.

    In a stage, the reading whose best place the rest of the text confirms most wins
    (``Jalan Braga, Sumur Bandung, Bandung``); then, for parts, the first; for runs of
    words, the longest, then the likeliest place (so a street name that is also some
    village's does not beat the city), then the first.
    """
    typed = _Typed(text)
    if country == "ID":
        for code in reversed(POSTCODE_IN_TEXT.findall(text)):  # a postcode ends an address
            area = PostcodeArea.objects.lookup(code, country)
            if area is not None:
                used = [i for i, word in enumerate(typed.words) if word == code][-1:]
                return _answer(typed, [_postcode_origin(area)], used, "postcode")
    parts = [" ".join(typed.words[i] for i in part) for part in typed.parts]
    words = typed.words[:MAX_WORDS]
    stages = [[_probe(" ".join(parts), span=range(len(typed.words)))]]
    if len(parts) > 1:
        stages.append(
            [
                _probe(
                    part,
                    frozenset(_keys(" ".join(parts[:i] + parts[i + 1 :]).split())),
                    (i,),
                    span=typed.parts[i],
                )
                for i, part in enumerate(parts)
            ]
        )
    stages.append(
        [
            _probe(
                " ".join(words[i : i + n]),
                _keys(words[:i]) | _keys(words[i + n :]),
                (-n,),
                i,
                span=range(i, i + n),
            )
            for n in range(min(len(words), MAX_GRAM), 0, -1)
            for i in range(len(words) - n + 1)
            if not "".join(words[i : i + n]).isdigit()
        ]
    )
    wanted = {key for stage in stages for probe in stage for key in probe.keys}
    rows = list(Place.objects.filter(country=country, key__in=wanted))
    partial = None
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
            used = _confirmed(probe, places[0], typed.words)
            partial = _answer(typed, list(by_label.values()), used, "place")
            break
    if partial is not None and not partial.unused:
        return partial
    outlet = _find_outlet(typed, country)
    if outlet is not None:
        return outlet
    if partial is not None:
        return partial
    suggestions = _suggest(parts if len(parts) > 1 else [" ".join(parts)], country)
    reason = message = _("No place called “%(text)s”.") % {"text": text[:80]}
    if suggestions:
        message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(suggestions)}
    raise NotFound(message, suggestions, reason)


def _answer(typed: _Typed, origins: list[Origin], used, match: str) -> Resolution:
    """A gazetteer answer, saying which words of the text it used (all of them when the
    others are only small words such as ``dekat``: ``dekat Bandung`` is understood)."""
    used = set(used)
    if all(word in FILLER_WORDS for i, word in enumerate(typed.words) if i not in used):
        used = set(range(len(typed.words)))
    matched, unused = typed.split(used)
    origins = [replace(origin, match=match, matched=matched) for origin in origins]
    return Resolution(
        origins[0],
        tuple(origins[1 : MAX_ALTERNATIVES + 1]),
        message=_message(origins[0], unused),
        unused=unused,
    )


def _confirmed(probe: _Probe, place: Place, words: list[str]) -> set[int]:
    """The probe's words, and the words around them that name the place's city or
    province (as :func:`_context` counts them): the words the answer used."""
    own = _field_keys(place.name)
    names = [name for name in (place.city, place.province) if name]
    confirming = set().union(*(_field_keys(n) for n in names if not own & _field_keys(n)))
    used = set(probe.span)
    for i in range(len(words)):
        for j in range(i + 1, min(i + MAX_GRAM, len(words)) + 1):
            if used.isdisjoint(range(i, j)) and "".join(words[i:j]) in confirming:
                used.update(range(i, j))
    return used


def _message(origin: Origin, unused: str = "") -> str:
    """The note saying what of the text was used, and how roughly a postcode's point
    marks it ("" when the text was used whole and the point is not a rough one)."""
    centre = None
    if origin.source == "postcode":
        centre = {CITY: _("city centre"), PROVINCE: _("province centre")}.get(origin.precision)
    place = origin.label
    if centre:
        place = _("%(place)s (approximate: %(centre)s)") % {"place": place, "centre": centre}
    if unused and origin.match == "postcode":
        message = _("Showing results near %(place)s; the postcode was used, not “%(unused)s”.")
    elif unused:
        message = _("Showing results near %(place)s; “%(unused)s” was not recognised.")
    elif centre:
        message = _("Showing results near %(place)s.")
    else:
        return ""
    return message % {"place": place, "unused": unused}


# --- Outlets named in free text ----------------------------------------------------------


def _outlet_words(text: str) -> list[str]:
    """Folded words, with the spellings SAME_WORDS lists made one."""
    return [SAME_WORDS.get(word, word) for word in fold(text).split()]


def _meaningful(words: list[str]) -> bool:
    """Whether a run of words can find an outlet: MIN_PHRASE letters beyond generic words
    and numbers (``AXIS``, ``Jl``, ``Mall 2``, ``GI`` cannot)."""
    letters = sum(len(w) for w in words if w not in GENERIC_WORDS and not w.isdigit())
    return letters >= MIN_PHRASE


def _find_outlet(typed: _Typed, country: str) -> Resolution | None:
    """The outlet whose name or address the text names (rule 4 of the module docstring),
    with the next best as alternatives; None when none does or the text is too generic.

    The search index holds every searchable outlet's text, folded (accents and case
    ignored, on every database): it names the outlets holding every word the text needs
    (generic ones apart), then one query reads at most OUTLET_ROWS of them, the shortest
    names first, and ``fold`` decides, in Python.
    """
    words = _outlet_words(" ".join(typed.words[:MAX_WORDS]))
    if not _meaningful(words):
        return None
    searched = [w for w in words if w not in GENERIC_WORDS]
    ids = search.current_index().containing(searched, OUTLET_CANDIDATES)
    rows = (
        Outlet.objects.searchable()
        .filter(id__in=ids, country=country)
        .order_by(Length("name"), "code")
        .values_list(*OUTLET_FIELDS, "code", "latitude", "longitude")[:OUTLET_ROWS]
    )
    needed = {w for w in words if w not in BRAND_WORDS | FILLER_WORDS}
    found = []
    for row in rows:
        name, address, city, province, postcode, code = row[:6]
        texts = [" ".join(_outlet_words(name)), " ".join(_outlet_words(address))]
        held = {*" ".join(texts).split(), *_outlet_words(f"{city} {province} {postcode}")}
        phrase = needed <= held and _phrase(words, texts)
        if phrase:  # (length, 0 for the name or 1 for the address)
            found.append(((-phrase[0], phrase[1], len(name), code), phrase[1], row))
    if not found:
        return None
    matched, unused = typed.split(range(min(len(typed.words), MAX_WORDS)))
    by_label = {}
    for _order, in_address, (name, address, city, *_others, lat, lng) in sorted(found):
        label = ", ".join(_distinct(name, city))
        match = ("outlet_name", "outlet_address")[in_address]
        origin = Origin(lat, lng, label, "place", None, match, matched)
        by_label.setdefault(label, (origin, name, address))
    (origin, name, address), *others = by_label.values()
    if origin.match == "outlet_name":
        message = _("Matched outlet: %(name)s.") % {"name": name}
    else:
        message = _("Matched the address of %(name)s: %(address)s.") % {
            "name": name,
            "address": address,
        }
    alternatives = tuple(other[0] for other in others[:MAX_ALTERNATIVES])
    return Resolution(origin, alternatives, message=message, unused=unused)


def _phrase(words: list[str], texts: list[str]) -> tuple[int, int] | None:
    """The longest meaningful run of ``words`` that one of ``texts`` (folded, a name then
    an address) holds as whole words: (its length, the text's index), or None."""
    padded = [f" {text} " for text in texts]
    for n in range(len(words), 0, -1):
        runs = [words[i : i + n] for i in range(len(words) - n + 1)]
        runs = [f" {' '.join(run)} " for run in runs if _meaningful(run)]
        for index, text in enumerate(padded):
            if any(run in text for run in runs):
                return n, index
    return None


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
    label = " ".join(_distinct(area.postcode, ", ".join(_distinct(area.place, area.city))))
    return Origin(area.latitude, area.longitude, label, "postcode", area.precision)


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
