"""Import files for tests: a valid row, and CSV, JSON and GeoJSON files built from rows."""

import csv
import io
import json
from pathlib import Path

from locations.importers import COLUMNS

#: The 320 demo outlets, a valid CSV import file.
DEMO_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "demo_outlets.csv"

VALID = {
    "code": "AX-NEW",
    "kind": "store",
    "name": "AXIS Store Bandung Dago",
    "address": "Jl. Ir. H. Juanda No. 8",
    "city": "Bandung",
    "province": "Jawa Barat",
    "postcode": "40132",
    "country": "ID",
    "latitude": "-6.8915",
    "longitude": "107.6107",
    "timezone": "Asia/Jakarta",
    "phone": "+62 22 4201234",
    "services": "topup;sim_replacement",
    "payment_methods": "cash;qris",
    "opening_hours": "Mo-Sa 09:00-21:00",
    "status": "active",
}


def row(**changes) -> dict:
    """A valid row for a new outlet, with ``changes``."""
    return {**VALID, **changes}


def csv_bytes(*rows, header=COLUMNS) -> bytes:
    """A CSV file: the header, then each row (a dict by column, or a list of cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for item in rows:
        writer.writerow([item[name] for name in header] if isinstance(item, dict) else item)
    return out.getvalue().encode("utf-8")


def json_item(fields: dict) -> dict:
    """A CSV-style row as a JSON outlet: numbers for degrees, lists of slugs."""
    item = dict(fields)
    for name in ("latitude", "longitude"):
        item[name] = float(item[name])
    for name in ("services", "payment_methods"):
        item[name] = [slug for slug in item[name].split(";") if slug]
    return item


def json_bytes(*items) -> bytes:
    return json.dumps(list(items)).encode("utf-8")


def feature(item: dict) -> dict:
    properties = dict(item)
    longitude, latitude = properties.pop("longitude"), properties.pop("latitude")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def geojson_bytes(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode("utf-8")
