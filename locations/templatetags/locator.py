"""Template filters and tags of the locator pages."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def distance(km):
    """``850 m``, ``3.2 km``, ``412 km``: as precise as a person walking or driving needs."""
    if km is None:
        return ""
    if km < 1:
        return _("%(metres)s m") % {"metres": floatformat(round(km * 1000, -1), 0)}
    return _("%(km)s km") % {"km": floatformat(km, 1 if km < 100 else 0)}


@register.simple_tag(takes_context=True)
def search_url(context, **changes):
    """This page's query string with ``changes`` applied (a None value drops the parameter)."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return "?" + params.urlencode()
