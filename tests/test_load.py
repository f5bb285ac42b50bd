"""The dev server under load on 127.0.0.1 while an editor saves files, good and broken: no failed
request, no 5xx, every page whole, memory steady.

`make test` runs it for a few seconds; LOAD_SECONDS=30 runs it for longer.
"""

from __future__ import annotations

import http.client
import os
import random
import threading
import time
from pathlib import Path

from conftest import copy_guide
from server_process import serving

SECONDS = float(os.environ.get("LOAD_SECONDS", "6"))
CLIENTS = 8
PAGES = [
    "/",
    "/salaries/",
    "/faq/",
    "/skills-and-tools/",
    "/what-ml-engineers-do/",
    "/css/site.css",
]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def client(port: int, deadline: float, seed: int, problems: list[str], counts: list[int]) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        path = rng.choice(PAGES)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            problems.append(f"{path}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        counts[0] += 1
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
        elif path.endswith("/") and not (
            body.startswith(b"<!doctype html>") and body.rstrip().endswith(b"</html>")
        ):
            problems.append(f"{path}: an incomplete page of {len(body)} bytes")
    connection.close()


def editor(site: Path, deadline: float, saves: list[int]) -> None:
    """Save the salaries page every 150 ms: new text, and now and then broken front matter."""
    page = site / "content" / "salaries.md"
    original = page.read_text()
    n = 0
    while time.monotonic() < deadline - 0.5:
        n += 1
        broken = n % 5 == 0
        text = original.replace("---\n", "---\ntitle: [unclosed\n", 1) if broken else original
        page.write_text(f"{text}\nSaved {n} times.\n")
        saves[0] += 1
        time.sleep(0.15)
    page.write_text(original)


def test_the_dev_server_holds_under_load_while_files_change(tmp_path: Path):
    site = copy_guide(tmp_path / "site")
    with serving(site, tmp_path / "logs") as server:
        for path in PAGES:  # warm up: every page built and served once
            assert server.get(path)[0] == 200
        start_rss = rss_kb(server.process.pid)
        deadline = time.monotonic() + SECONDS
        problems: list[str] = []
        counts, saves = [0], [0]
        workers = [
            threading.Thread(target=client, args=(server.port, deadline, n, problems, counts))
            for n in range(CLIENTS)
        ]
        workers.append(threading.Thread(target=editor, args=(site, deadline, saves)))
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(SECONDS + 30)
        assert not any(worker.is_alive() for worker in workers)
        server.wait_for("/salaries/", lambda body: "Saved" not in body)  # the original is back
        end_rss = rss_kb(server.process.pid)
        assert server.get("/salaries/")[0] == 200
        assert server.process.poll() is None
    assert problems == []
    assert counts[0] > 50 * SECONDS and saves[0] > 3 * SECONDS
    assert end_rss < start_rss * 1.5 + 20_000, (start_rss, end_rss)
