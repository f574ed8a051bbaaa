"""The columns of an outlet file (CSV header, JSON and GeoJSON fields), in order.

Scripts and spreadsheets rely on these names and this order (README, "Import and export").
:data:`COLUMN_GUIDE` says, once, what each column holds: the import screen lists it and the
template file's example row is made from it.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Column(NamedTuple):
    """One column of an outlet file, as the import screen explains it."""

    name: str
    required: bool
    example: str
    meaning: str


COLUMN_GUIDE = (
    Column("code", True, "AX-BDG-001", _("Stable key: 1 to 32 letters, digits, - or _.")),
    Column("kind", True, "store", _("store or kiosk.")),
    Column("name", True, "AXIS Store Bandung Braga", _("Name shown to customers.")),
    Column("address", False, "Jl. Braga No. 10", _("Street address.")),
    Column("city", False, "Bandung", _("City or regency.")),
    Column("province", False, "Jawa Barat", _("Province.")),
    Column("postcode", False, "40111", _("Five digits in Indonesia.")),
    Column("country", False, "ID", _("ISO 3166-1 alpha-2 code; empty means ID.")),
    Column("latitude", True, "-6.917464", _("WGS 84 degrees (-6,917464 in a ;-separated file).")),
    Column("longitude", True, "107.619123", _("WGS 84 degrees.")),
    Column("timezone", False, "Asia/Jakarta", _("IANA name; empty means derived from the map.")),
    Column("phone", False, "+62 22 4201234", _("Phone number.")),
    Column("services", False, "topup;sim_replacement", _("Service slugs separated by ;.")),
    Column("payment_methods", False, "cash;qris", _("Payment method slugs separated by ;.")),
    Column(
        "opening_hours",
        True,
        "Mo-Sa 09:00-21:00; PH off",
        _("OpenStreetMap opening_hours; off for no regular hours."),
    ),
    Column(
        "status",
        False,
        "active",
        _("active, temporarily_closed or permanently_closed; empty means active."),
    ),
)

COLUMNS = tuple(column.name for column in COLUMN_GUIDE)
