"""Path safety: source files a host can serve, and no link that leads out of the site folder.

Names become URLs and output files, and hosts differ: some treat a backslash as a separator,
most file systems refuse names over 255 bytes, and macOS and Windows see 'About.html' and
'about.html' (or 'é' composed and decomposed) as one file. Catch all of that at build time.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import BuildError, SourceSpan

SOURCE_DIRS = ("content", "templates", "static")
NAME_LIMIT = 255  # bytes in one file or folder name: the limit of common file systems


def name_problem(name: str) -> str:
    """Say what makes one file or folder name unsafe to publish, or return ''."""
    if name.isascii() and name.isprintable() and "\\" not in name and len(name) <= NAME_LIMIT:
        if name == name.strip():
            return ""  # the common case, decided without looking at each character
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        return "contains a control or invisible character"
    if "\\" in name:
        return "contains a backslash, which some hosts read as a folder separator"
    if len(name.encode("utf-8")) > NAME_LIMIT:
        return f"is longer than {NAME_LIMIT} bytes, more than file systems allow"
    if name != name.strip():
        return "starts or ends with a space"
    return ""


def clash_key(path: str) -> str:
    """The form under which two paths are one file on a case-insensitive, normalising host."""
    return unicodedata.normalize("NFC", path).casefold()


def entries_below(
    folder: str | Path, look_into: Callable[[str], bool] = lambda path: True
) -> Iterator[tuple[str, os.DirEntry]]:
    """Yield (path relative to `folder` with '/', directory entry) for everything below it but
    its folders, looking into the folders whose relative paths `look_into` accepts (a link to a
    folder is yielded, not looked into). Plain strings and directory entries: pathlib, and a
    stat a file, are slow over tens of thousands."""
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            relative = prefix + entry.name
            if not entry.is_dir(follow_symlinks=False):
                yield relative, entry
            elif look_into(relative):
                pending.append((f"{relative}/", entry.path))


def check_source_tree(site: Path) -> list[BuildError]:
    """Report links that lead outside the site folder and names that cannot be published."""
    root = site.resolve()
    errors = []
    for top in SOURCE_DIRS:
        pending = [(top, os.path.join(site, top))]
        while pending:  # depth first, in name order, with directory entries: no stat a file
            relative, folder = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError:
                continue
            below = []
            for entry in entries:
                where = SourceSpan(f"{relative}/{entry.name}")
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                    errors.append(
                        BuildError(
                            where,
                            f"is a link to {os.readlink(entry.path)}, outside the site folder",
                            "copy the file into the site instead: a build reads only the site",
                        )
                    )
                    continue  # never read what it leads to
                if problem := name_problem(entry.name):
                    errors.append(BuildError(where, f"the name {entry.name!r} {problem}", RENAME))
                if entry.is_dir(follow_symlinks=False):  # as os.walk: a linked folder is not
                    below.append((f"{relative}/{entry.name}", entry.path))
            pending += reversed(below)
    return errors


RENAME = "rename it with letters, digits, '-', '_' and '.'"
