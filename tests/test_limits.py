"""Protections of the app itself (issue 19): expensive views take turns, warnings are
rate-limited, redirects never name the Host header."""

from __future__ import annotations

import io
import logging
import time
import urllib.parse

import pytest

from web import SECURITY_HEADERS, create_app, relative_location
from web.serving import RateLimit

CITY = "/api/city/" + urllib.parse.quote("镇江市")


@pytest.fixture
def limited(index_dir):
    return create_app({"INDEX": str(index_dir), "EXPENSIVE_WAIT": 0.2})


def test_an_expensive_view_without_a_free_slot_answers_503_in_chinese_and_search_goes_on(limited):
    from web.limits import _slots

    client = limited.test_client()
    assert client.get(CITY).status_code == 200  # one slot, free
    with limited.app_context():
        slots = _slots()
    assert slots.acquire(timeout=1)  # an expensive request is running
    try:
        for url in (CITY, CITY + "/diff?year=2024", "/api/compare?a=x&b=y"):
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 503, url
            assert time.monotonic() - started < 5
            message = response.get_json()["error"]["message"]
            assert message.startswith("服务器正忙") and "搜索不受影响" in message
            assert response.headers["Retry-After"] == "5"
            for name, value in SECURITY_HEADERS.items():
                assert response.headers[name] == value
        page = client.get("/city/" + urllib.parse.quote("镇江市"))
        assert page.status_code == 503 and "服务器正忙" in page.get_data(as_text=True)
        assert client.get("/api/search?q=" + urllib.parse.quote("园区整合")).status_code == 200
    finally:
        slots.release()
    assert client.get(CITY).status_code == 200


def test_a_flood_of_one_warning_is_cut_to_a_few_lines_and_counted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RateLimit(burst=5, window=0.3))
    log = logging.getLogger("test.flood")
    log.addHandler(handler)
    log.propagate = False
    try:
        for i in range(1000):
            log.warning("queue depth %d", i)
        log.warning("another kind")
        time.sleep(0.35)
        log.warning("queue depth %d", 1000)
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines == [f"queue depth {i}" for i in range(5)] + [
        "another kind",
        "queue depth 1000 (and 995 more like it, not shown)",
    ]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("http://evil.example/api/search?q=x", "/api/search?q=x"),
        ("https://evil.example//evil.example/x#f", "/evil.example/x#f"),
        ("//evil.example/x", "/x"),
        ("/stats?q=x#spread", "/stats?q=x#spread"),
        ("?page=2", "?page=2"),
    ],
)
def test_a_redirect_location_never_names_a_host(given, expected):
    assert relative_location(given) == expected


def test_merged_slashes_redirect_stays_on_the_site_whatever_the_host_header(app):
    response = app.test_client().get("/api//search?q=x", headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == "/api/search?q=x"
    assert b"evil.example" not in response.get_data()
    assert response.headers["X-Frame-Options"] == "DENY"
