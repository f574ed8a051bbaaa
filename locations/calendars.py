"""Public-holiday calendars: the ``holidays`` package's ``public`` category, corrected by staff.

The government fixes the Islamic holidays late, so staff may add a date the package does
not know or remove one it has wrong; those corrections are :class:`~locations.models.
HolidayDate` rows and are applied on top of the package's calendar here.
"""

from datetime import date
from functools import cache, lru_cache

import holidays as holidays_package

from .hours import PublicHolidays


@cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (and XK, Kosovo's code in common use): the countries
    the ``holidays`` package has a calendar for, which is every one."""
    return frozenset(holidays_package.list_supported_countries(include_aliases=False))


@lru_cache(maxsize=256)
def package_holidays(country: str, year: int) -> dict[date, str]:
    """The ``public`` holidays of ``country`` in ``year`` from the ``holidays`` package."""
    try:
        calendar = holidays_package.country_holidays(
            country, years=year, categories=("public",), language="en_US"
        )
    except NotImplementedError:
        return {}
    return dict(calendar.items())


def public_holidays(country: str, added=(), removed=()) -> PublicHolidays:
    """A calendar for ``country``: the package's dates plus ``added`` minus ``removed``."""
    added = frozenset(added)
    removed = frozenset(removed)

    def dates_for_year(year: int):
        dates = set(package_holidays(country, year)) | {d for d in added if d.year == year}
        return dates - removed

    return PublicHolidays(dates_for_year)
