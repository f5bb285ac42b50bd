"""Path safety: source files a host can serve, and no link that leads out of the site folder.

Names become URLs and output files, and hosts differ: some treat a backslash as a separator,
most file systems refuse names over 255 bytes, and macOS and Windows see 'About.html' and
'about.html' (or 'é' composed and decomposed) as one file. Catch all of that at build time.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from .errors import BuildError, SourceSpan

SOURCE_DIRS = ("content", "templates", "static")
NAME_LIMIT = 255  # bytes in one file or folder name: the limit of common file systems


def name_problem(name: str) -> str:
    """Say what makes one file or folder name unsafe to publish, or return ''."""
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


def check_source_tree(site: Path) -> list[BuildError]:
    """Report links that lead outside the site folder and names that cannot be published."""
    root = site.resolve()
    errors = []
    for top in SOURCE_DIRS:
        for folder, dirs, files in os.walk(site / top):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                path = Path(folder, name)
                where = SourceSpan(path.relative_to(site).as_posix())
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    errors.append(
                        BuildError(
                            where,
                            f"is a link to {os.readlink(path)}, outside the site folder",
                            "copy the file into the site instead: a build reads only the site",
                        )
                    )
                    if name in dirs:
                        dirs.remove(name)  # never read what it leads to
                elif problem := name_problem(name):
                    errors.append(BuildError(where, f"the name {name!r} {problem}", RENAME))
    return errors


RENAME = "rename it with letters, digits, '-', '_' and '.'"
