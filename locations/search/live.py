"""Each process's current search index, kept up to date after writes without stalling
a search.

Writes are logged in :class:`~locations.models.SearchChange` (by the signal receivers
below, and by bulk writers themselves). Before each search, one range read of that log
says what changed since the index was last brought up to date:

- some outlets: they are reloaded and answered from a small index beside the built one
  (:class:`.index.LayeredIndex`), which costs milliseconds at 100,000 outlets;
- anything (an import of many outlets, a holiday or vocabulary change), or more changes
  than the log still holds: the index is rebuilt. A small index is rebuilt at once; a
  large one in a background thread, while searches keep the previous index, and the
  new one takes over when it is ready.

Only the first search of a process waits for a whole build; after that a search waits
at most for another thread's patch, or for the rebuild of a small index.

A change's id tells its order; a change that commits after a later id was read (two
transactions on PostgreSQL) leaves a gap that is looked at again for
:data:`GAP_SECONDS`.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass, field

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import (
    HolidayDate,
    OpeningRange,
    Outlet,
    PaymentMethod,
    SearchChange,
    Service,
    SpecialHours,
)
from .index import LayeredIndex, OutletIndex
from .loading import build_index, load_entries

logger = logging.getLogger(__name__)

#: How long a gap in the change ids is looked at again before it counts as a rollback.
GAP_SECONDS = 30.0
#: Changes read per search at most; more means a rebuild.
READ_LIMIT = 500
#: Outlets changed since the last build beyond which a rebuild is cheaper than layering.
MAX_LAYERED = 2000
#: How long a background rebuild sleeps at each pause (see loading.PAUSE_EVERY).
PAUSE_SECONDS = 0.0005
#: Below this many outlets a rebuild is quick (well under half a second) and done at once.
INLINE_REBUILD_BELOW = 5000


@dataclass(frozen=True)
class Snapshot:
    """An index and how far along the change log it is."""

    index: OutletIndex | LayeredIndex
    position: int  # the id of the last change applied (0: none yet)
    token: str  # that change's token ("" for none)
    gaps: dict[int, float] = field(default_factory=dict)  # missing ids, when first missed


class LiveIndex:
    """One process's index; :meth:`get` is what every search calls."""

    def __init__(self):
        self._snapshot: Snapshot | None = None
        self._update = threading.Lock()  # held by the one thread bringing it up to date
        self._rebuilding: threading.Thread | None = None

    def get(self) -> OutletIndex | LayeredIndex:
        """The index, with every change logged before this call applied, except while a
        large rebuild runs (then the previous index, until the new one is ready)."""
        snapshot = self._snapshot
        if snapshot is not None and not self._has_news(snapshot, self._read(snapshot)):
            return snapshot.index
        # Updates under this lock are short (a patch, or a rebuild of a small index):
        # a large rebuild runs in its own thread and only takes the lock to swap.
        with self._update:
            snapshot = self._snapshot
            if snapshot is None:
                self._snapshot = self._build()
            else:
                rows = self._read(snapshot)
                if self._has_news(snapshot, rows):
                    self._snapshot = self._apply(snapshot, rows)
            return self._snapshot.index

    def current(self) -> OutletIndex | LayeredIndex | None:
        """:meth:`get`, but None while a large rebuild runs: the index that answers
        searches meanwhile is behind, and a caller that must not be (an outlet's page)
        asks the database instead."""
        before = self._rebuilding
        if before is not None and before.is_alive():
            return None
        index = self.get()
        after = self._rebuilding
        if after is not before or (after is not None and after.is_alive()):
            return None
        return index

    @staticmethod
    def _read(snapshot: Snapshot) -> list[tuple[int, str, int | None]]:
        # Gaps lie below the position: from the oldest, or from the position itself.
        low = min(snapshot.gaps, default=snapshot.position)
        return SearchChange.objects.after(low, READ_LIMIT + 1)

    @staticmethod
    def _has_news(snapshot: Snapshot, rows) -> bool:
        if snapshot.position == 0 and not snapshot.gaps:
            return bool(rows)
        if not rows or rows[-1][0] != snapshot.position or rows[-1][1] != snapshot.token:
            return True  # new changes, or the log is not what this index saw
        return len(rows) > 1 and any(row[0] in snapshot.gaps for row in rows)

    def _apply(self, snapshot: Snapshot, rows) -> Snapshot:
        seen = {row[0]: row for row in rows}
        own = seen.get(snapshot.position)
        diverged = snapshot.position and (own is None or own[1] != snapshot.token)
        new = [row for row in rows if row[0] > snapshot.position or row[0] in snapshot.gaps]
        if diverged or len(rows) > READ_LIMIT or any(row[2] is None for row in new):
            return self._rebuild(snapshot)
        now = time.monotonic()
        gaps = {gap: t for gap, t in snapshot.gaps.items() if gap not in seen}
        ids = sorted(seen)
        if ids:
            for missing in range(max(snapshot.position, ids[0]) + 1, ids[-1]):
                if missing not in seen:
                    gaps.setdefault(missing, now)
        gaps = {gap: t for gap, t in gaps.items() if now - t < GAP_SECONDS}
        last = max(seen) if seen else snapshot.position
        position, token = (last, seen[last][1]) if last in seen else (0, "")
        changed_ids = {row[2] for row in new}
        if not changed_ids:
            return Snapshot(snapshot.index, position, token, gaps)
        entries = {entry.id: entry for entry in load_entries(changed_ids)}
        changed = {outlet_id: entries.get(outlet_id) for outlet_id in changed_ids}
        index = snapshot.index
        layered = len(index.changed) if isinstance(index, LayeredIndex) else 0
        if layered + len(changed) > MAX_LAYERED:
            return self._rebuild(snapshot)
        if isinstance(index, LayeredIndex):
            index = index.patched(changed)
        else:
            index = LayeredIndex(index, changed)
        return Snapshot(index, position, token, gaps)

    def _build(self, pause=None) -> Snapshot:
        """A new index of every outlet, at the log position read before loading it (a
        change logged while loading is applied again after: harmless)."""
        last = SearchChange.objects.order_by("-id").values_list("id", "token").first()
        position, token = last or (0, "")
        return Snapshot(_build_quietly(pause), position, token)

    def _rebuild(self, snapshot: Snapshot) -> Snapshot:
        if len(snapshot.index) < INLINE_REBUILD_BELOW:
            return self._build()
        if self._rebuilding is None or not self._rebuilding.is_alive():
            self._rebuilding = threading.Thread(
                target=self._rebuild_in_background, name="search-index-rebuild", daemon=True
            )
            self._rebuilding.start()
        return snapshot

    def _rebuild_in_background(self):
        try:
            # Short sleeps hand the interpreter to searching threads now and then, so a
            # rebuild slows searches rather than holding them for its whole length.
            fresh = self._build(pause=lambda: time.sleep(PAUSE_SECONDS))
            with self._update:
                self._snapshot = fresh
        except Exception:  # the previous index keeps answering; the next search retries
            logger.exception("Rebuilding the search index failed")
        finally:
            connections.close_all()

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Wait until a background rebuild (if any) has taken over (for tests and
        benchmarks)."""
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)


def _build_quietly(pause=None) -> OutletIndex:
    """A new index, built with the cyclic garbage collector waiting.

    A build makes about a million short-lived objects (rows, entries), and with the
    collector running it triggered full collections over all of them, each holding the
    interpreter for a few hundred milliseconds, during searches in other threads. What
    the index keeps is in numpy arrays and tuples of strings, which the collector soon
    stops tracking; the rest is freed by reference counting when the build ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build_index(pause)
    finally:
        if enabled:
            gc.enable()


LIVE = LiveIndex()


# --- What writes tell the searches --------------------------------------------------------


def _outlet_saved(sender, instance, **kwargs):
    SearchChange.objects.record([instance.pk])


def _hours_changed(sender, instance, origin=None, **kwargs):
    # Deleting an outlet deletes its hours too: the outlet's own signal says it once.
    if isinstance(origin, Outlet) or getattr(origin, "model", None) is Outlet:
        return
    SearchChange.objects.record([instance.outlet_id])


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        SearchChange.objects.record([instance.pk])
    elif pk_set:
        # A service or payment method linked to outlets from its side.
        SearchChange.objects.record(pk_set)
    else:
        SearchChange.objects.record()


def _everything_changed(sender, **kwargs):
    SearchChange.objects.record()


def connect_signals():
    """Connect the receivers, one per model that searches read (called from
    ``LocationsConfig.ready``). Models without receivers keep Django's fast deletes."""
    uid = "locations.search"
    post_save.connect(_outlet_saved, sender=Outlet, dispatch_uid=f"{uid}.outlet.save")
    post_delete.connect(_outlet_saved, sender=Outlet, dispatch_uid=f"{uid}.outlet.delete")
    for model in (OpeningRange, SpecialHours):
        name = model._meta.model_name
        post_save.connect(_hours_changed, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(_hours_changed, sender=model, dispatch_uid=f"{uid}.{name}.delete")
    for through in (Outlet.services.through, Outlet.payment_methods.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"{uid}.{through._meta.model_name}"
        )
    for model in (HolidayDate, Service, PaymentMethod):
        name = model._meta.model_name
        post_save.connect(_everything_changed, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(_everything_changed, sender=model, dispatch_uid=f"{uid}.{name}.delete")
