"""The shared cache: Django's Redis backend, degrading to local memory while Redis is down.

Throttles, the geocoder's gate and answers, cached sessions and the coverage report live in
the default cache. With several processes they must share it (Redis); a Redis that stops
answering must not take the site down with it, so each process then keeps going on its own
local-memory cache (limits hold per process instead of across them), says so in the log at
most once a minute, and asks Redis again after a short pause.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# After a failure, calls go to local memory for this long before Redis is tried again: a
# dead Redis then costs one connection attempt every few seconds, not one per call.
RETRY_SECONDS = 5
# At most one warning in this time, however many calls or retries fail.
WARN_SECONDS = 60
# What counts as "Redis unreachable": refused or dropped connections, and the socket
# timeouts of the settings' OPTIONS (a host that does not answer at all).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

_clock = time.monotonic  # replaced in tests


class _Health:
    """Whether Redis answered lately, shared by every thread's cache object in the process
    (Django builds one cache object per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = None  # while Redis is considered down: when to try it again
        self.warned_at = None

    def down(self) -> bool:
        return self.retry_at is not None and _clock() < self.retry_at

    def failed(self, where: str, error: Exception) -> None:
        with self.lock:
            now = _clock()
            self.retry_at = now + RETRY_SECONDS
            if self.warned_at is None or now - self.warned_at >= WARN_SECONDS:
                self.warned_at = now
                logger.warning(
                    "Redis cache at %s is unreachable (%s): this process uses its local "
                    "memory cache, and tries Redis again every %d s",
                    where,
                    error,
                    RETRY_SECONDS,
                )

    def answered(self, where: str) -> None:
        if self.retry_at is None:
            return
        with self.lock:
            if self.retry_at is not None:
                self.retry_at = None
                logger.info("Redis cache at %s answers again: the shared cache is back", where)


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


def _without_credentials(url: str) -> str:
    """``redis://:secret@host:6379/0`` as ``redis://host:6379/0``, for the log (the query
    is left out too: it may hold ``password=``)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return parts._replace(netloc=host, query="").geturl()


class FallbackRedisCache(RedisCache):
    """Django's ``RedisCache``, answering from a local-memory cache while Redis cannot be
    reached (:data:`UNREACHABLE`); back on Redis once it answers again.

    Entries written during an outage stay in the process that wrote them and are not
    copied to Redis afterwards: what lives in this cache can always be worked out again.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        location = ";".join(self._servers)
        self._health = _health_of(location)
        self._where = ", ".join(_without_credentials(url) for url in self._servers)
        # Same timeout, prefix and version as the Redis entries; one store per process
        # (LocMemCache shares its memory by name across the threads' objects).
        local = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._local = LocMemCache(f"{__name__}:{location}", local)

    def _either(self, operation, *args, **kwargs):
        """Run ``operation`` on Redis, or on local memory while Redis is unreachable."""
        if not self._health.down():
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except UNREACHABLE as error:
                self._health.failed(self._where, error)
            else:
                self._health.answered(self._where)
                return result
        return getattr(self._local, operation)(*args, **kwargs)

    # Every operation of Django's cache API that reaches the server; the rest (get_or_set,
    # decr, incr_version, the async variants, ``in``) are built on these.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._either("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._either("delete", key, version=version)

    def get_many(self, keys, version=None):
        # A list, not an iterator that a failed first attempt would leave empty.
        return self._either("get_many", list(keys), version=version)

    def has_key(self, key, version=None):
        return self._either("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._either("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._either("delete_many", list(keys), version=version)

    def clear(self):
        return self._either("clear")
