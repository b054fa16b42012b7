"""Which files of a corpus folder are read, and a one-line name for every file.

The rule (docs/reliability.md, "Corpus folder"): every entry below the corpus folder is
either read as a report or listed with its reason, never dropped in silence.

- Regular files are read (the top-level ``manifest.csv`` is the manifest, not a report).
- Symbolic links, to files or folders, inside or outside the corpus, are never followed:
  each is listed ("symbolic link, not followed"). A corpus is what lies in its folder, so the
  index and ``/report/<id>/original`` (served from what the build stored) always agree, and
  a link cannot pull in files from elsewhere on the machine.
- Hidden names (starting with ``.``: ``.DS_Store``, ``.git/``, ``..dir/``) are not read;
  a hidden file is listed, a hidden folder once with the number of files in it.
- Folders that cannot be opened are listed with the system's reason.

Names are bytes on disk. One that is not UTF-8 (archives made on Chinese Windows) is shown
with U+FFFD replacement characters; one holding a line break or another control character is
shown quoted with escapes, so each problem stays on one line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MANIFEST = "manifest.csv"


def display_name(relative: str | Path) -> str:
    """A file name as people read it: valid Unicode, on one line."""
    text = os.fsencode(relative).decode("utf-8", "replace")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in text):
        return json.dumps(text, ensure_ascii=False)
    return text


def name_bytes(relative: str | Path) -> bytes:
    """The name's bytes on disk (what tells apart two names shown alike)."""
    return os.fsencode(relative)


def walk_corpus(corpus: Path) -> tuple[list[Path], list[str]]:
    """The regular files to read, sorted, and one ``name: reason`` line for every entry skipped."""
    files: list[Path] = []
    skipped: list[str] = []

    def refused(error: OSError) -> None:
        where = display_name(Path(error.filename).relative_to(corpus)) if error.filename else "?"
        skipped.append(f"{where}/: cannot read the folder ({(error.strerror or '').lower()})")

    for folder, dirs, names in os.walk(corpus, onerror=refused, followlinks=False):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            reason = _not_read(here / name, corpus, folder=True)
            if reason:
                skipped.append(reason)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            path = here / name
            if here == corpus and name == MANIFEST:
                continue
            reason = _not_read(path, corpus, folder=False)
            if reason:
                skipped.append(reason)
            else:
                files.append(path)
    return files, skipped


def _not_read(path: Path, corpus: Path, folder: bool) -> str | None:
    """Why a file or folder is not read (a link is never followed, a hidden name never read),
    as its ``name: reason`` line; None when it is read."""
    shown = display_name(path.relative_to(corpus)) + ("/" if folder else "")
    if path.is_symlink():
        what, them = ("symbolic link to a folder", "files") if folder else ("symbolic link", "file")
        advice = f"links are never followed: copy the {them} into the corpus"
        return f"{shown}: {what}, not followed ({advice})"
    if path.name.startswith("."):
        if folder:
            count = sum(len(n) for _, _, n in os.walk(path))
            return f"{shown}: hidden folder, not read ({count} files in it)"
        return f"{shown}: hidden file, not read"
    return None
