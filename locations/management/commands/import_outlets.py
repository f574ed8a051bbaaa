import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locations.importers import (
    FORMATS,
    ImportFailed,
    guess_format,
    plan,
    read_staged,
    save_records,
)
from locations.progress import Stages


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
            with Stages(self.stderr._out) as stages:
                records = read_staged(data, fmt, stages)
                result = plan(records) if dry_run else save_records(records, stages)
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
