"""A forked helper process that encodes the tail of every planned field while the writer
does the head: flushing is otherwise one process alone after ingesting has finished."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from array import array
from bisect import bisect_left
from itertools import accumulate, repeat
from operator import add

from .encode import Plan, encode

#: Encode the posting lists of a flush in two processes when it holds this many postings.
PARALLEL_POSTINGS = 200_000
#: Share of the encoding work the writing process keeps (it also adds every term to the
#: terms table and copies the helper's output).
PARENT_SHARE = 0.45


class Helper:
    """A forked process encoding the tail of every planned field while the writer does
    the head: flushing is otherwise one process alone after ingesting has finished.

    It writes each field's encoded posting lists to a temporary file, and the packed term
    infos with offsets relative to that file to another, then names the field on a pipe.
    If it fails, the writer encodes the tail itself.
    """

    def __init__(self, pid: int, reader: int, folder: str):
        self.pid, self.reader, self.folder = pid, reader, folder
        self.ready: set[str] = set()
        self.buffer = b""
        self.eof = False

    @classmethod
    def start(cls, counted: dict, plans: dict[str, Plan | None]) -> Helper | None:
        """Fork the helper when the flush holds PARALLEL_POSTINGS postings, splitting each
        plan at PARENT_SHARE of its work; None when the writer had better do it all."""
        plans = {name: plan for name, plan in plans.items() if plan is not None}
        total = sum(
            sum(map(len, map(counted[name].__getitem__, plan.terms))) // 2
            for name, plan in plans.items()
        )
        if not plans or not hasattr(os, "fork") or total < PARALLEL_POSTINGS:
            return None
        for name, plan in plans.items():
            plan.split = split_at(counted[name], plan.terms, PARENT_SHARE)
        folder = tempfile.mkdtemp(prefix="govsearch-flush-")
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper
            code = 1
            try:
                os.close(reader)
                encode_tails(counted, plans, folder, writer)
                code = 0
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(writer)
        return cls(pid, reader, folder)

    def result(self, fieldname: str):
        """``(path, infos, starts, lengths)`` of the field's tail, or None if it failed."""
        while fieldname not in self.ready and not self.eof:
            chunk = os.read(self.reader, 4096)
            if not chunk:
                self.eof = True
                break
            self.buffer += chunk
            *names, self.buffer = self.buffer.split(b"\n")
            self.ready.update(name.decode() for name in names)
        if fieldname not in self.ready:
            return None
        base = os.path.join(self.folder, fieldname)
        with open(base + ".terms", "rb") as handle:
            infos, starts, lengths = pickle.load(handle)
        return base + ".pst", infos, array("Q", starts), array("Q", lengths)

    def close(self) -> None:
        os.close(self.reader)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def split_at(postings: dict[bytes, array], terms: list[bytes], share: float) -> int:
    """Index splitting ``terms`` so the head holds about ``share`` of the encoding work."""
    costs = list(accumulate(map(add, map(len, map(postings.__getitem__, terms)), repeat(16))))
    return bisect_left(costs, costs[-1] * share) if costs else 0


def encode_tails(counted: dict, plans: dict[str, Plan], folder: str, pipe: int) -> None:
    """In the helper: encode each field's tail to files in ``folder``, naming it on ``pipe``."""
    for name in sorted(plans):
        _encode_tail(counted[name], plans[name], os.path.join(folder, name))
        os.write(pipe, name.encode() + b"\n")


def _encode_tail(postings: dict[bytes, array], plan: Plan, base: str) -> None:
    """``base.pst``: the posting lists of ``plan.terms[plan.split:]``; ``base.terms``: their
    packed term infos and offsets relative to that file."""
    infos: list[bytes] = []
    starts, lengths = array("Q"), array("Q")

    def record(term, info, start, length):
        infos.append(info)
        starts.append(start)
        lengths.append(length)

    with open(base + ".pst", "wb") as out:
        encode(plan.terms[plan.split :], postings, plan, out.write, 0, record)
    with open(base + ".terms", "wb") as out:
        pickle.dump((b"".join(infos), starts.tobytes(), lengths.tobytes()), out, 4)
