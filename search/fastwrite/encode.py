"""Posting lists encoded straight to bytes, the same bytes W3PostingsWriter writes.

Used by :class:`~search.fastwrite.writer.CountedSegmentWriter` for the counted fields when
:meth:`~search.fastwrite.writer.CountedSegmentWriter._plan` finds the codec it was checked
against; the tail of each field may be encoded by a forked helper
(:mod:`search.fastwrite.helper`) while this process does the head.
"""

from __future__ import annotations

import os
import shutil
import sys
import zlib
from array import array
from dataclasses import dataclass
from operator import lt, sub
from pickle import dumps
from typing import TYPE_CHECKING

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3FieldWriter, W3TermInfo
from whoosh.filedb import filetables
from whoosh.system import pack_int, pack_long, pack_ushort

if TYPE_CHECKING:
    from .helper import Helper

#: Terms table rows written at once (bounds the memory they take while waiting).
ROWS_BATCH = 16384
#: A document without a stored length, as the lowest/highest length byte tables hold it.
NO_BYTE = 256
INFO_SIZE = W3TermInfo._struct.size
_MAGIC = whoosh3.WHOOSH3_HEADER_MAGIC
_MIN_COMPRESS = whoosh3.COMPRESSION_MIN_SIZE
_SWAP = sys.byteorder == "little"
_pack_info = W3TermInfo._struct.pack


@dataclass
class Plan:
    """A counted field's terms in byte order, split at ``split``: the writing process
    encodes ``terms[:split]``, a forked helper ``terms[split:]`` (see
    :class:`~search.fastwrite.helper.Helper`)."""

    terms: list[bytes]
    split: int
    limit: int
    level: int
    lowest: list[int]
    highest: list[int]


def encode(terms, postings, plan: Plan, write, position: int, record) -> int:
    """Encode the posting lists of ``terms`` exactly as W3PostingsWriter would write them.

    The same bytes (tests/test_build_fast.py compares the files written both ways): per
    block the pickled ``(delta ids, weights, values)`` tuple, compressed from
    COMPRESSION_MIN_SIZE bytes, its pickled info tuple, led by its signed length; each
    posting list led by the header magic. Only for unit weights (field boost 1.0),
    Frequency values (4-byte big-endian frequencies) and no inlined postings, which
    :meth:`CountedSegmentWriter._plan` checks. Calls ``write(bytes)`` with large chunks
    starting at offset ``position`` and ``record(term, terminfo, start, length)`` per term,
    ``terminfo`` being the packed W3TermInfo without its extent; returns the end offset.
    """
    codec = (plan.limit, plan.level, plan.lowest.__getitem__, plan.highest.__getitem__)
    chunks: list[bytes] = []
    for term in terms:
        length, info = _posting_list(postings[term], codec, chunks)
        record(term, info, position, length)
        position += length
        if len(chunks) > 4096:
            write(b"".join(chunks))
            chunks.clear()
    write(b"".join(chunks))
    return position


def _posting_list(entry: array, codec: tuple, chunks: list[bytes]) -> tuple[int, bytes]:
    """Append one term's posting list (``docnum, freq`` pairs) to ``chunks``, a block at a
    time; return its length in bytes and its packed W3TermInfo."""
    limit, level, low, high = codec
    docs, freqs = entry[0::2], entry[1::2]
    total = len(docs)
    chunks.append(_MAGIC)
    length = 4
    weight, maxweight, minbyte, maxbyte = 0, 0, NO_BYTE, 0
    for first in range(0, total, limit):
        if total <= limit:
            ids, block = docs, freqs
        else:
            ids, block = docs[first : first + limit], freqs[first : first + limit]
        top, bottom = max(block), min(block)
        if bottom == top == 1:
            weights = None
        elif bottom == top:
            weights = float(top)
        else:
            weights = tuple(map(float, block))
        values = array("I", block)
        if _SWAP:
            values.byteswap()
        data = dumps(((ids[0], *map(sub, ids[1:], ids)), weights, values.tobytes()), 2)
        comp = level if len(data) >= _MIN_COMPRESS else 0
        if comp:
            data = zlib.compress(data, comp)
        blockmax = float(top) if top > 0 else 0
        blockmin = min(map(low, ids))
        blockhigh = max(map(high, ids))
        shown_min = 0 if blockmin == NO_BYTE else blockmin
        info = dumps((len(ids), ids[-1], blockmax, comp, shown_min, blockhigh), 2)
        size = len(info) + len(data)
        chunks += (pack_int(-size if first + limit >= total else size), info, data)
        length += 4 + size
        weight += float(sum(block))
        if blockmax > maxweight:
            maxweight = blockmax
        if blockmin < minbyte:
            minbyte = blockmin
        if blockhigh > maxbyte:
            maxbyte = blockhigh
    minbyte = 0 if minbyte == NO_BYTE else minbyte
    return length, _pack_info(False, weight, total, minbyte, maxbyte, maxweight, docs[0], docs[-1])


def write_planned(
    fieldwriter: W3FieldWriter,
    postings: dict[bytes, array],
    plan: Plan,
    helper: Helper | None,
    fieldname: str,
) -> None:
    """Write a started field's postings and terms table rows; the helper's part if any."""
    postfile = fieldwriter._postfile
    prefix = pack_ushort(fieldwriter._fieldid)
    keys: list[bytes] = []
    values: list[bytes] = []

    def record(term, info, start, length):
        keys.append(prefix + term)
        values.append(info + pack_long(start) + pack_int(length))
        if len(keys) >= ROWS_BATCH:
            add_rows(fieldwriter._tindex, keys, values)
            keys.clear()
            values.clear()

    position = postfile.tell()
    position = encode(plan.terms[: plan.split], postings, plan, postfile.write, position, record)
    rest = plan.terms[plan.split :]
    if rest:
        done = helper.result(fieldname) if helper is not None else None
        if done is None:
            position = encode(rest, postings, plan, postfile.write, position, record)
        else:
            path, infos, starts, lengths = done
            with open(path, "rb") as part:
                shutil.copyfileobj(part, postfile)
            for number, term in enumerate(rest):
                at = number * INFO_SIZE
                record(term, infos[at : at + INFO_SIZE], position + starts[number], lengths[number])
            position += os.path.getsize(path)
    if postfile.tell() != position:
        raise AssertionError("postings file offset out of step")
    add_rows(fieldwriter._tindex, keys, values)


def add_rows(tindex: filetables.OrderedHashWriter, keys: list[bytes], values: list[bytes]) -> None:
    """``tindex.add(key, value)`` for each pair, written in one go (the same bytes).

    OrderedHashWriter.add asks the file for its offset, writes three pieces and hashes
    the key once per row; here offsets are counted and the rows joined. Keys must ascend.
    """
    if not keys:
        return
    if keys[0] <= tindex.lastkey or not all(map(lt, keys, keys[1:])):
        raise ValueError("terms table keys must increase")
    dbfile = tindex.dbfile
    hashfn = tindex.hashfn
    buckets = tindex.buckets
    pack = filetables._lengths.pack
    position = dbfile.tell()
    positions = array("q")
    chunks: list[bytes] = []
    for key, value in zip(keys, values):
        positions.append(position)
        code = hashfn(key)
        buckets[code & 255].append((code, position))
        chunks += (pack(len(key), len(value)), key, value)
        position += 8 + len(key) + len(value)
    dbfile.write(b"".join(chunks))
    tindex.index.extend(positions)
    tindex.lastkey = keys[-1]
    if dbfile.tell() != position:
        raise AssertionError("terms file offset out of step")
