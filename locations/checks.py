"""System checks for the app's settings (``python manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

GEOCODERS = ("offline", "nominatim")


@register("geocoding")
def check_geocoder(app_configs=None, **kwargs):
    """GEOCODER names a known geocoder; Nominatim gets the User-Agent its policy requires."""
    geocoder = getattr(settings, "GEOCODER", "offline")
    if geocoder not in GEOCODERS:
        return [
            Error(
                f"GEOCODER is {geocoder!r}; it must be one of: {', '.join(GEOCODERS)}.",
                hint="Set the GEOCODER environment variable to offline or nominatim.",
                id="locations.E001",
            )
        ]
    if geocoder == "nominatim" and not getattr(settings, "GEOCODER_USER_AGENT", ""):
        return [
            Warning(
                "GEOCODER is nominatim but GEOCODER_USER_AGENT is empty.",
                hint=(
                    "Nominatim's usage policy requires a User-Agent naming the application "
                    "(and a contact); without one its requests are refused and searches "
                    "fall back to the offline gazetteer. Set GEOCODER_USER_AGENT."
                ),
                id="locations.W001",
            )
        ]
    return []
