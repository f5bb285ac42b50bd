"""The development server: serves the last good site from memory and reloads browsers on change.

It knows nothing of pages: it calls `rebuild()` and serves the files that returns. livereload
provides the reload channel (its websocket and livereload.js); `watch.py` says what changed.
"""

from __future__ import annotations

import errno
import mimetypes
import os
import queue
import re
import signal
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web

from .errors import BuildError, BuildFailed
from .outputs import OutputFile
from .watch import Watcher

POLL_MS = 20  # how often the watcher is asked
QUIET_MS = 30  # a burst of changes ends after this long without another; then one rebuild
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
BODY_START = re.compile(rb"<body[^>]*>", re.IGNORECASE)


@dataclass
class Rebuilt:
    """The outcome of one rebuild: the files (None when it failed), its problems, a summary,
    and work that may follow once the files are served (making the search index, say), which
    gives more files."""

    files: list[OutputFile] | None
    problems: list[BuildError]
    summary: str
    later: Callable[[], list[OutputFile]] | None = None
    theme: Path | None = None  # the theme folder, whose static files are served too


@dataclass
class ServedSite:
    """What is being served: the last good files, those the work after it made (kept until that
    work is done again), and the errors of the latest rebuild."""

    root: Path
    theme: Path | None = None
    files: dict[str, OutputFile] = field(default_factory=dict)
    extra: dict[str, OutputFile] = field(default_factory=dict)
    errors: list[BuildError] = field(default_factory=list)

    def update(self, outcome: Rebuilt) -> None:
        """Take a rebuild's outcome: new files if it succeeded, its errors either way."""
        if outcome.files is not None:
            self.files = {f.path: f for f in outcome.files}
            self.theme = outcome.theme
        self.errors = [p for p in outcome.problems if p.severity == "error"]

    def find(self, path: str) -> OutputFile | None:
        """The file served at `path`, if any."""
        return self.files.get(path) or self.extra.get(path)


def safe_path(raw: str) -> str | None:
    """Return the site path a request path names, or None if it tries to leave the site.

    Refused: '..' or '.' segments (also percent-encoded), encoded slashes and backslashes, NUL
    and control characters, and absolute paths such as '//etc/passwd' or '/C:/x'.
    """
    if re.search(r"%(2f|5c|00)", raw, re.IGNORECASE):
        return None
    path = unquote(raw)
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if any(ord(ch) < 32 for ch in path) or re.match(r"/[A-Za-z]:", path):
        return None
    if any(part in (".", "..") for part in path[1:].split("/")):
        return None
    return path[1:]


class SiteHandler(web.RequestHandler):
    """Answers every request that is not the reload channel, from the served site."""

    def initialize(self, site: ServedSite, script: bytes) -> None:
        self.site, self.script = site, script

    def get(self) -> None:
        rel = safe_path(self.request.path)
        if rel is None:
            self.send_error(403)
            return
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        item = self.site.find(rel)
        if item is None and self.site.find(f"{rel}/index.html"):
            self.redirect(f"/{rel}/", permanent=False)
            return
        if item is None:
            self.set_status(404)
            item = self.site.find("404.html")
            if item is None:
                self.finish(self._decorate(b"<!doctype html><title>Not found</title><body>"))
                return
        data = self._read(item)
        if data is None:
            self.send_error(403)
            return
        kind = mimetypes.guess_type(item.path)[0] or "application/octet-stream"
        self.set_header(
            "Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else "")
        )
        self.set_header("Cache-Control", "no-store")
        self.finish(self._decorate(data) if kind == "text/html" else data)

    def head(self) -> None:
        self.get()

    def _read(self, item: OutputFile) -> bytes | None:
        if item.copy_from is None:
            return item.data or b""
        # A static file must not lead outside the site or theme folder, through a symlink say.
        real = item.copy_from.resolve()
        roots = [self.site.root] + ([self.site.theme] if self.site.theme else [])
        if not any(real.is_relative_to(root.resolve()) for root in roots) or not real.is_file():
            return None
        return real.read_bytes()

    def _decorate(self, html: bytes) -> bytes:
        """Add the reload script and, while a rebuild is failing, the error panel."""
        html = (
            html.replace(b"</head>", self.script + b"</head>", 1)
            if b"</head>" in html
            else self.script + html
        )
        if self.site.errors:
            panel = error_panel(self.site.errors).encode()
            match = BODY_START.search(html)
            at = match.end() if match else 0
            html = html[:at] + panel + html[at:]
        return html

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")


def error_panel(errors: list[BuildError]) -> str:
    """Return the panel that lists a failing rebuild's errors on every page."""
    items = "".join(
        f"<li><code>{escape(str(e.span))}</code> {escape(e.message)}"
        + (f"<br><small>hint: {escape(e.hint)}</small>" if e.hint else "")
        + "</li>"
        for e in errors
    )
    return (
        f'<section id="build-errors" role="alert">'
        f'<link rel="stylesheet" href="{PANEL_CSS_URL}">'
        f"<strong>The last change did not build ({len(errors)} "
        f"error{'s' * (len(errors) != 1)}). This is the last good page.</strong>"
        f"<ul>{items}</ul></section>"
    )


# A stylesheet of its own, not inline styles: the pages' Content Security Policy refuses those.
PANEL_CSS_URL = "/_sitegen/build-errors.css"
PANEL_CSS = (
    "#build-errors{position:sticky;top:0;z-index:1000;margin:0;padding:1rem 1.25rem;"
    "background:#7f1d1d;color:#fff;font:15px/1.5 system-ui,sans-serif;"
    "border-bottom:4px solid #fca5a5}\n"
    "#build-errors ul{margin:.5rem 0 0;padding-left:1.25rem}\n"
)


class PanelStyleHandler(web.RequestHandler):
    """Serves the error panel's stylesheet."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(PANEL_CSS)


class DevServer:
    """Watches the site's sources, rebuilds after each burst of changes, reloads browsers."""

    def __init__(
        self,
        rebuild: Callable[[frozenset[str] | None], Rebuilt],  # told what changed in `root`
        root: Path,
        watch: list[Path],
        host: str,
        port: int,
        say: Callable[[str], None],
    ) -> None:
        self.rebuild, self.host, self.port, self.say = rebuild, host, port, say
        self.site = ServedSite(root)
        self.watcher = Watcher(watch)
        self._changed_at: float | None = None
        self._changed: set[str] = set()
        self._generation = 0  # of rebuilds, so that late work for an older one is dropped
        # Later work runs on one thread of its own, a daemon: stopping waits only for the job
        # it is doing, once the caller has stopped what that job runs (`finish_later`).
        self._later: queue.SimpleQueue = queue.SimpleQueue()
        self._later_read: dict[Path, bytes] = {}  # the files the last later work made, as read
        self._later_thread = threading.Thread(target=self._run_later, name="later", daemon=True)
        self._later_thread.start()
        self._loop: ioloop.IOLoop | None = None

    def run(self, open_browser: bool = False) -> None:
        """Build, then serve until interrupted. Raises OSError if the port cannot be used."""
        self._loop = ioloop.IOLoop.current()
        self._build("start", None)
        script = f'<script src="/livereload.js?port={self.port}"></script>'.encode()
        LiveReloadHandler.live_css = False
        LiveReloadHandler.watcher = self.watcher
        app = web.Application(
            [
                (r"/livereload", LiveReloadHandler),
                (r"/livereload.js", LiveReloadJSHandler),
                (re.escape(PANEL_CSS_URL), PanelStyleHandler),
                (r"/.*", SiteHandler, {"site": self.site, "script": script}),
            ]
        )
        app.listen(self.port, address=self.host)
        ioloop.PeriodicCallback(self._poll, POLL_MS).start()
        url = f"http://{self.host}:{self.port}/"
        self.say(f"serving on {url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        loop = ioloop.IOLoop.current()
        stop = lambda *_: loop.add_callback_from_signal(loop.stop)  # noqa: E731
        # Ctrl-C, or SIGTERM from a process manager: finish the current callback, then stop.
        # (A shell that starts the server in the background makes it ignore Ctrl-C; keep that.)
        signal.signal(signal.SIGTERM, stop)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, stop)
        loop.start()

    def _poll(self) -> None:
        changed = self.watcher.changes()
        if changed:
            self._changed |= changed
            self._changed_at = time.monotonic()
        if self._changed_at and time.monotonic() - self._changed_at >= QUIET_MS / 1000:
            changed, self._changed, self._changed_at = self._changed, set(), None
            site = self.site.root.absolute()
            named = sorted(Path(os.path.relpath(path, site)).as_posix() for path in changed)
            more = f" and {len(named) - 3} more" if len(named) > 3 else ""
            self._build(", ".join(named[:3]) + more, frozenset(named))
            LiveReloadHandler.reload_waiters(path="*")

    def _build(self, cause: str, changed: frozenset[str] | None) -> None:
        """Rebuild for the `changed` paths, relative to the site's folder (None: whatever
        changed since the last build)."""
        outcome = self.rebuild(changed)
        self.site.update(outcome)
        for problem in outcome.problems:
            self.say(problem.format())
        self.say(f"{cause}: {outcome.summary}")
        if outcome.later is not None:
            self._generation += 1
            self._later.put((outcome.later, self._generation))

    def _run_later(self) -> None:
        while (job := self._later.get()) is not None:
            self._do_later(*job)

    def finish_later(self, timeout: float = 10) -> None:
        """Let the later work end (its current job, stopped by its caller, and no other)."""
        self._generation += 1  # what is queued is out of date
        self._later.put(None)
        self._later_thread.join(timeout)

    def _do_later(self, work: Callable[[], list[OutputFile]], generation: int) -> None:
        """Run a rebuild's later work off the serving thread, one at a time; serve its files when
        done, unless a newer rebuild came meanwhile (its own later work will)."""
        if generation != self._generation:
            return
        try:
            # Held in memory: they are the build's own, read where it made them (not the site).
            # A file of the index is never changed where it was made (a shard's changed index
            # is made in a folder of its own): one read already is not read again.
            read, self._later_read = self._later_read, {}
            files = []
            for made in work():
                if made.copy_from is not None:
                    data = read.get(made.copy_from) or made.copy_from.read_bytes()
                    self._later_read[made.copy_from] = data
                    made = replace(made, data=data, copy_from=None)
                files.append(made)
        except Exception as exc:  # noqa: BLE001 - the server must outlive any failure here
            message = exc.errors[0].format() if isinstance(exc, BuildFailed) else repr(exc)
            self._loop.add_callback(self.say, f"search index not updated: {message}")
            return
        self._loop.add_callback(self._take_later, files, generation)

    def _take_later(self, files: list[OutputFile], generation: int) -> None:
        if generation == self._generation:
            self.site.extra = {f.path: f for f in files}


def port_in_use(exc: OSError) -> bool:
    """Whether an error from listening means the port is taken."""
    return exc.errno == errno.EADDRINUSE
