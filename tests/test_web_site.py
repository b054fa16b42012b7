"""Properties of the whole site on the real seed index: security headers, small pages
without inline script or style, a JSON twin for every page, static files, request limits,
generic 500s, a missing index and a rebuilt one."""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest
from conftest import (
    CORPUS,
    JR2024,
    MAX_PAGE,
    SEEDS,
    ZJ2023,
    ZJ2024,
    assert_json_twin,
    text,
)

Q = quote("园区整合")


# -- whole-site properties ----------------------------------------------------------------------
def all_pages(engine) -> list[str]:
    pages = [
        "/",
        "/search",
        f"/search?q={Q}",
        "/search?q=%E5%8F%91%E5%B1%95&limit=100",
        "/reports",
        "/stats",
        f"/stats?q={Q}",
        "/stats?q=%E5%8F%91%E5%B1%95",
    ]
    for report in engine.reports():
        pages += [
            f"/report/{report.id}",
            f"/report/{report.id}?q=%E5%8F%91%E5%B1%95",
            f"/report/{report.id}/original",
        ]
    return pages


def test_security_headers_everywhere(client):
    for url in (
        "/",
        f"/search?q={Q}",
        f"/api/search?q={Q}",
        "/search?q=OR",
        "/nope",
        f"/stats.csv?q={Q}",
        "/static/style.css",
        f"/report/{JR2024}",
    ):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_are_small_and_have_no_inline_script_or_style(client, engine):
    for url in all_pages(engine):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        assert len(body) < MAX_PAGE, (url, len(body))
        page = body.decode("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        assert 'name="viewport"' in page


def test_every_html_page_links_its_json_twin(client, engine):
    for url in all_pages(engine):
        body = text(client.get(url))
        if url == "/stats":
            continue  # the empty form has nothing to count
        assert_json_twin(client, body, url)


def test_static_files(client):
    response = client.get("/static/report.js")
    assert response.status_code == 200 and b"hitnav" in response.data
    assert client.get("/static/style.css").status_code == 200


def test_methods_and_request_size(client):
    assert client.post("/search", data={"q": "园区整合"}).status_code == 405
    response = client.post("/api/search", data="x" * 100)
    assert response.status_code in (405, 413)
    response = client.get("/search", data="x" * 20000)
    assert response.status_code == 413
    assert response.get_json() is None and "请求太大" in text(response)


def test_internal_error_is_generic(index_dir, monkeypatch):
    from search.engine import Engine
    from web import create_app

    app = create_app({"INDEX": str(index_dir)})

    def broken(self, *args, **kwargs):
        raise RuntimeError("secret detail /etc/shadow")

    monkeypatch.setattr(Engine, "search", broken)
    client = app.test_client()
    for url in (f"/search?q={Q}", f"/api/search?q={Q}"):
        response = client.get(url)
        assert response.status_code == 500
        body = text(response)
        assert "secret" not in body and "Traceback" not in body
        assert response.headers["X-Frame-Options"] == "DENY"
    assert client.get(f"/api/search?q={Q}").get_json() == {
        "error": {"status": 500, "message": "服务器内部错误，请稍后再试。"}
    }
    assert not app.debug


def test_missing_index_is_503(tmp_path):
    from web import create_app

    client = create_app({"INDEX": str(tmp_path / "none")}).test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "索引尚未建立" in text(response)
    assert client.get("/api/search?q=x").get_json()["error"]["status"] == 503


def test_rebuilt_index_is_picked_up_without_restart(tmp_path):
    from search.build import build
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SEEDS["zhenjiang2023"], corpus)
    index = tmp_path / "index"
    build(corpus, index, progress=False)
    client = create_app({"INDEX": str(index), "REFRESH_INTERVAL": 0}).test_client()
    assert client.get("/api/reports").get_json()["total"] == 1
    assert client.get(f"/api/search?q={Q}").get_json()["hits"] == 2
    shutil.copy(CORPUS / SEEDS["zhenjiang2024"], corpus)
    build(corpus, index, progress=False)
    assert client.get("/api/reports").get_json()["total"] == 2
    assert client.get(f"/api/search?q={Q}").get_json()["hits"] == 5
    # the original text is the one the build stored: the corpus file can go (or change)
    raw = (corpus / SEEDS["zhenjiang2024"]).read_text("utf-8").replace("\r\n", "\n")
    (corpus / SEEDS["zhenjiang2024"]).unlink()
    response = client.get(f"/api/report/{ZJ2024}/original")
    assert response.status_code == 200 and response.get_json()["text"].strip() == raw.strip()
    assert "/original" in text(client.get(f"/report/{ZJ2024}"))


@pytest.mark.parametrize(
    "path, button, kept",
    [
        ("/map", "看地图", {"city"}),
        ("/kwic", "列出", {"city", "report"}),
        ("/collocates", "看搭配", set()),
        ("/stats", "统计", {"city"}),
    ],
)
def test_a_query_page_without_a_query_is_its_form_and_its_twin_says_why(client, path, button, kept):
    """The form keeps the filters its page reads as hidden fields and no others."""
    response = client.get(path + "?city=" + quote("镇江市") + "&report=" + ZJ2023)
    body = text(response)
    assert response.status_code == 200
    assert 'name="q" value=""' in body and f'<button type="submit">{button}</button>' in body
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
    asked = {"city": "镇江市", "report": ZJ2023}
    assert hidden == {name: value for name, value in asked.items() if name in kept}
    error = client.get("/api" + path).get_json()["error"]
    assert error["status"] == 400 and "查询是空的" in error["message"]
