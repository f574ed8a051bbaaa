"""How long the searches of one request took, for the request log.

The request log (``axisfinder.middleware.RequestLogMiddleware``) opens a :func:`tally`
around each request; each outermost call of a function marked :func:`timed` (resolving
the origin, running the query, clustering) adds its time to it. A call made inside
another timed call counts once, with the outer one. Outside a request (commands, the
benchmarks) no tally is open and nothing is measured.

A context variable rather than an attribute on the request: the search runs several calls
below the view, which does not hand it the request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Tally:
    """The time the searches of one request took, and how many ran."""

    __slots__ = ("_depth", "searches", "seconds")

    def __init__(self):
        self.seconds = 0.0
        self.searches = 0
        self._depth = 0

    @property
    def milliseconds(self) -> float | None:
        """The searches' time in milliseconds; ``None`` when no search ran."""
        return self.seconds * 1000 if self.searches else None


# The tally object is shared, not copied, with a thread that runs a view for an ASGI
# server: what the view adds is seen by the middleware that opened it.
_current: ContextVar[Tally | None] = ContextVar("locations.search.timing", default=None)


@contextmanager
def tally() -> Iterator[Tally]:
    """Measure the searches run until the block ends."""
    current = Tally()
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


def timed(function: Callable[P, R]) -> Callable[P, R]:
    """Add each outermost call's time to the open tally, if any."""

    @wraps(function)
    def measured(*args: P.args, **kwargs: P.kwargs) -> R:
        current = _current.get()
        if current is None or current._depth:
            return function(*args, **kwargs)
        current._depth += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            current._depth -= 1
            current.seconds += time.perf_counter() - started
            current.searches += 1

    return measured
