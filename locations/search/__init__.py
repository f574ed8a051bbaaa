"""The nearest-outlet search, in one package.

- :mod:`.index`: the in-memory index (k-d tree and exact geodesic re-rank), pure numpy.
- :mod:`.loading`: outlets read from the database into index entries.
- :mod:`.live`: each process's current index, kept up to date after writes without
  stalling a search.
- :mod:`.query`: the query that the locator page and the API both fill.
- :mod:`.timing`: how long a request's searches took, for the request log.

``models.py`` does not import this package, and the index loads scipy's k-d tree and
pyproj on first use, so commands that do not search never load them.
"""

from .index import (
    KINDS,
    MAX_RADIUS_KM,
    NO_FILTERS,
    SPHERE_RATIO,
    BBox,
    Cluster,
    Filters,
    Hit,
    IndexedOutlet,
    LayeredIndex,
    Matches,
    OutletIndex,
    metres_for_chord,
    unit_vectors,
)
from .live import LIVE
from .timing import timed

__all__ = [
    "KINDS",
    "MAX_RADIUS_KM",
    "NO_FILTERS",
    "SPHERE_RATIO",
    "BBox",
    "Cluster",
    "Filters",
    "Hit",
    "IndexedOutlet",
    "LayeredIndex",
    "Matches",
    "OutletIndex",
    "clusters",
    "current_index",
    "find",
    "matching",
    "metres_for_chord",
    "nearest",
    "unit_vectors",
]


def current_index() -> OutletIndex | LayeredIndex:
    """This process's index of every searchable outlet (see :mod:`.live`)."""
    return LIVE.get()


def find(code: str) -> Hit | None:
    """The searchable outlet coded exactly ``code``, with its card and compiled hours, from
    an index holding every change logged so far; None when it is not there or while the
    index is behind (see :meth:`.live.LiveIndex.current`): then ask the database."""
    index = LIVE.current()
    return None if index is None else index.find(code)


def nearest(
    latitude: float,
    longitude: float,
    *,
    limit: int,
    at,
    radius_km: float | None = None,
    filters: Filters = NO_FILTERS,
) -> list[Hit]:
    """The ``limit`` nearest searchable outlets passing ``filters`` (see
    :meth:`OutletIndex.nearest`); load their rows with ``Outlet.objects.for_hits``."""
    return current_index().nearest(
        latitude, longitude, limit=limit, radius_km=radius_km, filters=filters, at=at
    )


def matching(filters: Filters = NO_FILTERS, *, at) -> Matches:
    """Searchable outlets passing ``filters``, in code order, as lazily made hits."""
    return current_index().matching(filters, at)


@timed
def clusters(cell_degrees: float, filters: Filters = NO_FILTERS, *, at) -> list[Cluster]:
    """Searchable outlets passing ``filters``, grouped on a grid for a zoomed-out map."""
    return current_index().clusters(cell_degrees, filters, at)
