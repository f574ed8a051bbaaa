"""Root URLs: each app's own URLconf, included."""

from django.contrib import admin
from django.urls import include, path

import locations.admin  # noqa: F401  (SimpleAdminConfig: registered by importing)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("locations.api.urls")),
    path("", include("locations.urls")),
]
