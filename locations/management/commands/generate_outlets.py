"""``manage.py generate_outlets COUNT``: invented outlets as the importer's CSV."""

from django.core.management.base import BaseCommand, CommandError

from locations.build.demo import generate_outlets, write_csv


class Command(BaseCommand):
    help = (
        "Write COUNT invented AXIS outlets (stores and kiosks around Indonesian cities) as "
        "CSV in the importer's columns, to stdout or to --output. The same COUNT and --seed "
        "always give the same rows; fixtures/demo_outlets.csv is 320 rows with --seed 2026."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many outlets to write")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")
        parser.add_argument(
            "--blank-timezone-share",
            type=float,
            default=0.0,
            help="share of rows, 0 to 1, whose timezone is left empty (default 0)",
        )

    def handle(self, *args, count, seed, output, blank_timezone_share, **options):
        try:
            rows = generate_outlets(count, seed=seed, blank_timezone_share=blank_timezone_share)
        except ValueError as error:
            raise CommandError(error) from error
        if output is None:
            write_csv(rows, self.stdout)
            return
        with open(output, "w", encoding="utf-8", newline="") as stream:
            written = write_csv(rows, stream)
        self.stdout.write(f"Wrote {written} outlets to {output}")
