from django.urls import path

from . import views

app_name = "locations"

urlpatterns = [
    path("", views.LocatorView.as_view(), name="locator"),
    path("outlets/<slug:slug>/", views.OutletDetailView.as_view(), name="outlet"),
]
