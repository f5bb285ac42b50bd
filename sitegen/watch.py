"""Which source files changed: told by the kernel where it can (Linux inotify), else by looking.

The dev server asks every few milliseconds. Looking means a `stat` of every watched file, which
for a site of 10,000 pages takes longer than the rebuild of an edited page; inotify tells of each
change as it happens, and asking costs one non-blocking read. Where inotify is missing or its
watches run out, the watcher looks instead, less often the longer a look takes.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys
import time
from pathlib import Path

from .paths import entries_below

# From <sys/inotify.h>.
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_Q_OVERFLOW, IN_IGNORED = 0x400, 0x800, 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_ISDIR = 0x01000000, 0x02000000, 0x40000000
CHANGES = (
    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
)
EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


class Watcher:
    """Reports the paths under some folders (and some single files) that changed since it was
    last asked; `changes()` never blocks."""

    filepath: str | None = None  # the last change, for livereload's log of reloads

    def __init__(self, roots: list[Path], kernel: bool = True) -> None:
        self.roots = [Path(root).absolute() for root in roots]
        self._looker: _Looker | None = None
        told = kernel and sys.platform == "linux"
        self._kernel = _Inotify.open(self.roots) if told else None
        if self._kernel is None:
            self._looker = _Looker(self.roots)

    @property
    def told(self) -> bool:
        """Whether the kernel tells of changes (else they are looked for)."""
        return self._kernel is not None

    def changes(self) -> set[str]:
        """The paths changed since the last call (a root itself: anything under it may have)."""
        found = self._kernel.changes() if self._kernel else self._looker.changes()
        if self._kernel and self._kernel.failed:
            self._kernel.close()
            self._kernel, self._looker = None, _Looker(self.roots)
        if found:
            self.filepath = min(found)
        return found

    def close(self) -> None:
        if self._kernel:
            self._kernel.close()


class _Inotify:
    def __init__(self, fd: int, libc: ctypes.CDLL, roots: list[Path]) -> None:
        self.fd, self.libc = fd, libc
        self.roots = sorted(str(root) for root in roots)
        self.failed = False  # a new folder could not be watched: looking must take over
        self.folders: dict[int, str] = {}  # watch descriptor -> folder
        self.only: dict[int, set[str]] = {}  # for a single file's folder: the names that count

    @classmethod
    def open(cls, roots: list[Path]) -> _Inotify | None:
        """Watch `roots`; None where inotify cannot (then the caller looks instead)."""
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None
        watcher = cls(fd, libc, roots)
        try:
            for root in roots:
                if root.is_dir():
                    watcher._watch_tree(str(root))
                else:  # a file, which an editor may replace: watch its folder for its name
                    wd = watcher._watch(str(root.parent))
                    watcher.only.setdefault(wd, set()).add(root.name)
        except OSError:  # out of watches, say: look instead
            watcher.close()
            return None
        return watcher

    def _watch(self, folder: str) -> int:
        mask = CHANGES | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), mask)
        if wd < 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), folder)
        self.folders[wd] = folder
        return wd

    def _watch_tree(self, top: str) -> list[str]:
        """Watch `top` and every folder below it; return the files found there."""
        files, pending = [], [top]
        while pending:
            folder = pending.pop()
            try:
                self._watch(folder)
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue  # gone already: its removal is reported by its parent
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    files.append(entry.path)
        return files

    def changes(self) -> set[str]:
        found: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return found
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise
            offset = 0
            while offset < len(data):
                wd, mask, _, length = EVENT.unpack_from(data, offset)
                name = os.fsdecode(data[offset + EVENT.size : offset + EVENT.size + length])
                offset += EVENT.size + length
                found |= self._event(wd, mask, name.rstrip("\0"))

    def _event(self, wd: int, mask: int, name: str) -> set[str]:
        if mask & IN_Q_OVERFLOW:  # events were lost: anything may have changed
            return set(self.roots)
        folder = self.folders.get(wd)
        if folder is None:
            return set()
        if mask & IN_IGNORED:
            del self.folders[wd]
            return set()
        if wd in self.only:
            return {os.path.join(folder, name)} if name in self.only[wd] else set()
        if mask & (IN_DELETE_SELF | IN_MOVE_SELF) or not name:
            return {folder}
        path = os.path.join(folder, name)
        if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
            try:  # a new folder: watch it, and what was put in it before the watch began
                return {path, *self._watch_tree(path)}
            except OSError:  # out of watches: what happens below it would go unseen
                self.failed = True
                return set(self.roots)
        return {path}

    def close(self) -> None:
        os.close(self.fd)


class _Looker:
    """Stats every watched file; looks again only after some multiple of what a look took."""

    EVERY = 10  # wait at least ten times as long as a look takes before the next

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.seen = self._look()
        self.next_at = 0.0

    def changes(self) -> set[str]:
        now = time.monotonic()
        if now < self.next_at:
            return set()
        seen = self._look()
        self.next_at = time.monotonic() + (time.monotonic() - now) * self.EVERY
        changed = {p for p in seen.keys() | self.seen.keys() if seen.get(p) != self.seen.get(p)}
        self.seen = seen
        return changed

    def _look(self) -> dict[str, tuple[int, int]]:
        seen: dict[str, tuple[int, int]] = {}
        for root in self.roots:
            if root.is_dir() and not root.is_symlink():
                found = ((entry.path, entry) for _, entry in entries_below(root))
            else:
                found = [(os.fspath(root), None)]
            for path, entry in found:
                try:  # a link: what it leads to changes, not the link
                    info = entry.stat() if entry is not None else os.stat(path)
                except OSError:
                    continue  # gone, or a link to nothing: absent
                seen[path] = (info.st_mtime_ns, info.st_size)
        return seen
