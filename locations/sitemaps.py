"""The sitemap (django.contrib.sitemaps): the locator, the browse pages of every province
and city, and every outlet page that searches show, with when the outlet last changed.
Permanently closed outlets are left out. ``/sitemap.xml`` is the index of these sections
(the outlets' in pages of 10,000, as the protocol allows 50,000 a file)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import places
from .models import Outlet


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["locations:locator", "locations:provinces"]

    def location(self, item):
        return reverse(item)


class PlacesSitemap(Sitemap):
    """Every province's page and every city's."""

    changefreq = "weekly"

    def items(self):
        provinces = places.provinces(Outlet.objects.searchable().places())
        pages = []
        for province in provinces.values():
            pages.append((province.slug,))
            pages.extend((province.slug, city.slug) for city in province.cities.values())
        return pages

    def location(self, item):
        return reverse("locations:province" if len(item) == 1 else "locations:city", args=item)


class OutletsSitemap(Sitemap):
    """Every outlet page that searches show, by code."""

    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Outlet.objects.searchable().only("code", "name", "updated_at").order_by("code")

    def lastmod(self, outlet):
        return outlet.updated_at


SITEMAPS = {"pages": PagesSitemap, "places": PlacesSitemap, "outlets": OutletsSitemap}
