"""Finishing touches to the OpenAPI document, for what no view or serializer can say
(drf-spectacular postprocessing hooks, listed in ``SPECTACULAR_SETTINGS``)."""

URI_TOO_LONG = {
    "description": "The URL is longer than the web server takes (gunicorn: 4094 bytes in the "
    "request line); answered before the API sees it, without a JSON body."
}


def _operations(result):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in {"get", "put", "post", "delete", "options", "head", "patch", "trace"}:
                yield operation


def document_uri_too_long(result, generator, request, public):
    """Every operation may be answered 414 by the web server in front of the API."""
    for operation in _operations(result):
        operation.setdefault("responses", {}).setdefault("414", dict(URI_TOO_LONG))
    return result
