"""The columns of an outlet file (CSV header, JSON and GeoJSON fields), in order.

Scripts and spreadsheets rely on these names and this order (README, "Import and export").
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
