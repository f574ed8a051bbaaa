"""Public-holiday calendars: the ``holidays`` package's ``public`` category, corrected by staff.

The government fixes the Islamic holidays late, so staff may add a date the package does
not know or remove one it has wrong; those corrections are :class:`~locations.models.
HolidayDate` rows and are applied on top of the package's calendar here.
"""

import re
from datetime import date
from functools import cache, lru_cache

import holidays as holidays_package
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .hours import PublicHolidays


@cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (and XK, Kosovo's code in common use): the countries
    the ``holidays`` package has a calendar for, which is every one."""
    return frozenset(holidays_package.list_supported_countries(include_aliases=False))


@lru_cache(maxsize=256)
def package_holidays(country: str, year: int, language: str = "en_US") -> dict[date, str]:
    """The ``public`` holidays of ``country`` in ``year`` from the ``holidays`` package,
    named in the package's ``language``."""
    try:
        calendar = holidays_package.country_holidays(
            country, years=year, categories=("public",), language=language
        )
    except NotImplementedError:
        return {}
    return dict(calendar.items())


@cache
def _localized() -> dict[str, list[str]]:
    return holidays_package.list_localized_countries(include_aliases=False)


def package_language(country: str, language: str) -> str:
    """The ``holidays`` package's language for ``country`` closest to ``language`` (a
    Django language code: ``id``, ``zh-hans``), else American English."""
    base = language.split("-")[0].lower()
    for code in sorted(_localized().get(country, ())):
        if code.split("_")[0].lower() == base:
            return code
    return "en_US"


#: Indonesia's public holidays as the ``holidays`` package names them in English, for the
#: languages it does not name them in (Chinese): translated by this project's catalogue.
ENGLISH_NAMES = (
    pgettext_lazy("holiday", "New Year's Day"),
    pgettext_lazy("holiday", "Isra' and Mi'raj"),
    pgettext_lazy("holiday", "Lunar New Year"),
    pgettext_lazy("holiday", "Day of Silence"),
    pgettext_lazy("holiday", "Eid al-Fitr"),
    pgettext_lazy("holiday", "Eid al-Fitr Second Day"),
    pgettext_lazy("holiday", "Good Friday"),
    pgettext_lazy("holiday", "Easter Sunday"),
    pgettext_lazy("holiday", "International Labor Day"),
    pgettext_lazy("holiday", "Ascension Day"),
    pgettext_lazy("holiday", "Eid al-Adha"),
    pgettext_lazy("holiday", "Vesak Day"),
    pgettext_lazy("holiday", "Pancasila Day"),
    pgettext_lazy("holiday", "Islamic New Year"),
    pgettext_lazy("holiday", "Independence Day"),
    pgettext_lazy("holiday", "Prophet's Birthday"),
    pgettext_lazy("holiday", "Christmas Day"),
)

# The package's mark on a date it has estimated (a lunar holiday not yet fixed).
_ESTIMATED = re.compile(r"^(?P<name>.*) \(estimated\)$")


def translated_name(name: str) -> str:
    """A holiday's English name from the package in the active language, by this
    project's catalogue (unchanged where the catalogue lacks it)."""
    estimated = _ESTIMATED.match(name)
    if estimated:
        return gettext("{holiday} (estimated)").format(
            holiday=pgettext("holiday", estimated["name"])
        )
    return pgettext("holiday", name)


def holiday_names(country: str, first: date, last: date, language: str, added=None):
    """The names of ``country``'s public holidays from ``first`` to ``last``, as a mapping
    of dates to names: the names staff gave the dates they added (``added``), else the
    package's, in ``language`` where the package has it, else its English names through
    this project's catalogue."""
    code = package_language(country, language)
    translate = code == "en_US" and not language.lower().startswith("en")
    names = {}
    for year in range(first.year, last.year + 1):
        names.update(
            (day, translated_name(name) if translate else name)
            for day, name in package_holidays(country, year, code).items()
            if first <= day <= last
        )
    names.update((day, name) for day, name in (added or {}).items() if name)
    return names


def public_holidays(country: str, added=(), removed=()) -> PublicHolidays:
    """A calendar for ``country``: the package's dates plus ``added`` minus ``removed``."""
    added = frozenset(added)
    removed = frozenset(removed)

    def dates_for_year(year: int):
        dates = set(package_holidays(country, year)) | {d for d in added if d.year == year}
        return dates - removed

    return PublicHolidays(dates_for_year)
