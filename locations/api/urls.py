from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("v1/outlets/", views.OutletListView.as_view(), name="outlet-list"),
    path("v1/outlets.geojson", views.OutletGeoJSONView.as_view(), name="outlet-geojson"),
    path("v1/outlets/clusters/", views.ClusterView.as_view(), name="outlet-clusters"),
    re_path(
        r"^v1/outlets/(?P<code>[A-Za-z0-9_-]{1,32})/$",
        views.OutletDetailView.as_view(),
        name="outlet-detail",
    ),
    # Any segment: the view answers an unknown postcode, however long, with suggestions.
    re_path(r"^v1/postcodes/(?P<postcode>[^/]+)/$", views.PostcodeView.as_view(), name="postcode"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    # Everything else under /api/ is a JSON 404, whatever the method.
    re_path(r"^", views.NotFoundView.as_view(), name="not-found"),
]
