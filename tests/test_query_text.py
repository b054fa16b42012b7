"""Query text: combining marks normalized like report text; bytes that are not UTF-8 refused."""

from __future__ import annotations

import os
import unicodedata

import commands
import pytest

from search.errors import InvalidTextError
from search.ingest.normalize import normalize_query, normalize_text


def test_combining_marks_are_composed_or_dropped_like_in_report_text():
    assert normalize_query("cafe\u0301") == "café" == normalize_text("cafe\u0301")
    marked = "园\u0301区\u20dd整合"
    assert normalize_query(marked) == "园区整合" == normalize_text(marked)
    assert normalize_query("園\u0301區整合") == "园区整合"
    text = normalize_query("".join(chr(c) for c in range(0x300, 0x370)) + "税")
    assert text == "税" and not any(unicodedata.combining(c) for c in text)


def test_a_combining_mark_query_finds_what_the_plain_query_finds(engine):
    plain = engine.stats("园区整合")
    marked = engine.stats("园\u0301区\u0308整合")
    assert marked["total"] == plain["total"] == 7
    assert marked["normalized"] == "园区整合"


def test_a_lone_surrogate_is_refused_by_the_core():
    with pytest.raises(InvalidTextError, match="character 2 is a lone surrogate"):
        normalize_query("园\ud800区")


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%E5%9B", "%ED%A0%80%E5%9B%AD"])
def test_the_web_refuses_parameters_that_are_not_utf8_with_a_400(client, raw):
    for path in ("/api/search", "/api/stats", "/search"):
        response = client.get(f"{path}?q={raw}")
        assert response.status_code == 400
        if path.startswith("/api"):
            error = response.get_json()["error"]
            assert error["status"] == 400 and "'q' is not valid UTF-8" in error["message"]
    assert client.get(f"/api/search?q=%E5%9B%AD&city={raw}").status_code == 400


def test_the_cli_refuses_a_query_with_a_lone_surrogate(index_dir):
    result = commands.search(
        b"query", b"\xed\xa0\x80", b"--index", os.fsencode(index_dir), text=False
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_the_mark_free_blocks_hold_no_combining_mark_and_the_fast_path_agrees():
    import random
    import re

    from search.ingest.normalize import _STRAY_MARKS, MARK_FREE, strip_stray_marks

    free = re.compile(f"[{MARK_FREE}]")
    assert not [
        c
        for c in range(0x110000)
        if not 0xD800 <= c < 0xE000
        and free.match(chr(c))
        and unicodedata.category(chr(c)) in ("Mn", "Me")
    ]
    rng = random.Random(7)
    pool = [
        chr(c)
        for c in (
            *range(0x20, 0x400),
            *range(0x3000, 0x3100),
            0x20DD,
            0xFE20,
            0x1DC0,
            0x0E31,
            0x4E00,
            0x56ED,
            0xE0100,
        )
    ]
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert strip_stray_marks(text) == _STRAY_MARKS.sub("", text)
