"""Hostile queries, hostile corpus files and rebuilds while serving, against the real app."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.build import build
from web import create_app

EVIL = "<script>alert(1)</script>"
EVIL_TEXT = (
    f"各位代表:现在我代表镇江市人民政府报告工作。一、2023年工作回顾\n"
    f"我们推进园区整合{EVIL}<img src=x onerror=alert(2)>并且“\"'&amp;测试”。\n"
)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.txt").write_text(EVIL_TEXT, "utf-8")
    (folder / "page.html").write_text(
        "<html><head><script>alert(3)</script></head><body><p>各位代表:我代表常州市人民政府"
        "报告工作。</p><p>推进园区整合。<script>alert(4)</script></p></body></html>",
        "utf-8",
    )
    index = tmp_path_factory.mktemp("hostile-index")
    build(folder, index, progress=False)
    return index


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"INDEX": str(index_dir)}).test_client()


QUERY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list(
                '园区整合项目招引镇江句容税年政府()（）"“”-:|OR AND NOT city year'
                "section plan <>&'%/\\#?\x00\x07\t\n"
            )
        ),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=80,
)


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(q=QUERY_TEXT, page=st.sampled_from(["1", "2", "0", "-1", "x", "99999"]))
def test_generated_queries_never_cause_a_server_error(client, q, page):
    response = client.get("/api/search", query_string={"q": q, "page": page})
    assert response.status_code in (200, 400), (q, response.status_code)
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"]["status"] == 400 and body["error"]["message"]
    else:
        assert isinstance(body["results"], list)


@pytest.mark.parametrize(
    "params,status",
    [
        ({"q": "园" * 501}, 400),
        ({"q": "税", "page": "0"}, 400),
        ({"q": "税", "page": "10001"}, 400),
        ({"q": "税", "limit": "101"}, 400),
        ({"q": "税", "limit": "100"}, 200),
        ({"q": "税", "year": "20x"}, 400),
        ({"q": "税", "city": "镇" * 200}, 400),
    ],
)
def test_limits_on_query_page_and_limit(client, params, status):
    assert client.get("/api/search", query_string=params).status_code == status


def test_request_size_is_limited(client):
    response = client.post("/api/search", data=b"x" * (64 * 1024))
    assert response.status_code in (405, 413)
    response = client.get("/api/search", query_string={"q": "税" * 20000})
    assert response.status_code in (400, 413, 414)


@pytest.mark.parametrize(
    "path",
    [
        "/report/..%2F..%2Fetc%2Fpasswd",
        "/report/../../etc/passwd",
        "/api/report/%2E%2E",
        "/report/000_8747d7cb4eceb50d%00",
        "/report/000_8747d7cb4eceb50d/original/../../x",
    ],
)
def test_report_ids_cannot_traverse_paths(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_corpus_html_and_script_render_inert(hostile_index):
    client = create_app({"INDEX": str(hostile_index)}).test_client()
    ids = [r["id"] for r in client.get("/api/reports").get_json()["reports"]]
    assert sorted(ids) == ["evil", "page"]
    page = client.get("/report/evil?q=园区整合").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    results = client.get("/search?q=园区整合").get_data(as_text=True)
    assert "<script>alert" not in results and "<img src=x" not in results
    html_report = client.get("/api/report/page").get_json()
    text = "".join(p["text"] for s in html_report["sections"] for p in s["paragraphs"])
    assert "alert" not in text and "推进园区整合。" in text
    for response in (client.get("/"), client.get("/report/evil")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.browser
def test_corpus_script_opens_no_dialog_in_a_real_browser(hostile_index, browser):
    from served import serving

    with serving(hostile_index) as server:
        base = server.url
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in (
            "/report/evil?q=园区整合",
            "/search?q=园区整合",
            "/report/page",
            "/stats?q=园区整合",
            "/report/evil/original",
        ):
            page.goto(base + url)
            page.wait_for_load_state("load")
        page.goto(base + "/report/evil")
        assert EVIL in page.inner_text("main")  # shown as text, not run
        page.close()
        assert dialogs == []
