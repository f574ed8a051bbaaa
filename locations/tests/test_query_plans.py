"""What the database does with our queries: look-ups by code use the unique index on the
code in lower case (``outlet_code_unique_any_case``), on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from locations.models import Outlet

from .factories import OutletFactory

pytestmark = pytest.mark.django_db

INDEX = "outlet_code_unique_any_case"


@pytest.fixture
def outlets():
    OutletFactory.create_batch(30)
    OutletFactory(code="AX-Braga")


def plan(queryset) -> str:
    """The database's plan for ``queryset`` (``EXPLAIN``), without its ordering, as get()
    runs it."""
    if connection.vendor == "postgresql":
        # With a few rows a sequential scan costs less and the planner would take it; the
        # test asks whether the index can serve the query. LOCAL: this test's transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.order_by().explain()


def assert_uses_the_code_index(text: str) -> None:
    if connection.vendor == "sqlite":
        assert f"SEARCH locations_outlet USING INDEX {INDEX} (<expr>=?)" in text, text
    elif connection.vendor == "postgresql":
        assert f"Index Scan using {INDEX} on locations_outlet" in text, text
        assert "Index Cond: (lower((code)::text) = 'ax-braga'::text)" in text, text
    else:
        pytest.skip(f"no expected plan written for {connection.vendor}")


def test_the_outlet_page_look_up_is_served_by_the_lower_case_index(outlets):
    assert_uses_the_code_index(plan(Outlet.objects.with_hours().with_code("AX-BRAGA")))


def test_the_api_detail_look_up_is_served_by_the_lower_case_index(outlets):
    assert_uses_the_code_index(plan(Outlet.objects.with_hours().with_code("ax-braga")))
