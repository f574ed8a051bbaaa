"""Template filters and tags of the locator pages."""

import json
import re
from zoneinfo import ZoneInfo

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


@register.inclusion_tag("locations/includes/stored_copy.html")
def stored_copy_banner():
    """The banner a page shows when the service worker serves it from its stored copy
    (hidden until then): the instant the copy was made, in Jakarta time (WIB) for a page
    without script, in the browser's own zone with it."""
    made = timezone.localtime(timezone.now().replace(microsecond=0), OFFICE_ZONE)
    return {
        "instant": made.isoformat(),
        "label": f"{formats.date_format(made, 'j N Y, H:i')} {hours.zone_label(OFFICE_ZONE.key)}",
    }
