"""Provinces and cities as the browse pages name them: each a slug of the name the outlets
give (``Jawa Barat`` is ``jawa-barat``), with its outlet count. Names that differ only in
case or punctuation share a slug, and so a page."""

from dataclasses import dataclass, field

from django.utils.text import slugify


@dataclass
class Place:
    """A province, or a city of one: its name (the spelling most of its outlets use), slug
    and outlet count, the spellings the outlets use, and (a province's) cities."""

    name: str
    slug: str
    outlets: int = 0
    spellings: dict[str, int] = field(default_factory=dict)
    cities: dict[str, "Place"] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.outlets += count
        self.spellings[name] = self.spellings.get(name, 0) + count
        self.name = max(self.spellings, key=lambda spelling: (self.spellings[spelling], spelling))


def place_slug(name: str) -> str:
    """The slug of a place's name; never holds ``--``, which marks outlet pages."""
    return "-".join(part for part in slugify(name).split("-") if part)


def provinces(rows) -> dict[str, Place]:
    """The provinces, by slug, with their cities, from ``(province, city, outlets)`` rows
    (:meth:`OutletQuerySet.places`); outlets without a province or city are left out."""
    found: dict[str, Place] = {}
    for province_name, city_name, count in rows:
        province_key, city_key = place_slug(province_name), place_slug(city_name)
        if not province_key or not city_key:
            continue
        province = found.setdefault(province_key, Place("", province_key))
        province.add(province_name, count)
        city = province.cities.setdefault(city_key, Place("", city_key))
        city.add(city_name, count)
    return dict(sorted(found.items(), key=lambda item: item[1].name.casefold()))
