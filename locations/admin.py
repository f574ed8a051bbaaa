"""Staff screens: outlets with their hours, holiday corrections, vocabularies, import/export."""

import copy
import io
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from . import calendars, osm_hours
from . import hours as hours_rules
from .admin_coverage import coverage_view
from .columns import COLUMN_GUIDE
from .hours import DatedRule, Hours, HoursError, TimeRange, WeeklyRange
from .importers import (
    FORMATS,
    ImportFailed,
    Stage,
    export_outlets,
    guess_format,
    plan,
    read_staged,
    unreported,
    write_template,
)
from .importers import save_records as save_import
from .models import (
    HolidayCalendars,
    HolidayDate,
    OpeningRange,
    Outlet,
    PaymentMethod,
    PendingImport,
    Report,
    Service,
    SpecialHours,
    validate_country,
)
from .streamed import progress_page

PREVIEW_ROWS = 50
#: Files from this size on are checked and imported on a page that shows the progress.
STREAM_FROM_BYTES = 1024 * 1024
IMPORT_TEMPLATE = "admin/locations/outlet/import.html"
IMPORT_OUTCOME = "admin/locations/outlet/import_outcome.html"
#: How far ahead the holiday screen lists the calendar's public holidays.
HOLIDAYS_LISTED_DAYS = 365
#: Outlets whose details were last checked longer ago than this are due a check.
STALE_AFTER = timedelta(days=183)
#: The head office's zone: export files are stamped and the holiday screen starts on its
#: date, not the server's (UTC), which is the day before until 07:00 WIB.
OFFICE_ZONE = "Asia/Jakarta"


def office_now():
    """The current time at the head office."""
    return timezone.localtime(timezone.now(), ZoneInfo(OFFICE_ZONE))


class HoursFormSet(forms.BaseInlineFormSet):
    """Checks the rows of one inline together: ranges must not overlap."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A row's inputs sit under the table's column headings, which do not label them.
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

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


#: The browser's own time and date inputs for hours and their dates. The admin's widgets
#: add "Now" and "Today" from the server's clock (UTC) and a note on how far the staff's
#: clock is from it, while hours and dates are the outlet's own.
LOCAL_INPUTS = {
    models.TimeField: {"widget": forms.TimeInput(format="%H:%M", attrs={"type": "time"})},
    models.DateField: {"widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})},
}


def local_time_name(outlet) -> str:
    """How the hours' zone is named: ``local time WITA`` (the IANA name for a zone without
    an abbreviation), or in words while the outlet has no zone yet."""
    if outlet is None or not outlet.timezone:
        return _("the outlet’s local time")
    zone = hours_rules.zone_label(outlet.timezone)
    return _("local time %(zone)s") % {"zone": zone}


class LocalHoursInline(admin.TabularInline):
    """Rows of hours in the outlet's zone, which the heading and the times' help name."""

    extra = 0
    formfield_overrides = LOCAL_INPUTS
    #: The heading, with ``%(zone)s``.
    heading = ""
    #: Help for the time fields, with ``%(zone)s``.
    time_help = {}

    def get_formset(self, request, obj=None, **kwargs):
        zone = {"zone": local_time_name(obj)}
        # The admin makes its inlines anew for each request, so this names this outlet's zone.
        self.verbose_name_plural = self.heading % zone
        kwargs["help_texts"] = {name: text % zone for name, text in self.time_help.items()}
        return super().get_formset(request, obj, **kwargs)


class OpeningRangeInline(LocalHoursInline):
    model = OpeningRange
    formset = OpeningRangeFormSet
    verbose_name = _("weekly range")
    heading = _(
        "weekly hours, %(zone)s (a closing time at or before the opening time runs past midnight)"
    )
    time_help = {"opens": _("In %(zone)s."), "closes": _("In %(zone)s.")}


class SpecialHoursInline(LocalHoursInline):
    model = SpecialHours
    formset = SpecialHoursFormSet
    heading = _(
        "special hours, %(zone)s (replace the weekly hours on these dates; no times means closed)"
    )
    time_help = {"opens": _("In %(zone)s; empty: closed all day."), "closes": _("In %(zone)s.")}


class ImportForm(forms.Form):
    """A file to check, at most ``settings.IMPORT_MAX_BYTES`` long."""

    file = forms.FileField()
    format = forms.ChoiceField(
        choices=[("", _("From the file name"))] + [(f, f.upper()) for f in FORMATS],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV, JSON or GeoJSON, as export_outlets writes it; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("%(name)s is %(size)s; a file to import may be at most %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                },
                code="too_large",
            )
        return upload


class ClosureForm(forms.Form):
    """Dates and a reason to close the selected outlets all day (the outlets' own dates)."""

    start_date = SpecialHours._meta.get_field("start_date").formfield(
        label=_("First closed date"), widget=LOCAL_INPUTS[models.DateField]["widget"]
    )
    end_date = SpecialHours._meta.get_field("end_date").formfield(
        label=_("Last closed date"),
        help_text=_("Inclusive; the first date again for one day."),
        widget=LOCAL_INPUTS[models.DateField]["widget"],
    )
    reason = SpecialHours._meta.get_field("reason").formfield(
        required=True, help_text=_("Shown to customers, e.g. Idul Fitri.")
    )
    replace = forms.BooleanField(
        required=False,
        label=_("Replace special hours already set on these dates"),
        help_text=_("Unchecked: nothing is written if any outlet has some."),
    )

    def clean(self):
        data = super().clean()
        start, end, reason = data.get("start_date"), data.get("end_date"), data.get("reason")
        if start and end:
            # The model's own checks: dates in order, at most a year, no double quote.
            try:
                SpecialHours(start_date=start, end_date=end, reason=reason or "").clean()
            except ValidationError as error:
                self.add_error(None, error)
            if end < office_now().date():
                self.add_error("end_date", _("These dates have passed."))
        return data


class CheckedFilter(admin.SimpleListFilter):
    """Outlets whose details staff confirmed recently, or not."""

    title = _("details checked")
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [
            ("recent", _("In the last 6 months")),
            ("stale", _("Not for 6 months, or never")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        since = office_now().date() - STALE_AFTER
        if self.value() == "recent":
            return queryset.filter(checked_on__gt=since)
        if self.value() == "stale":
            return queryset.filter(models.Q(checked_on__lte=since) | models.Q(checked_on=None))
        if self.value() == "never":
            return queryset.filter(checked_on=None)
        return queryset


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "city",
        "province",
        "status",
        "status_now",
        "checked_on",
    )
    list_filter = (
        "kind",
        "province",
        "status",
        CheckedFilter,
        "services",
        "closed_on_public_holidays",
    )
    search_fields = ("code", "name", "city", "postcode")
    list_per_page = 50
    readonly_fields = (
        "slug",
        "opening_hours_osm",
        "status_now",
        "created_local",
        "updated_local",
        "new_reports",
    )
    filter_horizontal = ("services", "payment_methods")
    # "Details checked on" is the office's date, typed without the server's "Today".
    formfield_overrides = LOCAL_INPUTS
    inlines = [OpeningRangeInline, SpecialHoursInline]
    actions = [
        "close_for_dates",
        "mark_temporarily_closed",
        "mark_active",
        "mark_checked",
        "export_selected",
    ]
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
        (
            _("Record"),
            {"fields": ("checked_on", "new_reports", "created_local", "updated_local")},
        ),
    )

    class Media:
        # The map under the coordinates (change_form.html); Leaflet comes from
        # django-leaflet's template tags, not leaflet.admin, which needs GDAL.
        css = {"all": ("locations/admin-map.css",)}
        js = ("locations/admin-map.js",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("opening_ranges", "special_hours")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        outlet = self.get_object(request, unquote(object_id))
        if outlet is not None:
            extra_context = {**self.outlet_now_context(outlet), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def outlet_now_context(outlet) -> dict:
        """The outlet's status now and its closures and special hours of the coming weeks,
        in its own zone, as its public page has them."""
        hours = outlet.hours
        schedule = outlet.schedule()
        now = hours_rules.status(schedule, timezone.now())
        today = now.local.date()
        names = outlet.holiday_names(today, hours.dated)
        last = today + timedelta(days=hours_rules.HOLIDAYS_AHEAD_DAYS)
        upcoming = hours_rules.special_days_ahead(
            schedule, today, dated=hours.dated, holiday_names=names
        )
        return {
            "outlet_now": now,
            "outlet_clock": f"{now.local:%H:%M}",
            "outlet_zone": schedule.abbreviation or outlet.timezone,
            "outlet_upcoming": [days for days in upcoming if days.first <= last],
            "outlet_upcoming_days": hours_rules.HOLIDAYS_AHEAD_DAYS,
        }

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

    @admin.display(description=_("new reports"))
    def new_reports(self, outlet):
        """How many problems customers reported that staff have not handled, linked to them."""
        if not outlet.pk:
            return "-"
        count = outlet.reports.new().count()
        url = reverse("admin:locations_report_changelist")
        return format_html(
            '<a href="{}?outlet__id__exact={}&amp;state__exact=new">{}</a>',
            url,
            outlet.pk,
            ngettext("%(count)d new report", "%(count)d new reports", count) % {"count": count},
        )

    @admin.display(description=_("created"))
    def created_local(self, outlet):
        return self.local_stamp(outlet, outlet.created_at)

    @admin.display(description=_("last changed"))
    def updated_local(self, outlet):
        return self.local_stamp(outlet, outlet.updated_at)

    @staticmethod
    def local_stamp(outlet, moment) -> str:
        """``2026-11-30 14:05 WITA``: a moment on the outlet's clock, its zone named."""
        if moment is None or not outlet.timezone:
            return "-"
        local = timezone.localtime(moment, ZoneInfo(outlet.timezone))
        zone = hours_rules.zone_label(outlet.timezone)
        return f"{local:%Y-%m-%d %H:%M} {zone}"

    @admin.action(description=_("Close selected outlets for dates…"), permissions=["change"])
    def close_for_dates(self, request, queryset):
        """Close the selected outlets all day for a date range with a reason (special
        hours), after a form asking for the dates; each outlet's history records it."""
        form = ClosureForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                closure = SpecialHours.objects.close(
                    queryset, data["start_date"], data["end_date"], data["reason"], data["replace"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                dates = {
                    "start": date_format(data["start_date"]),
                    "end": date_format(data["end_date"]),
                    "reason": data["reason"],
                }
                message = _("Closed %(start)s to %(end)s: %(reason)s.") % dates
                LogEntry.objects.log_actions(
                    request.user.pk,
                    Outlet.objects.filter(pk__in=closure.outlet_ids),
                    CHANGE,
                    message,
                )
                count = len(closure.outlet_ids)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d outlet closed %(start)s to %(end)s (%(reason)s).",
                        "%(count)d outlets closed %(start)s to %(end)s (%(reason)s).",
                        count,
                    )
                    % {"count": count, **dates},
                    messages.SUCCESS,
                )
                if closure.shortened or closure.removed:
                    self.message_user(
                        request,
                        _(
                            "Special hours replaced on those dates: %(shortened)d rows "
                            "shortened, %(removed)d removed."
                        )
                        % {"shortened": closure.shortened, "removed": closure.removed},
                        messages.INFO,
                    )
                return None
        select_across = request.POST.get("select_across") == "1"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Close outlets for dates"),
            "form": form,
            "count": queryset.count(),
            "outlets": queryset[:20],
            "selected": [] if select_across else request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": select_across,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/locations/outlet/close_for_dates.html", context)

    @admin.action(
        description=_("Mark selected outlets’ details checked today"), permissions=["change"]
    )
    def mark_checked(self, request, queryset):
        today = office_now().date()
        count = queryset.update(checked_on=today)
        self.message_user(
            request,
            ngettext(
                "%(count)d outlet marked checked on %(date)s.",
                "%(count)d outlets marked checked on %(date)s.",
                count,
            )
            % {"count": count, "date": date_format(today)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected outlets temporarily closed"), permissions=["change"])
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

    @admin.action(
        description=_("Mark selected outlets active (open as usual)"), permissions=["change"]
    )
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
            path(
                "coverage/",
                self.admin_site.admin_view(partial(coverage_view, self)),
                name=f"{prefix}_coverage",
            ),
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
        stamp = f"{office_now():%Y-%m-%d-%H%M}-{hours_rules.ZONE_ABBREVIATIONS[OFFICE_ZONE]}"
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
        """Upload, preview (every error, or what would be created and updated), confirm
        or cancel.

        A checked file waits under its own token (:class:`~locations.models.PendingImport`),
        which its preview's form sends back, so each tab confirms its own file. A large
        file's check and import are shown as they go (:mod:`locations.streamed`).
        """
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
            return self.confirm_import(request, context)
        if request.method == "POST" and "cancel" in request.POST:
            return self.cancel_import(request)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                fmt = form.cleaned_data["format"] or guess_format(upload.name)
                data = upload.read()
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = None  # the check says where, as for any bad file
                keep = partial(PendingImport.objects.keep, request.user, upload.name, fmt, text)
                check = partial(check_upload, data, fmt, upload.name, keep)
                if text is not None and len(data) >= STREAM_FROM_BYTES:
                    working = _("Checking %(name)s") % {"name": upload.name}
                    return progress_page(
                        request,
                        IMPORT_TEMPLATE,
                        {**context, "working": working},
                        check,
                        IMPORT_OUTCOME,
                    )
                context.update(check(unreported))
        return TemplateResponse(request, IMPORT_TEMPLATE, context)

    def cancel_import(self, request):
        """Discard the previewed file the form names; the other tabs' files stay."""
        pending = PendingImport.objects.take(request.user, request.POST.get("token", ""))
        if pending is None:
            self.message_user(
                request, _("Nothing to discard: that file is no longer kept."), messages.INFO
            )
        else:
            self.message_user(
                request,
                _("Discarded %(name)s; nothing was imported.") % {"name": pending.name},
                messages.INFO,
            )
        return HttpResponseRedirect(reverse("admin:locations_outlet_import"))

    def confirm_import(self, request, context):
        pending = PendingImport.objects.take(request.user, request.POST.get("token", ""))
        if pending is None:
            self.message_user(
                request, _("Nothing to import: upload the file again."), messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:locations_outlet_import"))
        save = partial(save_upload, pending)
        if len(pending.text) >= STREAM_FROM_BYTES:
            working = _("Importing %(name)s") % {"name": pending.name}
            return progress_page(
                request, IMPORT_TEMPLATE, {**context, "working": working}, save, IMPORT_OUTCOME
            )
        outcome = save(unreported)
        if "errors" in outcome:
            self.message_user(request, "; ".join(outcome["errors"][:10]), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:locations_outlet_import"))
        self.message_user(
            request,
            _("Imported %(name)s: %(created)d created, %(updated)d updated.")
            % {
                "name": pending.name,
                "created": len(outcome["saved"].created),
                "updated": len(outcome["saved"].updated),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:locations_outlet_changelist"))


def check_upload(data: bytes, fmt: str, name: str, keep: Callable[[], str], stage: Stage) -> dict:
    """The import screen's context after checking a file: its errors, or its preview and
    the token of the file, which ``keep()`` keeps for the confirmation (checked again then).

    The file is kept in the database, so a streamed page's check may keep it: unlike the
    session, which is saved before such a page's body, the database is read afresh."""
    try:
        records = read_staged(data, fmt, stage)
    except ImportFailed as failure:
        return {"errors": failure.errors}
    result = plan(records)
    created = set(result.created)
    return {
        "preview": [(r, r.code in created) for r in records[:PREVIEW_ROWS]],
        "result": result,
        "file_name": name,
        "more": max(0, len(records) - PREVIEW_ROWS),
        "token": keep(),
    }


def save_upload(pending: PendingImport, stage: Stage) -> dict:
    """The import screen's context after importing a checked file (checked again: the
    database may have changed since the preview): what was saved, or the errors."""
    try:
        records = read_staged(pending.text.encode("utf-8"), pending.format, stage)
        result = save_import(records, stage)
    except ImportFailed as failure:
        return {"errors": failure.errors, "file_name": pending.name}
    return {"saved": result, "file_name": pending.name}


class HolidayDateForm(forms.ModelForm):
    """A correction, for a country the holiday calendars know."""

    class Meta:
        model = HolidayDate
        fields = ("country", "date", "name", "is_holiday")

    def clean_country(self):
        country = self.cleaned_data["country"]
        validate_country(country)
        return country


@admin.register(HolidayDate)
class HolidayDateAdmin(admin.ModelAdmin):
    form = HolidayDateForm
    # The country's date as staff type it, without the server's "Today".
    formfield_overrides = LOCAL_INPUTS
    list_display = ("date", "country", "name", "is_holiday")
    list_filter = ("country", "is_holiday")
    search_fields = ("name",)
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        extra_context = {"calendar_holidays": self.calendar_holidays(), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @staticmethod
    def calendar_holidays() -> list[tuple[str, list[dict]]]:
        """For each country with outlets (always ID), the public holidays of the next twelve
        months: the calendar's, each marked when a staff row removes it, and the staff's
        additions, so staff see what they correct."""
        first = office_now().date()
        last = first + timedelta(days=HOLIDAYS_LISTED_DAYS)
        countries = sorted({"ID", *Outlet.objects.values_list("country", flat=True)})
        corrections = {}
        for row in HolidayDate.objects.filter(country__in=countries, date__range=(first, last)):
            corrections[row.country, row.date] = row
        listed = []
        for country in countries:
            package = calendars.holiday_names(country, first, last, get_language())
            added = {
                day: row
                for (code, day), row in corrections.items()
                if code == country and row.is_holiday
            }
            days = []
            for day in sorted(package.keys() | added.keys()):
                row = corrections.get((country, day))
                days.append(
                    {
                        "date": day,
                        "name": (row.name if row else "") or package.get(day, ""),
                        "in_calendar": day in package,
                        "correction": row,
                    }
                )
            listed.append((country, days))
        return listed


@admin.register(Service, PaymentMethod)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "name_id", "name_zh_hans", "position")
    list_editable = ("position",)
    readonly_fields = ("slug",)

    def get_readonly_fields(self, request, obj=None):
        # Slugs are what files and the API use; they are set by the reference data.
        return ("slug",) if obj else ()


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Problems customers reported from outlet pages: staff read them, correct the outlet,
    and mark them handled. What the customer sent is not edited."""

    list_display = ("created_at", "outlet_link", "kind", "state", "short_message", "contact")
    list_filter = ("state", "kind", ("outlet", admin.RelatedOnlyFieldListFilter))
    # With 100,000 outlets, an outlet is found by its code or name, not from a list.
    search_fields = ("outlet__code", "outlet__name", "message", "contact")
    list_select_related = ("outlet",)
    raw_id_fields = ("outlet",)
    date_hierarchy = "created_at"
    actions = ["mark_handled", "mark_new"]
    fields = (
        "outlet",
        "kind",
        "message",
        "contact",
        "language",
        "created_at",
        "state",
        "handled_at",
        "handled_by",
    )
    #: What the customer sent, as they sent it.
    SENT = ("outlet", "kind", "message", "contact", "language")

    def get_readonly_fields(self, request, obj=None):
        handled = ("created_at", "handled_at", "handled_by")
        return (*self.SENT, *handled) if obj else handled

    def save_model(self, request, obj, form, change):
        if "state" in form.changed_data:
            for name, value in Report.state_fields(obj.state, request.user).items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("outlet"), ordering="outlet__code")
    def outlet_link(self, report):
        url = reverse("admin:locations_outlet_change", args=[report.outlet_id])
        return format_html('<a href="{}">{}</a>', url, report.outlet)

    @admin.display(description=_("message"))
    def short_message(self, report):
        return Truncator(report.message).chars(80)

    @admin.action(description=_("Mark selected reports as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.mark(Report.State.HANDLED, request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d report marked as handled.", "%(count)d reports marked as handled.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected reports as new"), permissions=["change"])
    def mark_new(self, request, queryset):
        count = queryset.mark(Report.State.NEW)
        self.message_user(
            request,
            ngettext("%(count)d report marked as new.", "%(count)d reports marked as new.", count)
            % {"count": count},
            messages.SUCCESS,
        )
