"""``make load``: a bounded load run against the site as ``make serve`` serves it.

``gunicorn axisfinder.wsgi`` (its settings from ``gunicorn.conf.py``), debug off, the API
throttle off, a real Redis (``redis-server`` on a free port) as the shared cache, and
100,000 generated outlets, on SQLite or on PostgreSQL (``scripts/with-postgres`` gives a
throwaway cluster: ``make load`` runs both). ``wrk`` (Debian's package: a C load
generator, so that the generator takes as little of the 2 cores as it can) sends a mix
of requests for 60 s over keep-alive connections:

- nearest searches from random points around the outlets (40%),
- postcode searches (20%),
- outlet details (20%),
- GeoJSON for a map viewport (10%),
- clusters for a zoomed-out viewport (10%).

Beside it, in the same run and under the same gunicorn settings: Django's floor, a
one-view JSON app (:mod:`bench.floor`), which no view of the site can beat.

Prints requests a second, p50, p99 and errors (connection errors, time-outs and any
answer but 2xx/3xx) for each. Every request goes to 127.0.0.1 only, and each run stops
by itself after its duration.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.outlets_bench import DATA, PYTHON, ROOT, outlets_file

HOST = "127.0.0.1"
OUTLETS = 100_000
SECONDS = 60
CONNECTIONS = 32
#: Paths in the mix, out of 100.
MIX = {"nearest": 40, "postcode": 20, "detail": 20, "geojson": 10, "clusters": 10}
#: wrk runs its Lua here: paths from a file, one per request in turn; a JSON summary.
WRK_SCRIPT = r"""
local paths = {}
local n = 0
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], {Accept = "application/json"})
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "max_ms": %f, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, errors.connect, errors.read,
    errors.write, errors.timeout, errors.status))
end
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- What is asked ------------------------------------------------------------------------


def mix_paths(count: int = 20_000, seed: int = 11) -> list[str]:
    """``count`` request paths in the :data:`MIX`, shuffled, from the generated outlets."""
    rng = random.Random(seed)
    with open(outlets_file(OUTLETS), encoding="utf-8") as source:
        outlets = [row for row in csv.DictReader(source)]
    points = [(float(o["latitude"]), float(o["longitude"])) for o in outlets]
    # The gazetteer's postcodes: the generated outlets' own need not be real ones.
    with open(ROOT / "fixtures" / "gazetteer" / "postcodes_id.csv", encoding="utf-8") as source:
        postcodes = [row["postcode"] for row in csv.DictReader(source)]
    codes = [o["code"] for o in outlets]

    def near_an_outlet(spread: float) -> tuple[float, float]:
        lat, lng = rng.choice(points)
        return lat + rng.uniform(-spread, spread), lng + rng.uniform(-spread, spread)

    def viewport(half_width: float) -> str:
        lat, lng = near_an_outlet(0.05)
        corners = (lng - half_width, lat - half_width / 2, lng + half_width, lat + half_width / 2)
        return ",".join(f"{value:.5f}" for value in corners)

    makers = {
        "nearest": lambda: "/api/v1/outlets/?lat={:.5f}&lng={:.5f}&limit=20".format(
            *near_an_outlet(0.3)
        ),
        "postcode": lambda: f"/api/v1/outlets/?postcode={rng.choice(postcodes)}&limit=20",
        "detail": lambda: f"/api/v1/outlets/{rng.choice(codes)}/",
        # A phone's street-level viewport: a few dozen outlets at most.
        "geojson": lambda: f"/api/v1/outlets.geojson?bbox={viewport(0.01)}&limit=100",
        # A city-wide viewport at zoom 11.
        "clusters": lambda: f"/api/v1/outlets/clusters/?bbox={viewport(0.35)}&zoom=11",
    }
    paths = [makers[kind]() for kind, share in MIX.items() for _ in range(count * share // 100)]
    rng.shuffle(paths)
    return paths


# --- Servers ------------------------------------------------------------------------------


@contextmanager
def redis_server():
    """A throwaway ``redis-server`` on a free port; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: apt-get install redis-server")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"redis://{HOST}:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


def server_env(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "load-run-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SSL_REDIRECT": "0",
        "API_THROTTLE_RATE": "off",
    }


@contextmanager
def gunicorn(app: str, env: dict):
    """``gunicorn APP`` from the project directory (so with ``gunicorn.conf.py``) on a free
    port; yields the port and the server's log (a file) once /healthz (or, for the floor,
    /) answers, and stops it."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        yield from _serve(app, env, port, log)


def _serve(app: str, env: dict, port: int, log):
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", app],
        env={**env, "HOST": HOST, "PORT": str(port)},
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        probe = "/healthz" if app == "axisfinder.wsgi" else "/"
        while True:
            if server.poll() is not None:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-3000:])
                raise SystemExit(f"gunicorn exited with status {server.returncode}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}{probe}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 120 s")
            time.sleep(0.3)
        yield port, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wrk(port: int, paths_file: Path, seconds: int, connections: int = CONNECTIONS) -> dict:
    """One wrk run; its summary, with the rate and the error count worked out."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        output = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(connections),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--script",
                script.name,
                f"http://{HOST}:{port}",
            ],
            env={**os.environ, "LOAD_PATHS": str(paths_file)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    summary["rate"] = summary["requests"] / summary["seconds"]
    summary["errors"] = sum(
        summary[kind] for kind in ("connect", "read", "write", "timeout", "status")
    )
    return summary


# --- The run ------------------------------------------------------------------------------


def database_url(kind: str) -> str:
    """The database with the outlets: SQLite made once in bench-data/, or the PostgreSQL
    of DATABASE_URL (from scripts/with-postgres) filled now."""
    if kind == "sqlite":
        path = DATA / f"load-{OUTLETS}.sqlite3"
        url = f"sqlite:///{path}"
        if path.exists():
            migrate(url)
            return url
        fill(url)
        return url
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("--database postgres runs under scripts/with-postgres")
    fill(url)
    return url


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)


def fill(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    manage = [PYTHON, "manage.py"]
    migrate(url)
    subprocess.run([*manage, "bootstrap", "--no-demo", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*manage, "import_outlets", str(outlets_file(OUTLETS))],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if url.startswith("postgres"):
        # As after any bulk load: the planner's statistics and the visibility map brought
        # up to date now, rather than by autovacuum during the measured run.
        vacuum = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
        subprocess.run([*manage, "shell", "-v0", "-c", vacuum], env=env, cwd=ROOT, check=True)


def run(kind: str, seconds: int, warm_up: int) -> list[tuple[str, dict]]:
    DATA.mkdir(exist_ok=True)
    paths_file = DATA / "load-paths.txt"
    paths_file.write_text("\n".join(mix_paths()) + "\n")
    floor_file = DATA / "load-floor-paths.txt"
    floor_file.write_text("/\n")
    url = database_url(kind)
    rows = []
    with redis_server() as redis_url:
        env = server_env(url, redis_url)
        with gunicorn("bench.floor:application", env) as (port, _log):
            wrk(port, floor_file, min(warm_up, 5))
            rows.append(("Django floor (one JSON view)", wrk(port, floor_file, seconds)))
        with gunicorn("axisfinder.wsgi", env) as (port, log):
            # Each worker builds its search index on its first search; the warm-up pays
            # for that, and the measured run starts with warm workers.
            wrk(port, paths_file, warm_up)
            mix = wrk(port, paths_file, seconds)
            rows.append((f"the mix ({kind}, Redis)", mix))
            if mix["errors"]:
                show_failures(log)
    return rows


def show_failures(log, most: int = 10) -> None:
    """The server's log lines (warm-up included) of answers that were not 2xx or 3xx
    (one JSON line a request), and any traceback."""
    log.seek(0)
    lines = log.read().decode(errors="replace").splitlines()
    shown = [
        line
        for line in lines
        if '"status": 4' in line or '"status": 5' in line or "Traceback" in line
    ]
    print("\n".join(["server log, answers in error:", *shown[:most]]))


def print_table(rows: list[tuple[str, dict]], workers: str) -> None:
    print(
        f"\nLoad: {OUTLETS:,} outlets, gunicorn axisfinder.wsgi (workers {workers}), "
        f"wrk 1 thread x {CONNECTIONS} connections, same 2 cores"
    )
    print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for name, result in rows:
        print(
            f"{name:34} {result['rate']:8.0f} {result['p50_ms']:8.1f} {result['p99_ms']:8.1f} "
            f"{result['max_ms']:8.0f} {result['errors']:7d}"
        )
    for name, result in rows:
        if result["errors"]:
            kinds = ("connect", "read", "write", "timeout", "status")
            print(f"{name}: errors " + ", ".join(f"{k} {result[k]}" for k in kinds if result[k]))
    mix = rows[-1][1]
    met = mix["errors"] == 0 and mix["rate"] >= 600 and mix["p99_ms"] < 100
    print(f"targets (0 errors, >= 600 req/s, p99 < 100 ms): {'met' if met else 'MISSED'}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--warm-up", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    # This process and its set-up commands (migrate, import) are local tools; the server
    # it starts runs with debug off, a key and hosts of its own (server_env).
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    rows = run(args.database, args.seconds, args.warm_up)
    print_table(rows, os.environ.get("WEB_CONCURRENCY", "default"))


if __name__ == "__main__":
    main()
