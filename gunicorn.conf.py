"""gunicorn's settings for axisfinder, read from the working directory by a plain
``gunicorn axisfinder.wsgi`` (and by ``make serve``).

Every value can still be changed on the command line or in ``GUNICORN_CMD_ARGS``
(``GUNICORN_CMD_ARGS="--access-logfile -"``, for instance); the environment variables below
are the usual ones.
"""

import os


def cpu_count() -> int:
    """The cores this process may run on (a container's or a CPU set's share, not the
    machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# HOST and PORT as `make serve` and `make run` use them. On 127.0.0.1 by default: only a
# proxy on the same host reaches gunicorn, which is what makes X-Forwarded-Proto and
# X-Forwarded-For (trusted by the settings) safe to believe.
_host = os.environ.get("HOST") or "127.0.0.1"
_port = os.environ.get("PORT") or "8000"
bind = [f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"]

# One process per core. A request's work is Python (the search, the opening hours, the
# templates) and holds the GIL, so only processes run requests in parallel; each process
# also builds its own search index, so processes beyond the cores cost memory and buy no
# CPU. WEB_CONCURRENCY overrides it (on this 2-core machine the default is 2).
workers = int(os.environ.get("WEB_CONCURRENCY") or cpu_count())

# Each worker listens on a socket of its own (SO_REUSEPORT), and the kernel spreads new
# connections over them. On one shared socket, whichever worker is first back in accept()
# takes the next connection, so one worker could end up holding every kept-alive
# connection while the other idled: load runs here came out at either full speed or about
# half of it (one core idle), from one run to the next. Note that a second server started
# by the same user on the same port then shares the port instead of failing to bind.
reuse_port = True

# Threads overlap what is not Python: waits on PostgreSQL and Redis, slow clients, and
# the admin's streamed import, which keeps one thread for as long as the import runs (about
# 25 s for 100,000 rows here) while the worker's other threads go on serving. With sync
# workers that page would hold a whole process, and be killed at the timeout.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# With gthread the timeout is the worker's heartbeat, not a limit on a request: a worker
# whose event loop has not answered for this long is killed. 120 s leaves a wide margin
# over the longest request (the 100,000-row import, about 25 s) even on a starved machine.
# A restart (SIGHUP, a deploy) gives requests in flight as long to finish, so that an
# import under way completes instead of being cut off.
timeout = 120
graceful_timeout = 120

# Requests are logged by the application itself (one JSON line each); gunicorn's own
# access log would say the same again, so it is off (see GUNICORN_CMD_ARGS above). Errors
# and worker events go to stderr.
accesslog = None
errorlog = "-"

# Each worker imports the application itself (no preloading in the master). Preloading
# would share the imported libraries' pages between workers, but Python's reference
# counts soon write to them: measured here with 2 workers after a few searches, each
# worker's proportional memory was 101 MB preloaded against 105 MB not, while the master
# grew from 13 MB to 42 MB, so preloading costs memory below about eight workers. Without
# it, SIGHUP starts workers on new code, and no connection or file opened at import could
# ever be shared between processes by mistake.
preload_app = False

# No control socket (gunicornc): its one default path per user would be taken over by the
# next gunicorn started on the host (a second site, a load run's baseline), so commands
# would reach the wrong server. Signals (HUP, TERM, TTIN, TTOU) manage this one.
control_socket_disable = True

# The proxy on the same host whose X-Forwarded-* headers gunicorn believes (gunicorn's
# own default, written out); FORWARDED_ALLOW_IPS lists another front end's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
