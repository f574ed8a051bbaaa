"""Test-wide settings: static files without a collected manifest."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed names from `collectstatic`'s manifest; tests render pages
    # without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request in another language leaves that language active in the thread.
    from django.utils import translation

    with translation.override("en"):
        yield
