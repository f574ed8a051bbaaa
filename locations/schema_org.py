"""An outlet as schema.org data (JSON-LD), for search engines and map services.

The page and this data say the same thing: the weekly hours are the schedule's, and the
exceptions are the page's :class:`~locations.hours.SpecialDays` (special hours and the
public holidays that close the outlet), each valid from its first to its last date.
"""

from . import kinds
from .hours import DAY, Schedule, SpecialDays

DAYS_OF_WEEK = tuple(
    f"https://schema.org/{name}"
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}"


def opens_closes(span: tuple[int, int]) -> tuple[str, str]:
    """``opens`` and ``closes`` of a span (seconds from its day's midnight).

    schema.org reads a ``closes`` before ``opens`` as the next day's time, and has no way
    to say 24 hours: a whole day ends a minute short (``00:00``-``23:59``, the form search
    engines document), since ``opens == closes`` means closed.
    """
    start, end = span
    if end - start >= DAY:
        end = start + DAY - 60
    return _clock(start), _clock(end)


def _specification(opens: str, closes: str, **more) -> dict:
    return {"@type": "OpeningHoursSpecification", **more, "opens": opens, "closes": closes}


def weekly_specifications(schedule: Schedule) -> list[dict]:
    """One specification per distinct range, with every weekday it is open then."""
    days_by_range: dict[tuple[str, str], list[str]] = {}
    for weekday, spans in enumerate(schedule.by_weekday):
        for span in spans:
            days_by_range.setdefault(opens_closes(span), []).append(DAYS_OF_WEEK[weekday])
    return [
        _specification(opens, closes, dayOfWeek=days)
        for (opens, closes), days in days_by_range.items()
    ]


def special_specifications(special_days: list[SpecialDays]) -> list[dict]:
    """The exceptions, valid from their first to their last date; closed is ``opens`` and
    ``closes`` both ``00:00``."""
    specifications = []
    for days in special_days:
        valid = {"validFrom": days.first.isoformat(), "validThrough": days.last.isoformat()}
        if not days.spans:
            specifications.append(_specification("00:00", "00:00", **valid))
        for span in days.spans:
            specifications.append(_specification(*opens_closes(span), **valid))
    return specifications


def outlet_data(outlet, schedule: Schedule, special_days: list[SpecialDays], url: str) -> dict:
    """The JSON-LD of ``outlet`` (a ``Store``, or a ``LocalBusiness`` for a self-service
    kiosk) whose page is at the absolute ``url``, with ``schedule`` (its compiled hours)
    and the ``special_days`` ahead."""
    data = {
        "@context": "https://schema.org",
        "@type": "Store" if outlet.kind == kinds.STORE else "LocalBusiness",
        "name": outlet.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            **{
                name: value
                for name, value in (
                    ("streetAddress", outlet.address),
                    ("addressLocality", outlet.city),
                    ("addressRegion", outlet.province),
                    ("postalCode", outlet.postcode),
                    ("addressCountry", outlet.country),
                )
                if value
            },
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(outlet.latitude, 6),
            "longitude": round(outlet.longitude, 6),
        },
        "openingHoursSpecification": weekly_specifications(schedule)
        + special_specifications(special_days),
    }
    if outlet.phone:
        data["telephone"] = outlet.phone
    return data
