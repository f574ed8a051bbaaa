"""The coverage screen for planners: the postcodes farthest from an outlet, the best
sites for a new one, a map and a CSV of every postcode (:mod:`locations.coverage`).

Wired in ``OutletAdmin.get_urls`` as ``admin:locations_outlet_coverage``.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import kinds
from .coverage import (
    ASSUMED_MEDIAN,
    BY_DISTANCE,
    BY_PERSON_KM,
    FROM_CITY,
    FROM_DISTRICT,
    ORDERS,
    Row,
    coverage_for,
)
from .importers import escape_cell
from .models import Precision

#: Precision slugs and their names for people.
PRECISIONS = dict(Precision.choices)

#: The country whose postcodes the gazetteer holds.
COUNTRY = "ID"
#: Rows of the worst-postcodes table (the CSV has every postcode).
TABLE_ROWS = 100
#: Postcodes drawn on the map, worst first.
MAP_ROWS = 300
CSV_COLUMNS = (
    "rank",
    "postcode",
    "place",
    "city",
    "province",
    "precision",
    "latitude",
    "longitude",
    "store_km",
    "kiosk_km",
    "people",
    "people_source",
    "person_km",
)


def source_label(source: str) -> str:
    """Where a people figure comes from, for people."""
    return {
        FROM_DISTRICT: _("district"),
        FROM_CITY: _("city or regency"),
        ASSUMED_MEDIAN: _("assumed (median)"),
    }[source]


def coverage_view(model_admin, request):
    """The coverage screen (``?kind=kiosk|store``, ``?order=person_km|distance``), or its
    CSV with every postcode (``?format=csv``)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    kind = request.GET.get("kind", kinds.KIOSK)
    order = request.GET.get("order", BY_PERSON_KM)
    fmt = request.GET.get("format", "html")
    if kind not in kinds.KINDS:
        return HttpResponseBadRequest(_("kind: must be store or kiosk."), content_type="text/plain")
    if order not in ORDERS:
        return HttpResponseBadRequest(
            _("order: must be person_km or distance."), content_type="text/plain"
        )
    if fmt not in ("html", "csv"):
        return HttpResponseBadRequest(_("format: must be html or csv."), content_type="text/plain")
    coverage = coverage_for(COUNTRY)
    rows = coverage.ranked(kind, order)
    if fmt == "csv":
        return coverage_csv(rows, kind, order)
    here = reverse("admin:locations_outlet_coverage")
    sites = coverage.sites[kind]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Coverage"),
        "kind": kind,
        "order": order,
        "kind_name": kind_name(kind),
        "kind_links": [
            (kind_name(choice), f"{here}?kind={choice}&order={order}", choice == kind)
            for choice in kinds.KINDS
        ],
        "order_links": [
            (label, f"{here}?kind={kind}&order={choice}", choice == order)
            for choice, label in (
                (BY_PERSON_KM, _("people times distance")),
                (BY_DISTANCE, _("distance")),
            )
        ],
        "csv_url": f"{here}?kind={kind}&order={order}&format=csv",
        "rows": [
            {
                "number": n,
                "row": row,
                "km": row.km(kind),
                "person_km": row.person_km(kind),
                "source": source_label(row.people_source),
                "precision": PRECISIONS.get(row.area.precision, row.area.precision),
            }
            for n, row in enumerate(rows[:TABLE_ROWS], 1)
        ],
        "row_count": len(rows),
        "sites": sites,
        "known_percent": round(coverage.known_share * 100),
        "median_people": coverage.median_people,
        "map_data": map_data(rows[:MAP_ROWS], sites, kind),
    }
    return TemplateResponse(request, "admin/locations/outlet/coverage.html", context)


def kind_name(kind: str) -> str:
    return {kinds.STORE: _("store"), kinds.KIOSK: _("kiosk")}[kind]


def coverage_csv(rows: list[Row], kind: str, order: str) -> HttpResponse:
    """Every postcode in the screen's order, with both distances, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(rows, 1):
        area = row.area
        person_km = row.person_km(kind)
        writer.writerow(
            (
                n,
                area.postcode,
                # Names a spreadsheet would run as a formula are made inert, as the export's.
                escape_cell(area.place),
                escape_cell(area.city),
                escape_cell(area.province),
                area.precision,
                f"{area.latitude:.5f}",
                f"{area.longitude:.5f}",
                _number(row.store_km, 3),
                _number(row.kiosk_km, 3),
                _number(row.people, 0),
                row.people_source,
                _number(person_km, 0),
            )
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coverage-{kind}-{order}.csv"'
    return response


def _number(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def map_data(rows: list[Row], sites, kind: str) -> dict:
    """What the map draws (admin-coverage.js): the worst postcodes and the proposed
    sites, each with the lines of its popup, already worded (the script writes them
    with textContent)."""
    name = kind_name(kind)
    postcodes = []
    for row in rows:
        km = row.km(kind)
        if km is None:
            continue
        area = row.area
        postcodes.append(
            {
                "lat": area.latitude,
                "lng": area.longitude,
                "km": round(km, 3),
                "lines": [
                    f"{area.postcode} {area.place}",
                    f"{area.city}, {area.province}",
                    _("%(km).1f km to the nearest %(kind)s") % {"km": km, "kind": name},
                    _("about %(people)s people (%(source)s)")
                    % {
                        "people": f"{row.people:,.0f}",
                        "source": source_label(row.people_source),
                    },
                ],
            }
        )
    return {
        "postcodes": postcodes,
        "sites": [
            {
                "lat": site.area.latitude,
                "lng": site.area.longitude,
                "label": _("Proposed %(kind)s site %(number)d") % {"kind": name, "number": n},
                "lines": [
                    _("Proposed %(kind)s site %(number)d") % {"kind": name, "number": n},
                    f"{site.area.postcode} {site.area.place}, {site.area.city}",
                    _("%(people)s people nearer, by %(km).1f km on average")
                    % {"people": f"{site.gain.people:,.0f}", "km": site.gain.mean_km_saved},
                ],
            }
            for n, site in enumerate(sites, 1)
        ],
    }
