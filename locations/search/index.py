"""Nearest-outlet search: exact WGS 84 geodesic order, without a geodesic per outlet.

An :class:`OutletIndex` holds every searchable outlet in memory: a k-d tree of points on
the unit sphere, plus the kind, services, payment methods and compiled hours of each. A
search asks the tree for the nearest candidates by great-circle distance (cheap), keeps
those that pass the filters, computes geodesic distances for those few only (pyproj's
Karney algorithm, the one geopy's ``geodesic`` uses), and widens the candidate set until
no outlet outside it could be nearer than the last answer.

Exactness rests on one bound. On the WGS 84 ellipsoid, a geodesic is never shorter than
:data:`SPHERE_RATIO` times the great-circle distance between the same latitudes and
longitudes on a sphere of the mean radius (the ratio lies between about 0.994 and 1.005:
the ellipsoid's radii of curvature run from 6,335 km to 6,400 km). So once the next
unseen candidate's great-circle distance, times that ratio, exceeds the geodesic distance
of the last outlet picked, no unseen outlet can take its place.

Plain Python and numpy, no Django: :mod:`.loading` reads the database rows, :mod:`.live`
keeps each process's index current. After a write, a :class:`LayeredIndex` answers: the
built index with the changed outlets hidden, and a small index of their new versions.
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .. import hours as hours_rules
from ..kinds import KINDS

MEAN_RADIUS_M = 6_371_008.8
#: A lower bound of geodesic / great-circle distance (true minimum about 0.994).
SPHERE_RATIO = 0.99
MAX_RADIUS_KM = 1000.0


@dataclass(frozen=True, slots=True)
class BBox:
    """A map viewport in degrees; ``west > east`` crosses the antimeridian (RFC 7946)."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self):
        if not (-180 <= self.west <= 180 and -180 <= self.east <= 180):
            raise ValueError("longitudes must be between -180 and 180")
        if not (-90 <= self.south <= 90 and -90 <= self.north <= 90):
            raise ValueError("latitudes must be between -90 and 90")
        if self.south > self.north:
            raise ValueError("the south edge is north of the north edge")

    @classmethod
    def parse(cls, text: str) -> BBox:
        """Read ``min_lng,min_lat,max_lng,max_lat``; ValueError says what is wrong.

        As text, a west edge east of the east edge is taken for a mistake (Indonesia lies
        far from the antimeridian); the class itself can hold such a box.
        """
        parts = text.split(",")
        if len(parts) != 4:
            raise ValueError("expected four numbers: min_lng,min_lat,max_lng,max_lat")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            raise ValueError("expected four numbers: min_lng,min_lat,max_lng,max_lat") from None
        if not all(math.isfinite(n) for n in numbers):
            raise ValueError("expected four finite numbers")
        if numbers[0] > numbers[2]:
            raise ValueError("min_lng is greater than max_lng")
        return cls(*numbers)

    def contains(self, latitude, longitude):
        """Element-wise test (works on numpy arrays and on plain floats)."""
        inside_lat = (latitude >= self.south) & (latitude <= self.north)
        if self.west <= self.east:
            return inside_lat & (longitude >= self.west) & (longitude <= self.east)
        return inside_lat & ((longitude >= self.west) | (longitude <= self.east))


@dataclass(frozen=True, slots=True)
class Filters:
    """What an outlet must be or have to be an answer; empty sets mean any."""

    kinds: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    payments: frozenset[str] = frozenset()
    open_now: bool = False
    bbox: BBox | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True, slots=True)
class IndexedOutlet:
    """What the index needs of one outlet."""

    id: int
    code: str
    kind: str
    latitude: float
    longitude: float
    #: Slugs, in the order answers list them.
    services: tuple[str, ...]
    payments: tuple[str, ...]
    schedule: hours_rules.Schedule
    #: Name, address, city, province and postcode, folded (``locations.gazetteer.fold``):
    #: what :meth:`OutletIndex.containing` looks in.
    text: str = ""
    #: The outlet's own fields as the API writes them (``locations.api.cards``).
    card: bytes = b""


@dataclass(frozen=True, slots=True)
class Hit:
    """One answer: the outlet's id, its geodesic distance, its compiled hours, its
    services and payment methods (slugs), so answers need not load them again, its code
    (which breaks ties) and its card (the API's JSON of its own fields)."""

    outlet_id: int
    distance_km: float | None
    schedule: hours_rules.Schedule
    services: tuple[str, ...] = ()
    payments: tuple[str, ...] = ()
    code: str = ""
    card: bytes = b""


@dataclass(frozen=True, slots=True)
class Cluster:
    """Outlets grouped for a zoomed-out map: where, how many, their extent
    (``west, south, east, north``), and for a lone outlet what its marker shows: its code,
    its kind and whether it is open (None when no instant was given)."""

    latitude: float
    longitude: float
    count: int
    bbox: tuple[float, float, float, float]
    code: str | None
    kind: str | None
    open_now: bool | None


#: A lone outlet's code, kind and open-ness (:meth:`OutletIndex.lone`).
Lone = tuple[str, str, bool | None]


class Matches(Sequence):
    """Outlets passing a filter, as hits made only for the slice asked for (a page)."""

    def __init__(self, index: OutletIndex, positions: np.ndarray):
        self.index = index
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.index._hit(p, None) for p in self.positions[item].tolist()]
        return self.index._hit(int(self.positions[item]), None)


class MergedMatches(Sequence):
    """Two code-ordered :class:`Matches` read as one code-ordered sequence; ``extra`` is
    short (the outlets changed since the index was built)."""

    def __init__(self, main: Matches, extra: Matches):
        self.main, self.extra = main, extra
        codes = main.index.codes
        positions = main.positions
        # Where each extra outlet falls among the main ones, as an index into the merge.
        self.extra_at = [
            bisect.bisect_left(positions, code, key=codes.__getitem__) + n
            for n, code in enumerate(extra.index.codes[p] for p in extra.positions.tolist())
        ]

    def __len__(self) -> int:
        return len(self.main) + len(self.extra)

    def _one(self, k: int) -> Hit:
        n = bisect.bisect_left(self.extra_at, k)
        if n < len(self.extra_at) and self.extra_at[n] == k:
            return self.extra[n]
        return self.main[k - n]

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._one(k) for k in range(*item.indices(len(self)))]
        if item < 0:
            item += len(self)
        if not 0 <= item < len(self):
            raise IndexError(item)
        return self._one(item)


def unit_vectors(latitudes, longitudes) -> np.ndarray:
    """Points on the unit sphere for latitudes and longitudes in degrees."""
    lat = np.radians(np.asarray(latitudes, dtype=float))
    lng = np.radians(np.asarray(longitudes, dtype=float))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lng), cos_lat * np.sin(lng), np.sin(lat)))


def chord_for_metres(metres: float) -> float:
    """The straight-line distance through the unit sphere for a great-circle distance."""
    angle = min(metres / MEAN_RADIUS_M, math.pi)
    return 2 * math.sin(angle / 2)


def metres_for_chord(chord):
    """The great-circle distance on the mean sphere for a unit-sphere chord (or an array
    of them)."""
    return 2 * MEAN_RADIUS_M * np.arcsin(np.minimum(np.asarray(chord) / 2, 1.0))


@functools.cache
def wgs84():
    """pyproj's WGS 84 geodesic calculator (imported on first use: commands that do not
    search never load pyproj)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_metres(latitude: float, longitude: float, latitudes, longitudes) -> np.ndarray:
    """WGS 84 geodesic distances from one point to many (vectorised Karney algorithm)."""
    count = len(latitudes)
    _, _, distances = wgs84().inv(
        np.broadcast_to(longitude, count), np.broadcast_to(latitude, count), longitudes, latitudes
    )
    return distances


class OutletIndex:
    """Searchable outlets in memory, for :meth:`nearest` and :meth:`matching`.

    Positions follow the outlets' order at build time; :meth:`build` sorts them by code, so
    equal distances are broken by code, as an ``ORDER BY distance, code`` would.
    """

    def __init__(self, outlets: Iterable[IndexedOutlet]):
        outlets = sorted(outlets, key=lambda outlet: outlet.code)
        self.size = len(outlets)
        self.ids = np.array([o.id for o in outlets], dtype=np.int64)
        # Tuples of strings, not lists: the garbage collector stops tracking them, so its
        # full collections do not walk 100,000 entries at a time (see live.py).
        self.codes = tuple(o.code for o in outlets)
        self.latitudes = np.array([o.latitude for o in outlets], dtype=float)
        self.longitudes = np.array([o.longitude for o in outlets], dtype=float)
        # Positions by longitude: a viewport's outlets are looked for in its band only.
        self.by_longitude = np.argsort(self.longitudes, kind="stable")
        self.sorted_longitudes = self.longitudes[self.by_longitude]
        # Outlets often share hours: each distinct schedule gets a number, and its open
        # state is kept until its next change (see _open_mask).
        numbers: dict[int, int] = {}
        self.distinct_schedules: list[hours_rules.Schedule] = []
        for o in outlets:
            if id(o.schedule) not in numbers:
                numbers[id(o.schedule)] = len(self.distinct_schedules)
                self.distinct_schedules.append(o.schedule)
        self.schedule_numbers = np.array([numbers[id(o.schedule)] for o in outlets], dtype=np.int64)
        count = len(self.distinct_schedules)
        self._open = np.zeros(count, dtype=bool)
        self._open_from = np.full(count, math.inf)
        self._open_until = np.full(count, -math.inf)
        # Searches run in threads (runserver, gthread workers, ASGI): the three arrays
        # above change together, under this lock.
        self._open_lock = threading.Lock()
        #: Positions whose outlet has changed since the build (see :meth:`without`).
        self.hidden: np.ndarray | None = None
        self.kinds = np.array([KINDS.index(o.kind) for o in outlets], dtype=np.int8)
        self.service_bits = _bits({slug for o in outlets for slug in o.services})
        self.payment_bits = _bits({slug for o in outlets for slug in o.payments})
        self.services = _masks([o.services for o in outlets], self.service_bits)
        self.payments = _masks([o.payments for o in outlets], self.payment_bits)
        # Many outlets offer the same things: share one tuple per distinct list.
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.service_lists = tuple(
            shared.setdefault(tuple(o.services), tuple(o.services)) for o in outlets
        )
        self.payment_lists = tuple(
            shared.setdefault(tuple(o.payments), tuple(o.payments)) for o in outlets
        )
        self.text = TextIndex(tuple(o.text for o in outlets))
        self.cards = tuple(o.card for o in outlets)
        from scipy.spatial import cKDTree  # on first use, as pyproj (see wgs84)

        self.tree = cKDTree(unit_vectors(self.latitudes, self.longitudes).reshape(-1, 3))

    def __len__(self) -> int:
        if self.hidden is None:
            return self.size
        return self.size - int(np.count_nonzero(self.hidden))

    def without(self, outlet_ids: Iterable[int]) -> OutletIndex:
        """This index with the outlets ``outlet_ids`` left out (they have changed).

        A shallow copy: the tree, the arrays and the open-now cache are shared, only the
        mask of hidden positions is new (100,000 bytes at 100,000 outlets).
        """
        hidden = np.isin(self.ids, np.fromiter(outlet_ids, dtype=np.int64))
        if self.hidden is not None:
            hidden |= self.hidden
        view = copy.copy(self)
        view.hidden = hidden
        return view

    # --- Filters ------------------------------------------------------------------------

    def _passing(
        self, positions: np.ndarray, filters: Filters, at: datetime | None
    ) -> np.ndarray | None:
        """The positions among ``positions`` that pass ``filters`` (``open_now`` at ``at``);
        None when a filter names a service or payment method no outlet has."""
        keep = (
            np.ones(len(positions), dtype=bool) if self.hidden is None else ~self.hidden[positions]
        )
        if filters.kinds:
            wanted = [KINDS.index(kind) for kind in filters.kinds if kind in KINDS]
            keep &= np.isin(self.kinds[positions], wanted)
        for wanted, bits, masks in (
            (filters.services, self.service_bits, self.services),
            (filters.payments, self.payment_bits, self.payments),
        ):
            if wanted:
                if not wanted <= bits.keys():
                    return None
                need = sum(bits[slug] for slug in wanted)
                keep &= (masks[positions] & need) == need
        if filters.bbox is not None:
            keep &= filters.bbox.contains(self.latitudes[positions], self.longitudes[positions])
        positions = positions[keep]
        if filters.open_now:
            positions = positions[self._open_mask(positions, _required(at))]
        return positions

    def _open_mask(self, positions: np.ndarray, at: datetime) -> np.ndarray:
        """Which of ``positions`` are open at ``at``.

        Each distinct schedule's answer is kept with the span it holds for (from the
        instant it was worked out until its next change), so searches a moment apart
        reuse it and only schedules whose state may have changed are worked out again.
        Searches in other threads may ask about other instants: the cache is read and
        written under a lock, so no search sees another's flag outside the span it holds.
        """
        moment = at.timestamp()
        numbers = self.schedule_numbers[positions]
        with self._open_lock:
            stale = ~((self._open_from[numbers] <= moment) & (moment < self._open_until[numbers]))
            if stale.any():
                for number in np.unique(numbers[stale]).tolist():
                    status = hours_rules.status(self.distinct_schedules[number], at)
                    change = status.next_change
                    self._open[number] = status.open_now
                    self._open_until[number] = math.inf if change is None else change.timestamp()
                    self._open_from[number] = moment
            return self._open[numbers]

    def matching(self, filters: Filters = NO_FILTERS, at: datetime | None = None) -> Matches:
        """The outlets that pass ``filters``, in code order (for lists with no origin)."""
        return Matches(self, self.passing_all(filters, at))

    def _hit(self, position: int, distance_km: float | None) -> Hit:
        return Hit(
            int(self.ids[position]),
            distance_km,
            self.distinct_schedules[self.schedule_numbers[position]],
            self.service_lists[position],
            self.payment_lists[position],
            self.codes[position],
            self.cards[position],
        )

    def find(self, code: str) -> Hit | None:
        """The outlet coded exactly ``code`` (in this case), as a hit with no distance;
        None when there is none, or it has changed since the build (:meth:`without`)."""
        position = bisect.bisect_left(self.codes, code)
        if position == self.size or self.codes[position] != code:
            return None
        if self.hidden is not None and self.hidden[position]:
            return None
        return self._hit(position, None)

    def clusters(
        self, cell_degrees: float, filters: Filters = NO_FILTERS, at: datetime | None = None
    ) -> list[Cluster]:
        """The outlets passing ``filters`` grouped on a grid of ``cell_degrees`` squares:
        each group's count, mean point and bounding box, and its code when it is alone."""
        positions = self.passing_all(filters, at)
        return grid_clusters(
            self.latitudes[positions],
            self.longitudes[positions],
            lambda points: self.lone(positions[points], at),
            cell_degrees,
        )

    def lone(self, positions: np.ndarray, at: datetime | None) -> list[Lone]:
        """What the map shows of each outlet at ``positions`` standing alone: its code, its
        kind and whether it is open at ``at`` (None without an instant), from the same
        cache as the ``open_now`` filter."""
        open_now = [None] * len(positions) if at is None else self._open_mask(positions, at)
        return [
            (self.codes[p], KINDS[self.kinds[p]], None if is_open is None else bool(is_open))
            for p, is_open in zip(positions.tolist(), open_now, strict=True)
        ]

    def passing_all(self, filters: Filters, at: datetime | None) -> np.ndarray:
        """Positions of every outlet passing ``filters``, in code order."""
        bbox = filters.bbox
        candidates = np.arange(self.size) if bbox is None else self._between(bbox.west, bbox.east)
        positions = self._passing(candidates, filters, at)
        return positions if positions is not None else np.arange(0)

    def _between(self, west: float, east: float) -> np.ndarray:
        """Positions (in code order) of the outlets from longitude ``west`` to ``east``,
        across the antimeridian when ``west > east``: a map viewport's band, found by
        bisection rather than by testing every outlet."""
        bands = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
        lows = np.searchsorted(self.sorted_longitudes, [w for w, _ in bands], side="left")
        highs = np.searchsorted(self.sorted_longitudes, [e for _, e in bands], side="right")
        parts = [self.by_longitude[low:high] for low, high in zip(lows, highs, strict=True)]
        return np.sort(np.concatenate(parts))

    def containing(self, words: Sequence[str], limit: int) -> list[int]:
        """Ids of up to ``limit`` outlets whose text holds every one of ``words`` (folded),
        each as a substring; callers check whole words and phrases themselves."""
        positions = self.text.containing(words)
        if self.hidden is not None:
            positions = positions[~self.hidden[positions]]
        return self.ids[positions[:limit]].tolist()

    # --- Nearest ------------------------------------------------------------------------

    def nearest(
        self,
        latitude: float,
        longitude: float,
        *,
        limit: int,
        radius_km: float | None = None,
        filters: Filters = NO_FILTERS,
        at: datetime | None = None,
    ) -> list[Hit]:
        """The ``limit`` nearest outlets passing ``filters``, nearest first.

        With ``radius_km``, only outlets within that geodesic distance; without, the
        ``limit`` nearest however far. ``at`` is the instant ``filters.open_now`` asks about.
        Distances are WGS 84 geodesics; ties go to the lower code.
        """
        if limit < 1 or self.size == 0:
            return []
        if filters.open_now:
            _required(at)
        origin = unit_vectors([latitude], [longitude])[0]
        radius_m = None if radius_km is None else radius_km * 1000
        reach = math.inf if radius_m is None else chord_for_metres(radius_m / SPHERE_RATIO)
        wanted = min(self.size, max(2 * limit, 16))
        while True:
            chords, positions = self.tree.query(origin, k=wanted, distance_upper_bound=reach)
            chords, positions = np.atleast_1d(chords), np.atleast_1d(positions)
            found = positions < self.size
            # Every outlet within reach has been seen: nothing unseen can be an answer.
            seen_all = wanted >= self.size or not found[-1]
            # No unseen outlet is nearer (great circle) than the farthest one seen.
            horizon_m = SPHERE_RATIO * metres_for_chord(chords[found][-1]) if found.any() else 0
            picked, worst_m = self._pick(
                positions[found], latitude, longitude, limit, radius_m, filters, at
            )
            if seen_all or (len(picked) == limit and worst_m < horizon_m):
                return picked
            wanted = min(self.size, wanted * 4)

    def _pick(self, positions, latitude, longitude, limit, radius_m, filters, at):
        """The best ``limit`` of the candidate positions, and the distance of the last."""
        positions = self._passing(positions, filters, at)
        if positions is None or not len(positions):
            return [], math.inf
        distances = geodesic_metres(
            latitude, longitude, self.latitudes[positions], self.longitudes[positions]
        )
        if radius_m is not None:
            inside = distances <= radius_m
            positions, distances = positions[inside], distances[inside]
        best = np.lexsort((positions, distances))[:limit].tolist()
        picked = [self._hit(int(positions[i]), round(float(distances[i]) / 1000, 6)) for i in best]
        return picked, float(distances[best[-1]]) if best else math.inf


#: Cluster grid cells are this many screen pixels wide (256-pixel tiles, as in Leaflet).
CELL_PIXELS = 64
#: The most groups a clustering answers. A large screen is about 40 by 25 cells of 64
#: pixels; a viewport wider than its zoom (the world at zoom 22) gets wider cells instead.
MAX_CLUSTERS = 1000


def cluster_cell(zoom: int, bbox: BBox) -> float:
    """The cluster grid's cell in degrees: :data:`CELL_PIXELS` at ``zoom``, widened where
    ``bbox`` would touch more than :data:`MAX_CLUSTERS` cells.

    A span of ``s`` degrees touches at most ``s / cell + 2`` cells of a row or column
    (part of one at each end), so the cell must keep ``(w / cell + 2) * (h / cell + 2)``
    within the bound; the smallest such cell solves that quadratic in ``1 / cell``.
    """
    cell = 360 / (256 * 2**zoom) * CELL_PIXELS
    width = (bbox.east - bbox.west) if bbox.west <= bbox.east else 360 + bbox.east - bbox.west
    height = bbox.north - bbox.south
    room = MAX_CLUSTERS - 4
    smallest = (width + height + ((width + height) ** 2 + room * width * height) ** 0.5) / room
    return max(cell, smallest)


#: Groups in neighbouring cells whose points are closer than this share of a cell are one
#: group: their markers would cover each other on the map.
MERGE_WITHIN_CELL = 0.5


def grid_clusters(latitudes, longitudes, lone, cell_degrees: float) -> list[Cluster]:
    """Points grouped on a grid of ``cell_degrees`` squares, neighbouring groups that would
    overlap on the map merged (:data:`MERGE_WITHIN_CELL`); ``lone(points)`` describes the
    points (an array of their numbers) that are alone in their group, all in one call, so
    that a group of several costs nothing and open-ness is worked out in one pass."""
    if not len(latitudes):
        return []
    rows = np.floor((latitudes + 90) / cell_degrees).astype(np.int64)
    columns = np.floor((longitudes + 180) / cell_degrees).astype(np.int64)
    width = int(360 / cell_degrees) + 2
    # One sort of the points, by cell; everything else is worked out per cell, then per
    # group of cells (a few dozen), not per point.
    keys = rows * width + columns
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    cells = sorted_keys[starts]
    cell_counts = np.diff(np.append(starts, len(keys)))
    sorted_lat, sorted_lng = latitudes[order], longitudes[order]
    cell_lat = np.add.reduceat(sorted_lat, starts)
    cell_lng = np.add.reduceat(sorted_lng, starts)
    merged = _merge_neighbours(
        cells // width, cells % width, cell_lat / cell_counts, cell_lng / cell_counts, cell_degrees
    )
    size = int(merged.max()) + 1
    counts = np.bincount(merged, weights=cell_counts, minlength=size).astype(np.int64)
    mean_lat = (np.bincount(merged, weights=cell_lat, minlength=size) / counts).tolist()
    mean_lng = (np.bincount(merged, weights=cell_lng, minlength=size) / counts).tolist()
    box = []
    for reduce, values, start in (
        (np.minimum, sorted_lng, np.inf),
        (np.minimum, sorted_lat, np.inf),
        (np.maximum, sorted_lng, -np.inf),
        (np.maximum, sorted_lat, -np.inf),
    ):
        edge = np.full(size, start)
        reduce.at(edge, merged, reduce.reduceat(values, starts))
        box.append(edge.tolist())
    # A group of one point is one cell of one point: that cell's first (only) point.
    first = np.empty(size, dtype=np.int64)
    first[merged] = order[starts]
    alone = np.flatnonzero(counts == 1)
    described = dict(zip(alone.tolist(), lone(first[alone]), strict=True))
    counts = counts.tolist()
    return [
        Cluster(
            mean_lat[n],
            mean_lng[n],
            counts[n],
            (box[0][n], box[1][n], box[2][n], box[3][n]),
            *described.get(n, (None, None, None)),
        )
        for n in range(size)
    ]


def _merge_neighbours(rows, columns, latitudes, longitudes, cell_degrees) -> np.ndarray:
    """For cells (their grid row and column, and the mean point of what they hold), the
    group each belongs to (0, 1, ... in cell order): cells are joined with a neighbour,
    sides and corners, whose mean point is within :data:`MERGE_WITHIN_CELL` of a cell on
    both axes, and so on transitively."""
    where = {cell: n for n, cell in enumerate(zip(rows.tolist(), columns.tolist(), strict=True))}
    parent = list(range(len(where)))

    def root(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    near = MERGE_WITHIN_CELL * cell_degrees
    lat, lng = latitudes.tolist(), longitudes.tolist()
    for (row, column), n in where.items():
        for step_row, step_column in ((0, 1), (1, -1), (1, 0), (1, 1)):
            m = where.get((row + step_row, column + step_column))
            if m is not None and abs(lat[n] - lat[m]) < near and abs(lng[n] - lng[m]) < near:
                parent[root(m)] = root(n)
    roots = [root(n) for n in range(len(parent))]
    return np.unique(roots, return_inverse=True)[1]


class LayeredIndex:
    """An index built a while ago, with the outlets changed since then answered from a
    small index of their new versions: what a write costs is loading the changed outlets
    and building that small index (milliseconds), not a rebuild.

    ``changed`` maps each changed outlet's id to its new entry, or to None when it is no
    longer searchable (deleted or permanently closed). Answers are the same as those of an
    index built from scratch: each part is searched exactly, and the parts are merged by
    distance, then code.
    """

    def __init__(self, base: OutletIndex, changed: dict[int, IndexedOutlet | None]):
        self.base = base
        self.changed = changed
        self.main = base.without(changed)
        self.extra = OutletIndex(entry for entry in changed.values() if entry is not None)

    def __len__(self) -> int:
        return len(self.main) + len(self.extra)

    def patched(self, changed: dict[int, IndexedOutlet | None]) -> LayeredIndex:
        """A new layered index with more changes (the later version of an outlet wins)."""
        return LayeredIndex(self.base, {**self.changed, **changed})

    def nearest(self, latitude: float, longitude: float, *, limit: int, **options) -> list[Hit]:
        hits = self.main.nearest(latitude, longitude, limit=limit, **options)
        hits += self.extra.nearest(latitude, longitude, limit=limit, **options)
        hits.sort(key=lambda hit: (hit.distance_km, hit.code))
        return hits[:limit]

    def find(self, code: str) -> Hit | None:
        return self.extra.find(code) or self.main.find(code)

    def containing(self, words: Sequence[str], limit: int) -> list[int]:
        found = self.extra.containing(words, limit)
        return found + self.main.containing(words, limit - len(found))

    def matching(self, filters: Filters = NO_FILTERS, at: datetime | None = None):
        return MergedMatches(self.main.matching(filters, at), self.extra.matching(filters, at))

    def clusters(
        self, cell_degrees: float, filters: Filters = NO_FILTERS, at: datetime | None = None
    ) -> list[Cluster]:
        main, extra = self.main.passing_all(filters, at), self.extra.passing_all(filters, at)
        split = len(main)

        def lone(points: np.ndarray) -> list[Lone]:
            # Points below ``split`` are the main index's, the others the extra one's.
            in_main = points < split
            from_main = iter(self.main.lone(main[points[in_main]], at))
            from_extra = iter(self.extra.lone(extra[points[~in_main] - split], at))
            return [next(from_main) if mine else next(from_extra) for mine in in_main.tolist()]

        return grid_clusters(
            np.concatenate((self.main.latitudes[main], self.extra.latitudes[extra])),
            np.concatenate((self.main.longitudes[main], self.extra.longitudes[extra])),
            lone,
            cell_degrees,
        )


class TextIndex:
    """The outlets' folded texts, searched for substrings all at once: one string of
    every text (built on the first search), where ``str.find`` runs in C."""

    def __init__(self, texts: tuple[str, ...]):
        self.texts = texts
        self._joined: tuple[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _haystack(self) -> tuple[str, np.ndarray]:
        with self._lock:
            if self._joined is None:
                lengths = np.fromiter((len(t) + 1 for t in self.texts), np.int64, len(self.texts))
                starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
                self._joined = ("\n".join(self.texts), starts)
            return self._joined

    def containing(self, words: Sequence[str]) -> np.ndarray:
        """Positions (ascending) of the texts holding every one of ``words``."""
        words = sorted({w for w in words if w})
        if not words or not self.texts:
            return np.arange(0)
        joined, starts = self._haystack()
        # Find the rarest word (counting runs in C), then check the others where it is.
        first = min(words, key=joined.count)
        found = []
        at = joined.find(first)
        while at != -1:
            found.append(at)
            at = joined.find(first, at + 1)
        positions = np.unique(np.searchsorted(starts, found, side="right") - 1)
        rest = [w for w in words if w != first]
        if rest:
            texts = self.texts
            keep = [p for p in positions.tolist() if all(w in texts[p] for w in rest)]
            positions = np.array(keep, dtype=np.int64)
        return positions


def _bits(slugs: set[str]) -> dict[str, int]:
    """One bit per slug (at most 63 services or payment methods)."""
    if len(slugs) > 63:
        raise ValueError("the index holds at most 63 services or payment methods")
    return {slug: 1 << n for n, slug in enumerate(sorted(slugs))}


def _masks(sets: list[frozenset[str]], bits: dict[str, int]) -> np.ndarray:
    return np.array([sum(bits[slug] for slug in slugs) for slugs in sets], dtype=np.int64)


def _required(at: datetime | None) -> datetime:
    if at is None:
        raise ValueError("open_now needs the instant to check (at)")
    return at
