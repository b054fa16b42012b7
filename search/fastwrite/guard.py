"""The boundary of :mod:`search.fastwrite`: it refuses to load on any Whoosh but the one it
was checked against, so the build falls back to Whoosh's own writer (with a warning)."""

from __future__ import annotations

import whoosh

#: The Whoosh (whoosh3) version whose private segment format this package was checked
#: against, term by term, in tests/test_build_fast.py. On any other (or one lacking a
#: private part the package imports) importing it fails, and the build falls back.
TESTED_WHOOSH = (3, 54, 0)
if tuple(whoosh.__version__[:3]) != TESTED_WHOOSH:
    raise ImportError(
        "search.fastwrite is tested with Whoosh "
        + ".".join(map(str, TESTED_WHOOSH))
        + ", not "
        + ".".join(map(str, whoosh.__version__))
    )
