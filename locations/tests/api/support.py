"""What the API tests share: fixed instants, the contract's field lists, and helpers."""

import datetime
import json

from ..factories import OpeningRangeFactory

#: Wednesday 2026-11-25 12:00 WIB (05:00 UTC), as the ``at`` parameter takes it.
NOON_WIB = "2026-11-25T12:00:00+07:00"
NOON_UTC = "2026-11-25T05:00:00Z"
#: The same Wednesday, 22:00 WIB: after the usual 09:00-21:00.
NIGHT_WIB = "2026-11-25T22:00:00+07:00"

#: The result fields the README's "JSON API" section lists, no more, no fewer.
RESULT_FIELDS = {
    "code",
    "slug",
    "name",
    "kind",
    "address",
    "city",
    "province",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "timezone",
    "phone",
    "services",
    "payment_methods",
    "distance_km",
    "status",
    "url",
}
STATUS_FIELDS = {"open_now", "state", "next_change", "label"}


def body(response):
    """The response's JSON, parsed from its bytes (whatever the content type says)."""
    return json.loads(response.content)


def codes(response) -> list[str]:
    """The codes of a list answer's results, in order."""
    return [result["code"] for result in body(response)["results"]]


def weekdays_nine_to_nine(outlet):
    """Open Monday to Saturday 09:00-21:00 local time; closed on Sunday."""
    for weekday in range(6):
        OpeningRangeFactory(
            outlet=outlet, weekday=weekday, opens=datetime.time(9), closes=datetime.time(21)
        )
    return outlet


def always_open(outlet):
    """Open around the clock, every day."""
    for weekday in range(7):
        OpeningRangeFactory(
            outlet=outlet, weekday=weekday, opens=datetime.time(0), closes=datetime.time(0)
        )
    return outlet


#: The list's query parameters (README, "JSON API").
LIST_PARAMETERS = {
    "lat",
    "lng",
    "postcode",
    "country",
    "q",
    "radius_km",
    "limit",
    "kind",
    "service",
    "payment",
    "open_now",
    "at",
    "bbox",
    "page",
}
