"""A Whoosh segment writer that groups :class:`~search.analysis.CountedText` postings per term.

Whoosh's :class:`~whoosh.writing.SegmentWriter` puts every posting of a segment, as a
``(field, term, docnum, weight, value)`` tuple, into one pool, sorts the pool (spilling
sorted runs to disk past ``limitmb``) and writes the sorted stream posting by posting. For
the exact and words views of the bench corpus that is ~12 M tuples, and sorting them was
the largest single cost of a build. Here the postings of CountedText fields never enter the
pool: ``add_document`` appends ``docnum, freq`` to a per-term ``array("I")`` (documents
arrive in docnum order, so each array is already sorted), and ``_flush_segment`` writes the
terms in byte order straight into the codec, a block of postings at a time.

The index is the same as Whoosh's own writer makes: same terms, postings (docnum, weight,
value), blocks and block statistics, field lengths and stored fields
(tests/test_build_fast.py compares every term of every field). Other fields go through the
pool as usual. Per-document boosts (``_boost``, ``_<field>_boost``) on a CountedText field
are not supported and raise ValueError.

This writes through ~15 private parts of Whoosh (codec writers, the segment's pools and
tables), so it refuses to import on any Whoosh but the one it was tested with
(:data:`TESTED_WHOOSH`); :func:`search.build.fast_writer_usable` then falls back to
Whoosh's own writer with a warning.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, groupby, repeat
from operator import add, itemgetter, lt, sub
from pickle import dumps

import whoosh
from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.filedb import filetables
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.text import utf8encode
from whoosh.writing import SegmentWriter

from .analysis import CountedText, PackedCounts

#: The Whoosh (whoosh3) version whose private segment format this module was checked
#: against, term by term, in tests/test_build_fast.py. On any other (or one lacking a
#: private part imported above) importing this module fails, and the build falls back.
TESTED_WHOOSH = (3, 54, 0)
if tuple(whoosh.__version__[:3]) != TESTED_WHOOSH:
    raise ImportError(
        "search.fastwrite is tested with Whoosh "
        + ".".join(map(str, TESTED_WHOOSH))
        + ", not "
        + ".".join(map(str, whoosh.__version__))
    )

_NO_LENGTH = sys.maxsize


_new_postings = partial(array, "I")
_append = array.append


class _Packed(dict):
    """freq -> ``pack_uint(freq)``, made once per distinct frequency."""

    def __missing__(self, freq):
        value = self[freq] = pack_uint(freq)
        return value


class CountedSegmentWriter(SegmentWriter):
    """``SegmentWriter`` whose CountedText fields bypass the sorting pool.

    A CountedText value may be the text, a mapping term -> frequency, or a
    :class:`~search.analysis.PackedCounts` (as the ingest workers send them).
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.counted: dict[str, dict[bytes, array]] = {
            name: defaultdict(_new_postings)
            for name, field in self.schema.items()
            if isinstance(field, CountedText)
            and field.indexed
            and not field.vector
            and not field.separate_spelling()
        }
        self._packed = _Packed()

    # Adding documents

    def add_document(self, **fields):
        """``SegmentWriter.add_document``, with CountedText postings grouped per term."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        counted = self.counted

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                fieldboost = self._field_boost(fields, fieldname, docboost)

                length = 0
                if fieldname in counted:
                    if fieldboost != 1.0:
                        raise ValueError(f"no per-document boost on counted field {fieldname!r}")
                    length = self._add_counts(counted[fieldname], docnum, field.counts(value))
                    if not field.scorable:
                        length = 0
                elif field.indexed:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight, vbytes))

                if fieldname not in counted:
                    if field.separate_spelling():
                        spellfield = field.spelling_fieldname(fieldname)
                        for word in field.spellable_words(value):
                            word = utf8encode(word)[0]
                            add_post((spellfield, word, 0, 1, vbytes))

                    vformat = field.vector
                    if vformat:
                        vitems = vformat.word_values(value, field.analyzer, mode="index")
                        vitems = sorted(
                            (text, weight, vbytes) for text, _, weight, vbytes in vitems
                        )
                        perdocwriter.add_vector_items(fieldname, field, vitems)

                customval = fields.get(f"_stored_{fieldname}", value)
                sv = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, sv, length)

                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except ValueError:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    @staticmethod
    def _add_counts(postings: dict[bytes, array], docnum: int, counts) -> int:
        """Append ``docnum, freq`` to each term's array; return the sum of frequencies.

        No Python bytecode runs per posting: the term arrays are looked up (and made, by
        the defaultdict) with ``map`` and appended to by ``map(array.append, ...)``; one pass
        appends the docnum to every array, the next the frequency, so each array holds
        ``docnum, freq`` pairs in docnum order.
        """
        if isinstance(counts, PackedCounts):
            terms, freqs = counts.terms(), counts.frequencies()
        else:
            terms = [term.encode("utf-8") for term in counts]
            freqs = array("I", counts.values())
        entries = list(map(postings.__getitem__, terms))
        deque(map(_append, entries, repeat(docnum)), 0)
        deque(map(_append, entries, freqs), 0)
        return sum(freqs)

    # Writing the segment

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        fieldwriter = self.fieldwriter
        # The terms table wants (field id, term) keys ascending and ids are handed out in
        # start_field order: write every field once, all in name order, as Whoosh does.
        pending = sorted(name for name, postings in self.counted.items() if postings)
        plans = {name: self._plan(name, pdr) for name in pending}
        helper = _Helper.start(self.counted, plans)
        try:
            for fieldname, items in groupby(self.pool.iter_postings(), key=itemgetter(0)):
                while pending and pending[0] < fieldname:
                    name = pending.pop(0)
                    self._write_counted(name, pdr, plans[name], helper)
                fieldwriter.add_postings(self.schema, pdr, items)
            while pending:
                name = pending.pop(0)
                self._write_counted(name, pdr, plans[name], helper)
        finally:
            if helper is not None:
                helper.close()
        fieldwriter.close()
        if pdr:
            pdr.close()

    def _plan(self, fieldname: str, pdr) -> _Plan | None:
        """How to write a counted field directly (see :func:`_encode`), or None if not."""
        fieldwriter = self.fieldwriter
        fmt = self.schema[fieldname].format
        if not DIRECT or type(fieldwriter) is not W3FieldWriter:
            return None
        postwriter = self.codec.postings_writer(fieldwriter._postfile)
        if (
            type(postwriter) is not W3PostingsWriter
            or postwriter._byteids
            or postwriter._inlinelimit > 1
            or type(fmt) is not formats.Frequency
            or fmt.field_boost != 1.0
            or fmt.fixed_value_size() != 4
        ):
            return None
        lengths = self._lengths(fieldname, pdr)
        postings = self.counted[fieldname]
        terms = sorted(postings)
        return _Plan(
            terms,
            len(terms),
            postwriter._blocklimit,
            postwriter._compression,
            [length_to_byte(n) if n else _NO_BYTE for n in lengths],
            [length_to_byte(n) if n else 0 for n in lengths],
        )

    def _write_counted(
        self, fieldname: str, pdr, plan: _Plan | None = None, helper: _Helper | None = None
    ) -> None:
        fieldobj = self.schema[fieldname]
        postings = self.counted[fieldname]
        fieldwriter = self.fieldwriter
        fieldwriter.start_field(fieldname, fieldobj)
        if plan is not None:
            _write_planned(fieldwriter, postings, plan, helper, fieldname)
            fieldwriter.finish_field()
            postings.clear()
            return
        boost = fieldobj.format.field_boost
        packed = self._packed
        lengths = self._lengths(fieldname, pdr)
        postwriter = getattr(fieldwriter, "_postwriter", None)
        blocks = (
            type(fieldwriter) is W3FieldWriter
            and type(postwriter) is W3PostingsWriter
            and not postwriter._byteids
        )
        # Block statistics skip documents without a stored length, as add_posting does.
        minlengths = [length or _NO_LENGTH for length in lengths]
        maxlengths = [length or 0 for length in lengths]
        for term in sorted(postings):
            entry = postings[term]
            docs, freqs = entry[0::2], entry[1::2]
            fieldwriter.start_term(term)
            if blocks:
                self._fill_blocks(postwriter, docs, freqs, boost, minlengths, maxlengths)
            else:
                for docnum, freq in zip(docs, freqs):
                    fieldwriter.add(docnum, freq * boost, packed[freq], lengths[docnum])
            fieldwriter.finish_term()
        fieldwriter.finish_field()
        postings.clear()

    def _lengths(self, fieldname: str, pdr) -> list:
        """Each document's field length as the codec reads it back (0/None: none stored)."""
        if pdr is None:
            return [0] * self.docnum
        get = pdr.doc_field_length_reader(fieldname)
        return [get(docnum) for docnum in range(self.docnum)]

    def _fill_blocks(
        self,
        postwriter: W3PostingsWriter,
        docs: array,
        freqs: array,
        boost: float,
        minlengths: list,
        maxlengths: list,
    ) -> None:
        """Fill W3PostingsWriter's block buffer a block at a time, as ``add_posting`` would.

        Every full block but the last is written here; the last stays buffered for
        ``finish_postings`` (called by ``finish_term``) to write with the end marker.
        """
        packed = self._packed
        limit = postwriter._blocklimit
        total = len(docs)
        for start in range(0, total, limit):
            ids = docs[start : start + limit]
            block = freqs[start : start + limit]
            if boost == 1.0:
                weights = array("f", block)
            else:
                weights = array("f", [freq * boost for freq in block])
            postwriter._ids = ids
            postwriter._weights = weights
            postwriter._values = list(map(packed.__getitem__, block))
            postwriter._maxweight = max(block) * boost
            minlength = min(map(minlengths.__getitem__, ids))
            postwriter._minlength = None if minlength == _NO_LENGTH else minlength
            postwriter._maxlength = max(map(maxlengths.__getitem__, ids))
            if start + limit < total:
                postwriter._write_block()


#: Write counted fields with :func:`_encode` (False: through W3PostingsWriter's buffer).
DIRECT = True
#: Encode the posting lists of a flush in two processes when it holds this many postings.
PARALLEL_POSTINGS = 200_000
#: Share of the encoding work the writing process keeps (it also adds every term to the
#: terms table and copies the helper's output).
PARENT_SHARE = 0.45
#: Terms table rows written at once (bounds the memory they take while waiting).
ROWS_BATCH = 16384
_NO_BYTE = 256
_INFO_SIZE = W3TermInfo._struct.size


@dataclass
class _Plan:
    """A counted field's terms in byte order, split at ``split``: the writing process
    encodes ``terms[:split]``, a forked helper ``terms[split:]`` (see :class:`_Helper`)."""

    terms: list[bytes]
    split: int
    limit: int
    level: int
    lowest: list[int]
    highest: list[int]


def _encode(terms, postings, plan: _Plan, write, position: int, record) -> int:
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
    limit, level = plan.limit, plan.level
    minimum = whoosh3.COMPRESSION_MIN_SIZE
    magic = whoosh3.WHOOSH3_HEADER_MAGIC
    pack_info = W3TermInfo._struct.pack
    swap = sys.byteorder == "little"
    low, high = plan.lowest.__getitem__, plan.highest.__getitem__
    chunks: list[bytes] = []
    for term in terms:
        entry = postings[term]
        docs, freqs = entry[0::2], entry[1::2]
        total = len(docs)
        start = position
        chunks.append(magic)
        position += 4
        weight, maxweight, minbyte, maxbyte = 0, 0, _NO_BYTE, 0
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
            if swap:
                values.byteswap()
            data = dumps(((ids[0], *map(sub, ids[1:], ids)), weights, values.tobytes()), 2)
            comp = level if len(data) >= minimum else 0
            if comp:
                data = zlib.compress(data, comp)
            blockmax = float(top) if top > 0 else 0
            blockmin = min(map(low, ids))
            blockhigh = max(map(high, ids))
            info = dumps(
                (
                    len(ids),
                    ids[-1],
                    blockmax,
                    comp,
                    0 if blockmin == _NO_BYTE else blockmin,
                    blockhigh,
                ),
                2,
            )
            size = len(info) + len(data)
            chunks.append(pack_int(-size if first + limit >= total else size))
            chunks.append(info)
            chunks.append(data)
            position += 4 + size
            weight += float(sum(block))
            if blockmax > maxweight:
                maxweight = blockmax
            if blockmin < minbyte:
                minbyte = blockmin
            if blockhigh > maxbyte:
                maxbyte = blockhigh
        record(
            term,
            pack_info(
                False,
                weight,
                total,
                0 if minbyte == _NO_BYTE else minbyte,
                maxbyte,
                maxweight,
                docs[0],
                docs[-1],
            ),
            start,
            position - start,
        )
        if len(chunks) > 4096:
            write(b"".join(chunks))
            chunks.clear()
    write(b"".join(chunks))
    return position


def _write_planned(
    fieldwriter: W3FieldWriter,
    postings: dict[bytes, array],
    plan: _Plan,
    helper: _Helper | None,
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
            _add_rows(fieldwriter._tindex, keys, values)
            keys.clear()
            values.clear()

    position = postfile.tell()
    position = _encode(plan.terms[: plan.split], postings, plan, postfile.write, position, record)
    rest = plan.terms[plan.split :]
    if rest:
        done = helper.result(fieldname) if helper is not None else None
        if done is None:
            position = _encode(rest, postings, plan, postfile.write, position, record)
        else:
            path, infos, starts, lengths = done
            with open(path, "rb") as part:
                shutil.copyfileobj(part, postfile)
            for number, term in enumerate(rest):
                at = number * _INFO_SIZE
                record(
                    term, infos[at : at + _INFO_SIZE], position + starts[number], lengths[number]
                )
            position += os.path.getsize(path)
    if postfile.tell() != position:
        raise AssertionError("postings file offset out of step")
    _add_rows(fieldwriter._tindex, keys, values)


def _add_rows(tindex: filetables.OrderedHashWriter, keys: list[bytes], values: list[bytes]) -> None:
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


class _Helper:
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
    def start(cls, counted: dict, plans: dict[str, _Plan | None]) -> _Helper | None:
        plans = {name: plan for name, plan in plans.items() if plan is not None}
        total = sum(
            sum(map(len, map(counted[name].__getitem__, plan.terms))) // 2
            for name, plan in plans.items()
        )
        if not plans or not hasattr(os, "fork") or total < PARALLEL_POSTINGS:
            return None
        for name, plan in plans.items():
            plan.split = _split(counted[name], plan.terms, PARENT_SHARE)
        folder = tempfile.mkdtemp(prefix="govsearch-flush-")
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper
            code = 1
            try:
                os.close(reader)
                _encode_tails(counted, plans, folder, writer)
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


def _split(postings: dict[bytes, array], terms: list[bytes], share: float) -> int:
    """Index splitting ``terms`` so the head holds about ``share`` of the encoding work."""
    costs = list(accumulate(map(add, map(len, map(postings.__getitem__, terms)), repeat(16))))
    return bisect_left(costs, costs[-1] * share) if costs else 0


def _encode_tails(counted: dict, plans: dict[str, _Plan], folder: str, pipe: int) -> None:
    for name in sorted(plans):
        plan = plans[name]
        infos: list[bytes] = []
        starts, lengths = array("Q"), array("Q")

        def record(term, info, start, length):
            infos.append(info)
            starts.append(start)
            lengths.append(length)

        base = os.path.join(folder, name)
        with open(base + ".pst", "wb") as out:
            _encode(plan.terms[plan.split :], counted[name], plan, out.write, 0, record)
        with open(base + ".terms", "wb") as out:
            pickle.dump((b"".join(infos), starts.tobytes(), lengths.tobytes()), out, 4)
        os.write(pipe, name.encode() + b"\n")
