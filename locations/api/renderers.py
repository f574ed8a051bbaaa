"""How API answers are encoded."""

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """JSON sent as ``application/geo+json`` (RFC 7946)."""

    media_type = "application/geo+json"
    format = "geojson"


class FirstRenderer(BaseContentNegotiation):
    """Each endpoint has one representation: send it whatever ``Accept`` asks for, rather
    than a 406 (the ``.geojson`` URL already names its format)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
