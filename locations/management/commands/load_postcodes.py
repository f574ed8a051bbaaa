from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from locations import gazetteer
from locations.models import Place, PostcodeArea
from locations.progress import Progress


class Command(BaseCommand):
    help = (
        "Load the offline gazetteer (Indonesian postcodes and place names) from "
        "fixtures/gazetteer/, replacing what is loaded. `make gazetteer` rebuilds the files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--postcodes", default=gazetteer.POSTCODES_FILE, help="postcode file")
        parser.add_argument("--places", default=gazetteer.PLACES_FILE, help="place-name file")
        parser.add_argument("--dry-run", action="store_true", help="check the files, write nothing")

    def handle(self, postcodes, places, dry_run=False, **options):
        try:
            with Progress(None, self.stderr._out, unit="entries") as progress:
                postcode_entries = list(progress.iterate(gazetteer.read_postcodes(postcodes)))
                place_entries = list(progress.iterate(gazetteer.read_places(places)))
        except OSError as error:
            raise CommandError(f"Cannot read the gazetteer: {error}") from error
        except gazetteer.GazetteerError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(
                f"{len(postcode_entries)} postcodes and {len(place_entries)} places are valid "
                "(dry run: nothing written)."
            )
            return
        with transaction.atomic():
            postcode_count = PostcodeArea.objects.replace_country("ID", postcode_entries)
            place_count = Place.objects.replace_country("ID", place_entries)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {postcode_count} postcodes and {place_count} places.")
        )
