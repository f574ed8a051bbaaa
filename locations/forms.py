"""The locator's search form: it renders the fields and shows the errors; the rules that read
the query string are :class:`~locations.search.query.SearchQuery`'s, as in the API."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from .models import Outlet, Service
from .search import MAX_RADIUS_KM
from .search.query import MAX_Q_LENGTH, PAGE, QueryError, SearchQuery


def service_choices():
    return [("", _("Any service"))] + [(s.slug, s.label) for s in Service.objects.all()]


class SearchForm(forms.Form):
    """What the locator page reads from its URL (``/?q=40115&kind=kiosk&open_now=1``).

    The fields are for rendering (labels, widgets, the values typed); validation is
    :meth:`SearchQuery.parse` with the page's leniency (:data:`~locations.search.query.PAGE`:
    blank fields are not given, unknown parameters are ignored). A valid form's ``query``
    is the :class:`SearchQuery` to run.
    """

    q = forms.CharField(
        label=_("Postcode or place"),
        required=False,
        max_length=MAX_Q_LENGTH,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 40115 or Kota Bandung"), "type": "search"}
        ),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Stores and kiosks")), *Outlet.Kind.choices],
    )
    service = forms.ChoiceField(label=_("Service"), required=False, choices=service_choices)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    radius_km = forms.FloatField(
        label=_("Within (km)"),
        required=False,
        widget=forms.NumberInput(
            attrs={"step": "any", "max": MAX_RADIUS_KM, "placeholder": _("any distance")}
        ),
    )

    query: SearchQuery | None = None

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
        else:
            self.cleaned_data = {name: getattr(self.query, name) for name in self.fields}

    def show(self, error: QueryError):
        """Show ``error`` (from reading or running the query) on the fields it names."""
        for name, messages in error.errors.items():
            self.add_error(name if name in self.fields else None, messages)
