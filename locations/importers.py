"""Outlets in and out: CSV, JSON and GeoJSON files <-> validated records <-> the database.

An import travels in three steps, each usable alone (the admin previews between them):

1. :func:`read_rows` turns the file into ``(position, fields)`` pairs;
2. :func:`validate_rows` turns those into :class:`OutletRecord` values, collecting every
   problem as ``line N: column: message`` (``item N: field: message`` for JSON);
3. :func:`save_records` upserts the records by ``code`` in one transaction.

:func:`export_outlets` is the same path backwards and writes what :func:`read_rows` reads,
so export, import into an empty database and export again gives the same file. In CSV, a
text that a spreadsheet would run as a formula is written with a ``'`` in front, which
import takes off again (:func:`escape_cell`, :func:`unescape_cell`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy

from . import osm_hours
from .columns import COLUMN_GUIDE, COLUMNS
from .gazetteer import ID_POSTCODE
from .hours import Hours, HoursError
from .models import (
    CODE_PATTERN,
    OpeningRange,
    Outlet,
    OutletKind,
    OutletStatus,
    PaymentMethod,
    SearchChange,
    Service,
    SpecialHours,
    hours_for,
    validate_code_not_reserved,
    validate_country,
)
from .timezones import is_zone, zone_at

LIST_COLUMNS = ("services", "payment_methods")
FORMATS = ("csv", "json", "geojson")
REASON_LIMIT = SpecialHours._meta.get_field("reason").max_length
BATCH = 2000


#: Outlets share a few dozen opening-hours texts: each is parsed once, and the identical
#: (immutable) values shared, which saves time and memory on large files.
parse_hours = lru_cache(maxsize=4096)(osm_hours.parse)


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` holds every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(slots=True)
class OutletRecord:
    """One validated outlet from a file, ready to write."""

    position: str
    code: str
    kind: str
    name: str
    address: str
    city: str
    province: str
    postcode: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    phone: str
    services: tuple[str, ...]
    payment_methods: tuple[str, ...]
    hours: Hours
    status: str


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated)


def guess_format(path: str) -> str:
    """The format a file name suggests: ``.json``, ``.geojson``, otherwise CSV."""
    lowered = path.lower()
    if lowered.endswith(".geojson"):
        return "geojson"
    if lowered.endswith(".json"):
        return "json"
    return "csv"


def estimated_rows(data: bytes, fmt: str) -> int | None:
    """About how many outlets a file holds: a CSV's lines after the header (blank lines and
    line breaks inside quotes make it a little high); unknown for JSON until it is parsed."""
    if fmt != "csv":
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


# --- Reading ---------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or :class:`ImportFailed` naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            [
                f"line {line}: file: not UTF-8 text (byte 0x{data[error.start]:02x}); "
                "save the file as UTF-8"
            ]
        ) from None


def read_rows(data: bytes, fmt: str) -> Iterator[tuple[str, dict]]:
    """``(position, fields)`` for each outlet in the file; structural errors raise."""
    text = decode(data)
    if fmt == "csv":
        return _csv_rows(text)
    if fmt in ("json", "geojson"):
        return _json_rows(text, geojson=fmt == "geojson")
    raise ImportFailed([f"line 1: format: unknown format {fmt!r} (csv, json or geojson)"])


#: Column separators a spreadsheet may save with: a comma, or a semicolon where the decimal
#: mark is a comma (an Indonesian locale), or a tab.
DELIMITERS = (",", ";", "\t")
#: A coordinate written with a decimal comma, as such a spreadsheet saves it.
DECIMAL_COMMA = re.compile(r"\s*[+-]?(\d+,\d*|,\d+)\s*")
NUMBER_COLUMNS = ("latitude", "longitude")
#: A text cell a spreadsheet would run as a formula: one that starts with one of OWASP's
#: characters (= + - @ tab, carriage return), after any quotes. Export writes a ``'``
#: before it (:func:`escape_cell`), and import takes that one ``'`` off (:func:`unescape_cell`).
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows rather than runs.

    A text that starts with a formula character gets a ``'`` in front (``'=SUM(A1)``,
    ``'+62 22 4201234``). So that import can tell that quote from the text's own, a text of
    quotes followed by a formula character gets one too (``'=x`` is written ``''=x``); any
    other text is written as it is, its quotes included (``'s-Hertogenbosch``).
    """
    return "'" + text if FORMULA_START.match(text) else text


def unescape_cell(cell: str) -> str:
    """The text that :func:`escape_cell` wrote as ``cell``: one leading ``'`` is taken off
    when quotes and then a formula character follow it; any other cell is the text."""
    if cell.startswith("'") and FORMULA_START.match(cell, 1):
        return cell[1:]
    return cell


def detect_delimiter(text: str) -> str:
    """The separator under which the header row names the most known columns.

    The header is known text, so it decides rather than ``csv.Sniffer``'s guess from the
    data; a header that names no column under any separator is read with commas, and its
    errors say which columns are missing.
    """
    end = text.find("\n")
    first_line = text if end < 0 else text[: end + 1]

    def known(delimiter: str) -> int:
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return 0
        return len({name.strip() for name in header} & set(COLUMNS))

    return max(DELIMITERS, key=known)  # the first of equals: a comma


def _csv_rows(text: str) -> Iterator[tuple[str, dict]]:
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFailed([f"line 1: file: {error}"]) from None
    if header is None:
        raise ImportFailed(["line 1: file: the file is empty; expected a header row"])
    header = [name.strip() for name in header]
    errors = [f"line 1: {name}: missing column" for name in COLUMNS if name not in header]
    errors += [
        f"line 1: {name}: unknown column (expected {', '.join(COLUMNS)})"
        for name in header
        if name not in COLUMNS
    ]
    errors += [
        f"line 1: {name}: column given twice"
        for name in dict.fromkeys(header)  # in file order: a set's order changes from run to run
        if header.count(name) > 1
    ]
    if errors:
        raise ImportFailed(errors)
    return _csv_body(reader, header, decimal_comma=delimiter != ",")


def _csv_body(reader, header, decimal_comma: bool) -> Iterator[tuple[str, dict]]:
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader starts afresh on the next line, so later errors are reported too.
            yield f"line {line}", {"__error__": ("file", str(error))}
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank lines are allowed, as spreadsheets leave them
        if len(row) != len(header):
            yield (
                f"line {line}",
                {"__error__": ("file", f"{len(row)} cells, but the header has {len(header)}")},
            )
            continue
        fields = {
            name: cell if name in NUMBER_COLUMNS else unescape_cell(cell)
            for name, cell in zip(header, row, strict=True)
        }
        if decimal_comma:
            # Only where commas do not separate cells: in a comma file, -6,9 is two cells.
            for name in NUMBER_COLUMNS:
                if DECIMAL_COMMA.fullmatch(fields[name]):
                    fields[name] = fields[name].replace(",", ".")
        yield f"line {line}", fields


def _json_rows(text: str, geojson: bool) -> Iterator[tuple[str, dict]]:
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as error:
        line = getattr(error, "lineno", 1)
        message = getattr(error, "msg", str(error))
        raise ImportFailed([f"line {line}: file: not valid JSON ({message})"]) from None
    if geojson:
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            raise ImportFailed(["line 1: type: expected a GeoJSON FeatureCollection"])
        items = document.get("features")
        if not isinstance(items, list):
            raise ImportFailed(["line 1: features: expected a list of features"])
    else:
        if not isinstance(document, list):
            raise ImportFailed(["line 1: file: expected a JSON array of outlets"])
        items = document
    for number, item in enumerate(items, start=1):
        position = f"item {number}"
        if geojson:
            yield position, _feature_fields(item)
        elif isinstance(item, dict):
            yield position, item
        else:
            yield position, {"__error__": ("item", "expected an object")}


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _feature_fields(feature) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return {"__error__": ("type", "expected a Feature")}
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return {"__error__": ("properties", "expected an object")}
    geometry = feature.get("geometry")
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") != "Point"
        or not isinstance(coordinates, list)
        or len(coordinates) not in (2, 3)
    ):
        return {"__error__": ("geometry", "expected a Point with [longitude, latitude]")}
    fields = dict(properties)
    fields["longitude"], fields["latitude"] = coordinates[0], coordinates[1]
    return fields


# --- Validation ------------------------------------------------------------------------


class RowErrors:
    """Collects ``position: column: message`` lines for one row."""

    def __init__(self, position: str, errors: list[str]):
        self.position = position
        self.errors = errors
        self.count = 0

    def add(self, column: str, message: str) -> None:
        self.errors.append(f"{self.position}: {column}: {message}")
        self.count += 1


def _text(value, column: str, row: RowErrors) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        row.add(column, "expected text")
        return ""
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL cannot store it; Django's forms refuse it too.
        row.add(column, "contains a NUL character")
    return str(value).strip()


def _number(value, column: str, low: float, high: float, row: RowErrors) -> float | None:
    if isinstance(value, bool):
        row.add(column, "expected a number")
        return None
    if value is None:
        row.add(column, "required")
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            row.add(column, "required")
            return None
    try:
        number = float(value)
    except OverflowError:  # a JSON integer too large for a float
        number = math.inf
    except (TypeError, ValueError):
        row.add(column, f"{value!r} is not a number")
        return None
    shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:37]}..."
    if not math.isfinite(number):
        row.add(column, f"{shown} is not a finite number")
        return None
    if not low <= number <= high:
        row.add(column, f"{shown} is out of range ({low:g} to {high:g})")
        return None
    return number


def _slugs(value, column: str, known: dict[str, int], row: RowErrors) -> tuple[str, ...]:
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.split(";")
    elif value is None:
        items = []
    else:
        row.add(column, "expected ;-separated slugs or a list")
        return ()
    slugs = []
    for item in items:
        if not isinstance(item, str):
            row.add(column, f"expected a slug, not {item!r}")
            continue
        slug = item.strip()
        if slug == "":
            continue
        if slug not in known:
            row.add(
                column,
                f"unknown {column[:-1].replace('_', ' ')} {slug!r} (known: {', '.join(known)})",
            )
        elif slug not in slugs:
            slugs.append(slug)
    # Stored and exported in the vocabulary's order, so files compare line by line.
    return tuple(sorted(slugs, key=known.__getitem__))


def _check(validator, value: str, column: str, row: RowErrors) -> None:
    """Report what a model field's ``validator`` says of ``value``: the same rule as the
    admin's, written once."""
    try:
        validator(value)
    except ValidationError as error:
        row.add(column, " ".join(error.messages))


def _length(value: str, column: str, row: RowErrors) -> str:
    limit = Outlet._meta.get_field(column).max_length
    if len(value) > limit:
        row.add(column, f"longer than {limit} characters")
    return value


def vocabularies() -> tuple[dict[str, int], dict[str, int]]:
    """Known service and payment slugs, each mapped to its display position."""
    services = {
        slug: index for index, slug in enumerate(Service.objects.values_list("slug", flat=True))
    }
    payments = {
        slug: index
        for index, slug in enumerate(PaymentMethod.objects.values_list("slug", flat=True))
    }
    return services, payments


def validate_rows(
    rows: Iterable[tuple[str, dict]], progress: Callable[[int], None] | None = None
) -> list[OutletRecord]:
    """Validate every row; :class:`ImportFailed` with all the errors if any row is bad.

    ``progress``, if given, is called with the number of rows read so far after each row.
    """
    code_pattern = re.compile(CODE_PATTERN)
    services, payments = vocabularies()
    errors: list[str] = []
    records: list[OutletRecord] = []
    seen: dict[str, str] = {}
    for done, (position, fields) in enumerate(rows, start=1):
        if progress is not None:
            progress(done)
        row = RowErrors(position, errors)
        if "__error__" in fields:
            row.add(*fields["__error__"])
            continue
        for name in fields:
            if name not in COLUMNS:
                row.add(name, "unknown field")
        value = {name: fields.get(name) for name in COLUMNS}

        code = _text(value["code"], "code", row)
        if not code:
            row.add("code", "required")
        elif not code_pattern.match(code):
            row.add("code", f"{code!r} must be 1 to 32 letters, digits, - or _")
        elif code.lower() in seen:
            row.add("code", f"{code!r} is already on {seen[code.lower()]}")
        else:
            seen[code.lower()] = position
            _check(validate_code_not_reserved, code, "code", row)

        kind = _text(value["kind"], "kind", row)
        if kind not in OutletKind.values:
            row.add("kind", f"unknown kind {kind!r} ({' or '.join(OutletKind.values)})")

        name = _length(_text(value["name"], "name", row), "name", row)
        if not name:
            row.add("name", "required")
        address = _length(_text(value["address"], "address", row), "address", row)
        city = _length(_text(value["city"], "city", row), "city", row)
        province = _length(_text(value["province"], "province", row), "province", row)
        country = _text(value["country"], "country", row).upper() or "ID"
        _check(validate_country, country, "country", row)
        postcode = _length(_text(value["postcode"], "postcode", row), "postcode", row)
        if country == "ID" and postcode and not ID_POSTCODE.fullmatch(postcode):
            row.add("postcode", f"{postcode!r}: an Indonesian postcode has five digits")
        latitude = _number(value["latitude"], "latitude", -90, 90, row)
        longitude = _number(value["longitude"], "longitude", -180, 180, row)
        zone = _text(value["timezone"], "timezone", row)
        if zone and not is_zone(zone):
            row.add("timezone", f"unknown time zone {zone!r} (an IANA name such as Asia/Jakarta)")
        elif not zone and latitude is not None and longitude is not None:
            zone = zone_at(latitude, longitude)
        phone = _length(_text(value["phone"], "phone", row), "phone", row)
        service_slugs = _slugs(value["services"], "services", services, row)
        payment_slugs = _slugs(value["payment_methods"], "payment_methods", payments, row)

        opening_hours = _text(value["opening_hours"], "opening_hours", row)
        hours = None
        if not opening_hours:
            row.add("opening_hours", "required (write off for no regular hours)")
        else:
            try:
                hours = parse_hours(opening_hours)
            except (osm_hours.OsmSyntaxError, HoursError) as error:
                row.add("opening_hours", str(error))
            else:
                for rule in hours.dated:
                    if len(rule.reason) > REASON_LIMIT:
                        row.add(
                            "opening_hours",
                            f"the reason of {rule.start} is longer than {REASON_LIMIT} characters",
                        )

        status = _text(value["status"], "status", row) or OutletStatus.ACTIVE
        if status not in OutletStatus.values:
            row.add("status", f"unknown status {status!r} ({', '.join(OutletStatus.values)})")

        if row.count == 0:
            records.append(
                OutletRecord(
                    position,
                    code,
                    kind,
                    name,
                    address,
                    city,
                    province,
                    postcode,
                    country,
                    latitude,
                    longitude,
                    zone,
                    phone,
                    service_slugs,
                    payment_slugs,
                    hours,
                    status,
                )
            )
    if errors:
        raise ImportFailed(errors)
    return records


def read_outlets(
    data: bytes, fmt: str, progress: Callable[[int], None] | None = None
) -> list[OutletRecord]:
    """Read and validate a whole file (:class:`ImportFailed` lists every problem);
    ``progress`` as for :func:`validate_rows`."""
    return validate_rows(read_rows(data, fmt), progress)


# --- Writing ---------------------------------------------------------------------------


def plan(records: list[OutletRecord]) -> ImportResult:
    """Which codes an import would create and which it would update."""
    existing = _existing_ids([r.code for r in records])
    result = ImportResult()
    for record in records:
        (result.updated if record.code.lower() in existing else result.created).append(record.code)
    return result


def _existing_ids(codes: list[str]) -> dict[str, int]:
    lowered = {code.lower() for code in codes}
    existing = {}
    # The whole table is read once: cheaper than IN lists when most codes are in the file.
    for outlet_id, code in Outlet.objects.values_list("id", "code").iterator(chunk_size=BATCH):
        if code.lower() in lowered:
            existing[code.lower()] = outlet_id
    return existing


#: The file's columns that are stored on the outlet row as they are.
PLAIN_COLUMNS = tuple(c for c in COLUMNS if c not in (*LIST_COLUMNS, "opening_hours"))
#: The outlet columns an import writes (besides ``created_at`` for new outlets).
OUTLET_FIELDS = (*PLAIN_COLUMNS, "slug", "closed_on_public_holidays", "updated_at")
plain_values = attrgetter(*PLAIN_COLUMNS)


class BulkWriter:
    """Plain ``executemany`` inserts, updates and deletes for large imports.

    The ORM's ``bulk_create`` builds a model instance per row and ``bulk_update`` a CASE
    per column; at 100,000 outlets and a million hour and service rows that costs minutes
    and gigabytes. Values are adapted by the database backend's own operations, so the
    same statements serve SQLite and PostgreSQL.
    """

    def __init__(self):
        self.connection = connections[router.db_for_write(Outlet)]
        self.ops = self.connection.ops
        self._adapted: dict = {}

    def table(self, model) -> str:
        return self.ops.quote_name(model._meta.db_table)

    def columns(self, model, names) -> list[str]:
        return [self.ops.quote_name(model._meta.get_field(name).column) for name in names]

    def time(self, value):
        """Adapt a time (there are few distinct ones: cached)."""
        if value is None:
            return None
        try:
            return self._adapted[value]
        except KeyError:
            adapted = self._adapted[value] = self.ops.adapt_timefield_value(value)
            return adapted

    def date(self, value):
        return self.ops.adapt_datefield_value(value)

    def datetime(self, value):
        return self.ops.adapt_datetimefield_value(value)

    def insert(self, model, names, rows, progress: Callable[[int], None] | None = None) -> None:
        """Insert ``rows``, the values of ``names``; ``progress`` hears how many are in."""
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            self.table(model), ", ".join(self.columns(model, names)), ", ".join(["%s"] * len(names))
        )
        self._many(sql, rows, progress)

    def update(self, model, names, rows, progress: Callable[[int], None] | None = None) -> None:
        """``rows`` are the values of ``names`` followed by the primary key."""
        assignments = ", ".join(f"{column} = %s" for column in self.columns(model, names))
        sql = f"UPDATE {self.table(model)} SET {assignments} WHERE {self.ops.quote_name('id')} = %s"
        self._many(sql, rows, progress)

    def delete_where_in(self, model, name, values) -> None:
        column = self.columns(model, [name])[0]
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), BATCH):
                chunk = values[start : start + BATCH]
                cursor.execute(
                    f"DELETE FROM {self.table(model)} WHERE {column} IN "
                    f"({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )

    def _many(self, sql, rows, progress: Callable[[int], None] | None = None) -> None:
        with self.connection.cursor() as cursor:
            batch, done = [], 0
            for row in rows:
                batch.append(row)
                if len(batch) >= 10 * BATCH:
                    cursor.executemany(sql, batch)
                    done += len(batch)
                    batch = []
                    if progress is not None:
                        progress(done)
            if batch:
                cursor.executemany(sql, batch)
                if progress is not None:
                    progress(done + len(batch))


#: Reports a stage of long work: called with how many rows the stage has and what it does
#: ("saving outlets"), it returns the callable to tell how many are done.
Stage = Callable[[int, str], Callable[[int], None]]


def unreported(total: int, label: str) -> Callable[[int], None]:
    """A :data:`Stage` that tells nobody."""
    return lambda done: None


#: Outlets whose hours, services and payments are replaced together: progress is reported
#: after each such chunk.
CHILDREN_CHUNK = 5 * BATCH


@transaction.atomic
def save_records(records: list[OutletRecord], stage: Stage = unreported) -> ImportResult:
    """Upsert ``records`` by code in one transaction: fields, hours, services, payments.

    Outlets not in the file are left as they are; an outlet in the file gets exactly the
    file's hours, services and payment methods. ``stage`` hears of the two stages, the
    outlet rows and then their hours, services and payment methods, as they progress.
    """
    existing = _existing_ids([r.code for r in records])
    writer = BulkWriter()
    now = writer.datetime(django_timezone.now())
    result = ImportResult()
    new_rows, changed_rows = [], []
    for record in records:
        values = (
            *plain_values(record),
            Outlet.slug_for(record.code, record.name),
            record.hours.closed_on_public_holidays,
            now,
        )
        outlet_id = existing.get(record.code.lower())
        if outlet_id is None:
            new_rows.append((*values, now))
            result.created.append(record.code)
        else:
            changed_rows.append((*values, outlet_id))
            result.updated.append(record.code)
    saved = stage(len(records), gettext_lazy("saving outlets"))
    writer.insert(Outlet, (*OUTLET_FIELDS, "created_at"), new_rows, saved)
    created = len(new_rows)
    writer.update(Outlet, OUTLET_FIELDS, changed_rows, lambda done: saved(created + done))
    del new_rows, changed_rows
    ids = _existing_ids([r.code for r in records])
    written = stage(len(records), gettext_lazy("writing hours, services and payments"))
    for start in range(0, len(records), CHILDREN_CHUNK):
        chunk = records[start : start + CHILDREN_CHUNK]
        changed_ids = [existing[r.code.lower()] for r in chunk if r.code.lower() in existing]
        for model in (
            OpeningRange,
            SpecialHours,
            Outlet.services.through,
            Outlet.payment_methods.through,
        ):
            writer.delete_where_in(model, "outlet", changed_ids)
        _create_children(writer, chunk, ids)
        written(start + len(chunk))
    # The bulk writer skips save() and its signals.
    SearchChange.objects.record(ids.values())
    return result


def _create_children(writer: BulkWriter, records: list[OutletRecord], ids: dict[str, int]):
    service_ids = dict(Service.objects.values_list("slug", "id"))
    payment_ids = dict(PaymentMethod.objects.values_list("slug", "id"))
    outlet_ids = [(record, ids[record.code.lower()]) for record in records]
    writer.insert(
        OpeningRange,
        ("outlet", "weekday", "opens", "closes"),
        (
            (outlet_id, r.weekday, writer.time(r.opens), writer.time(r.closes))
            for record, outlet_id in outlet_ids
            for r in record.hours.weekly
        ),
    )
    writer.insert(
        SpecialHours,
        ("outlet", "start_date", "end_date", "opens", "closes", "reason"),
        (
            (
                outlet_id,
                writer.date(rule.start),
                writer.date(rule.end),
                writer.time(opens),
                writer.time(closes),
                rule.reason,
            )
            for record, outlet_id in outlet_ids
            for rule in record.hours.dated
            for opens, closes in [(r.opens, r.closes) for r in rule.ranges] or [(None, None)]
        ),
    )
    writer.insert(
        Outlet.services.through,
        ("outlet", "service"),
        (
            (outlet_id, service_ids[slug])
            for record, outlet_id in outlet_ids
            for slug in record.services
        ),
    )
    writer.insert(
        Outlet.payment_methods.through,
        ("outlet", "paymentmethod"),
        (
            (outlet_id, payment_ids[slug])
            for record, outlet_id in outlet_ids
            for slug in record.payment_methods
        ),
    )


def read_staged(data: bytes, fmt: str, stage: Stage = unreported) -> list[OutletRecord]:
    """:func:`read_outlets`, its rows reported to ``stage`` as the stage "reading"."""
    return read_outlets(data, fmt, stage(estimated_rows(data, fmt), gettext_lazy("reading")))


def import_outlets(
    data: bytes,
    fmt: str,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    stage: Stage = unreported,
) -> ImportResult:
    """Validate a whole file, then (unless ``dry_run``) upsert it; all or nothing.

    ``progress`` is called with the number of rows read so far (see :func:`validate_rows`),
    and ``stage`` hears of the writing (see :func:`save_records`).
    """
    records = read_outlets(data, fmt, progress)
    return plan(records) if dry_run else save_records(records, stage)


# --- Writing files ---------------------------------------------------------------------


def outlet_fields(outlet: Outlet) -> dict:
    """An outlet as the columns of the file formats (lists for services and payments)."""
    return {
        "code": outlet.code,
        "kind": outlet.kind,
        "name": outlet.name,
        "address": outlet.address,
        "city": outlet.city,
        "province": outlet.province,
        "postcode": outlet.postcode,
        "country": outlet.country,
        "latitude": outlet.latitude,
        "longitude": outlet.longitude,
        "timezone": outlet.timezone,
        "phone": outlet.phone,
        "services": [s.slug for s in outlet.services.all()],
        "payment_methods": [p.slug for p in outlet.payment_methods.all()],
        "opening_hours": osm_hours.render(
            hours_for(
                outlet.opening_ranges.all(),
                outlet.special_hours.all(),
                outlet.closed_on_public_holidays,
            )
        ),
        "status": outlet.status,
    }


def write_template(out) -> None:
    """A CSV file to fill in: the header and one example row, from :data:`COLUMN_GUIDE`."""
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    writer.writerow([csv_cell(column.name, column.example) for column in COLUMN_GUIDE])


class CsvWriter:
    """Rows of cells written to ``out`` as CSV lines that end in ``\\n``.

    ``csv.writer`` quotes a cell for the characters of its own line ending only, so with
    ``\\n`` a cell holding a carriage return would be written bare and read back as two
    lines. Each row is made with ``\\r\\n``, which quotes both, and ends in ``\\n``.
    """

    def __init__(self, out):
        self.out = out
        self.line = io.StringIO()
        self.writer = csv.writer(self.line, lineterminator="\r\n")

    def writerow(self, cells) -> None:
        self.line.seek(0)
        self.line.truncate()
        self.writer.writerow(cells)
        self.out.write(self.line.getvalue()[:-2] + "\n")


def csv_cell(column: str, value: str) -> str:
    """A column's value as its CSV cell: numbers as they are, text made inert for
    spreadsheets (:func:`escape_cell`)."""
    return value if column in NUMBER_COLUMNS else escape_cell(value)


def export_outlets(queryset, fmt: str, out, progress: Callable[[int], None] | None = None) -> int:
    """Write the outlets of ``queryset`` to the text stream ``out``; returns how many.

    ``progress``, if given, is called with the number written so far after each outlet.
    """
    outlets = (
        queryset.order_by("code")
        .prefetch_related("opening_ranges", "special_hours", "services", "payment_methods")
        .iterator(chunk_size=BATCH)
    )
    if fmt == "csv":
        writer = CsvWriter(out)
        writer.writerow(COLUMNS)
        count = 0
        for outlet in outlets:
            fields = outlet_fields(outlet)
            for name in LIST_COLUMNS:
                fields[name] = ";".join(fields[name])
            fields["latitude"] = repr(fields["latitude"])
            fields["longitude"] = repr(fields["longitude"])
            writer.writerow([csv_cell(name, fields[name]) for name in COLUMNS])
            count += 1
            if progress is not None:
                progress(count)
        return count
    if fmt not in ("json", "geojson"):
        raise ValueError(f"unknown format {fmt!r}")
    # Written item by item, so a large export never holds the whole document in memory.
    geojson = fmt == "geojson"
    out.write('{"type": "FeatureCollection", "features": [' if geojson else "[")
    count = 0
    for outlet in outlets:
        fields = outlet_fields(outlet)
        if geojson:
            longitude, latitude = fields.pop("longitude"), fields.pop("latitude")
            item = {
                "type": "Feature",
                "id": outlet.code,
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": fields,
            }
        else:
            item = fields
        out.write(("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False))
        count += 1
        if progress is not None:
            progress(count)
    out.write("\n]}\n" if geojson else "\n]\n")
    return count
