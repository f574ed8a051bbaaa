"""A private Redis for tests: Debian's ``redis-server`` on a free port of 127.0.0.1."""

import socket
import subprocess
import time
from pathlib import Path

import redis

START_SECONDS = 10  # how long a starting server may take to answer PING


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (a closed port, until someone takes it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """``redis-server`` in the foreground, keeping nothing on disk; ``url`` reaches it.

    ``stop()`` and ``start()`` again bring it back on the same port, empty."""

    def __init__(self, executable: str, directory: Path):
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        log = self.directory / "redis.log"
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.directory),
                "--logfile", str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + START_SECONDS
        try:
            while not self._answers(client):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    output = log.read_text() if log.exists() else ""
                    raise RuntimeError(f"redis-server did not start on {self.port}:\n{output}")
                time.sleep(0.05)
        finally:
            client.close()

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        """End the server by its PID."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
