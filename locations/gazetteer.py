"""The offline gazetteer's plain parts: place kinds, precisions, the postcode pattern,
place-name keys and the fixture files' format.

The fixtures (``fixtures/gazetteer/``) are derived from registry packages by
``python manage.py build_gazetteer`` (see :mod:`locations.build.gazetteer_sources`) and loaded
into :class:`~locations.models.PostcodeArea` and :class:`~locations.models.Place` by
``python manage.py load_postcodes``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path

# The levels of Indonesia's administration (and a locality: a named place that is none of
# them). Place kinds and precisions are both spelt with these words.
PROVINCE = "province"
CITY = "city"  # a kota; as a precision, the centre of a city or a regency
REGENCY = "regency"
DISTRICT = "district"
VILLAGE = "village"
LOCALITY = "locality"

#: How closely a gazetteer point marks what it names, finest first (``Precision``).
PRECISIONS = (VILLAGE, DISTRICT, CITY, PROVINCE)
#: What a named place is (``PlaceKind``).
PLACE_KINDS = (PROVINCE, CITY, REGENCY, DISTRICT, VILLAGE, LOCALITY)

#: An Indonesian postcode: five ASCII digits (``\d`` would take other scripts' digits).
ID_POSTCODE_PATTERN = "[0-9]{5}"
#: The whole text is an Indonesian postcode.
ID_POSTCODE = re.compile(rf"\A{ID_POSTCODE_PATTERN}\Z")
#: An Indonesian postcode inside text, not part of a longer number.
POSTCODE_IN_TEXT = re.compile(rf"(?<![0-9]){ID_POSTCODE_PATTERN}(?![0-9])")

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "gazetteer"
POSTCODES_FILE = FIXTURE_DIR / "postcodes_id.csv"
PLACES_FILE = FIXTURE_DIR / "places_id.csv"

#: Words that say what kind of place follows (or precedes, in English): ``Kota Bandung``,
#: ``Kab. Badung``, ``Bandung Regency``. The value is the place kind they point to.
QUALIFIERS = {
    "kota": CITY,
    "city": CITY,
    "kabupaten": REGENCY,
    "kab": REGENCY,
    "regency": REGENCY,
    "kecamatan": DISTRICT,
    "kec": DISTRICT,
    "district": DISTRICT,
    "kelurahan": VILLAGE,
    "kel": VILLAGE,
    "desa": VILLAGE,
    "village": VILLAGE,
    "provinsi": PROVINCE,
    "propinsi": PROVINCE,
    "prov": PROVINCE,
    "province": PROVINCE,
}


#: What folding keeps of ASCII text: letters and digits, lower-cased; the rest is a space.
_ASCII_FOLD = {c: (chr(c).lower() if chr(c).isalnum() else " ") for c in range(128)}


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: ``Bau-Bau`` -> ``bau bau``.

    ASCII text, which most names and addresses are, takes a table in C: a search index
    folds 100,000 outlets' texts, and free-text search folds each row it reads.
    """
    if text.isascii():
        return " ".join(text.translate(_ASCII_FOLD).split())
    return _fold_any(text)


def _fold_any(text: str) -> str:
    """:func:`fold` for any text, character by character."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isascii() and c.isalnum() else " " for c in plain).split())


def place_key(text: str) -> str:
    """The key places are found by: the folded name without spaces.

    Spelling with or without spaces is common (``Pangkal Pinang``, ``Pangkalpinang``), so
    spaces do not count.
    """
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class PlaceQuery:
    """A place name as typed, read for look-up."""

    #: The kind a qualifier word asked for (``kota`` -> ``city``), or None.
    kind: str | None
    #: The key of the whole text, qualifier included (``Kota Agung`` is a district's name).
    key: str
    #: The key without the qualifier word; the same as ``key`` when there was none.
    bare_key: str


def read_query(text: str) -> PlaceQuery:
    """Split a leading (or trailing) qualifier word off a place name."""
    words = fold(text).split()
    kind = None
    bare = words
    if len(words) > 1 and words[0] in QUALIFIERS:
        kind, bare = QUALIFIERS[words[0]], words[1:]
    elif len(words) > 1 and words[-1] in QUALIFIERS:
        kind, bare = QUALIFIERS[words[-1]], words[:-1]
    return PlaceQuery(kind, "".join(words), "".join(bare))


# --- The fixture files ----------------------------------------------------------------


@dataclass(frozen=True)
class PostcodeEntry:
    """One row of ``postcodes_id.csv``."""

    postcode: str
    latitude: float
    longitude: float
    place: str
    city: str
    province: str
    precision: str


@dataclass(frozen=True)
class PlaceEntry:
    """One row of ``places_id.csv``; ``aliases`` are other names of the same place."""

    kind: str
    name: str
    city: str
    province: str
    latitude: float
    longitude: float
    precision: str
    rank: int
    aliases: tuple[str, ...] = ()


class GazetteerError(ValueError):
    """A fixture row that cannot be read: ``line N: column: message``."""


def _column_names(entry_type) -> list[str]:
    return [f.name for f in fields(entry_type)]


def write_entries(entries: Iterable[PostcodeEntry | PlaceEntry], entry_type, out) -> None:
    """Write entries as CSV with a header row (coordinates to 5 decimals, about 1 m)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_column_names(entry_type))
    for entry in entries:
        row = []
        for value in astuple(entry):
            if isinstance(value, float):
                value = f"{value:.5f}"
            elif isinstance(value, tuple):
                value = ";".join(value)
            row.append(value)
        writer.writerow(row)


def read_entries(source: str | Path | io.TextIOBase, entry_type) -> Iterator:
    """Read a fixture file (a path or an open text stream) into entries, checking every value."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8", newline="") as handle:
            yield from read_entries(handle, entry_type)
        return
    reader = csv.DictReader(source)
    if reader.fieldnames != _column_names(entry_type):
        raise GazetteerError(f"line 1: header: expected {','.join(_column_names(entry_type))}")
    for line, row in enumerate(reader, start=2):
        yield _entry(entry_type, row, line)


def _entry(entry_type, row: dict, line: int):
    values = {}
    for f in fields(entry_type):
        text = row.get(f.name)
        if text is None:
            raise GazetteerError(f"line {line}: {f.name}: missing")
        try:
            if f.name in ("latitude", "longitude"):
                value = float(text)
                limit = 90 if f.name == "latitude" else 180
                if not -limit <= value <= limit:
                    raise ValueError(f"out of range: {text}")
            elif f.name == "rank":
                value = int(text)
            elif f.name == "aliases":
                value = tuple(name for name in text.split(";") if name)
            else:
                value = text
        except ValueError as error:
            raise GazetteerError(f"line {line}: {f.name}: {error}") from None
        values[f.name] = value
    if values["precision"] not in PRECISIONS:
        raise GazetteerError(f"line {line}: precision: not one of {', '.join(PRECISIONS)}")
    if entry_type is PlaceEntry and values["kind"] not in PLACE_KINDS:
        raise GazetteerError(f"line {line}: kind: not one of {', '.join(PLACE_KINDS)}")
    if entry_type is PostcodeEntry and not ID_POSTCODE.fullmatch(values["postcode"]):
        raise GazetteerError(f"line {line}: postcode: not five digits")
    return entry_type(**values)


def read_postcodes(source=POSTCODES_FILE) -> Iterator[PostcodeEntry]:
    return read_entries(source, PostcodeEntry)


def read_places(source=PLACES_FILE) -> Iterator[PlaceEntry]:
    return read_entries(source, PlaceEntry)
