"""HTML pages: the outlet list with live status, and each outlet's page."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from .models import HolidayCalendars, OpeningRange, Outlet


class StatusMixin:
    """Adds ``status`` (at the request's instant) to each outlet shown."""

    def attach_status(self, outlets):
        now = timezone.now()
        calendars = HolidayCalendars()
        for outlet in outlets:
            outlet.status_now = outlet.status_at(now, calendars)
        return outlets


class OutletListView(StatusMixin, ListView):
    """Every outlet that searches show, by code, with whether it is open now."""

    template_name = "locations/outlet_list.html"
    context_object_name = "outlets"
    paginate_by = 500

    def get_queryset(self):
        return Outlet.objects.searchable().with_hours()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.attach_status(context["outlets"])
        return context


class OutletDetailView(StatusMixin, DetailView):
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
        return get_object_or_404(self.get_queryset(), code__iexact=code)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outlet = self.object
        self.attach_status([outlet])
        hours = outlet.hours
        today = outlet.status_now.local.date()
        context["week"] = [
            (label, hours.ranges_on(weekday)) for weekday, label in OpeningRange.Weekday.choices
        ]
        context["special_hours"] = [rule for rule in hours.dated if rule.end >= today]
        return context
