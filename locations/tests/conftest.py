import pytest

from locations.reference import load_reference_data


@pytest.fixture
def vocabularies(db):
    """The service and payment vocabularies, as bootstrap loads them."""
    load_reference_data()
