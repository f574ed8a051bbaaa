"""Reference data every installation needs: the service and payment vocabularies."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import PaymentMethod, Service

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"


@transaction.atomic
def load_reference_data(path: Path = REFERENCE_FILE) -> int:
    """Create the services and payment methods that are missing; returns how many.

    Existing entries keep the names staff may have edited.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    for model, entries in ((Service, data["services"]), (PaymentMethod, data["payment_methods"])):
        for position, entry in enumerate(entries):
            _, was_created = model.objects.get_or_create(
                slug=entry["slug"],
                defaults={"name": entry["name"], "name_id": entry["name_id"], "position": position},
            )
            created += was_created
    return created
