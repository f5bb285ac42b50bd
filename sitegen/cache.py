"""Memory of stage results keyed by everything they depend on, so unchanged work is skipped.

A stage is a function of its inputs; the key is a fingerprint of those inputs. The dev server keeps
one StageCache in memory across rebuilds. A build can also keep it on disk (`.cache/`): each entry
is a file signed with a secret kept beside it, so a damaged or foreign entry is never unpickled but
ignored with a warning, and its result computed afresh.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

T = TypeVar("T")


@functools.cache
def code_fingerprint() -> str:
    """A digest of the generator's own code: a changed stage must not reuse old results."""
    digest = hashlib.blake2b(digest_size=6)
    package = Path(__file__).parent
    theme = [p for p in (package / "default_theme").rglob("*") if p.is_file()]
    for module in sorted(package.rglob("*.py")) + sorted(theme):  # the theme shapes pages too
        digest.update(module.read_bytes())
    return digest.hexdigest()


@functools.cache
def cache_format() -> str:
    """Name the generator, its code and the libraries: entries are valid only for those."""
    # Imported here, not at the top, so that a build with nothing to do never loads them.
    import jinja2
    import markdown_it
    import mdit_py_plugins
    import pygments
    import yaml

    return "-".join(
        [
            __version__,
            code_fingerprint(),
            f"py{sys.version_info[0]}.{sys.version_info[1]}",
            f"mdit{markdown_it.__version__}",
            f"plugins{mdit_py_plugins.__version__}",
            f"j{jinja2.__version__}",
            f"pyg{pygments.__version__}",
            f"yaml{yaml.__version__}",
        ]
    )


MAC_SIZE = 32


def fingerprint(*parts: Any) -> str:
    """Return a stable digest of `parts` (bytes are hashed as they are, the rest by repr)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


class StageCache:
    """Results of earlier runs by stage and key; entries unused in a run are dropped after it."""

    def __init__(self, folder: Path | None = None) -> None:
        self._entries: dict[tuple[str, str], Any] = {}
        self._used: set[tuple[str, str]] = set()
        self.done: Counter[str] = Counter()  # computed in this run, by stage
        self.reused: Counter[str] = Counter()  # taken from an earlier run, by stage
        self.shared: dict[str, Any] = {}  # long-lived helpers, e.g. a template environment
        self.ignored: list[Path] = []  # damaged or foreign entries found on disk
        self.format = cache_format()
        self.folder = folder / self.format if folder else None
        self._prefix = f"{self.folder}{os.sep}" if folder else ""  # plain strings: pathlib is slow
        self._root = folder
        self._secret: bytes | None = None  # read, or made, when first needed: never for nothing
        self._held: list[tuple[str, str, Any]] | None = None  # writes held back, while holding

    def get(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """Return the result of `compute` for `key`, from memory or disk if a run made it."""
        found, value = self.lookup(stage, key)
        if found:
            return value
        result = compute()
        self.put(stage, key, result)
        return result

    def lookup(self, stage: str, key: str) -> tuple[bool, Any]:
        """Return (True, result) if an earlier run made the result for `key`, else (False, None)."""
        slot = (stage, key)
        self._used.add(slot)
        if slot in self._entries:
            self.reused[stage] += 1
            return True, self._entries[slot]
        found, value = self._load(stage, key)
        if found:
            self.reused[stage] += 1
            self._entries[slot] = value
        return found, value

    def peek(self, stage: str, key: str) -> tuple[bool | None, Any]:
        """Like `lookup` but recording nothing, for a worker process (whose records are lost):
        (True, result), (False, None), or (None, None) for a damaged entry. The process that
        keeps the cache then `record`s what the worker found or made."""
        slot = (stage, key)
        if slot in self._entries:
            return True, self._entries[slot]
        return self._read(stage, key)

    def record(self, stage: str, key: str, value: Any, found: bool | None) -> None:
        """Record a result a worker `peek`ed (`found`) or made (else: then it is kept)."""
        if not found:
            if found is None:
                self.ignored.append(Path(self._path(stage, key)))
            self.put(stage, key, value)
            return
        slot = (stage, key)
        self._used.add(slot)
        self.reused[stage] += 1
        self._entries[slot] = value

    def put(self, stage: str, key: str, value: Any) -> None:
        """Remember a result computed in this run."""
        slot = (stage, key)
        self._used.add(slot)
        self.done[stage] += 1
        self._entries[slot] = value
        self._store(stage, key, value)

    def start_run(self) -> None:
        """Begin a run: forget what the previous run did not use, and reset the counts."""
        if self._used:
            self._entries = {slot: v for slot, v in self._entries.items() if slot in self._used}
        self._used = set()
        self.done.clear()
        self.reused.clear()
        self.ignored = []

    def _path(self, stage: str, key: str) -> str:
        return f"{self._prefix}{stage}{os.sep}{key}.bin"

    def _load(self, stage: str, key: str) -> tuple[bool, Any]:
        found, value = self._read(stage, key)
        if found is None:
            self.ignored.append(Path(self._path(stage, key)))
        return bool(found), value

    def hold(self) -> None:
        """Keep what this run computes in memory only, until `release`."""
        self._held = []

    def release(self, keep: bool) -> None:
        """Write the results held back since `hold` (if `keep`), or forget them; stop holding."""
        held, self._held = self._held or [], None
        for stage, key, value in held if keep else ():
            self._store(stage, key, value)

    def _read(self, stage: str, key: str) -> tuple[bool | None, Any]:
        if self.folder is None:
            return False, None
        if self._secret is None:
            self._secret = cache_secret(self._root, make=False)
            if self._secret is None:
                return False, None  # no secret, so nothing this cache could trust
        return read_signed(self._path(stage, key), self._secret, f"{self.format}\0{stage}\0{key}")

    def _store(self, stage: str, key: str, value: Any) -> None:
        if self.folder is None:
            return
        if self._held is not None:
            self._held.append((stage, key, value))
            return
        if self._secret is None:
            self._secret = cache_secret(self._root)
        write_signed(
            Path(self._path(stage, key)), self._secret, f"{self.format}\0{stage}\0{key}", value
        )


def read_signed(path: str | Path, secret: bytes, label: str) -> tuple[bool | None, Any]:
    """Read a value `write_signed` stored: (True, value); (False, None) if there is no file;
    (None, None) if it is damaged or foreign, which is never unpickled."""
    try:
        with open(path, "rb") as stream:
            blob = stream.read()
    except OSError:
        return False, None
    mac, payload = blob[:MAC_SIZE], blob[MAC_SIZE:]
    if not hmac.compare_digest(mac, _sign(secret, label, payload)):
        return None, None
    try:
        return True, pickle.loads(payload)
    except Exception:  # noqa: BLE001 - signed by us yet unreadable: treat as damaged
        return None, None


def write_signed(path: Path, secret: bytes, label: str, value: Any) -> bool:
    """Store `value` at `path` atomically, signed for `label`; return whether it could."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(_sign(secret, label, payload) + payload)
        os.replace(temporary, path)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False  # what cannot be kept only makes the next build slower


def _sign(secret: bytes, label: str, payload: bytes) -> bytes:
    return hmac.new(secret, f"{label}\0".encode() + payload, hashlib.sha256).digest()


def cache_secret(folder: Path, make: bool = True) -> bytes | None:
    """Return this cache's signing secret, made on first use (unless not to `make` it: then
    None when there is none) and readable by its owner only."""
    path = folder / "secret"
    try:
        secret = path.read_bytes()
        if len(secret) == 32:
            return secret
    except OSError:
        pass
    if not make:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(secret)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return secret
