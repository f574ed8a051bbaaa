"""HTML pages: the locator (search and list, with live status), and each outlet's page."""

import json
import zoneinfo
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import DetailView, ListView, TemplateView

from axisfinder.middleware import client_address

from . import geocoding, notices, offline, places, schema_org, search, timezones
from . import hours as hours_rules
from .forms import DEFAULT_ZONE, ReportForm, SearchForm
from .hours import zone_label
from .models import HolidayCalendars, HolidayDate, Outlet
from .search import MAX_RADIUS_KM
from .search.query import MAX_LIMIT, QueryError, SearchQuery


class LocatorView(TemplateView):
    """The locator: a search from a postcode, a place or the visitor's location, with
    filters, and a map; without a search, every outlet passing the filters, by code, and a
    map of all of them that loads what its viewport shows."""

    template_name = "locations/locator.html"
    limit = 20
    paginate_by = 20
    #: Results further than this are listed apart ("nearest outside 25 km").
    near_km = 25
    #: Whose public holidays of the coming week the locator announces, and on whose date.
    country = "ID"
    zone = zoneinfo.ZoneInfo(DEFAULT_ZONE)

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        context = {"form": form, "outlets": [], "searched": False}
        if form.is_bound and not form.is_valid():
            return self.render(context, status=400)
        query = form.query or SearchQuery()
        if "limit" not in request.GET:
            query = replace(query, limit=self.limit)
        context["searched"] = query.has_origin
        now = timezone.now()
        try:
            resolution = query.resolve() if query.has_origin else None
            # The searched place's zone is looked up only when a time is asked for.
            if query.at is None and form.asks_for_time:
                zone = resolution and timezones.zone_at(
                    resolution.origin.latitude, resolution.origin.longitude
                )
                query = replace(query, at=form.instant(now, zone))
            result = query.run(
                now, per_page=self.paginate_by, clamp_page=True, resolution=resolution
            )
        except QueryError as error:
            form.show(error)
            return self.render(context, status=400)
        except geocoding.NotFound as error:
            context["not_found"] = error
            return self.render(context)
        outlets = Outlet.objects.prefetch_related("services").for_hits(result.hits, result.at)
        context.update(
            query=query,
            outlets=outlets,
            resolution=result.resolution,
            origin=result.origin,
            origin_label=self.origin_label(result.origin, form.located),
            # Directions start from the visitor's own point when the search came from it.
            start=result.origin if form.located == "me" else None,
            page_obj=result.page,
            at=query.at and instant_label(query.at),
            save_offline_limit=offline.SAVED_OUTLETS,
        )
        if result.origin is not None:
            context["near_outlets"] = [o for o in outlets if o.distance_km <= self.near_km]
            context["far_outlets"] = outlets[len(context["near_outlets"]) :]
            context["near_km"] = self.near_km
            if len(outlets) == query.limit < MAX_LIMIT:
                context["more_limit"] = min(query.limit + self.limit, MAX_LIMIT)
        if not outlets:
            context["ways_on"] = self.ways_on(query, form)
        return self.render(context)

    def render(self, context, status=200):
        context["map_config"] = self.map_config(context)
        today = timezone.localdate(timezone=self.zone)
        context["holiday_notices"] = notices.locator_notices(
            HolidayDate.objects.ahead(self.country, today)
        )
        return self.render_to_response(self.get_context_data(**context), status=status)

    @staticmethod
    def origin_label(origin, near):
        if origin is None or origin.source != "coordinates":
            return origin.label if origin else ""
        if near == "me":
            return _("your location")
        if near == "map":
            return _("the centre of the map")
        return origin.label

    def ways_on(self, query, form):
        """Links out of an empty answer: a larger radius, then each filter dropped."""
        ways = []
        if query.radius_km is not None:
            wider = min(query.radius_km * 4, MAX_RADIUS_KM)
            if wider > query.radius_km:
                ways.append(
                    (
                        _("Search within %(km)s km") % {"km": floatformat(wider, -1)},
                        {"radius_km": f"{wider:g}"},
                    )
                )
            ways.append((_("Search at any distance"), {"radius_km": None}))
        if query.kind:
            ways.append((_("Show stores and kiosks"), {"kind": None}))
        if query.service:
            ways.append((_("Any service"), {"service": None}))
        if query.open_now:
            ways.append((_("Include closed outlets"), {"open_now": None}))
        return [(label, {**changes, "page": None}) for label, changes in ways]

    def map_config(self, context):
        query = context.get("query")
        origin = context.get("origin")
        return map_config(
            self.request,
            query=query,
            origin=origin
            and {
                "latitude": round(origin.latitude, 6),
                "longitude": round(origin.longitude, 6),
                "label": context.get("origin_label") or origin.label,
                "near": context["form"].located or None,
            },
            radius_km=query.radius_km if query is not None and origin else None,
        )


def map_config(request, *, query=None, origin=None, radius_km=None, listed=False):
    """What the map's script reads (``json_script``): the searched point (``origin``) and
    the radius, whether it shows just the listed outlets (``listed``), the filters as API
    parameters, and the words it shows."""
    api = {}
    if query is not None:
        if query.kind:
            api["kind"] = ",".join(sorted(query.kind))
        if query.service:
            api["service"] = ",".join(sorted(query.service))
        if query.open_now:
            api["open_now"] = "true"
        if query.at is not None:
            api["at"] = query.at.isoformat()
    kept = request.GET.copy() if query is not None else {}
    for name in ("q", "lat", "lng", "near", "page", "limit"):
        kept.pop(name, None)
    locator = reverse("locations:locator")
    west, south, east, north = settings.MAP_BOUNDS
    return {
        "origin": origin,
        "listed": listed,
        "radius_km": radius_km,
        "filters": urlencode(api),
        "api": {
            "clusters": reverse("api:outlet-clusters"),
            "geojson": reverse("api:outlet-geojson"),
            "outlet": reverse("api:outlet-list"),
        },
        "search_url": f"{locator}?{kept.urlencode()}" if kept else locator,
        # South-west and north-east corners of the map without a search.
        "bounds": [[south, west], [north, east]],
        "zoom_range": [
            settings.LEAFLET_CONFIG["MIN_ZOOM"],
            settings.LEAFLET_CONFIG["MAX_ZOOM"],
        ],
        "text": {name: str(text) for name, text in MAP_TEXT.items()},
    }


def instant_label(at) -> str:
    """``Mon 30 Nov, 19:00 WIB``: an instant in its own zone, as the page's "open at" says."""
    zone = getattr(at.tzinfo, "key", None)
    name = zone_label(zone) if zone else at.strftime("UTC%z")
    return f"{hours_rules.date_label(at.date())}, {at:%H:%M} {name}"


#: The words the map's script shows, in the page's language.
MAP_TEXT = {
    "search_area": _("Search this area"),
    "outlet_page": _("Outlet page"),
    "directions": _("Directions"),
    "your_location": _("Your location"),
    "searched_place": _("Searched place"),
    "store": _("Store"),
    "kiosk": _("Kiosk"),
    "open": _("Open"),
    "closed": _("Closed"),
    "cluster": _("{count} outlets: zoom in"),
    "loading": _("Loading outlets…"),
    "load_failed": _("Could not load the outlets of this area."),
    "show_on_map": _("Show on map"),
    "too_many": _("Zoom in to see each outlet."),
    "map_label": _("Map of outlets"),
    "today": _("Today {hours}"),
    "open_24_hours": _("Open 24 hours today"),
    "closed_today": _("Closed today"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "close": _("Close"),
}


class OutletDetailView(DetailView):
    """One outlet: address, status, the coming week's hours in local time with special
    hours and closing holidays on their dates, the exceptions ahead, services, a map, and
    the same facts as schema.org data."""

    template_name = "locations/outlet_detail.html"
    context_object_name = "outlet"
    #: The map shows the streets around the outlet.
    map_zoom = 16

    def get_queryset(self):
        return Outlet.objects.with_hours()

    def get_object(self, queryset=None):
        # The code in the slug is the key: a renamed outlet is still found (and redirected).
        code = Outlet.code_from_slug(self.kwargs["slug"])
        if code is None:
            raise Http404("No such outlet")
        return get_object_or_404(self.get_queryset().with_code(code))

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outlet = self.object
        hours = outlet.hours
        schedule = outlet.schedule()
        outlet.status_now = hours_rules.status(schedule, timezone.now())
        outlet.schedule_now = schedule
        # The outlet's date, not the server's: its week starts on its own today.
        today = outlet.status_now.local.date()
        names = outlet.holiday_names(today, hours.dated)
        week = hours_rules.week_ahead(schedule, today, dated=hours.dated, holiday_names=names)
        special_days = hours_rules.special_days_ahead(
            schedule, today, dated=hours.dated, holiday_names=names
        )
        context["holiday_notices"] = (
            notices.outlet_notices(
                HolidayDate.objects.ahead(outlet.country, today), schedule, hours.dated
            )
            if outlet.status == Outlet.Status.ACTIVE
            else []
        )
        url = self.request.build_absolute_uri(outlet.get_absolute_url())
        if outlet.status == Outlet.Status.PERMANENTLY_CLOSED:
            # Closed for good: where to go instead (the search shows only open outlets).
            now = timezone.now()
            hits = search.nearest(outlet.latitude, outlet.longitude, limit=5, at=now)
            context["instead"] = Outlet.objects.for_hits(hits, now)
        # Up to its city's page and its province's (outlets without both are in neither).
        province, city = places.place_slug(outlet.province), places.place_slug(outlet.city)
        context.update(
            province_slug=province if city else "",
            city_slug=city if province else "",
            share_url=url,
            share_text="\n".join(
                line
                for line in (
                    outlet.name,
                    f"{outlet.address}, {outlet.city}, {outlet.province} {outlet.postcode}",
                    outlet.status_now.label,
                    outlet.phone,
                )
                if line
            ),
            today=today,
            week=week,
            all_day_every_day=hours_rules.all_day_every_day(week),
            special_days=special_days,
            structured_data=schema_org.outlet_data(outlet, schedule, special_days, url),
            # The map opens on the outlet, so no tile of the whole country is fetched first.
            map_settings={
                "DEFAULT_CENTER": (outlet.latitude, outlet.longitude),
                "DEFAULT_ZOOM": self.map_zoom,
            },
            # "Report a problem": the form sent back with its errors (ReportView), or empty.
            report_form=kwargs.get("report_form") or ReportForm(),
            reported=self.request.GET.get("reported") == "1",
        )
        return context


# --- Offline: the web app manifest, the service worker, the page for what is not stored --


def web_manifest(request):
    """The web app manifest, in the page's language."""
    return JsonResponse(
        offline.manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


class ServiceWorkerView(TemplateView):
    """The service worker, at the root so that its scope is the whole site; asked again
    by the browser on each visit (``no-cache``), so a deployment reaches it at once."""

    template_name = "locations/service-worker.js"
    content_type = "text/javascript; charset=utf-8"

    def get_context_data(self, **kwargs):
        return {"config": json.dumps(offline.worker_config(), ensure_ascii=False, indent=2)}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "no-cache"
        return response


class OfflineView(TemplateView):
    """What the service worker shows for a page it has not stored when there is no
    connection: the searches and outlet pages it has (listed by the page's script)."""

    template_name = "locations/offline.html"


def robots_txt(request):
    """Crawlers welcome, except in the admin; the sitemap named."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- Browsing by province and city --------------------------------------------------------


class BrowseMixin:
    """The provinces and cities of the outlets that searches show."""

    def provinces(self):
        return places.provinces(Outlet.objects.searchable().places())

    def province(self):
        province = self.provinces().get(self.kwargs["province"])
        if province is None:
            raise Http404("No such province")
        return province


class ProvinceListView(BrowseMixin, TemplateView):
    """Every province with outlets, and how many."""

    template_name = "locations/browse_provinces.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(provinces=list(self.provinces().values()), **kwargs)


class ProvinceView(BrowseMixin, TemplateView):
    """A province's cities, and how many outlets each has."""

    template_name = "locations/browse_province.html"

    def get_context_data(self, **kwargs):
        province = self.province()
        # In place of the URL's slug: the province itself.
        kwargs["province"] = province
        kwargs["cities"] = sorted(province.cities.values(), key=lambda city: city.name.casefold())
        return super().get_context_data(**kwargs)


class CityView(BrowseMixin, ListView):
    """A city's outlets, by name, each with its status now."""

    template_name = "locations/browse_city.html"
    context_object_name = "outlets"
    paginate_by = 20
    #: Where the map opens, before it fits itself to the page's outlets.
    map_zoom = 12

    def get_queryset(self):
        self.province_place = self.province()
        self.city = self.province_place.cities.get(self.kwargs["city"])
        if self.city is None:
            raise Http404("No such city")
        return (
            Outlet.objects.searchable()
            .filter(province__in=self.province_place.spellings, city__in=self.city.spellings)
            .with_hours()
            .order_by("name", "code")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        calendars = HolidayCalendars()  # one query a country, not one an outlet
        for outlet in context["outlets"]:
            outlet.schedule_now = outlet.schedule(calendars)
            outlet.status_now = hours_rules.status(outlet.schedule_now, now)
            outlet.spans_today = outlet.schedule_now.day_spans(outlet.status_now.local.toordinal())
        outlets = context["outlets"]
        context.update(
            province=self.province_place,
            city=self.city,
            # The locator's map, showing just this page's outlets; it opens on them, so no
            # tile of the whole country is fetched first.
            map_config=map_config(self.request, listed=True),
            map_settings={
                "DEFAULT_CENTER": (
                    sum(outlet.latitude for outlet in outlets) / len(outlets),
                    sum(outlet.longitude for outlet in outlets) / len(outlets),
                ),
                "DEFAULT_ZOOM": self.map_zoom,
            }
            if outlets
            else {},
        )
        return context


# --- "Report a problem" on an outlet's page -----------------------------------------------

#: At most this many reports from one client (its address, see ``client_address``) in each
#: window of REPORT_WINDOW_SECONDS; the windows are fixed (the count starts again on the
#: hour), the same for every client.
REPORTS_PER_CLIENT = 20
REPORT_WINDOW_SECONDS = 60 * 60
#: A larger request body is refused unread (413). The largest report the form accepts, a
#: message of 1,000 characters and a contact of 200 in a script whose characters take
#: three or four bytes, is about 15,000 bytes once its characters are %-encoded.
REPORT_MAX_BYTES = 16 * 1024


class ReportCounter:
    """The reports of one client (the request's address) in the current window, counted in
    the shared cache."""

    def __init__(self, request):
        window, elapsed = divmod(int(timezone.now().timestamp()), REPORT_WINDOW_SECONDS)
        self.key = f"reports:{client_address(request)}:{window}"
        #: Seconds until the next window.
        self.retry_after = REPORT_WINDOW_SECONDS - elapsed

    def full(self) -> bool:
        return cache.get(self.key, 0) >= REPORTS_PER_CLIENT

    def add(self) -> bool:
        """Count one report; False when it is one too many (another request from the same
        client took the last place since :meth:`full`)."""
        # The key names its window, so it may outlive it: with a whole window's lifetime
        # it cannot expire between add() and incr().
        cache.add(self.key, 0, timeout=REPORT_WINDOW_SECONDS)
        return cache.incr(self.key) <= REPORTS_PER_CLIENT


class ReportView(OutletDetailView):
    """What "Report a problem" on an outlet's page posts to.

    A report is saved, then the page is shown again with thanks: a 303 to
    ``?reported=1#report-problem``, so that reloading it sends nothing twice. A form with
    errors gets the outlet's page again, with the errors, as a 400.

    Against abuse: the CSRF token; a body of at most :data:`REPORT_MAX_BYTES` (else 413,
    unread); a honeypot (:meth:`ReportForm.caught`: thanked for as a report, not saved);
    and at most :data:`REPORTS_PER_CLIENT` reports a window from one client (else 429),
    counting the honeypot's catches but not forms with errors, which save nothing and
    would hold back a person putting a mistake right.
    """

    http_method_names = ["get", "post"]

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        # The middleware would read the whole body for the CSRF token before the view saw
        # its size: here the size is checked first, then the token (csrf_protect).
        if self.body_size(request) > REPORT_MAX_BYTES:
            return self.refuse(
                413,
                _("Report too long"),
                _("The report is longer than the form allows. Shorten it and send it again."),
            )
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    @staticmethod
    def body_size(request) -> int:
        """The size the request gives its body; 0 for none or nonsense, as Django reads it."""
        try:
            return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
        except ValueError:
            return 0

    def get(self, request, *args, **kwargs):
        # Reports are only posted; the address itself leads to the form.
        return HttpResponseRedirect(self.outlet_url() + "#report-problem")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        counter = ReportCounter(request)
        if counter.full():
            return self.too_many(counter)
        form = ReportForm(request.POST)
        if form.caught():
            counter.add()
            return self.thanks()
        if not form.is_valid():
            context = self.get_context_data(object=self.object, report_form=form)
            return self.render_to_response(context, status=400)
        if not counter.add():
            return self.too_many(counter)
        form.instance.outlet = self.object
        form.instance.language = get_language() or ""
        form.save()
        return self.thanks()

    def thanks(self):
        return HttpResponseRedirect(
            f"{self.object.get_absolute_url()}?reported=1#report-problem", status=303
        )

    def too_many(self, counter: ReportCounter):
        minutes = -(-counter.retry_after // 60)
        response = self.refuse(
            429,
            _("Too many reports"),
            ngettext(
                "Your connection has sent many reports this hour. Please try again in "
                "%(minutes)d minute.",
                "Your connection has sent many reports this hour. Please try again in "
                "%(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response["Retry-After"] = str(counter.retry_after)
        return response

    def refuse(self, status: int, title: str, message: str):
        """A short page saying why the report was refused, with the way back."""
        context = {"title": title, "message": message, "outlet_url": self.outlet_url()}
        return TemplateResponse(
            self.request, "locations/report_refused.html", context, status=status
        )

    def outlet_url(self) -> str:
        return reverse("locations:outlet", kwargs={"slug": self.kwargs["slug"]})
