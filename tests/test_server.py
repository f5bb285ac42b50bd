"""`build.py serve`: live reload, the last good site kept with an error panel, safe paths."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_fixture, run_build, snapshot
from server_process import serving


@pytest.fixture
def tables_site(tmp_path: Path) -> Path:
    return copy_fixture("tables", tmp_path / "site")


def test_pages_are_served_with_the_reload_script(site: Path, tmp_path: Path):
    with serving(site, tmp_path / "logs") as server:
        status, body = server.get("/guide/intro/")
        soup = BeautifulSoup(body, "html.parser")
        assert status == 200
        assert soup.h1.get_text() == "Introduction"
        scripts = [s["src"] for s in soup.find_all("script", src=True)]
        assert scripts == [f"/livereload.js?port={server.port}"]
        assert server.get(scripts[0])[0] == 200


def test_an_edit_is_served_after_rebuilding_its_page_only(site: Path, tmp_path: Path):
    # How soon is measured by `make bench` (edit to reload), not here.
    page = site / "content" / "guide" / "intro.md"
    with serving(site, tmp_path / "logs") as server:
        page.write_text(page.read_text().replace("A table:", "A freshly edited table:"))
        server.wait_for("/guide/intro/", lambda b: "freshly edited" in b)
        assert "rebuilt 1 page bodies" in server.output()


def panel(body: str):
    return BeautifulSoup(body, "html.parser").find(id="build-errors")


def test_a_broken_table_keeps_the_last_good_page_with_an_error_panel(
    tables_site: Path, tmp_path: Path
):
    pay = tables_site / "content" / "data" / "pay.yaml"
    good = pay.read_text()
    with serving(tables_site, tmp_path / "logs") as server:
        pay.write_text(good.replace("headcount: 1200", "headcount: lots"))
        _, body = server.wait_for("/", lambda b: panel(b) is not None)
        text = panel(body).get_text(" ", strip=True)
        assert "content/data/pay.yaml:45:16" in text
        assert "'headcount' must be an integer" in text
        assert "hint: write a whole number" in text
        soup = BeautifulSoup(body, "html.parser")
        assert soup.find("table", id="table-pay") is not None  # the last good page
        assert panel(server.get("/levels/")[1]) is not None  # on every page
        assert "content/data/pay.yaml:45:16: error:" in server.output()
        status = server.output().splitlines()[-1]  # the change's line names the file at fault
        assert status.endswith("1 error in content/data/pay.yaml; still serving the last good site")
        pay.write_text(good)
        server.wait_for("/", lambda b: panel(b) is None)
        assert server.process.poll() is None


def test_a_broken_template_keeps_the_last_good_page_with_an_error_panel(site: Path, tmp_path: Path):
    template = site / "templates" / "page.html"
    good = template.read_text()
    with serving(site, tmp_path / "logs") as server:
        template.write_text(good.replace("{% endblock %}", "{% endblok %}"))
        _, body = server.wait_for("/guide/intro/", lambda b: panel(b) is not None)
        assert "templates/page.html:" in panel(body).get_text()
        assert "Introduction" in BeautifulSoup(body, "html.parser").h1.get_text()
        template.write_text(good)
        server.wait_for("/guide/intro/", lambda b: panel(b) is None)


@pytest.mark.parametrize(
    "path",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/guide/../../site.yaml",
        "/guide/%2e%2e/%2e%2e/site.yaml",
        "/%5c..%5csite.yaml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/guide/%00/index.html",
    ],
)
def test_paths_leading_outside_the_site_are_refused(site: Path, tmp_path: Path, path: str):
    with serving(site, tmp_path / "logs") as server:
        status, body = server.get(path)
        assert status == 403
        assert "title:" not in body and "root:" not in body


def test_a_symlink_leading_outside_is_refused(site: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me")
    (site / "static" / "leak.txt").symlink_to(secret)
    with serving(site, tmp_path / "logs") as server:
        status, body = server.get("/leak.txt")
        assert status == 404 and "do not serve me" not in body
        # The build refuses the link, and the server says so on the page it shows instead.
        assert "static/leak.txt:1:1" in body and "outside the site folder" in body


def test_a_missing_page_answers_404_with_the_sites_404_page(site: Path, tmp_path: Path):
    with serving(site, tmp_path / "logs") as server:
        status, body = server.get("/no/such/page/")
        assert status == 404
        assert BeautifulSoup(body, "html.parser").h1.get_text() == "Page not found"
        assert server.get("/css/")[0] == 404  # no directory listing


def test_serving_never_writes_the_script_into_the_output_folder(site: Path, tmp_path: Path):
    assert run_build("--source", site).code == 0
    before = snapshot(site / "_site")
    page = site / "content" / "guide" / "intro.md"
    with serving(site, tmp_path / "logs") as server:
        page.write_text(page.read_text().replace("A table:", "Edited:"))
        server.wait_for("/guide/intro/", lambda b: "Edited:" in b)
    assert snapshot(site / "_site") == before
    assert not any(b"livereload" in data for data in before.values())


def test_a_burst_of_changes_gives_one_rebuild(site: Path, tmp_path: Path):
    pages = sorted((site / "content" / "guide").glob("*.md"))
    with serving(site, tmp_path / "logs") as server:
        for page in pages:
            page.write_text(page.read_text() + "\nAdded in a burst.\n")
        server.wait_for("/guide/", lambda b: "Added in a burst." in b)
        time.sleep(0.5)
        rebuilds = [line for line in server.output().splitlines() if ": rebuilt" in line]
        assert len(rebuilds) == 2, rebuilds  # the first build, then one for the burst


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_cleanly(site: Path, tmp_path: Path, stop: signal.Signals):
    with serving(site, tmp_path / "logs") as server:
        server.process.send_signal(stop)
        assert server.process.wait(10) == 0
    assert "Traceback" not in server.stderr.read_text()
    assert server.output().splitlines()[-1] == "stopped"


def test_a_port_in_use_names_the_port_and_how_to_pick_another(site: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--source",
                str(site),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert f"port {port} is in use" in done.stderr
    assert f"--port {port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_another_host_than_localhost_prints_a_warning(site: Path, tmp_path: Path):
    with serving(site, tmp_path / "logs", "--host", "0.0.0.0"):
        pass
    assert "warning: serving on 0.0.0.0" in (tmp_path / "logs" / "stderr.txt").read_text()
