"""The reference vocabularies: written by ``migrate``, topped up by ``bootstrap``."""

import json

import pytest
from django.utils import translation

from locations.models import PaymentMethod, Service
from locations.reference import REFERENCE_FILE, create_vocabularies, load_reference_data

pytestmark = pytest.mark.django_db

REFERENCE = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


NAMES = ("slug", "name", "name_id", "name_zh_hans")


def entries(model) -> list[tuple[str, ...]]:
    return list(model.objects.values_list(*NAMES))


def expected(key: str) -> list[tuple[str, ...]]:
    return [tuple(entry[name] for name in NAMES) for entry in REFERENCE[key]]


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


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Top-up"), ("id", "Isi ulang pulsa"), ("zh-hans", "话费充值")]
)
def test_a_service_is_named_in_the_page_s_language(language, label):
    with translation.override(language):
        assert Service.objects.get(slug="topup").label == label


def test_a_service_without_a_chinese_name_is_named_in_english():
    Service.objects.filter(slug="topup").update(name_zh_hans="")
    with translation.override("zh-hans"):
        assert Service.objects.get(slug="topup").label == "Top-up"
