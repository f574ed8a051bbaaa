"""Coverage for planners: how far each postcode is from an outlet, and where a new one
would serve the most people.

Each postcode's point (:class:`~locations.models.PostcodeArea`) is searched with the
locator's own exact search (:meth:`locations.search.index.OutletIndex.nearest`): the
geodesic distance to the nearest store and to the nearest kiosk, among the outlets the
locator shows (all but the permanently closed).

Postcodes carry no population, so it is estimated from the gazetteer's places, whose
``rank`` is a population where one is known (:func:`estimate_people`). Postcodes are
ranked by people times distance (person-km), the distance a population would travel, so
a crowded postcode 20 km out comes before an empty one 60 km out.

A new outlet's sites are taken among the postcode points (:func:`best_sites`): a site's
gain is the person-km it would save, ``sum(people_p * max(0, d_p - dist(p, site)))``.

Plain Python and numpy, no HTTP: the admin screen (:mod:`locations.admin_coverage`) and
its CSV show what :func:`coverage_for` returns.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max

from . import kinds
from .gazetteer import CITY, DISTRICT, REGENCY, PostcodeEntry, place_key
from .models import Place, PostcodeArea, SearchChange
from .search.index import (
    SPHERE_RATIO,
    Filters,
    chord_for_metres,
    geodesic_metres,
    metres_for_chord,
    unit_vectors,
)
from .search.live import LIVE

#: Where a postcode's people figure comes from (the CSV's ``people_source``).
FROM_DISTRICT = "district"
FROM_CITY = "city"
ASSUMED_MEDIAN = "assumed median"
#: How the worst postcodes are ordered: person-km first, or plain distance first.
BY_PERSON_KM = "person_km"
BY_DISTANCE = "distance"
ORDERS = (BY_PERSON_KM, BY_DISTANCE)
#: Postcodes tried as sites for a new outlet: the worst by person-km, one per point.
CANDIDATES = 300
#: Sites proposed, each counting what the sites above it already serve.
SITES = 10
#: How long a computed coverage is kept. Its key changes with every outlet change, so
#: this only bounds how long an answer from an index still being rebuilt can last.
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True, slots=True)
class Estimate:
    """How many people a postcode is taken to hold, and where the figure comes from."""

    people: float
    source: str


@dataclass(frozen=True, slots=True)
class Row:
    """One postcode: its area, its distances (km; None when no outlet of that kind
    exists) and its estimated people."""

    area: PostcodeEntry
    store_km: float | None
    kiosk_km: float | None
    people: float
    people_source: str

    def km(self, kind: str) -> float | None:
        """The distance to the nearest outlet of ``kind``."""
        return self.store_km if kind == kinds.STORE else self.kiosk_km

    def person_km(self, kind: str) -> float | None:
        """People times the distance to the nearest outlet of ``kind``."""
        km = self.km(kind)
        return None if km is None else self.people * km

    @property
    def assumed(self) -> bool:
        return self.people_source == ASSUMED_MEDIAN


@dataclass(frozen=True, slots=True)
class Gain:
    """What a new outlet at one candidate point would do: the candidate's position among
    the points given, the person-km it saves, how many people (in how many postcodes)
    would have it nearer than their nearest outlet, and by how much on average."""

    position: int
    person_km: float
    people: float
    postcodes: int
    mean_km_saved: float


@dataclass(frozen=True, slots=True)
class Site:
    """A proposed site for a new outlet: a postcode's point and its :class:`Gain`."""

    area: PostcodeEntry
    gain: Gain


@dataclass(frozen=True, slots=True)
class Coverage:
    """Every postcode's row, and the proposed sites for a new store and a new kiosk."""

    rows: tuple[Row, ...]
    sites: dict[str, tuple[Site, ...]]
    #: The people figure of a postcode the gazetteer does not know (None: none known).
    median_people: float | None

    @property
    def known_share(self) -> float:
        """The share of postcodes whose people figure comes from the gazetteer."""
        if not self.rows:
            return 0.0
        return sum(not row.assumed for row in self.rows) / len(self.rows)

    def ranked(self, kind: str, order: str = BY_PERSON_KM) -> list[Row]:
        """The rows worst first for outlets of ``kind``: by person-km (then distance), or
        by distance (then people); postcodes with no outlet of the kind at all last."""
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}")

        def key(row: Row):
            km = row.km(kind)
            if km is None:
                return (1, 0.0, 0.0, row.area.postcode)
            first, second = (row.people * km, km) if order == BY_PERSON_KM else (km, row.people)
            return (0, -first, -second, row.area.postcode)

        return sorted(self.rows, key=key)


# --- People ---------------------------------------------------------------------------


def districts_of(place: str) -> list[str]:
    """The districts a postcode's place names: ``Village, District``, ``District``, or
    several districts, ``A / B``; a note in brackets, ``Nusaniwe (Nusanive)``, left out."""
    district = place.rpartition(",")[2]
    return [name for part in district.split("/") if (name := _BRACKETS.sub("", part).strip())]


_BRACKETS = re.compile(r"\([^)]*\)")


def estimate_people(
    areas: Sequence[PostcodeEntry],
    district_people: dict[tuple[str, str], int],
    city_people: dict[str, int],
) -> list[Estimate]:
    """Each postcode's people, estimated where the gazetteer knows a population.

    ``district_people`` maps a district's :func:`~locations.gazetteer.place_key` and its
    city or regency (as written in ``PostcodeArea.city``) to its population;
    ``city_people`` maps a city's or regency's key to its population.

    A district of known population shares it evenly among the postcodes that name it (a
    postcode naming several districts gets its share of each known one); a postcode
    naming no such district gets an even share of its city's or regency's population,
    where known, among all that city's postcodes; any other postcode is given the median
    of the known per-postcode figures, marked as assumed (1 when none is known: then
    person-km is plain km).
    """
    named = [[(place_key(name), area.city) for name in districts_of(area.place)] for area in areas]
    city_keys = [place_key(area.city) for area in areas]
    in_district = Counter(key for keys in named for key in set(keys))
    in_city = Counter(city_keys)
    known: list[Estimate | None] = []
    for keys, city in zip(named, city_keys, strict=True):
        share = sum(district_people.get(key, 0) / in_district[key] for key in set(keys))
        if share > 0:
            known.append(Estimate(share, FROM_DISTRICT))
        elif city_people.get(city, 0) > 0:
            known.append(Estimate(city_people[city] / in_city[city], FROM_CITY))
        else:
            known.append(None)
    median = median_people(known)
    fallback = Estimate(1.0 if median is None else median, ASSUMED_MEDIAN)
    return [fallback if estimate is None else estimate for estimate in known]


def median_people(estimates: Iterable[Estimate | None]) -> float | None:
    """The median of the known figures, or None when none is known."""
    figures = [e.people for e in estimates if e is not None and e.source != ASSUMED_MEDIAN]
    return float(np.median(figures)) if figures else None


def population_tables(
    places: Iterable[tuple[str, str, str, int]],
) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Districts' and cities' populations from ``(kind, name, city, rank)`` of places
    (rows repeated under other names count once): the two tables
    :func:`estimate_people` reads. A rank of 0 means unknown and is left out."""
    districts: dict[tuple[str, str], int] = {}
    cities: dict[str, int] = {}
    for kind, name, city, rank in places:
        if rank <= 0:
            continue
        if kind == DISTRICT:
            key = (place_key(name), city)
            districts[key] = max(districts.get(key, 0), rank)
        elif kind in (CITY, REGENCY):
            key = place_key(name)
            cities[key] = max(cities.get(key, 0), rank)
    return districts, cities


# --- Distances and sites ----------------------------------------------------------------


def nearest_km(index, latitudes: Sequence[float], longitudes: Sequence[float], kind: str):
    """The geodesic distance (km) from each point to the nearest outlet of ``kind`` in
    ``index`` (the locator's exact search); NaN where there is none.

    Each distinct point is searched once: postcodes known only by their city's or
    district's centre share its point (Indonesia's 8,266 postcodes have 1,528 points).
    """
    filters = Filters(kinds=frozenset({kind}))
    found: dict[tuple[float, float], float] = {}
    distances = np.full(len(latitudes), np.nan)
    for n, point in enumerate(zip(latitudes, longitudes, strict=True)):
        if point not in found:
            hits = index.nearest(*point, limit=1, filters=filters)
            found[point] = hits[0].distance_km if hits else math.nan
        distances[n] = found[point]
    return distances


def best_sites(
    latitudes,
    longitudes,
    people,
    distances_km,
    *,
    candidates: int = CANDIDATES,
    limit: int = SITES,
) -> list[Gain]:
    """Where new outlets would save the most person-km, best first.

    The points are the postcodes', with their people and their distance (km) to the
    nearest outlet now. Candidate sites are the ``candidates`` worst points by person-km
    (one per distinct point). A candidate ``c`` saves ``sum(people_p * max(0, d_p -
    dist(p, c)))``. Sites are picked one after another, each time the candidate saving
    the most given the sites already picked, so the list reads as an order of opening.

    Only postcodes within reach of a candidate count: a k-d tree on the unit sphere finds
    those whose great-circle distance could be below their ``d_p`` (the geodesic is never
    shorter than :data:`~locations.search.index.SPHERE_RATIO` times it), and the exact
    WGS 84 geodesic is worked out for those pairs only.
    """
    from scipy.spatial import cKDTree  # on first use, as the search index does

    latitudes = np.asarray(latitudes, dtype=float)
    longitudes = np.asarray(longitudes, dtype=float)
    people = np.asarray(people, dtype=float)
    now_km = np.asarray(distances_km, dtype=float)
    known = np.isfinite(now_km)
    if not known.any():
        return []
    weight = np.where(known, people * np.nan_to_num(now_km), 0.0)
    picked: list[int] = []
    seen: set[tuple[float, float]] = set()
    for position in np.lexsort((-now_km, -weight)).tolist():
        if len(picked) == candidates or weight[position] <= 0:
            break
        point = (latitudes[position], longitudes[position])
        if point not in seen:
            seen.add(point)
            picked.append(position)
    if not picked:
        return []
    points = unit_vectors(latitudes, longitudes)
    tree = cKDTree(points)
    reach = chord_for_metres(float(np.nanmax(now_km)) * 1000 / SPHERE_RATIO)
    served: list[tuple[np.ndarray, np.ndarray]] = []
    for candidate in picked:
        near = np.asarray(tree.query_ball_point(points[candidate], reach), dtype=np.int64)
        near = near[known[near]]
        chords = np.linalg.norm(points[near] - points[candidate], axis=1)
        near = near[SPHERE_RATIO * metres_for_chord(chords) < now_km[near] * 1000]
        km = (
            geodesic_metres(
                latitudes[candidate], longitudes[candidate], latitudes[near], longitudes[near]
            )
            / 1000
        )
        closer = km < now_km[near]
        served.append((near[closer], km[closer]))
    current = np.where(known, now_km, 0.0)
    gains: list[Gain] = []
    for _ in range(min(limit, len(picked))):
        saved = [
            float(np.sum(people[near] * np.maximum(0.0, current[near] - km))) for near, km in served
        ]
        best = int(np.argmax(saved))
        if saved[best] <= 0:
            break
        near, km = served[best]
        nearer = km < current[near]
        who = people[near[nearer]]
        gains.append(
            Gain(
                position=picked[best],
                person_km=saved[best],
                people=float(who.sum()),
                postcodes=int(nearer.sum()),
                mean_km_saved=saved[best] / float(who.sum()) if who.sum() else 0.0,
            )
        )
        current[near] = np.minimum(current[near], km)
    return gains


def compute(areas: Sequence[PostcodeEntry], index, estimates: Sequence[Estimate]) -> Coverage:
    """The coverage of ``areas`` by the outlets of ``index``, with ``estimates`` (one per
    area, from :func:`estimate_people`)."""
    latitudes = [area.latitude for area in areas]
    longitudes = [area.longitude for area in areas]
    people = [estimate.people for estimate in estimates]
    distances = {kind: nearest_km(index, latitudes, longitudes, kind) for kind in kinds.KINDS}
    rows = tuple(
        Row(
            area,
            _km(distances[kinds.STORE][n]),
            _km(distances[kinds.KIOSK][n]),
            estimate.people,
            estimate.source,
        )
        for n, (area, estimate) in enumerate(zip(areas, estimates, strict=True))
    )
    sites = {
        kind: tuple(
            Site(areas[gain.position], gain)
            for gain in best_sites(latitudes, longitudes, people, distances[kind])
        )
        for kind in kinds.KINDS
    }
    return Coverage(rows, sites, median_people(estimates))


def _km(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


# --- From the database ------------------------------------------------------------------


def coverage_for(country: str = "ID") -> Coverage:
    """The coverage of ``country``'s postcodes by the outlets searches see now, kept in
    Django's cache under a key that any outlet change or gazetteer reload changes."""
    index = LIVE.get()
    # Read after the index: a change logged in between makes the next view compute again.
    change = SearchChange.objects.order_by("-id").values_list("id", "token").first() or (0, "")
    stamps = [
        model.objects.filter(country=country).aggregate(count=Count("id"), last=Max("id"))
        for model in (PostcodeArea, Place)
    ]
    key = "locations:coverage:1:{}:{}:{}:{}".format(
        country,
        *change,
        ":".join(f"{stamp['count']}-{stamp['last']}" for stamp in stamps),
    )
    found = cache.get(key)
    if found is not None:
        return found
    areas = [
        PostcodeEntry(*row)
        for row in PostcodeArea.objects.filter(country=country)
        .order_by("postcode")
        .values_list("postcode", "latitude", "longitude", "place", "city", "province", "precision")
    ]
    districts, cities = population_tables(
        Place.objects.filter(country=country, rank__gt=0)
        .order_by()
        .values_list("kind", "name", "city", "rank")
    )
    result = compute(areas, index, estimate_people(areas, districts, cities))
    cache.set(key, result, CACHE_SECONDS)
    return result
