"""What an outlet is: an AXIS store (staffed) or a self-service kiosk, in plain Python.

The one definition of the outlet kinds: :class:`~locations.models.OutletKind` is built from
these values, and the search index, which imports no Django models, reads them here.
(Place kinds, ``city``, ``regency``, ..., are the gazetteer's: :mod:`locations.gazetteer`.)
"""

STORE = "store"
KIOSK = "kiosk"

#: The kinds (``Outlet.kind``), in the order choices and filters list them.
KINDS = (STORE, KIOSK)
