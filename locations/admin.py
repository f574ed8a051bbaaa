"""Staff screens: outlets with their hours, holiday corrections, vocabularies, import/export."""

import copy
import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import osm_hours
from .columns import COLUMN_GUIDE
from .hours import DatedRule, Hours, HoursError, TimeRange, WeeklyRange
from .importers import (
    FORMATS,
    ImportFailed,
    export_outlets,
    guess_format,
    plan,
    read_outlets,
    write_template,
)
from .importers import save_records as save_import
from .models import (
    HolidayCalendars,
    HolidayDate,
    OpeningRange,
    Outlet,
    PaymentMethod,
    Service,
    SpecialHours,
)

#: Where a checked import file waits between the preview and the confirmation.
PENDING_IMPORT = "locations_pending_import"
PREVIEW_ROWS = 50


class HoursFormSet(forms.BaseInlineFormSet):
    """Checks the rows of one inline together: ranges must not overlap."""

    def live_forms(self):
        return [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            self.hours().validate()
        except HoursError as error:
            raise ValidationError(str(error)) from None


class OpeningRangeFormSet(HoursFormSet):
    def hours(self):
        return Hours(
            weekly=tuple(
                WeeklyRange(
                    f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"]
                )
                for f in self.live_forms()
            )
        )


class SpecialHoursFormSet(HoursFormSet):
    def hours(self):
        rules: dict[tuple, list] = {}
        closed = set()
        for form in self.live_forms():
            data = form.cleaned_data
            dates = (data["start_date"], data["end_date"])
            rules.setdefault(dates, [])
            if data.get("opens") is None:
                closed.add(dates)
            else:
                rules[dates].append(TimeRange(data["opens"], data["closes"]))
        for dates in closed:
            if rules[dates]:
                raise ValidationError(
                    _("%(start)s: a closed row and rows with hours cover the same dates.")
                    % {"start": dates[0]}
                )
        return Hours(dated=tuple(DatedRule(s, e, tuple(r)) for (s, e), r in rules.items()))


class OpeningRangeInline(admin.TabularInline):
    model = OpeningRange
    formset = OpeningRangeFormSet
    extra = 0
    verbose_name = _("weekly range")
    verbose_name_plural = _(
        "weekly hours (local time; a closing time at or before the opening time runs past midnight)"
    )


class SpecialHoursInline(admin.TabularInline):
    model = SpecialHours
    formset = SpecialHoursFormSet
    extra = 0
    verbose_name_plural = _(
        "special hours (replace the weekly hours on these dates; no times means closed)"
    )


class ImportForm(forms.Form):
    file = forms.FileField(help_text=_("CSV, JSON or GeoJSON, as export_outlets writes it."))
    format = forms.ChoiceField(
        choices=[("", _("From the file name"))] + [(f, f.upper()) for f in FORMATS],
        required=False,
    )


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "city", "province", "status", "status_now")
    list_filter = ("kind", "province", "status", "services", "closed_on_public_holidays")
    search_fields = ("code", "name", "city", "postcode")
    list_per_page = 50
    readonly_fields = ("slug", "opening_hours_osm", "status_now", "created_at", "updated_at")
    filter_horizontal = ("services", "payment_methods")
    inlines = [OpeningRangeInline, SpecialHoursInline]
    actions = ["mark_temporarily_closed", "mark_active", "export_selected"]
    fieldsets = (
        (None, {"fields": ("code", "slug", "kind", "name", "status", "status_now")}),
        (
            _("Where"),
            {
                "fields": (
                    "address",
                    "city",
                    "province",
                    "postcode",
                    "country",
                    "latitude",
                    "longitude",
                    "timezone",
                    "phone",
                )
            },
        ),
        (_("What"), {"fields": ("services", "payment_methods")}),
        (_("Hours"), {"fields": ("closed_on_public_holidays", "opening_hours_osm")}),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    class Media:
        # The map under the coordinates (change_form.html); Leaflet comes from
        # django-leaflet's template tags, not leaflet.admin, which needs GDAL.
        css = {"all": ("locations/admin-map.css",)}
        js = ("locations/admin-map.js",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("opening_ranges", "special_hours")

    def get_list_display(self, request):
        # One holiday calendar per country for the whole page, not a query per PH-off row.
        calendars = HolidayCalendars()

        @admin.display(description=_("now"))
        def status_now(outlet):
            return outlet.status_at(timezone.now(), calendars).label

        return [status_now if name == "status_now" else name for name in self.list_display]

    @admin.display(description=_("opening hours (OSM)"))
    def opening_hours_osm(self, outlet):
        return osm_hours.render(outlet.hours) if outlet.pk else "-"

    @admin.display(description=_("now"))
    def status_now(self, outlet):
        if not outlet.pk:
            return "-"
        return outlet.status_at(timezone.now()).label

    @admin.action(description=_("Mark selected outlets temporarily closed"))
    def mark_temporarily_closed(self, request, queryset):
        count = queryset.update(status=Outlet.Status.TEMPORARILY_CLOSED, updated_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%d outlet marked temporarily closed.",
                "%d outlets marked temporarily closed.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected outlets active (open as usual)"))
    def mark_active(self, request, queryset):
        count = queryset.update(status=Outlet.Status.ACTIVE, updated_at=timezone.now())
        self.message_user(
            request,
            ngettext("%d outlet marked active.", "%d outlets marked active.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Export selected outlets as CSV"))
    def export_selected(self, request, queryset):
        return self.export_response(queryset, "csv")

    # Import and export screens.

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{prefix}_import"),
            path(
                "import/template.csv",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{prefix}_import_template",
            ),
            path("export/", self.admin_site.admin_view(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def export_response(self, queryset, fmt):
        out = io.StringIO()
        export_outlets(queryset, fmt, out)
        content_type = {
            "csv": "text/csv",
            "json": "application/json",
            "geojson": "application/geo+json",
        }[fmt]
        response = HttpResponse(out.getvalue(), content_type=f"{content_type}; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="outlets-{stamp}.{fmt}"'
        return response

    def export_view(self, request):
        """The outlets the list shows under the same filters and search, in one file."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        query = request.GET.copy()
        fmt = query.pop("format", ["csv"])[-1]
        if fmt not in FORMATS:
            fmt = "csv"
        # The rest of the query string is the list's, which would refuse "format".
        list_request = copy.copy(request)
        list_request.GET = query
        try:
            queryset = self.get_changelist_instance(list_request).queryset
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("Unknown filter in the query string."))
        return self.export_response(queryset, fmt)

    def may_import(self, request) -> bool:
        """Import and its template need both adding and changing outlets."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_template_view(self, request):
        """A CSV file with the header and an example row, to fill in and import."""
        if not self.may_import(request):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="outlets-template.csv"'
        write_template(response)
        return response

    def import_view(self, request):
        """Upload, preview (every error, or what would be created and updated), confirm."""
        if not self.may_import(request):
            return HttpResponse(status=403)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import outlets"),
            "form": ImportForm(),
            "columns": COLUMN_GUIDE,
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self.confirm_import(request)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                fmt = form.cleaned_data["format"] or guess_format(upload.name)
                data = upload.read()
                try:
                    records = read_outlets(data, fmt)
                except ImportFailed as failure:
                    context["errors"] = failure.errors
                else:
                    request.session[PENDING_IMPORT] = {
                        "name": upload.name,
                        "format": fmt,
                        "text": data.decode("utf-8-sig"),
                    }
                    result = plan(records)
                    created = set(result.created)
                    context.update(
                        preview=[(r, r.code in created) for r in records[:PREVIEW_ROWS]],
                        result=result,
                        file_name=upload.name,
                        more=max(0, len(records) - PREVIEW_ROWS),
                    )
        return TemplateResponse(request, "admin/locations/outlet/import.html", context)

    def confirm_import(self, request):
        pending = request.session.pop(PENDING_IMPORT, None)
        changelist = reverse("admin:locations_outlet_changelist")
        if pending is None:
            self.message_user(
                request, _("Nothing to import: upload the file again."), messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:locations_outlet_import"))
        try:
            # Checked again: the database may have changed since the preview.
            result = save_import(read_outlets(pending["text"].encode("utf-8"), pending["format"]))
        except ImportFailed as failure:
            self.message_user(request, "; ".join(failure.errors[:10]), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:locations_outlet_import"))
        self.message_user(
            request,
            _("Imported %(name)s: %(created)d created, %(updated)d updated.")
            % {
                "name": pending["name"],
                "created": len(result.created),
                "updated": len(result.updated),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(changelist)


@admin.register(HolidayDate)
class HolidayDateAdmin(admin.ModelAdmin):
    list_display = ("date", "country", "name", "is_holiday")
    list_filter = ("country", "is_holiday")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(Service, PaymentMethod)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "name_id", "position")
    list_editable = ("position",)
    readonly_fields = ("slug",)

    def get_readonly_fields(self, request, obj=None):
        # Slugs are what files and the API use; they are set by the reference data.
        return ("slug",) if obj else ()
