"""Outlets, their opening hours, and the vocabularies and calendars they use."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import gazetteer, kinds, notices
from . import hours as hours_rules
from .calendars import holiday_names, iso_countries, public_holidays
from .timezones import is_zone, zone_at

CODE_PATTERN = r"^[A-Za-z0-9_-]{1,32}\Z"
#: Codes that /api/v1/outlets/{code}/ cannot serve, in lower case: the other endpoints
#: under /api/v1/outlets/ (see ``locations/api/urls.py``).
RESERVED_CODES = ("clusters",)
#: What the database holds in ``Outlet.country``: two capital letters.
COUNTRY_PATTERN = r"^[A-Z]{2}\Z"
SLUG_SEPARATOR = "--"


def validate_code_not_reserved(code: str) -> None:
    """Refuse a code that names another endpoint under /api/v1/outlets/, in any case: the
    outlet could never be reached at /api/v1/outlets/{code}/."""
    if code.lower() in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is reserved: /api/v1/outlets/%(code)s/ is another endpoint."),
            code="reserved",
            params={"code": code},
        )


def validate_country(country: str) -> None:
    """Refuse anything but an ISO 3166-1 alpha-2 code in capitals: public holidays and the
    postcode rule follow the country, and ``id`` would quietly turn them off."""
    if country in iso_countries():
        return
    if country.upper() in iso_countries():
        raise ValidationError(
            _("Write the country code in capitals: “%(expected)s”."),
            code="lower_case",
            params={"expected": country.upper()},
        )
    raise ValidationError(
        _("“%(country)s” is not an ISO 3166-1 alpha-2 country code such as ID."),
        code="unknown",
        params={"country": country},
    )


class Vocabulary(models.Model):
    """A fixed list of slugs (services, payment methods) with names in the site's three
    languages."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=80)
    name_id = models.CharField(_("name (Bahasa Indonesia)"), max_length=80)
    name_zh_hans = models.CharField(
        _("name (Chinese)"), max_length=80, blank=True, help_text=_("Blank: the English name.")
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Lists show entries in this order.")
    )

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language."""
        language = get_language() or ""
        if language.startswith("id"):
            return self.name_id
        if language.startswith("zh"):
            return self.name_zh_hans or self.name
        return self.name


class Service(Vocabulary):
    """What an outlet can do for a customer: ``topup``, ``esim_activation``, ..."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("service")


class PaymentMethod(Vocabulary):
    """How a customer can pay: ``cash``, ``qris``, ..."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("payment method")


class OutletQuerySet(models.QuerySet):
    """Filters on outlets, each named once."""

    def searchable(self):
        """Outlets that searches show: all but the permanently closed."""
        return self.exclude(status=Outlet.Status.PERMANENTLY_CLOSED)

    def places(self) -> list[tuple[str, str, int]]:
        """``(province, city, outlets)`` for every province and city the outlets name, as
        written (one query)."""
        rows = self.values_list("province", "city").annotate(outlets=models.Count("pk"))
        return list(rows.order_by("province", "city"))

    def with_code(self, code: str):
        """The outlet coded ``code`` in any case, found through the unique index on the
        code in lower case (``code__iexact`` compiles to LIKE or UPPER(), which skip it)."""
        return self.alias(code_lower=Lower("code")).filter(code_lower=code.lower())

    def update(self, **kwargs):
        # A bulk update skips save() and its signals; searches must still see it.
        changed = list(self.values_list("pk", flat=True)[: SearchChange.objects.MAX_OUTLETS + 1])
        rows = super().update(**kwargs)
        if changed:
            SearchChange.objects.record(changed)
        return rows

    def for_hits(self, hits, at: datetime) -> list[Outlet]:
        """The outlets of ``hits`` (:class:`locations.search.Hit`), in their order, each
        with ``distance_km``, ``status_now`` (:class:`~locations.hours.Status` at ``at``)
        and the compiled schedule it came from (``schedule_now``),
        ``spans_today`` (the opening spans of that local date, in seconds), ``service_slugs``
        and ``payment_slugs``."""
        rows = self.in_bulk([hit.outlet_id for hit in hits])
        outlets = []
        for hit in hits:
            outlet = rows.get(hit.outlet_id)
            if outlet is None:  # deleted since the index was built
                continue
            outlet.distance_km = hit.distance_km
            outlet.status_now = hours_rules.status(hit.schedule, at)
            outlet.schedule_now = hit.schedule
            outlet.spans_today = hit.schedule.day_spans(outlet.status_now.local.toordinal())
            outlet.service_slugs, outlet.payment_slugs = hit.services, hit.payments
            outlets.append(outlet)
        return outlets

    def with_hours(self):
        """Load what status and display need, in a fixed number of queries."""
        return self.prefetch_related(
            "opening_ranges", "special_hours", "services", "payment_methods"
        )


class OutletKind(models.TextChoices):
    """What an outlet is (:mod:`locations.kinds`)."""

    STORE = kinds.STORE, _("Store")
    KIOSK = kinds.KIOSK, _("Kiosk")


class OutletStatus(models.TextChoices):
    """The outlet's lifecycle (the CSV's ``status`` column)."""

    ACTIVE = hours_rules.ACTIVE, _("Active")
    TEMPORARILY_CLOSED = hours_rules.TEMPORARILY_CLOSED, _("Temporarily closed")
    PERMANENTLY_CLOSED = hours_rules.PERMANENTLY_CLOSED, _("Permanently closed")


class Outlet(models.Model):
    """An AXIS store (staffed) or self-service kiosk."""

    Kind = OutletKind
    Status = OutletStatus

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(CODE_PATTERN, _("Letters, digits, - and _ only, 1 to 32.")),
            validate_code_not_reserved,
        ],
        help_text=_("The stable key used by imports: letters, digits, - and _, up to 32."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="ID",
        validators=[validate_country],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. ID."),
    )
    latitude = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS 84 degrees, -90 to 90."),
    )
    longitude = models.FloatField(
        _("longitude"),
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("WGS 84 degrees, -180 to 180."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("IANA zone such as Asia/Jakarta; derived from the coordinates when blank."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="outlets"
    )
    payment_methods = models.ManyToManyField(
        PaymentMethod, verbose_name=_("payment methods"), blank=True, related_name="outlets"
    )
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=False,
        help_text=_("Closed all day on the country's public holidays (PH off)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    checked_on = models.DateField(
        _("details checked on"),
        null=True,
        blank=True,
        help_text=_("When staff last confirmed the address, pin, phone and hours."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        verbose_name = _("outlet")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="outlet_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="outlet_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN), name="outlet_code_pattern"
            ),
            models.CheckConstraint(
                condition=~models.Q(models.lookups.In(Lower("code"), RESERVED_CODES)),
                name="outlet_code_not_reserved",
            ),
            models.CheckConstraint(
                condition=models.Q(country__regex=COUNTRY_PATTERN), name="outlet_country_pattern"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OutletStatus.values),
                name="outlet_status_valid",
            ),
            models.UniqueConstraint(Lower("code"), name="outlet_code_unique_any_case"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        if not self.timezone:
            self.timezone = zone_at(self.latitude, self.longitude)
        self.slug = self.slug_for(self.code, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("locations:outlet", kwargs={"slug": self.slug})

    @staticmethod
    def slug_for(code: str, name: str) -> str:
        """The URL slug: the name for people, then ``--`` and the code, which is the key.

        A slugified name never holds ``--``, so the first ``--`` ends it: two outlets never
        share a slug, and :meth:`code_from_slug` finds the outlet after a rename.
        """
        return f"{slugify(name)[:80].strip('-_') or 'outlet'}{SLUG_SEPARATOR}{code.lower()}"

    @staticmethod
    def code_from_slug(slug: str) -> str | None:
        _name, separator, code = slug.partition(SLUG_SEPARATOR)
        return code if separator else None

    def clean(self):
        errors = {}
        if self.timezone and not is_zone(self.timezone):
            errors["timezone"] = _("“%(zone)s” is not an IANA time zone such as Asia/Jakarta.") % {
                "zone": self.timezone
            }
        if (
            self.country == "ID"
            and self.postcode
            and not gazetteer.ID_POSTCODE.fullmatch(self.postcode)
        ):
            errors["postcode"] = _("An Indonesian postcode has five digits.")
        if errors:
            raise ValidationError(errors)
        if not self.timezone and self.latitude is not None and self.longitude is not None:
            self.timezone = zone_at(self.latitude, self.longitude)

    # Hours: built from the rows (prefetched with ``with_hours()``).

    @property
    def hours(self) -> hours_rules.Hours:
        """The opening hours as a plain :class:`~locations.hours.Hours` value."""
        return hours_for(
            self.opening_ranges.all(), self.special_hours.all(), self.closed_on_public_holidays
        )

    def schedule(self, calendars: HolidayCalendars | None = None) -> hours_rules.Schedule:
        """The compiled hours; ``calendars`` shares holiday calendars across many outlets."""
        holidays = None
        if self.closed_on_public_holidays:
            holidays = (calendars if calendars is not None else HolidayCalendars())[self.country]
        return hours_rules.compile_schedule(self.hours, self.timezone, self.status, holidays)

    def holiday_names(self, today: date, dated=()) -> dict[date, str] | None:
        """The names of the holidays that close the outlet from ``today`` until the end of
        the holidays' horizon or of its last special hours (``dated``): the names staff
        gave, else the calendar's in the active language; None when holidays do not close
        it."""
        if not self.closed_on_public_holidays:
            return None
        last = max(
            [today + timedelta(days=hours_rules.HOLIDAYS_AHEAD_DAYS), *(r.end for r in dated)]
        )
        added = HolidayDate.objects.filter(
            country=self.country, is_holiday=True, date__range=(today, last)
        ).values_list("date", "name")
        return holiday_names(self.country, today, last, get_language(), dict(added))

    def status_at(self, at=None, calendars: HolidayCalendars | None = None) -> hours_rules.Status:
        """Open now, state, next change and label at ``at`` (default: now)."""
        return hours_rules.status(self.schedule(calendars), at or django_timezone.now())


def hours_for(opening_ranges, special_hours, closed_on_public_holidays) -> hours_rules.Hours:
    """Turn opening-range and special-hours rows into an :class:`~locations.hours.Hours`."""
    return hours_from_values(
        ((r.weekday, r.opens, r.closes) for r in opening_ranges),
        ((r.start_date, r.end_date, r.opens, r.closes, r.reason) for r in special_hours),
        closed_on_public_holidays,
    )


def hours_from_values(weekly_rows, special_rows, closed_on_public_holidays) -> hours_rules.Hours:
    """:func:`hours_for` on plain tuples: ``(weekday, opens, closes)`` and
    ``(start_date, end_date, opens, closes, reason)``, as ``values_list()`` gives them."""
    weekly = tuple(sorted(hours_rules.WeeklyRange(*row) for row in weekly_rows))
    dated = []
    rows = sorted(special_rows, key=lambda row: row[:2])
    for (start, end), group in groupby(rows, key=lambda row: row[:2]):
        group = list(group)
        ranges = tuple(
            sorted(
                hours_rules.TimeRange(opens, closes)
                for *_, opens, closes, _ in group
                if opens is not None
            )
        )
        reason = next((reason for *_, reason in group if reason), "")
        dated.append(hours_rules.DatedRule(start, end, ranges, reason))
    return hours_rules.Hours(weekly, tuple(dated), closed_on_public_holidays)


class OpeningRange(models.Model):
    """One weekly range: on ``weekday`` from ``opens`` to ``closes`` (past midnight if earlier)."""

    class Weekday(models.IntegerChoices):
        """``date.weekday()``'s numbers, whose OSM codes are :data:`locations.hours.WEEKDAYS`."""

        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="opening_ranges"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("At or before the opening time: the range runs past midnight.")
    )

    class Meta:
        verbose_name = _("weekly range")
        ordering = ["outlet", "weekday", "opens"]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "weekday", "opens"], name="opening_range_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="opening_range_weekday"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {hours_rules.TimeRange(self.opens, self.closes)}"


@dataclass(frozen=True, slots=True)
class Closure:
    """What :meth:`SpecialHoursQuerySet.close` wrote: the outlets closed, and how many
    special-hours rows it shortened or removed to make room."""

    outlet_ids: list[int]
    shortened: int = 0
    removed: int = 0


class SpecialHoursQuerySet(models.QuerySet):
    def overlapping(self, start: date, end: date):
        """Rows whose dates share a day with ``start``..``end``."""
        return self.filter(start_date__lte=end, end_date__gte=start)

    @transaction.atomic
    def close(self, outlets, start: date, end: date, reason: str, replace: bool = False) -> Closure:
        """Close ``outlets`` all day from ``start`` to ``end`` (inclusive) for ``reason``.

        Special hours already set on some of those dates clash with the closure: without
        ``replace`` nothing is written and :class:`ValidationError` names the outlets; with
        it, those rows keep only their dates outside the closure (a row around it becomes
        one before and one after). All or nothing; searches see every outlet at once.
        """
        outlet_ids = sorted(outlets.values_list("pk", flat=True))
        clashing = self.filter(outlet_id__in=outlet_ids).overlapping(start, end)
        if not replace and clashing.exists():
            codes = sorted(set(clashing.values_list("outlet__code", flat=True)))
            listed = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
            raise ValidationError(
                _(
                    "Special hours are already set on these dates for %(count)d of the "
                    "outlets: %(codes)s. Choose to replace them, or leave those outlets out."
                )
                % {"count": len(codes), "codes": listed},
                code="clash",
            )
        shortened, added, removed = [], [], []
        for row in clashing.select_for_update():
            parts = []
            if row.start_date < start:
                parts.append((row.start_date, start - timedelta(days=1)))
            if row.end_date > end:
                parts.append((end + timedelta(days=1), row.end_date))
            if not parts:
                removed.append(row.pk)
                continue
            (row.start_date, row.end_date), *after = parts
            shortened.append(row)
            added += [
                SpecialHours(
                    outlet_id=row.outlet_id,
                    start_date=first,
                    end_date=last,
                    opens=row.opens,
                    closes=row.closes,
                    reason=row.reason,
                )
                for first, last in after
            ]
        self.filter(pk__in=removed).delete()
        self.bulk_update(shortened, ["start_date", "end_date"])
        added += [
            SpecialHours(outlet_id=outlet_id, start_date=start, end_date=end, reason=reason)
            for outlet_id in outlet_ids
        ]
        self.bulk_create(added)
        # Bulk writes skip the signals that tell searches.
        SearchChange.objects.record(outlet_ids)
        return Closure(outlet_ids, shortened=len(shortened), removed=len(removed))


class SpecialHours(models.Model):
    """Hours for a date or date range that replace the weekly ones.

    Rows with the same dates form one rule: no times means closed; several rows with times
    give several ranges (a split day).
    """

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="special_hours"
    )
    start_date = models.DateField(
        _("start date"),
    )
    end_date = models.DateField(
        _("end date"), help_text=_("The last date, inclusive; the start date if one day.")
    )
    opens = models.TimeField(
        _("opens"), null=True, blank=True, help_text=_("Empty: closed all day.")
    )
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=120, blank=True, help_text=_("e.g. Idul Fitri")
    )

    objects = SpecialHoursQuerySet.as_manager()

    class Meta:
        ordering = ["outlet", "start_date", "opens"]
        verbose_name = _("special hours")
        verbose_name_plural = _("special hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="special_hours_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True, closes__isnull=True)
                | models.Q(opens__isnull=False, closes__isnull=False),
                name="special_hours_times_paired",
            ),
        ]

    def __str__(self):
        dates = f"{self.start_date}" + (
            f"..{self.end_date}" if self.end_date != self.start_date else ""
        )
        hours = (
            "closed" if self.opens is None else str(hours_rules.TimeRange(self.opens, self.closes))
        )
        return f"{dates} {hours}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(
                _("Give both an opening and a closing time, or neither for a closed day.")
            )
        if '"' in self.reason:
            # OSM opening_hours (export, the admin's hours line) cannot quote it.
            raise ValidationError({"reason": _('A reason cannot contain a double quote (").')})
        if self.start_date and self.end_date:
            span = (self.end_date - self.start_date).days
            if span >= hours_rules.MAX_DATED_DAYS:
                raise ValidationError(
                    {
                        "end_date": _("Special hours may cover at most %(days)s days.")
                        % {"days": hours_rules.MAX_DATED_DAYS}
                    }
                )


class HolidayDateQuerySet(models.QuerySet):
    def calendar(self, country: str) -> hours_rules.PublicHolidays:
        """The public holidays of ``country``: the package's, with these corrections."""
        added, removed = [], []
        for day, is_holiday in self.filter(country=country).values_list("date", "is_holiday"):
            (added if is_holiday else removed).append(day)
        return public_holidays(country, added, removed)

    def ahead(self, country: str, today: date, days: int = notices.NOTICE_DAYS):
        """The public holidays of ``country`` from ``today`` to ``days`` later (the
        package's, corrected by staff), named in the active language: one query."""
        last = today + timedelta(days=days)
        added, removed = {}, set()
        rows = self.filter(country=country, date__range=(today, last))
        for day, is_holiday, name in rows.values_list("date", "is_holiday", "name"):
            if is_holiday:
                added[day] = name
            else:
                removed.add(day)
        names = holiday_names(country, today, last, get_language(), added)
        return notices.holidays((set(names) | set(added)) - removed, names)


class HolidayCalendars(dict):
    """Public-holiday calendars by country, each loaded (one query) when first asked for."""

    def __missing__(self, country: str) -> hours_rules.PublicHolidays:
        calendar = self[country] = HolidayDate.objects.calendar(country)
        return calendar


class HolidayDate(models.Model):
    """A staff correction to the public-holiday calendar of a country."""

    country = models.CharField(_("country"), max_length=2, default="ID")
    date = models.DateField(
        _("date"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    is_holiday = models.BooleanField(
        _("is a holiday"),
        default=True,
        help_text=_(
            "Checked: a public holiday the calendar lacks. "
            "Unchecked: not a holiday, though the calendar says so."
        ),
    )

    objects = HolidayDateQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday correction")
        ordering = ["country", "date"]
        constraints = [
            models.UniqueConstraint(fields=["country", "date"], name="holiday_date_unique")
        ]

    def __str__(self):
        kind = _("holiday") if self.is_holiday else _("not a holiday")
        return f"{self.country} {self.date} ({kind}) {self.name}".strip()


# --- Where postcodes and places are (the offline gazetteer) ---------------------------


class Precision(models.TextChoices):
    """How closely a gazetteer point marks what it names, finest first."""

    VILLAGE = gazetteer.VILLAGE, _("village")
    DISTRICT = gazetteer.DISTRICT, _("district")
    CITY = gazetteer.CITY, _("city or regency")
    PROVINCE = gazetteer.PROVINCE, _("province")


class PostcodeAreaQuerySet(models.QuerySet):
    def replace_country(self, country: str, entries: Iterable[gazetteer.PostcodeEntry]) -> int:
        """Make ``entries`` the postcodes of ``country``; returns how many (call in a
        transaction)."""
        self.filter(country=country).delete()
        rows = self.bulk_create(
            (PostcodeArea(country=country, **asdict(entry)) for entry in entries),
            batch_size=2000,
        )
        return len(rows)

    def lookup(self, postcode: str, country: str = "ID") -> PostcodeArea | None:
        """The area of ``postcode``, or None: one read on the unique (country, postcode)
        index. Every postcode search asks, so it skips the ORM's query building (which
        took longer than the search itself)."""
        connection = connections[self.db]
        quote = connection.ops.quote_name
        fields = self.model._meta.concrete_fields
        columns = ", ".join(quote(field.column) for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {quote(self.model._meta.db_table)} "
                f"WHERE {quote('country')} = %s AND {quote('postcode')} = %s",
                [country, postcode],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return self.model.from_db(self.db, [field.attname for field in fields], row)

    def neighbours(self, postcode: str, country: str = "ID", count: int = 3) -> list[str]:
        """Known postcodes next to ``postcode`` in numeric order: ``count`` below, ``count``
        above, nearest first."""
        known = self.filter(country=country)
        below = known.filter(postcode__lt=postcode).order_by("-postcode")
        above = known.filter(postcode__gt=postcode).order_by("postcode")
        codes = [*below.values_list("postcode", flat=True)[:count]]
        codes += above.values_list("postcode", flat=True)[:count]
        if postcode.isascii() and postcode.isdigit():
            codes.sort(key=lambda code: (abs(int(code) - int(postcode)), code))
        return codes


class PostcodeArea(models.Model):
    """A postcode's point, the place it names and how precise that point is."""

    country = models.CharField(max_length=2, default="ID")
    postcode = models.CharField(max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    place = models.CharField(max_length=200, help_text=_("e.g. Cihapit, Bandung Wetan"))
    city = models.CharField(max_length=100, help_text=_("The city (kota) or regency."))
    province = models.CharField(max_length=100)
    precision = models.CharField(max_length=8, choices=Precision.choices)

    objects = PostcodeAreaQuerySet.as_manager()

    class Meta:
        ordering = ["country", "postcode"]
        constraints = [
            models.UniqueConstraint(fields=["country", "postcode"], name="postcode_area_unique"),
            models.CheckConstraint(
                condition=models.Q(precision__in=Precision.values),
                name="postcode_area_precision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.postcode} {self.place}"


class PlaceKind(models.TextChoices):
    """What a named place is (:data:`locations.gazetteer.PLACE_KINDS`)."""

    PROVINCE = gazetteer.PROVINCE, _("province")
    CITY = gazetteer.CITY, _("city")
    REGENCY = gazetteer.REGENCY, _("regency")
    DISTRICT = gazetteer.DISTRICT, _("district")
    VILLAGE = gazetteer.VILLAGE, _("village")
    LOCALITY = gazetteer.LOCALITY, _("locality")


class PlaceQuerySet(models.QuerySet):
    def replace_country(self, country: str, entries: Iterable[gazetteer.PlaceEntry]) -> int:
        """Make ``entries`` the places of ``country``, one row per name; returns how many
        places (call in a transaction)."""
        self.filter(country=country).delete()
        rows, count = [], 0
        for entry in entries:
            count += 1
            fields = asdict(entry)
            aliases = fields.pop("aliases")
            keys = dict.fromkeys(gazetteer.place_key(name) for name in (entry.name, *aliases))
            rows += [Place(country=country, key=key, **fields) for key in keys if key]
        self.bulk_create(rows, batch_size=2000)
        return count


class Place(models.Model):
    """A named place for place search: a province, city, regency, district or locality.

    ``key`` is the folded name (see :func:`locations.gazetteer.place_key`); a place with
    other names (``Jogja``, ``Yogyakarta``) has one row per name, all with the same
    ``name``.
    """

    Kind = PlaceKind

    country = models.CharField(max_length=2, default="ID")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text=_("e.g. Kota Bandung"))
    key = models.CharField(max_length=200, db_index=True)
    city = models.CharField(max_length=100, blank=True, help_text=_("The city or regency."))
    province = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    precision = models.CharField(max_length=8, choices=Precision.choices)
    rank = models.PositiveIntegerField(
        default=0, help_text=_("Population, where known: the likelier of two same names.")
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["country", "key", "-rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(precision__in=Precision.values), name="place_precision_valid"
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.city, self.province) if part)


# --- What searches see ------------------------------------------------------------------


class SearchChangeManager(models.Manager):
    #: More outlets than this changed at once: searches rebuild rather than patch.
    MAX_OUTLETS = 1000
    #: How many changes the log keeps; a process further behind rebuilds its index.
    KEEP = 20_000

    def record(self, outlet_ids: Iterable[int] | None = None) -> None:
        """Tell every process's searches that these outlets changed (``None``: anything
        may have, as after a holiday or vocabulary change): one row per outlet, or one
        row for everything when there are many."""
        outlet_ids = None if outlet_ids is None else sorted(set(outlet_ids))
        if outlet_ids is not None and len(outlet_ids) > self.MAX_OUTLETS:
            outlet_ids = None
        rows = [
            self.model(outlet_id=outlet_id, token=secrets.token_hex(8))
            for outlet_id in (outlet_ids if outlet_ids is not None else [None])
        ]
        created = self.bulk_create(rows)
        last = created[-1].pk if created and created[-1].pk else None
        if last is None:
            last = self.aggregate(models.Max("pk"))["pk__max"] or 0
        # Now and then, forget what every process has long since applied.
        if last // 1000 != (last - len(rows)) // 1000:
            self.filter(pk__lte=last - self.KEEP).delete()

    def after(self, position: int, limit: int) -> list[tuple[int, str, int | None]]:
        """``(id, token, outlet_id)`` of the changes from ``position`` on, oldest first.

        Read before every search, so it skips the ORM: one range read on the primary key.
        """
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, token, outlet_id FROM {table} WHERE id >= %s ORDER BY id LIMIT %s",
                [position, limit],
            )
            return cursor.fetchall()


class SearchChange(models.Model):
    """A write that searches must see: one outlet changed, or (no outlet) anything may have.

    Each process keeps a search index in memory (:mod:`locations.search`) and applies the
    changes logged after the one it last applied: the changed outlets are reloaded, not
    the whole index. The log is in the database, so a write from any process (a worker,
    the admin, a management command) reaches every worker, with or without a shared
    cache. The random ``token`` tells a logged change from a later one that reuses its id
    after a rollback.
    """

    outlet_id = models.BigIntegerField(
        null=True, help_text=_("The outlet that changed; empty when anything may have.")
    )
    token = models.CharField(max_length=16)

    objects = SearchChangeManager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.pk}: {self.outlet_id or 'everything'}"


class PendingImportManager(models.Manager):
    #: How many checked files each user's previews keep (a few tabs' worth); older go.
    KEPT = 5
    #: A preview left longer than this is forgotten.
    LIFETIME = timedelta(days=1)

    def keep(self, user, name: str, fmt: str, text: str) -> str:
        """Keep a checked file of ``user`` until it is confirmed or discarded; returns the
        random token that names it. Only the user's newest :attr:`KEPT` files are kept."""
        token = secrets.token_urlsafe()
        with transaction.atomic(using=self.db):
            self.create(token=token, user=user, name=name, format=fmt, text=text)
            self.filter(created_at__lt=django_timezone.now() - self.LIFETIME).delete()
            newest_first = self.filter(user=user).order_by("-created_at", "-id")
            older = list(newest_first.values_list("pk", flat=True)[self.KEPT :])
            self.filter(pk__in=older).delete()
        return token

    def take(self, user, token: str) -> PendingImport | None:
        """The file of ``user`` kept under ``token``, no longer kept; None if there is none
        (or another request took it first)."""
        pending = self.filter(user=user, token=token).first()
        if pending is None or not self.filter(pk=pending.pk).delete()[0]:
            return None
        return pending


class PendingImport(models.Model):
    """A file that staff checked on the import screen, waiting for them to confirm or cancel.

    Each upload has its own token, which its preview's form carries, so a preview confirms
    its own file whatever other tabs uploaded since. The file is kept in the database, which
    every process and host shares, rather than in the session, which every admin page reads
    from the cache: a file may be tens of megabytes.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    format = models.CharField(max_length=16)
    text = models.TextField()
    created_at = models.DateTimeField(default=django_timezone.now)

    objects = PendingImportManager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class ReportKind(models.TextChoices):
    """What a customer says is wrong with an outlet."""

    WRONG_ADDRESS = "wrong_address", _("Wrong address or map pin")
    WRONG_HOURS = "wrong_hours", _("Wrong hours")
    CLOSED = "closed", _("Closed for good")
    KIOSK_BROKEN = "kiosk_broken", _("Kiosk not working")
    OTHER = "other", _("Other")


class ReportState(models.TextChoices):
    """Where staff are with a report."""

    NEW = "new", _("New")
    HANDLED = "handled", _("Handled")


class ReportQuerySet(models.QuerySet):
    def new(self):
        """Reports that no one has handled yet."""
        return self.filter(state=ReportState.NEW)

    def mark(self, state: str, user=None) -> int:
        """Put the reports in ``state`` (see :meth:`Report.state_fields`); returns how many."""
        return self.update(**Report.state_fields(state, user))


class Report(models.Model):
    """A problem with an outlet's details, sent by a customer from the outlet's page
    (no account needed), for staff to check and correct."""

    Kind = ReportKind
    State = ReportState

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("problem"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("An email address or phone number, only used to answer the report."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language of the page the report was sent from."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.outlet}"

    @staticmethod
    def state_fields(state: str, user=None) -> dict:
        """The fields that putting a report in ``state`` sets: handled now by ``user``, or
        new again and handled by no one."""
        handled = state == ReportState.HANDLED
        return {
            "state": state,
            "handled_at": django_timezone.now() if handled else None,
            "handled_by": user if handled else None,
        }
