"""The locator's search form: it renders the fields and shows the errors; the rules that read
the query string are :class:`~locations.search.query.SearchQuery`'s, as in the API."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from .models import Outlet, Report, Service
from .search import MAX_RADIUS_KM
from .search.query import MAX_Q_LENGTH, PAGE, QueryError, SearchQuery

#: The zone of "this evening" and "tomorrow morning" when no place is searched.
DEFAULT_ZONE = "Asia/Jakarta"
EVENING = time(19, 0)
MORNING = time(9, 0)


def service_choices():
    return [("", _("Any service"))] + [(s.slug, s.label) for s in Service.objects.all()]


class SearchForm(forms.Form):
    """What the locator page reads from its URL (``/?q=40115&kind=kiosk&open_now=1``).

    The fields are for rendering (labels, widgets, the values typed); validation is
    :meth:`SearchQuery.parse` with the page's leniency (:data:`~locations.search.query.PAGE`:
    blank fields are not given, unknown parameters are ignored). A valid form's ``query``
    is the :class:`SearchQuery` to run.

    Three fields are the page's own: ``near`` says where coordinates came from (``me``:
    the visitor's location; ``map``: the map's centre), and ``when`` with ``on`` is the
    instant the statuses are for, in the searched place's zone (:meth:`instant`).
    """

    q = forms.CharField(
        label=_("Postcode or place"),
        required=False,
        max_length=MAX_Q_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 40115 or Bandung"), "type": "search"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    near = forms.ChoiceField(
        required=False, choices=[("", ""), ("me", "me"), ("map", "map")], widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Stores and kiosks")), *Outlet.Kind.choices],
    )
    service = forms.ChoiceField(label=_("Service"), required=False, choices=service_choices)
    open_now = forms.BooleanField(label=_("Open only"), required=False)
    when = forms.ChoiceField(
        label=_("Open at"),
        required=False,
        choices=[
            ("", _("Now")),
            ("evening", _("This evening (19:00)")),
            ("morning", _("Tomorrow morning (09:00)")),
            ("on", _("A date and time…")),
        ],
    )
    on = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    radius_km = forms.FloatField(
        label=_("Within (km)"),
        required=False,
        widget=forms.NumberInput(
            attrs={"step": "any", "min": 0, "max": MAX_RADIUS_KM, "inputmode": "decimal"}
        ),
    )

    #: The fields under "Filters and time", in the order shown.
    FILTERS = ("kind", "service", "radius_km", "open_now", "when", "on")

    query: SearchQuery | None = None

    def __init__(self, data=None, **kwargs):
        if data is not None and (data.get("q") or "").strip():
            # A typed place replaces a located point: the hidden fields still hold it.
            data = data.copy()
            for name in ("lat", "lng", "near"):
                data.pop(name, None)
        super().__init__(data, **kwargs)

    def full_clean(self):
        """Read the data with the query's rules; their errors become the form's."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        try:
            self.query = SearchQuery.parse(self.data, PAGE)
        except QueryError as error:
            self.show(error)
        own = {}
        for name in ("near", "when", "on"):
            field = self.fields[name]
            try:
                own[name] = field.clean(field.widget.value_from_datadict(self.data, {}, name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        if own.get("when") == "on" and own.get("on") is None and "on" not in self._errors:
            self.add_error("on", _("Choose a date and time."))
        if self.query is not None:
            self.cleaned_data = {name: getattr(self.query, name, None) for name in self.fields}
            self.cleaned_data.update(own)

    def show(self, error: QueryError):
        """Show ``error`` (from reading or running the query) on the fields it names."""
        for name, messages in error.errors.items():
            self.add_error(name if name in self.fields else None, messages)

    def filter_fields(self):
        return [self[name] for name in self.FILTERS]

    def active_filters(self) -> int:
        """How many filters the search has on (shown while they are folded away)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.FILTERS if name != "on" and self.data.get(name))

    def filters_need_attention(self) -> bool:
        """Unfold the filters when one of them is wrong."""
        return any(self[name].errors for name in self.FILTERS)

    def location_errors(self) -> bool:
        """A bad located point: the hidden fields' errors, told in words."""
        return any(self[name].errors for name in ("lat", "lng", "near"))

    @property
    def located(self) -> str:
        """Where the coordinates came from: ``me``, ``map`` or ``""``."""
        return (self.cleaned_data.get("near") or "") if self.is_bound else ""

    @property
    def asks_for_time(self) -> bool:
        """Does the page ask about another time than now ("this evening", a date...)?"""
        return self.is_bound and bool(self.cleaned_data.get("when"))

    def instant(self, now: datetime, zone: str | None) -> datetime | None:
        """The instant the page asks about, in ``zone`` (the searched place's; else WIB):
        None for now."""
        data = self.cleaned_data if self.is_bound else {}
        return when_instant(data.get("when") or "", data.get("on"), now, zone or DEFAULT_ZONE)


def when_instant(when: str, on: datetime | None, now: datetime, zone: str) -> datetime | None:
    """``evening``: the next 19:00; ``morning``: tomorrow 09:00; ``on``: that local date and
    time; anything else: None (now). All in ``zone``."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    if when == "evening":
        evening = datetime.combine(local.date(), EVENING, tz)
        return evening if evening > local else evening + timedelta(days=1)
    if when == "morning":
        return datetime.combine(local.date() + timedelta(days=1), MORNING, tz)
    if when == "on" and on is not None:
        return on.replace(tzinfo=None).replace(tzinfo=tz)
    return None


class ReportForm(forms.ModelForm):
    """The form "Report a problem" on an outlet's page: what is wrong, in the customer's
    words, and how to answer them if they wish; the outlet and the page's language come
    from the view.

    ``website`` is a honeypot: hidden from people (and from screen readers), it is filled
    only by robots that fill every field (see :meth:`caught`).
    """

    #: The name of the honeypot field.
    HONEYPOT = "website"

    kind = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what is wrong."),
            "invalid_choice": _("Choose one of the problems listed."),
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Report
        fields = ("kind", "message", "contact")
        labels = {
            "message": _("Tell us more (optional)"),
            "contact": _("Email or phone (optional), only used to answer your report"),
        }
        help_texts = {"contact": ""}
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "report-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def caught(self) -> bool:
        """Did a robot fill the honeypot? Its report is then thanked for and dropped,
        whatever else it holds, so that it learns nothing."""
        return bool(self.data.get(self.HONEYPOT, "").strip())
