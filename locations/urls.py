from django.urls import path

from . import views

app_name = "locations"

urlpatterns = [
    path("", views.LocatorView.as_view(), name="locator"),
    path("outlets/<slug:slug>/", views.OutletDetailView.as_view(), name="outlet"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("sw.js", views.ServiceWorkerView.as_view(), name="service-worker"),
    path("offline/", views.OfflineView.as_view(), name="offline"),
]
