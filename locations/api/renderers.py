"""How API answers are encoded."""

from rest_framework import renderers
from rest_framework.negotiation import BaseContentNegotiation

from .cards import Encoded


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, and answers encoded already (:class:`~locations.api.cards.Encoded`)
    sent as they are."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, Encoded):
            return bytes(data)
        return super().render(data, accepted_media_type, renderer_context)


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
