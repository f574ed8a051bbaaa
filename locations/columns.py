"""The columns of an outlet file (CSV header, JSON and GeoJSON fields), in order.

CONTRACT section 3: scripts and spreadsheets rely on these names and this order.
"""

COLUMNS = (
    "code",
    "kind",
    "name",
    "address",
    "city",
    "province",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "timezone",
    "phone",
    "services",
    "payment_methods",
    "opening_hours",
    "status",
)
