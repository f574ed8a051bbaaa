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


THROTTLE_PERIODS = ("s", "m", "h", "d")


@register("api")
def check_throttle_rate(app_configs=None, **kwargs):
    """API_THROTTLE_RATE is ``off`` or ``N/period`` (period s, m, h or d, or a word
    starting with one: ``120/min``)."""
    rate = getattr(settings, "API_THROTTLE_RATE", "off")
    if rate == "off":
        return []
    number, _, period = rate.partition("/")
    if number.isdigit() and int(number) > 0 and period[:1] in THROTTLE_PERIODS:
        return []
    return [
        Error(
            f"API_THROTTLE_RATE is {rate!r}; it must be off or requests per period, e.g. 120/min.",
            hint="Set the API_THROTTLE_RATE environment variable (e.g. 120/min, 10/s, off).",
            id="locations.E002",
        )
    ]
