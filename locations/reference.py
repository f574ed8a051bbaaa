"""Reference data every installation needs: the service and payment vocabularies.

``migrate`` writes them (migration ``0003_reference_vocabularies``), so outlets can be
imported into a freshly migrated database; ``bootstrap`` puts back any deleted since.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"


@transaction.atomic
def load_reference_data(path: Path = REFERENCE_FILE) -> int:
    """Create the services and payment methods that are missing; returns how many.

    Existing entries keep the names staff may have edited.
    """
    # Imported here: the migration imports this module and must not depend on today's models.
    from .models import PaymentMethod, Service

    return create_vocabularies(Service, PaymentMethod, path)


def entries_by_model(service_model, payment_model, path: Path = REFERENCE_FILE):
    """``(model, entries)`` for the services and for the payment methods of the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return ((service_model, data["services"]), (payment_model, data["payment_methods"]))


def create_vocabularies(
    service_model, payment_model, path: Path = REFERENCE_FILE, using: str = DEFAULT_DB_ALIAS
) -> int:
    """:func:`load_reference_data` with the model classes given, so that a migration can
    pass its historical models (and its database)."""
    created = 0
    for model, entries in entries_by_model(service_model, payment_model, path):
        # A migration's historical model may predate some of the names.
        names = [field.name for field in model._meta.fields if field.name.startswith("name")]
        for position, entry in enumerate(entries):
            _, was_created = model.objects.using(using).get_or_create(
                slug=entry["slug"],
                defaults={**{name: entry[name] for name in names}, "position": position},
            )
            created += was_created
    return created


def add_chinese_names(service_model, payment_model, path=REFERENCE_FILE, using=DEFAULT_DB_ALIAS):
    """Give the reference entries without a Chinese name the reference file's."""
    for model, entries in entries_by_model(service_model, payment_model, path):
        for entry in entries:
            model.objects.using(using).filter(slug=entry["slug"], name_zh_hans="").update(
                name_zh_hans=entry["name_zh_hans"]
            )
