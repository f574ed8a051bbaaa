from django.core.management.base import BaseCommand, CommandError

from locations.importers import FORMATS, export_outlets, guess_format
from locations.models import Outlet


class Command(BaseCommand):
    help = (
        "Export every outlet as CSV, JSON or GeoJSON, in the form import_outlets reads, "
        "to standard output unless -o is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, help="default: from -o's name, or csv")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, format=None, output=None, **options):
        fmt = format or (guess_format(output) if output else "csv")
        try:
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = export_outlets(Outlet.objects.all(), fmt, out)
            else:
                # The exporter writes its own line ends: the wrapper must not add any.
                self.stdout.ending = ""
                count = export_outlets(Outlet.objects.all(), fmt, self.stdout)
                self.stdout.flush()
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"{count} outlet(s) exported" + (f" to {output}" if output else ""))
