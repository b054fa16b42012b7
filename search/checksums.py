"""Checksum manifest of one index generation: every file's size and SHA-256, written at commit.

A generation is written once and never changed, so any difference later is damage (a
truncated segment, a line of garbage in the report store, a file gone). The manifest covers
every file below the generation folder, whatever wrote it, so new kinds of files need no
change here.

:func:`verify` has two depths: ``quick`` checks every file's presence and size and hashes the
small files (the cost of opening an index stays a few milliseconds); ``full`` hashes
everything (``python -m search check``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

FILENAME = "CHECKSUMS.json"
#: In a quick check, files up to this size are hashed too; larger ones are checked by size.
QUICK_HASH_BYTES = 1 << 20
_CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(generation: Path) -> list[Path]:
    out = []
    for folder, dirs, names in os.walk(generation):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not (Path(folder) == generation and name == FILENAME):
                out.append(path)
    return out


def write(generation: Path) -> None:
    """Record every file of ``generation`` (call once it is complete, before publishing)."""
    files = {
        path.relative_to(generation).as_posix(): [path.stat().st_size, file_hash(path)]
        for path in _files(generation)
    }
    tmp = generation / (FILENAME + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump({"version": 1, "files": files}, out, ensure_ascii=False, indent=0)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, generation / FILENAME)


def verify(generation: Path, full: bool = False) -> list[str]:
    """What is wrong with ``generation``, one line per problem; ``[]`` when it is intact."""
    try:
        recorded = json.loads((generation / FILENAME).read_text("utf-8"))["files"]
    except FileNotFoundError:
        return [
            f"{generation.name}: no checksum manifest ({FILENAME}): the build that wrote "
            "it did not finish"
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [f"{generation.name}/{FILENAME}: unreadable ({error})"]
    problems = []
    for name, (size, digest) in sorted(recorded.items()):
        path = generation / name
        try:
            actual = path.stat().st_size
        except OSError:
            problems.append(f"{generation.name}/{name}: missing")
            continue
        if actual != size:
            problems.append(
                f"{generation.name}/{name}: {actual:,} bytes, "
                f"{size:,} when written (truncated or changed)"
            )
        elif (full or size <= QUICK_HASH_BYTES) and file_hash(path) != digest:
            problems.append(
                f"{generation.name}/{name}: content changed since it was written (checksum differs)"
            )
    return problems
