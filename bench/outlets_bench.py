"""Benchmarks of the outlet directory: bulk import, and status of many outlets at one instant.

Targets: import 100,000 outlets in 60 s or less under 500 MB peak memory; at least 100,000
full statuses (open_now, state, next_change) a second.
"""

import csv
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
PYTHON = sys.executable
INSTANTS = (
    datetime(2026, 11, 25, 5, 0, tzinfo=UTC),  # midday in WIB, WITA and WIT
    datetime(2026, 11, 25, 17, 30, tzinfo=UTC),  # after midnight: the late kiosks
    datetime(2026, 12, 24, 20, 0, tzinfo=UTC),  # Christmas Day, PH off in force
)


def outlets_file(count: int) -> Path:
    """A CSV of ``count`` generated outlets around Indonesian cities (made once, then reused)."""
    from locations.build.demo import generate_outlets
    from locations.columns import COLUMNS

    path = DATA / f"outlets-{count}.csv"
    if not path.exists():
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(generate_outlets(count, seed=7, blank_timezone_share=0.1))
    return path


def run_measured(args, env) -> tuple[float, float]:
    """Run a command; its wall time in seconds and its peak resident memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(map(str, args))}")
    return elapsed, usage.ru_maxrss / 1024


def fresh_database(name: str) -> dict:
    database = DATA / name
    database.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*manage, "bootstrap", "--no-demo", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def database_with_outlets(name: str, count: int) -> dict:
    """A fresh database holding ``count`` generated outlets; the environment that uses it."""
    env = fresh_database(name)
    subprocess.run(
        [PYTHON, "manage.py", "import_outlets", str(outlets_file(count))],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def run_json(args: list[str], env: dict) -> dict:
    """Run ``python -m ARGS`` in ``env``; the JSON object on the last line it prints."""
    output = subprocess.run(
        [PYTHON, "-m", *args],
        env={"DJANGO_SETTINGS_MODULE": "axisfinder.settings", **env},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def timed(function, calls) -> list[float]:
    """Seconds per call of ``function``, one call per tuple of arguments in ``calls``."""
    timings = []
    for args in calls:
        started = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - started)
    return timings


def summary(timings: list[float]) -> dict:
    """Median and 95th percentile of ``timings``, and how many."""
    ordered = sorted(timings)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "n": len(ordered),
    }


NAIVE_IMPORT = """
import csv, sys
from django.db import transaction
from locations import osm_hours
from locations.models import Outlet, OpeningRange, SpecialHours, Service, PaymentMethod
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))[: int(sys.argv[2])]
with transaction.atomic():
    for row in rows:
        hours = osm_hours.parse(row["opening_hours"])
        outlet = Outlet.objects.create(
            code=row["code"], kind=row["kind"], name=row["name"], address=row["address"],
            city=row["city"], province=row["province"], postcode=row["postcode"],
            country=row["country"], latitude=float(row["latitude"]),
            longitude=float(row["longitude"]), timezone=row["timezone"], phone=row["phone"],
            status=row["status"], closed_on_public_holidays=hours.closed_on_public_holidays)
        outlet.services.set(Service.objects.filter(slug__in=row["services"].split(";")))
        outlet.payment_methods.set(
            PaymentMethod.objects.filter(slug__in=row["payment_methods"].split(";")))
        for r in hours.weekly:
            OpeningRange.objects.create(outlet=outlet, weekday=r.weekday, opens=r.opens,
                                        closes=r.closes)
        for rule in hours.dated:
            for r in rule.ranges or [None]:
                SpecialHours.objects.create(outlet=outlet, start_date=rule.start,
                    end_date=rule.end, opens=r and r.opens, closes=r and r.closes,
                    reason=rule.reason)
"""


def import_benchmark(count: int) -> None:
    path = outlets_file(count)
    print(f"\nImport of {count:,} generated outlets (SQLite, one process each)")
    env = fresh_database("import.sqlite3")
    command = [PYTHON, "manage.py", "import_outlets", str(path)]
    create_time, create_mb = run_measured(command, env)
    update_time, update_mb = run_measured(command, env)

    sample = min(count, 2000)
    naive_env = fresh_database("naive.sqlite3")
    script = DATA / "naive_import.py"
    script.write_text(NAIVE_IMPORT)
    naive_args = [
        PYTHON,
        "-c",
        "import sys, django; django.setup(); exec(open(sys.argv[-1]).read())",
        str(path),
        str(sample),
        str(script),
    ]
    naive_time, _ = run_measured(naive_args, naive_env)
    naive_rate = sample / naive_time

    rows = [
        ("import_outlets, empty database", create_time, count / create_time, create_mb),
        ("import_outlets again (all updates)", update_time, count / update_time, update_mb),
        (f"baseline: ORM row by row ({sample:,} rows)", naive_time, naive_rate, None),
    ]
    print(f"{'':42} {'seconds':>9} {'outlets/s':>11} {'peak MB':>9}")
    for label, seconds, rate, megabytes in rows:
        memory = f"{megabytes:9.0f}" if megabytes is not None else f"{'':>9}"
        print(f"{label:42} {seconds:9.2f} {rate:11,.0f} {memory}")
    print(
        f"speed-up over the row-by-row baseline: {count / create_time / naive_rate:.1f}x; "
        f"target: <= 60 s and <= 500 MB for 100,000"
    )


def status_benchmark(count: int) -> None:
    from opening_hours import OpeningHours

    from locations import hours, osm_hours
    from locations.build.demo import generate_outlets
    from locations.calendars import public_holidays

    rows = list(generate_outlets(count, seed=7))
    calendar = public_holidays("ID")
    started = time.perf_counter()
    schedules = [
        hours.compile_schedule(
            osm_hours.parse(row["opening_hours"]), row["timezone"], row["status"], calendar
        )
        for row in rows
    ]
    compile_time = time.perf_counter() - started

    def ours(at):
        for schedule in schedules:
            hours.status(schedule, at)

    def walk_only(at):
        # The general day-by-day rule for every outlet, without the weekly fast path.
        for schedule in schedules:
            local = at.astimezone(schedule.zone)
            day = local.toordinal()
            hours._walk(schedule, day, day * hours.DAY + local.hour * 3600 + local.minute * 60)

    sample = rows[: min(count, 10_000)]
    oracles = [
        (
            OpeningHours(
                osm_hours.render(osm_hours.parse(row["opening_hours"])),
                timezone=hours.ZoneInfo(row["timezone"]),
            ),
            row["timezone"],
        )
        for row in sample
    ]

    def opening_hours_py(at):
        for oracle, zone in oracles:
            local = at.astimezone(hours.ZoneInfo(zone))
            oracle.is_open(local)
            oracle.next_change(local)

    print(
        f"\nStatus (open_now, state, next_change) of {count:,} outlets at one instant, "
        "hours already loaded"
    )
    print(f"(compiling {count:,} schedules from OSM text once: {compile_time:.2f} s)")
    print(f"{'':42} {'median s':>9} {'p95 s':>8} {'statuses/s':>12} {'vs ours':>8}")
    results = {}
    for label, run, n in (
        ("hours.status (weekly fast path)", ours, count),
        ("baseline: day-by-day walk only", walk_only, count),
        (f"baseline: opening-hours-py ({len(sample):,})", opening_hours_py, len(sample)),
    ):
        timings = []
        for _ in range(3):
            for at in INSTANTS:
                started = time.perf_counter()
                run(at)
                timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        p95 = sorted(timings)[int(0.95 * (len(timings) - 1))]
        results[label] = n / median
        ratio = results[label] / next(iter(results.values()))
        print(f"{label:42} {median:9.3f} {p95:8.3f} {n / median:12,.0f} {ratio:8.2f}")
    print("target: >= 100,000 statuses a second")
