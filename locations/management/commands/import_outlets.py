import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locations.importers import FORMATS, ImportFailed, guess_format, import_outlets
from locations.progress import Progress


def estimated_rows(data: bytes, fmt: str) -> int | None:
    """About how many outlets a file holds: a CSV's lines after the header (blank lines and
    line breaks inside quotes make it a little high); unknown for JSON until it is parsed."""
    if fmt != "csv":
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


class Command(BaseCommand):
    help = (
        "Import outlets from a CSV, JSON or GeoJSON file, upserting by code. Every bad row is "
        "reported as 'line N: column: message' and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import ('-' for standard input)")
        parser.add_argument(
            "--format", choices=FORMATS, help="file format (default: from the file name, or csv)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, writing nothing"
        )

    def handle(self, path, format=None, dry_run=False, **options):
        fmt = format or guess_format(path)
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            with Progress(estimated_rows(data, fmt), self.stderr._out) as progress:
                result = import_outlets(data, fmt, dry_run=dry_run, progress=progress.update)
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            raise CommandError(
                f"{len(failure.errors)} error(s) in {path}; nothing was imported"
            ) from None
        would = "would be " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} outlet(s) {would}created, "
                f"{len(result.updated)} {would}updated"
                + (" (dry run: nothing written)" if dry_run else "")
            )
        )
