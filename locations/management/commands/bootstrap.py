from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from locations.importers import import_outlets
from locations.models import Outlet, PostcodeArea
from locations.reference import load_reference_data

DEMO_OUTLETS = Path(settings.BASE_DIR) / "fixtures" / "demo_outlets.csv"


class Command(BaseCommand):
    help = (
        "Load what a first run needs: the service and payment vocabularies, the postcode "
        "gazetteer when none is loaded, and the demo (sample) outlets when there are no "
        "outlets yet. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo outlets")

    def handle(self, no_demo=False, **options):
        created = load_reference_data()
        self.stdout.write(f"Reference data: {created} new service(s) and payment method(s).")
        if PostcodeArea.objects.exists():
            self.stdout.write("Gazetteer already loaded (`load_postcodes` reloads it).")
        else:
            call_command("load_postcodes", stdout=self.stdout, stderr=self.stderr)
        if no_demo:
            return
        if Outlet.objects.exists():
            self.stdout.write("Outlets already present: demo outlets not loaded.")
            return
        result = import_outlets(DEMO_OUTLETS.read_bytes(), "csv")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(result.created)} demo outlets (sample data: real cities, "
                "invented outlets)."
            )
        )
