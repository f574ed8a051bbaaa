"""Benchmark of the API's nearest-20 request through the whole Django + DRF stack.

``GET /api/v1/outlets/?lat=..&lng=..&limit=20`` on generated outlets (100,000 by default),
from many origins near them (as in the search benchmark), throttling and debug off:

1. In-process, through ``django.test.Client`` (every middleware, URL resolution, DRF,
   serializers, JSON), on a warm index; beside it, in the same process and run, the search
   core alone (``search.current_index().nearest``) and the same request with ``open_now``, so the
   framework's share shows as a difference and a ratio.
2. Over HTTP: ``gunicorn axisfinder.wsgi --workers 2`` on 127.0.0.1, driven for 20 s by 16
   concurrent keep-alive connections from a small asyncio load generator (raw HTTP/1.1, in
   its own process, on the same 2 cores as the server; its CPU time is printed).

Targets: a median of 5 ms or less in-process; at least 300 requests a second over HTTP,
with no errors (any answer but a 200, or a connection error).

The in-process part runs in its own process (``python -m bench.api_bench inprocess SIZE
QUERIES``), as does the load generator (``python -m bench.api_bench load ...``); each prints
one JSON line that the parent turns into the table.
"""

import asyncio
import csv
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from bench.outlets_bench import (
    DATA,
    PYTHON,
    ROOT,
    database_with_outlets,
    outlets_file,
    run_json,
    summary,
)
from bench.search_bench import EVENING, origins

LIMIT = 20
HOST = "127.0.0.1"
# What a request can fail with (TimeoutError is an OSError; an early EOF an EOFError).
FAILURES = (OSError, EOFError, ValueError, KeyError, IndexError, asyncio.LimitOverrunError)
# Run with debug off, as production does, and without the per-client rate limit.
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "DJANGO_SSL_REDIRECT": "0",
    "API_THROTTLE_RATE": "off",
    "DJANGO_SETTINGS_MODULE": "axisfinder.settings",
}
# Each worker builds its search index before it takes a request, then leaves a file named
# after its process id in BENCH_READY_DIR: the parent waits for one per worker.
GUNICORN_CONFIG = """
import os
import pathlib


def post_worker_init(worker):
    from locations.search import current_index

    current_index()
    pathlib.Path(os.environ["BENCH_READY_DIR"], str(os.getpid())).touch()
"""


def nearest_url(lat: float, lng: float, open_now: bool = False) -> str:
    params = {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}", "limit": LIMIT}
    if open_now:
        params.update(open_now="true", at=EVENING.isoformat())
    return f"/api/v1/outlets/?{urllib.parse.urlencode(params)}"


def percentiles(timings: list[float]) -> dict:
    """:func:`~bench.outlets_bench.summary`, with the 99th percentile and the rate of one
    caller sending back to back."""
    ordered = sorted(timings)
    return {
        **summary(ordered),
        "p99": ordered[int(0.99 * (len(ordered) - 1))],
        "rate": len(ordered) / sum(ordered),
    }


# --- 1. In-process ----------------------------------------------------------------------


def measure_in_process(size: int, queries: int, rounds: int = 3) -> dict:
    """Run in a process whose DATABASE_URL holds ``size`` outlets."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from locations import search
    from locations.models import Outlet

    rows = list(Outlet.objects.searchable().values_list("latitude", "longitude"))
    points = origins(rows, queries)
    client = Client()
    started = time.perf_counter()
    search.current_index()
    build_seconds = time.perf_counter() - started

    def core(lat, lng):
        return search.current_index().nearest(lat, lng, limit=LIMIT)

    def request(lat, lng, open_now=False):
        response = client.get(nearest_url(lat, lng, open_now))
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} from {nearest_url(lat, lng, open_now)}")
        return response

    def request_open_now(lat, lng):
        return request(lat, lng, open_now=True)

    cases = {"core": core, "api": request, "api_open_now": request_open_now}
    for lat, lng in points[:50]:  # warm up caches before timing
        for run in cases.values():
            run(lat, lng)
    answer = request(*points[0]).json()
    assert len(answer["results"]) == LIMIT, answer
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        request(*points[0])
    body_bytes = len(request(*points[0]).content)

    # Rounds in turn, so that a slow spell of the shared machine falls on every case.
    timings = {name: [] for name in cases}
    for _ in range(rounds):
        for name, run in cases.items():
            for lat, lng in points:
                started = time.perf_counter()
                run(lat, lng)
                timings[name].append(time.perf_counter() - started)
    # Free text naming where outlets stand (the part of a generated address before its
    # floor or street: "Kencana City Mall", "Terminal Induk"), and place names.
    addresses = Outlet.objects.searchable().values_list("address", "city")[:: max(1, size // 50)]
    texts = {
        "q_outlet": [re.split(r" Lt\.|,", address)[0] for address, _city in addresses],
        "q_place": [city for _address, city in addresses],
    }
    for name, values in texts.items():
        for text in values[:5]:  # warm up
            client.get("/api/v1/outlets/", {"q": text, "limit": LIMIT})
        timings[name] = []
        for _ in range(rounds):
            for text in values:
                started = time.perf_counter()
                response = client.get("/api/v1/outlets/", {"q": text, "limit": LIMIT})
                timings[name].append(time.perf_counter() - started)
                if response.status_code not in (200, 400):
                    raise SystemExit(f"{response.status_code} for q={text}")
    return {
        "size": size,
        "origins": len(points),
        "build_seconds": build_seconds,
        "sql_queries": len(executed),
        "body_bytes": body_bytes,
        "cases": {name: percentiles(values) for name, values in timings.items()},
    }


# --- 2. Over HTTP -----------------------------------------------------------------------


def load_origins(size: int, count: int) -> list[tuple[float, float]]:
    """The search benchmark's origins, from the CSV (the load generator needs no Django)."""
    with open(outlets_file(size), encoding="utf-8") as source:
        rows = [
            (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(source)
            if row["status"] != "permanently_closed"
        ]
    return origins(rows, count)


async def drive(port: int, paths: list[str], seconds: float, connections: int, cap: int) -> dict:
    """``connections`` clients, each sending one request at a time over a keep-alive
    connection (opened again when the server closes it) for ``seconds``."""
    latencies, statuses = [], {}
    counts = {"errors": 0, "connects": 0}
    deadline = time.perf_counter() + seconds

    async def client(number):
        reader = writer = None
        n = number
        while time.perf_counter() < deadline and len(latencies) < cap:
            path = paths[n % len(paths)]
            n += connections
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                "Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                    counts["connects"] += 1
                writer.write(request)
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip().lower()
                await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), 30)
            except FAILURES as error:
                counts["errors"] += 1
                statuses[type(error).__name__] = statuses.get(type(error).__name__, 0) + 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                counts["errors"] += 1
            if headers.get("connection") == "close":
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    began = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.wait_for(asyncio.gather(*(client(n) for n in range(connections))), seconds + 60)
    elapsed = time.perf_counter() - began
    used = resource.getrusage(resource.RUSAGE_SELF)
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rate": len(latencies) / elapsed,
        "median": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "p99": ordered[int(0.99 * (len(ordered) - 1))],
        "max": ordered[-1],
        "errors": counts["errors"],
        "connects": counts["connects"],
        "statuses": {str(key): value for key, value in statuses.items()},
        "cpu_seconds": used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime,
    }


def run_load(port: int, size: int, seconds: float, connections: int) -> dict:
    paths = [nearest_url(lat, lng) for lat, lng in load_origins(size, 2000)]
    return asyncio.run(drive(port, paths, seconds, connections, cap=1_000_000))


def load_process(port, size, seconds, connections) -> dict:
    """The load generator, in its own process (one JSON line back)."""
    args = ["bench.api_bench", "load", str(port), str(size), str(seconds), str(connections)]
    return run_json(args, dict(os.environ))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@contextmanager
def gunicorn(env: dict, workers: int = 2):
    """``gunicorn axisfinder.wsgi`` on a free local port, as production runs it, with every
    worker's search index built; yields the port and the workers' process ids, and stops
    the server at the end, whatever happened."""
    config = DATA / "gunicorn_bench.py"
    config.write_text(GUNICORN_CONFIG)
    port = free_port()
    with tempfile.TemporaryDirectory(dir=DATA) as ready:
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "axisfinder.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--config",
                str(config),
            ],
            env={**env, "BENCH_READY_DIR": ready},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 300
            while len(os.listdir(ready)) < workers:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn exited with status {server.returncode}")
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn workers were not ready within 300 s")
                time.sleep(0.2)
            yield port, [int(name) for name in os.listdir(ready)]
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def measure_http(env: dict, size: int, seconds: float, connections: int, workers: int = 2):
    with gunicorn(env, workers) as (port, worker_pids):
        warm_up = load_process(port, size, 3, connections)
        if warm_up["errors"]:
            raise SystemExit(f"errors while warming up: {warm_up['statuses']}")
        before = {pid: cpu_seconds(pid) for pid in worker_pids}
        machine_before = machine_busy()
        result = load_process(port, size, seconds, connections)
        machine_after = machine_busy()
        result["worker_cpu_seconds"] = sum(cpu_seconds(pid) - before[pid] for pid in worker_pids)
        result["machine_busy"] = (machine_after[0] - machine_before[0]) / (
            machine_after[1] - machine_before[1]
        )
    result["workers"] = workers
    result["connections"] = connections
    return result


# --- The table --------------------------------------------------------------------------


def api_benchmark(size: int, queries: int = 500, seconds: float = 20, connections: int = 16):
    print(f"\nAPI: the {LIMIT} nearest outlets through Django + DRF (SQLite, {size:,} outlets)")
    env = {**database_with_outlets(f"api-{size}.sqlite3", size), **SERVER_ENV}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
    local = run_json(["bench.api_bench", "inprocess", str(size), str(queries)], env)
    print_in_process(local)
    http = measure_http(env, size, seconds, connections)
    print_http(http, local)


def print_in_process(results: dict) -> None:
    cases = results["cases"]
    print(
        f"\nIn-process (django.test.Client; debug and throttling off; warm index, built in "
        f"{results['build_seconds']:.2f} s): {results['origins']} origins, "
        f"{cases['api']['n'] // results['origins']} rounds"
    )
    print(f"{'':46} {'median ms':>9} {'p95':>7} {'p99':>7} {'req/s':>7} {'vs core':>8}")
    core = cases["core"]["median"]
    labels = (
        ("core", f"search core: current_index().nearest({LIMIT})"),
        ("api", f"GET /api/v1/outlets/?lat&lng&limit={LIMIT}"),
        ("api_open_now", "the same, &open_now=true&at=..."),
        ("q_place", "GET /api/v1/outlets/?q=<a city>"),
        ("q_outlet", "GET /api/v1/outlets/?q=<where outlets stand>"),
    )
    for key, label in labels:
        case = cases[key]
        print(
            f"{label:46} {case['median'] * 1000:9.3f} {case['p95'] * 1000:7.3f} "
            f"{case['p99'] * 1000:7.3f} {case['rate']:7,.0f} {case['median'] / core:7.1f}x"
        )
    api = cases["api"]["median"]
    print(
        f"framework's share (request - core): {(api - core) * 1000:+.3f} ms, the request "
        f"{api / core:.1f}x the core; open_now adds "
        f"{(cases['api_open_now']['median'] - api) * 1000:+.3f} ms "
        f"({results['sql_queries']} SQL queries and {results['body_bytes']:,} bytes an answer)"
    )
    verdict = "met" if api <= 0.005 else "MISSED"
    print(f"target: median <= 5 ms in-process: {verdict} ({api * 1000:.2f} ms)")


def print_http(result: dict, local: dict) -> None:
    seconds = result["seconds"]
    print(
        f"\nOver HTTP: gunicorn axisfinder.wsgi --workers {result['workers']} (sync) on "
        f"{HOST}; {result['connections']} keep-alive connections for {seconds:.0f} s, "
        "warm workers"
    )
    print(
        f"{'requests':>9} {'req/s':>7} {'median ms':>9} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'errors':>6} {'connects':>9}"
    )
    print(
        f"{result['requests']:9,} {result['rate']:7,.0f} {result['median'] * 1000:9.2f} "
        f"{result['p95'] * 1000:7.2f} {result['p99'] * 1000:7.2f} {result['max'] * 1000:7.1f} "
        f"{result['errors']:6} {result['connects']:9,}"
    )
    cores = os.cpu_count() or 1
    single = local["cases"]["api"]["rate"]
    print(
        f"answers: {result['statuses']}; gunicorn's sync workers close each connection after "
        "its answer, so the clients reconnect (latency includes the connect and the wait "
        f"for a free worker: {result['connections']} clients, {result['workers']} workers)"
    )
    print(
        f"CPU over the run ({cores} cores shared by server and load generator): gunicorn "
        f"workers {result['worker_cpu_seconds']:.1f} s, load generator "
        f"{result['cpu_seconds']:.1f} s ({result['cpu_seconds'] / seconds:.0%} of one core, "
        f"{result['cpu_seconds'] / max(result['requests'], 1) * 1e6:.0f} us a request), "
        f"machine {result['machine_busy']:.0%} busy"
    )
    per_cpu = result["requests"] / result["worker_cpu_seconds"]
    print(
        f"HTTP rate / in-process rate of one caller ({single:,.0f} req/s): "
        f"{result['rate'] / single:.2f}x; {per_cpu:,.0f} requests per worker CPU-second, "
        f"so about {per_cpu * cores:,.0f} req/s if the workers had all {cores} cores"
    )
    verdict = "met" if result["rate"] >= 300 and result["errors"] == 0 else "MISSED"
    print(
        f"target: >= 300 req/s over HTTP with no errors: {verdict} "
        f"({result['rate']:,.0f} req/s, {result['errors']} errors)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    DATA.mkdir(exist_ok=True)
    if sys.argv[1] == "inprocess":
        print(json.dumps(measure_in_process(int(sys.argv[2]), int(sys.argv[3]))))
    elif sys.argv[1] == "load":
        port, size, seconds, connections = sys.argv[2:6]
        print(json.dumps(run_load(int(port), int(size), float(seconds), int(connections))))
    else:
        raise SystemExit(f"unknown part: {sys.argv[1]}")
