from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocationsConfig(AppConfig):
    """The outlet directory: outlets, hours, import and export, search and pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "locations"
    verbose_name = _("Outlets")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
        from .search import live

        live.connect_signals()
