"""Progress of long work on a terminal: one line, rewritten in place.

``12,000 / 100,000 rows · 8,400 rows/s · 9 s left``, redrawn with ``\\r`` at most every
:data:`INTERVAL` seconds and ended with a newline by :meth:`Progress.finish`. When the
stream is not a terminal (a pipe, a file, a test's ``StringIO``) nothing is written, so
logs and piped output stay clean.

Commands pass the stream beneath their ``OutputWrapper`` (``self.stderr._out``): the
wrapper would add a line end and an error colour to every redraw. Standard error, because
standard output may carry the data itself (``export_outlets > outlets.csv``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

from django.utils.translation import gettext

#: Seconds between redraws: often enough to look alive, rarely enough to cost nothing.
INTERVAL = 0.2

Item = TypeVar("Item")


class Progress:
    """Reports ``done`` out of ``total`` (or of an unknown total, ``None``) on ``stream``,
    after ``label`` (what is being done) if given.

    ``clock`` (seconds, monotonic), ``is_tty`` and ``interval`` are there for tests; by
    default they are :func:`time.monotonic`, ``stream.isatty()`` and :data:`INTERVAL`.
    Use as a context manager, or call :meth:`finish` when the work ends.
    """

    def __init__(
        self,
        total: int | None,
        stream: TextIO,
        *,
        unit: str = "rows",
        label: str = "",
        clock: Callable[[], float] = time.monotonic,
        is_tty: bool | None = None,
        interval: float | None = None,
    ):
        self.total = total
        self.stream = stream
        self.unit = unit
        self.label = label
        self.clock = clock
        isatty = getattr(stream, "isatty", None)
        self.enabled = is_tty if is_tty is not None else bool(isatty and isatty())
        self.interval = INTERVAL if interval is None else interval
        self.done = 0
        #: Set by the first update: time spent before the first item (opening a file,
        #: asking the database) would otherwise make the first rates far too low.
        self.started: float | None = None
        self._drawn_at: float | None = None
        self._width = 0

    def update(self, done: int) -> None:
        """``done`` items are finished; redraw if the last redraw is old enough."""
        self.done = done
        if not self.enabled:
            return
        now = self.clock()
        if self.started is None:
            self.started = now
        if now - (self.started if self._drawn_at is None else self._drawn_at) >= self.interval:
            self._draw(self.line(now), end="")
            self._drawn_at = now

    def advance(self, count: int = 1) -> None:
        """``count`` more items are finished."""
        self.update(self.done + count)

    def iterate(self, items: Iterable[Item]) -> Iterator[Item]:
        """``items`` unchanged, counting each as it passes."""
        for item in items:
            yield item
            self.advance()

    def finish(self) -> None:
        """End the line with the final count and rate.

        Only when a line was drawn: work that ends within the first interval leaves the
        terminal as it was.
        """
        if self.enabled and self._drawn_at is not None:
            self._draw(self.line(self.clock(), finished=True), end="\n")
            self._drawn_at = None

    def line(self, now: float, finished: bool = False) -> str:
        """The text of the line at ``now``: count, rate and (while working) time left."""
        elapsed = now - (now if self.started is None else self.started)
        # An estimated total may be passed; the count then stands for it.
        total = None if self.total is None else max(self.total, self.done)
        count = f"{self.done:,}" if total is None else f"{self.done:,} / {total:,}"
        parts = [f"{self.label}: {count} {self.unit}" if self.label else f"{count} {self.unit}"]
        rate = self.done / elapsed if elapsed > 0 else None
        if rate is not None:
            parts.append(f"{rate:,.0f} {self.unit}/s")
        if finished:
            parts.append(gettext("done in %(time)s") % {"time": duration(elapsed)})
        elif total is not None and rate:
            parts.append(gettext("%(time)s left") % {"time": duration((total - self.done) / rate)})
        return " · ".join(parts)

    def _draw(self, text: str, end: str) -> None:
        # Spaces wipe what a longer previous line left behind.
        self.stream.write("\r" + text.ljust(self._width) + end)
        self.stream.flush()
        self._width = len(text)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.finish()


class Stages:
    """Progress of work done in stages, a line each (a :data:`locations.importers.Stage`).

    Calling it with a stage's total and its label ends the previous stage's line and
    returns the new stage's :meth:`Progress.update`; options are :class:`Progress`'s.
    """

    def __init__(self, stream: TextIO, **options):
        self.stream = stream
        self.options = options
        self.current: Progress | None = None

    def __call__(self, total: int | None, label: str) -> Callable[[int], None]:
        self.finish()
        self.current = self.begin(total, str(label))
        return self.current.update

    def begin(self, total: int | None, label: str) -> Progress:
        """The progress of a new stage."""
        return Progress(total, self.stream, label=label, **self.options)

    def finish(self) -> None:
        if self.current is not None:
            self.current.finish()

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc_info) -> None:
        self.finish()


def duration(seconds: float) -> str:
    """``9 s``, ``2 min 5 s``, ``1 h 4 min``: as precise as a glance needs."""
    if seconds < 1:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"
