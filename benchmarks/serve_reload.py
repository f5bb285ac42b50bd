"""Edit-to-reload time of `build.py serve`: from saving a file to the reload.

Starts the dev server on a copy of a site (the guide, or `--site DIR` such as the 10,000-article
corpus site of compare.py), connects to its reload channel as a browser's livereload.js would,
edits an article N times and measures, for each edit, the time from writing the file to
receiving the reload message (the page is rebuilt by then; the search index follows in the
background). Prints the median against the target: 100 ms for the guide, 300 ms for another site.

Usage: python benchmarks/serve_reload.py [N] [--site DIR --article content/PATH.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
GUIDE_TARGET_MS, SITE_TARGET_MS = 100, 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def measure(port: int, article: Path, edits: int) -> list[float]:
    channel = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await channel.write_message(
        json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        )
    )
    await channel.read_message()
    await channel.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    original = article.read_text()
    times = []
    for n in range(edits):
        await asyncio.sleep(0.3)  # let the previous rebuild settle, as between a person's saves
        started = time.perf_counter()
        article.write_text(original + f"\nEdit number {n}.\n")
        while True:
            message = json.loads(await asyncio.wait_for(channel.read_message(), 10))
            if message.get("command") == "reload":
                break
        times.append((time.perf_counter() - started) * 1000)
    article.write_text(original)
    channel.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edits", type=int, nargs="?", default=20)
    parser.add_argument("--site", type=Path, default=ROOT, help="the site (default: the guide)")
    parser.add_argument("--article", default="content/salaries.md", help="the page to edit")
    args = parser.parse_args()
    target = GUIDE_TARGET_MS if args.site.resolve() == ROOT else SITE_TARGET_MS
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        site.mkdir()
        for name in ("site.yaml", "extensions.py", "content", "templates", "static"):
            source = args.site / name
            if source.exists():
                (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
        pages = sum(1 for _ in (site / "content").rglob("*.md"))
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--source",
                str(site),
                "--port",
                str(port),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            while "serving on" not in (server.stdout.readline() or "serving on"):
                pass
            times = asyncio.run(measure(port, site / args.article, args.edits))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    median = statistics.median(times)
    print(
        f"edit-to-reload, {pages} pages, {args.edits} edits of {args.article}: "
        f"median {median:.0f} ms, fastest {min(times):.0f} ms, slowest {max(times):.0f} ms "
        f"(target: median under {target} ms) {'met' if median < target else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
