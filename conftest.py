"""Test-wide settings: static files without a collected manifest; the migrated rows."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections


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


@pytest.fixture(scope="session", autouse=True)
def migrated_rows(request, django_db_setup, django_db_blocker):
    """What the migrations wrote (the vocabularies), serialized before any test runs, for
    tests that empty the database to put back (the browser tests). Nothing when no test
    selected uses the database: then no test database was made to read."""
    if not any(uses_database(item) for item in request.session.items):
        return ""
    with django_db_blocker.unblock():
        return connections[DEFAULT_DB_ALIAS].creation.serialize_db_to_string()


def uses_database(item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        fixtures & {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
    )


@pytest.fixture
def migrated_database(transactional_db, migrated_rows):
    """A database whose writes are committed, so other threads see them (a live server's,
    a streamed page's worker), holding exactly what the migrations wrote: the tables are
    emptied, then those rows put back. (A transactional test run earlier leaves the rows
    its flush re-created, under other ids, so nothing can be put back on top of them.)"""
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(migrated_rows)
