"""The segment writer: Whoosh's ``SegmentWriter`` with the counted fields kept out of its
sorting pool (see :mod:`search.fastwrite`)."""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict, deque
from functools import partial
from itertools import groupby, repeat
from operator import itemgetter

from whoosh import formats
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.util.text import utf8encode
from whoosh.writing import SegmentWriter

from ..analysis import CountedText, PackedCounts
from .encode import NO_BYTE, Plan, write_planned
from .helper import Helper

#: Write counted fields with :func:`~search.fastwrite.encode.encode` (False: through
#: W3PostingsWriter's block buffer, as tests/test_build_fast.py also checks).
DIRECT = True
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
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(self.schema, fieldnames)

        perdocwriter.start_doc(self.docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is not None:
                    self._add_field(fields, fieldname, value, docboost)
        except ValueError:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, fields: dict, fieldname: str, value, docboost: float) -> None:
        """One field of the document: its postings, vector, stored value and column."""
        field = self.schema[fieldname]
        fieldboost = self._field_boost(fields, fieldname, docboost)
        if fieldname in self.counted:
            if fieldboost != 1.0:
                raise ValueError(f"no per-document boost on counted field {fieldname!r}")
            length = self._add_counts(self.counted[fieldname], self.docnum, field.counts(value))
            if not field.scorable:
                length = 0
        else:
            length = self._add_pooled(fieldname, field, value, fieldboost)

        perdocwriter = self.perdocwriter
        customval = fields.get(f"_stored_{fieldname}", value)
        sv = customval if field.stored else None
        perdocwriter.add_field(fieldname, field, sv, length)

        column = field.column_type
        if column and customval is not None:
            cv = field.to_column_value(customval)
            perdocwriter.add_column_value(fieldname, column, cv)

    def _add_pooled(self, fieldname: str, field, value, fieldboost: float) -> int:
        """Any other field, as ``SegmentWriter.add_document`` adds it: postings into the pool,
        spelling words, the term vector. Returns the field length."""
        add_post, docnum = self.pool.add, self.docnum
        length = 0
        if field.indexed:
            scorable = field.scorable
            for tbytes, freq, weight, vbytes in field.index(value):
                weight *= fieldboost
                if scorable:
                    length += freq
                add_post((fieldname, tbytes, docnum, weight, vbytes))

        if field.separate_spelling():
            spellfield = field.spelling_fieldname(fieldname)
            for word in field.spellable_words(value):
                word = utf8encode(word)[0]
                add_post((spellfield, word, 0, 1, vbytes))

        vformat = field.vector
        if vformat:
            vitems = vformat.word_values(value, field.analyzer, mode="index")
            vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
            self.perdocwriter.add_vector_items(fieldname, field, vitems)
        return length

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
        helper = Helper.start(self.counted, plans)
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

    def _plan(self, fieldname: str, pdr) -> Plan | None:
        """How to write a counted field directly (see :func:`~search.fastwrite.encode.encode`), or
        None if the codec is not the one that was checked."""
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
        return Plan(
            terms,
            len(terms),
            postwriter._blocklimit,
            postwriter._compression,
            [length_to_byte(n) if n else NO_BYTE for n in lengths],
            [length_to_byte(n) if n else 0 for n in lengths],
        )

    def _write_counted(
        self, fieldname: str, pdr, plan: Plan | None = None, helper: Helper | None = None
    ) -> None:
        fieldobj = self.schema[fieldname]
        postings = self.counted[fieldname]
        fieldwriter = self.fieldwriter
        fieldwriter.start_field(fieldname, fieldobj)
        if plan is not None:
            write_planned(fieldwriter, postings, plan, helper, fieldname)
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
