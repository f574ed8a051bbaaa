"""Root URLs: each app's own URLconf, included."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

import locations.admin  # noqa: F401  (SimpleAdminConfig: registered by importing)
from locations.health import healthz
from locations.sitemaps import SITEMAPS
from locations.views import robots_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("locations.api.urls")),
    path("", include("locations.urls")),
]

# A lost database answers 503 rather than 500 (see DatabaseUnavailableMiddleware).
handler500 = "axisfinder.middleware.server_error"
