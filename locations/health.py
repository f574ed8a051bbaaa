"""``GET /healthz``: whether this process can reach the database and the cache.

For load balancers and monitors: 200 ``{"status": "ok", "database": "ok", "cache": "ok"}``
when both answer, else 503 with ``"error"`` beside the one that failed. It costs one
trivial query and one cache write, read and delete under a key of its own, so that two
processes checking at once cannot disturb each other. No session, no throttle, never
cached.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, ERROR = "ok", "error"


def database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning(
            "health check: the database does not answer: %s", " ".join(str(error).split())
        )
        return False


def cache_answers() -> bool:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    # Any backend's failure (a Redis connection refused, a socket timeout) counts.
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception as error:
        logger.warning("health check: the cache does not answer: %s", " ".join(str(error).split()))
        return False
    if not answered:
        logger.warning("health check: the cache lost a value it was just given")
    return answered


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": OK if database_answers() else ERROR,
        "cache": OK if cache_answers() else ERROR,
    }
    healthy = all(result == OK for result in checks.values())
    return JsonResponse(
        {"status": OK if healthy else ERROR, **checks}, status=200 if healthy else 503
    )
