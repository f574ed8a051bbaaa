"""The locator's search form: the query string turned into typed values, or errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outlet, Service
from .search import MAX_RADIUS_KM, Filters


def service_choices():
    return [("", _("Any service"))] + [(s.slug, s.label) for s in Service.objects.all()]


class SearchForm(forms.Form):
    """What the locator page reads from its URL (``/?q=40115&kind=kiosk&open_now=1``)."""

    q = forms.CharField(
        label=_("Postcode or place"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 40115 or Kota Bandung"), "type": "search"}
        ),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
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
        min_value=0.001,
        max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": _("any distance")}),
    )

    def clean(self):
        data = super().clean()
        has_lat, has_lng = data.get("lat") is not None, data.get("lng") is not None
        if has_lat != has_lng:
            self.add_error("lng" if has_lat else "lat", _("Give both lat and lng."))
        elif has_lat and data.get("q"):
            self.add_error("q", _("Give a postcode or place, or a location, not both."))
        return data

    @property
    def has_origin(self) -> bool:
        return bool(self.cleaned_data.get("q")) or self.cleaned_data.get("lat") is not None

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kinds=frozenset({data["kind"]} if data.get("kind") else ()),
            services=frozenset({data["service"]} if data.get("service") else ()),
            open_now=bool(data.get("open_now")),
        )
