"""HTML pages: the locator (search and list, with live status), and each outlet's page."""

from dataclasses import replace

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from . import geocoding
from .forms import SearchForm
from .models import OpeningRange, Outlet
from .search.query import QueryError, SearchQuery


class LocatorView(TemplateView):
    """The locator: a search from a postcode, a place or the visitor's location, with
    filters; without a search, every outlet passing the filters, by code."""

    template_name = "locations/locator.html"
    limit = 20
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        context = {"form": form, "outlets": [], "searched": False}
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(**context), status=400)
        query = replace(form.query or SearchQuery(), limit=self.limit)
        context["searched"] = query.has_origin
        status = 200
        try:
            result = query.run(timezone.now(), per_page=self.paginate_by, clamp_page=True)
        except QueryError as error:
            form.show(error)
            status = 400
        except geocoding.NotFound as error:
            context["not_found"] = error
        else:
            outlets = Outlet.objects.prefetch_related("services").for_hits(result.hits, result.at)
            context.update(
                outlets=outlets,
                resolution=result.resolution,
                origin=result.origin,
                page_obj=result.page,
            )
        return self.render_to_response(self.get_context_data(**context), status=status)


class OutletDetailView(DetailView):
    """One outlet: address, status, weekly hours in local time, special hours, services."""

    template_name = "locations/outlet_detail.html"
    context_object_name = "outlet"

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
        outlet.status_now = outlet.status_at(timezone.now())
        hours = outlet.hours
        today = outlet.status_now.local.date()
        context["week"] = [
            (label, hours.ranges_on(weekday)) for weekday, label in OpeningRange.Weekday.choices
        ]
        context["special_hours"] = [rule for rule in hours.dated if rule.end >= today]
        return context
