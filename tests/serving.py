"""Serve a built site over HTTP under a sub-path and crawl it as a browser would follow links."""

from __future__ import annotations

import contextlib
import functools
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

LINKS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the folder under `prefix` only, like a host publishing a project site."""

    prefix = "/"
    tools: dict[str, Path] = {}

    def translate_path(self, path: str) -> str:
        if path in self.tools:
            return str(self.tools[path])
        if not path.startswith(self.prefix):
            return "/nonexistent/"
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "/", tools: dict[str, Path] | None = None):
    """Serve `folder` at http://127.0.0.1:PORT{prefix}; yield that root URL.

    `tools` maps other paths (outside the site's) to files a test needs in the page, such as
    axe-core: a script the browser loads keeps its compiled code between pages.
    """
    handler = type("Handler", (_SubPathHandler,), {"prefix": prefix, "tools": tools or {}})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def crawl(start: str, extra: tuple[str, ...] = ()) -> tuple[dict[str, BeautifulSoup], list[str]]:
    """Follow every link on the same host from `start`; return the pages seen and broken links."""
    host = urlsplit(start).netloc
    pages: dict[str, BeautifulSoup] = {}
    fetched: dict[str, bytes | None] = {}
    queue = [start, *extra]
    anchors: list[tuple[str, str, str]] = []  # (from page, target URL, fragment)
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in fetched:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                fetched[url] = body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            fetched[url] = None
            broken.append(f"{url}: HTTP {error.code}")
            continue
        if kind != "text/html":
            continue
        soup = pages[url] = BeautifulSoup(body, "html.parser")
        for tag, attribute in LINKS.items():
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if not value:
                    continue
                target, fragment = urldefrag(urljoin(url, value))
                if urlsplit(target).netloc != host:
                    continue
                queue.append(target)
                if fragment:
                    anchors.append((url, target, fragment))
    for source, target, fragment in anchors:
        soup = pages.get(target)
        if soup is not None and soup.find(id=fragment) is None:
            broken.append(f"{source}: #{fragment} missing on {target}")
    return pages, broken
