"""Time zones: which IANA zone a point lies in, offline, and whether a name is a real zone."""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def _finder():
    # Imported and built on first use: loading the zone polygons takes a moment.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str:
    """The IANA zone at a point (``Asia/Jakarta`` for Jakarta), or ``UTC`` far out at sea."""
    return _finder().timezone_at(lng=longitude, lat=latitude) or "UTC"


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    """Is ``name`` an IANA zone this system knows (``Asia/Jakarta`` yes, ``WIB`` no)?"""
    if name not in known_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
