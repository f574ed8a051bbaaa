"""The project's middleware."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's, except that a page shown as it is sent (``response.progressive``, see
    :mod:`locations.streamed`) goes uncompressed: gzip would hold its lines back until
    the end."""

    def process_response(self, request, response):
        if getattr(response, "progressive", False):
            return response
        return super().process_response(request, response)
