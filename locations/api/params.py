"""The API's query parameters: read by :class:`~locations.search.query.SearchQuery` (the
rules the locator page follows too), a 400 naming each parameter that is wrong, and their
OpenAPI description, built from the same table."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from ..search import query as search_query
from ..search.query import Accepts, QueryError, SearchQuery


def read(request, accepts: Accepts) -> SearchQuery:
    """The query of ``request``'s query string, or a 400 ``{"<parameter>": [reasons]}``."""
    try:
        return SearchQuery.parse(request.query_params, accepts)
    except QueryError as error:
        raise ValidationError(error.errors) from None


def documented(accepts: Accepts) -> list[OpenApiParameter]:
    """The OpenAPI parameters of what ``accepts`` reads: each one's schema (type, range,
    default) and description come from the query's table of parameters."""
    return [
        OpenApiParameter(
            name,
            search_query.PARAMETERS[name].schema(),
            OpenApiParameter.QUERY,
            required=name in accepts.required,
            description=search_query.PARAMETERS[name].description,
        )
        for name in accepts.names
    ]


LIST = documented(search_query.LIST)
CLUSTERS = documented(search_query.CLUSTERS)
DETAIL = documented(search_query.DETAIL)
POSTCODE = documented(search_query.POSTCODE)
