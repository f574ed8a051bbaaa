"""The reference vocabularies: written by ``migrate``, topped up by ``bootstrap``."""

import json

import pytest

from locations.models import PaymentMethod, Service
from locations.reference import REFERENCE_FILE, create_vocabularies, load_reference_data

pytestmark = pytest.mark.django_db

REFERENCE = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def entries(model) -> list[tuple[str, str, str]]:
    return list(model.objects.values_list("slug", "name", "name_id"))


def expected(key: str) -> list[tuple[str, str, str]]:
    return [(entry["slug"], entry["name"], entry["name_id"]) for entry in REFERENCE[key]]


def test_migrate_writes_the_services_of_the_reference_file_in_its_order():
    assert entries(Service) == expected("services")


def test_migrate_writes_the_payment_methods_of_the_reference_file_in_its_order():
    assert entries(PaymentMethod) == expected("payment_methods")


def test_load_reference_data_after_migrate_adds_nothing():
    assert load_reference_data() == 0
    assert (Service.objects.count(), PaymentMethod.objects.count()) == (7, 5)


def test_creating_the_vocabularies_keeps_names_staff_edited_and_adds_the_missing():
    Service.objects.filter(slug="topup").update(name="Pulsa top-up")
    PaymentMethod.objects.filter(slug="ewallet").delete()
    assert create_vocabularies(Service, PaymentMethod) == 1
    assert Service.objects.get(slug="topup").name == "Pulsa top-up"
    assert PaymentMethod.objects.get(slug="ewallet").position == 4
