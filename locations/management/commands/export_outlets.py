from django.core.management.base import BaseCommand, CommandError

from locations.importers import FORMATS, export_outlets, guess_format
from locations.models import Outlet
from locations.progress import Progress


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
        outlets = Outlet.objects.all()
        # Progress goes to standard error, so it never mixes with an export piped from
        # stdout; none while the export itself scrolls past on the terminal.
        quiet = not output and self.stdout.isatty()
        progress = Progress(
            outlets.count(), self.stderr._out, unit="outlets", is_tty=False if quiet else None
        )
        try:
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out, progress:
                    count = export_outlets(outlets, fmt, out, progress.update)
            else:
                # The exporter writes its own line ends: the wrapper must not add any.
                self.stdout.ending = ""
                with progress:
                    count = export_outlets(outlets, fmt, self.stdout, progress.update)
                self.stdout.flush()
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"{count} outlet(s) exported" + (f" to {output}" if output else ""))
