"""Template filters and tags of the locator pages."""

import functools
import json
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django import template
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from .. import hours

register = template.Library()
#: The zone a page states instants in when the browser's is not known.
OFFICE_ZONE = ZoneInfo("Asia/Jakarta")


@register.filter
def distance(km):
    """``850 m``, ``3.2 km``, ``412 km``: as precise as a person walking or driving needs."""
    if km is None:
        return ""
    if km < 1:
        return _("%(metres)s m") % {"metres": floatformat(round(km * 1000, -1), 0)}
    return _("%(km)s km") % {"km": floatformat(km, 1 if km < 100 else 0)}


@register.simple_tag(takes_context=True)
def search_url(context, changes=None, **more):
    """This page's query string with ``changes`` (a dict) and ``more`` applied (a None
    value drops the parameter)."""
    params = context["request"].GET.copy()
    for name, value in {**(changes or {}), **more}.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return "?" + params.urlencode()


def coordinate(value) -> str:
    """A latitude or longitude with a dot in every language, six decimals (about 10 cm)."""
    return f"{float(value):.6f}"


register.filter("coordinate", coordinate)


@register.simple_tag
def directions_url(provider, latitude, longitude, origin=None):
    """Directions to a point on Google Maps (``provider`` "google") or OpenStreetMap
    ("osm"), starting from ``origin`` (an object with ``latitude`` and ``longitude``) when
    given; coordinates are always written with a dot."""
    to = f"{coordinate(latitude)},{coordinate(longitude)}"
    start = f"{coordinate(origin.latitude)},{coordinate(origin.longitude)}" if origin else None
    if provider == "google":
        url = f"https://www.google.com/maps/dir/?api=1&destination={to}"
        return f"{url}&origin={start}" if start else url
    if provider == "osm":
        url = f"https://www.openstreetmap.org/directions?to={to}"
        return f"{url}&from={start}" if start else url
    raise ValueError(f"Unknown directions provider {provider!r}")


@register.filter
def today_hours(spans):
    """Today's opening, from a day's spans (seconds): ``Today 08:00–22:00``, ``Open 24 hours
    today`` or ``Closed today``."""
    if not spans:
        return _("Closed today")
    if hours.is_all_day(spans):
        return _("Open 24 hours today")
    return _("Today %(hours)s") % {"hours": hours.day_text(spans)}


#: What may not appear inside a script element's JSON: ``</script>`` or ``<!--`` in a
#: value would end the element or change how the parser reads it.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """``data`` as a ``<script type="application/ld+json">`` element, escaped as Django's
    ``json_script`` escapes (which only writes ``application/json``): no text in it, such
    as an outlet named ``</script>``, can end the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def tel(phone):
    """A ``tel:`` URI for a phone number as people write it (``+62 22 1234567``): the
    digits and a leading ``+`` only, as RFC 3966 wants."""
    return "tel:" + re.sub(r"(?!^\+)\D", "", phone.strip())


@register.simple_tag
def inline_static(path: str) -> str:
    """The text of the static file ``path`` (the site's style sheet), to be written into
    the page itself; read once per change of the file."""
    found = finders.find(path)
    if found is None:
        raise template.TemplateSyntaxError(f"No static file {path}")
    return mark_safe(_static_text(found, Path(found).stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _static_text(found: str, modified: int) -> str:
    return Path(found).read_text(encoding="utf-8").replace("</", "<\\/")


@register.inclusion_tag("locations/includes/stored_copy.html")
def stored_copy_banner():
    """The banner a page shows when the service worker serves it from its stored copy
    (hidden until then): the instant the copy was made, in Jakarta time (WIB) for a page
    without script, in the browser's own zone with it."""
    made = timezone.localtime(timezone.now().replace(microsecond=0), OFFICE_ZONE)
    return {
        "instant": made.isoformat(),
        "label": f"{formats.date_format(made, 'j M Y, H:i')} {hours.zone_label(OFFICE_ZONE.key)}",
        "status_text": status_text(get_language()),
    }


@functools.lru_cache(maxsize=8)
def status_text(language: str) -> dict:
    """The status labels' wording in ``language`` (the active one), for the page's script
    to label the statuses it works out from the open intervals (:func:`open_hours_data`)."""
    return {
        "open": _("Open · closes %(when)s"),
        "closing_soon": _("Closing soon · closes %(when)s"),
        "opening_soon": _("Opening soon · opens %(when)s"),
        "closed": _("Closed · opens %(when)s"),
        "open_24_hours": _("Open 24 hours"),
        "open_beyond": _("Open"),
        "closed_beyond": _("Closed"),
        "weekdays": [hours.weekday_name(day) for day in range(7)],
        "months": [hours.month_name(month) for month in range(1, 13)],
        # "%(day)s %(month)s" in the language's order, as hours.day_month.
        "day_month": pgettext("date", "%(day)s %(month)s"),
        "soon_seconds": int(hours.SOON.total_seconds()),
    }


@register.simple_tag
def open_hours_data(schedule):
    """An outlet's open intervals for the next :data:`~locations.hours.INTERVALS_DAYS`
    days, as data attributes of its status: ``data-open`` holds the intervals' edges in
    Unix seconds (the first, then each as the difference from the one before, which
    compresses well), ``data-from`` and ``data-until`` the period, ``data-zone`` and
    ``data-zone-label`` the outlet's zone. A page shown later from its stored copy works
    out the status at the browser's instant from these (``offline.js``); nothing for an
    outlet that is not active, whose status does not change with the time."""
    if schedule.lifecycle != hours.ACTIVE:
        return ""
    start = timezone.now().replace(microsecond=0)
    return _INTERVALS.attributes(schedule, start)


class _Intervals:
    """:func:`open_hours_data`'s attributes by compiled schedule, for the latest second
    asked about: the search index shares one schedule among the outlets with the same
    hours, so a page of results works each one out once. An entry holds the very
    schedule it was made for (an ``id`` is reused once an object is freed)."""

    def __init__(self):
        self._latest: tuple[object, dict] = (None, {})

    def attributes(self, schedule, start) -> str:
        instant, known = self._latest
        if instant != start:
            known = {}
            self._latest = (start, known)
        entry = known.get(id(schedule))
        if entry is not None and entry[0] is schedule:
            return entry[1]
        until = start + timedelta(days=hours.INTERVALS_DAYS)
        edges, previous = [], 0
        for interval in hours.open_intervals(schedule, start):
            for edge in interval:
                seconds = int(edge.timestamp())
                edges.append(str(seconds - previous))
                previous = seconds
        text = format_html(
            ' data-open="{}" data-from="{}" data-until="{}" data-zone="{}" data-zone-label="{}"',
            " ".join(edges),
            int(start.timestamp()),
            int(until.timestamp()),
            schedule.zone.key,
            schedule.abbreviation or start.astimezone(schedule.zone).tzname(),
        )
        known[id(schedule)] = (schedule, text)
        return text


_INTERVALS = _Intervals()
