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
(:data:`~search.fastwrite.guard.TESTED_WHOOSH`, checked before any of those parts is
imported); :func:`search.build.fast_writer_usable` then falls back to Whoosh's own writer
with a warning. The parts:

``guard``   the Whoosh version check        ``writer``  CountedSegmentWriter (adding, flushing)
``encode``  posting lists straight to bytes ``helper``  a forked process encoding the tails
"""

from __future__ import annotations

from .guard import TESTED_WHOOSH  # first: before anything imports Whoosh's private parts
from .writer import CountedSegmentWriter

__all__ = ["CountedSegmentWriter", "TESTED_WHOOSH"]
