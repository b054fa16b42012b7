"""``reuse.npz`` in an index generation: the result of :func:`.compute.compute` as columns.

Written by the build into the new generation before it is published, so it is swapped in
atomically with the rest of the index; read once per generation (``allow_pickle=False``:
plain arrays only). Pair rows are sorted by ``(a, b)`` and passage rows by report, so one
report's or one pair's rows are a slice found by binary search.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .compute import PAIR_COLUMNS, PASSAGE_COLUMNS, TOTAL_COLUMNS, ReuseData
from .params import ReuseParams

FILE = "reuse.npz"


def write(generation: Path, data: ReuseData) -> Path:
    """Save ``data`` into ``generation`` (a temporary name, then renamed: never half there)."""
    pairs = _sorted(data.pairs, ("a", "b", "a_start"))
    passages = _sorted(data.passages, ("report", "start"))
    arrays = {
        "ids": np.array(data.ids, dtype=str),
        "han_chars": data.han_chars,
        "params": np.array(json.dumps(data.params.to_dict())),
    }
    arrays.update({f"pair_{k}": v for k, v in pairs.items()})
    arrays.update({f"passage_{k}": v for k, v in passages.items()})
    arrays.update({f"total_{k}": v for k, v in data.totals.items()})
    target = Path(generation) / FILE
    tmp = target.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(target)
    return target


def _sorted(cols: dict[str, np.ndarray], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    if not cols or not len(cols[keys[0]]):
        return cols
    order = np.lexsort(tuple(cols[k] for k in reversed(keys)))
    return {k: v[order] for k, v in cols.items()}


@dataclass
class Stored:
    """The columns of ``reuse.npz`` back in memory, with the lookups the views need."""

    ids: list[str]
    position: dict[str, int]
    han_chars: np.ndarray
    params: ReuseParams
    pairs: dict[str, np.ndarray]
    passages: dict[str, np.ndarray]
    pair_keys: np.ndarray  # a * len(ids) + b of each pair row, ascending
    totals: dict[str, np.ndarray]  # one row per pair with passages, by (a, b)

    def total(self, a: int, b: int) -> tuple[int, int]:
        """Non-formula shared characters of report a and of report b in their pair."""
        lo, hi = min(a, b), max(a, b)
        keys = self.totals["a"].astype(np.int64) * len(self.ids) + self.totals["b"]
        at = int(np.searchsorted(keys, lo * len(self.ids) + hi))
        if at == len(keys) or keys[at] != lo * len(self.ids) + hi:
            return 0, 0
        x, y = int(self.totals["a_chars"][at]), int(self.totals["b_chars"][at])
        return (x, y) if a == lo else (y, x)

    def passage_rows(self, report: int) -> range:
        col = self.passages["report"]
        return range(
            int(np.searchsorted(col, report, "left")), int(np.searchsorted(col, report, "right"))
        )

    def pair_rows(self, a: int, b: int) -> range:
        """Rows of the pair, stored with the lower index first (whichever order asked)."""
        target = min(a, b) * len(self.ids) + max(a, b)
        return range(
            int(np.searchsorted(self.pair_keys, target, "left")),
            int(np.searchsorted(self.pair_keys, target, "right")),
        )


def read(generation: Path) -> Stored | None:
    """The stored reuse of ``generation``, or None when it was built without it."""
    path = Path(generation) / FILE
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as npz:
        ids = [str(x) for x in npz["ids"]]
        pairs = {k: npz[f"pair_{k}"] for k in PAIR_COLUMNS}
        passages = {k: npz[f"passage_{k}"] for k in PASSAGE_COLUMNS}
        params = ReuseParams(**json.loads(str(npz["params"])))
        han = npz["han_chars"]
        totals = {k: npz[f"total_{k}"] for k in TOTAL_COLUMNS}
    keys = pairs["a"].astype(np.int64) * len(ids) + pairs["b"]
    return Stored(
        ids, {r: i for i, r in enumerate(ids)}, han, params, pairs, passages, keys, totals
    )
