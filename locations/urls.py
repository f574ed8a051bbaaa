from django.urls import path, register_converter

from . import views


class PlaceConverter:
    """A province's or a city's slug: never ``--``, which an outlet page's slug holds
    (``axis-store-braga--ax-bdg-01``), so the two kinds of URL cannot collide."""

    regex = "[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PlaceConverter, "place")

app_name = "locations"

urlpatterns = [
    path("", views.LocatorView.as_view(), name="locator"),
    path("outlets/", views.ProvinceListView.as_view(), name="provinces"),
    path("outlets/<place:province>/", views.ProvinceView.as_view(), name="province"),
    path("outlets/<place:province>/<place:city>/", views.CityView.as_view(), name="city"),
    path("outlets/<slug:slug>/", views.OutletDetailView.as_view(), name="outlet"),
    path("outlets/<slug:slug>/report/", views.ReportView.as_view(), name="report"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("sw.js", views.ServiceWorkerView.as_view(), name="service-worker"),
    path("offline/", views.OfflineView.as_view(), name="offline"),
]
