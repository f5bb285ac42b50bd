"""Run `build.py serve` as a user would, on a free port, and talk to it."""

from __future__ import annotations

import contextlib
import http.client
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    """GET a raw path (sent exactly as given, no normalisation); return status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@dataclass
class Server:
    """A running dev server and the files its output goes to."""

    process: subprocess.Popen
    port: int
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str) -> tuple[int, str]:
        return fetch(self.port, path)

    def wait_for(self, path: str, test, timeout: float = 20.0) -> tuple[float, str]:
        """Poll `path` until `test(body)` holds; return the seconds it took and the body."""
        started = time.monotonic()
        while True:
            body = self.get(path)[1]
            if test(body):
                return time.monotonic() - started, body
            if time.monotonic() - started > timeout:
                raise AssertionError(f"{path} did not change in {timeout} s:\n{body[:2000]}")
            time.sleep(0.05)

    def output(self) -> str:
        return self.stdout.read_text()


@contextlib.contextmanager
def serving(site: Path, logs: Path, *extra: str):
    """Start `build.py serve` on `site`; stop it with Ctrl-C (SIGINT) afterwards."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "stdout.txt", logs / "stderr.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--source",
                str(site),
                "--port",
                str(port),
                *extra,
            ],
            stdout=stdout,
            stderr=stderr,
            # As in a terminal: a shell that runs the tests in the background ignores Ctrl-C,
            # and the server would inherit that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    server = Server(process, port, out, err)
    try:
        deadline = time.monotonic() + 20
        while "serving on" not in server.output():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start: {err.read_text()}")
            time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
