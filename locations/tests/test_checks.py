"""System checks on the geocoder settings."""

from django.core.checks import Error, Warning, run_checks

from locations.checks import check_geocoder


def ids(messages):
    return [message.id for message in messages]


def test_an_unknown_geocoder_is_an_error(settings):
    settings.GEOCODER = "google"
    [message] = check_geocoder()
    assert isinstance(message, Error)
    assert message.id == "locations.E001"
    assert "'google'" in message.msg


def test_nominatim_without_a_user_agent_is_a_warning(settings):
    settings.GEOCODER, settings.GEOCODER_USER_AGENT = "nominatim", ""
    [message] = check_geocoder()
    assert isinstance(message, Warning)
    assert message.id == "locations.W001"
    assert "usage policy" in message.hint


def test_nominatim_with_a_user_agent_passes(settings):
    settings.GEOCODER, settings.GEOCODER_USER_AGENT = "nominatim", "axisfinder/1.0 ops@example.id"
    assert check_geocoder() == []


def test_offline_needs_no_user_agent(settings):
    settings.GEOCODER, settings.GEOCODER_USER_AGENT = "offline", ""
    assert check_geocoder() == []


def test_the_check_is_registered_with_django(settings):
    settings.GEOCODER = "google"
    assert "locations.E001" in ids(run_checks())
