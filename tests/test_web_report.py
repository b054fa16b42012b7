"""The report page on the real seed index: every hit marked inside its paragraph, the
metadata panel and contents, the shown text, the JSON twin, 404s and the original file."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

from conftest import (
    CORPUS,
    CZ2024,
    JR2024,
    SEEDS,
    SUZHOU,
    XIANGCHENG,
    ZJ2023,
    text,
)

Q = quote("园区整合")


class Paragraphs(HTMLParser):
    """Text of every element with id="p-N" (marks included, the kind label excluded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.marks: list[tuple[str | None, str]] = []
        self.current: str | None = None
        self.depth = 0
        self.skip = 0
        self.in_mark: str | None = None
        self.mark_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.current is None and re.fullmatch(r"p-\d+", attrs.get("id") or ""):
            self.current, self.depth = attrs["id"], 0
            self.texts[self.current] = ""
            return
        if self.current is not None:
            self.depth += 1
            if tag == "span":
                self.skip += 1
            if tag == "mark":
                self.in_mark, self.mark_text = attrs.get("id") or "", ""

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if self.depth == 0:
            self.current = None
            return
        self.depth -= 1
        if tag == "span":
            self.skip -= 1
        if tag == "mark":
            self.marks.append((self.in_mark or None, self.mark_text))
            self.in_mark = None

    def handle_data(self, data):
        if self.current is not None and not self.skip:
            self.texts[self.current] += data
            if self.in_mark is not None:
                self.mark_text += data


def parse_report(body: str) -> Paragraphs:
    parser = Paragraphs()
    parser.feed(body)
    return parser


# -- report -------------------------------------------------------------------------------------
def test_report_marks_every_hit_inside_its_paragraph(client):
    response = client.get(f"/report/{JR2024}?q={Q}")
    assert response.status_code == 200
    body = text(response)
    parsed = parse_report(body)
    assert parsed.marks == [("hit-1", "园区整合"), ("hit-2", "园区整合")]
    assert re.search(r'<p id="p-12" class="hit">[^<]*<mark id="hit-1">园区整合</mark>', body)
    assert re.search(r'<p id="p-25" class="hit">[^<]*<mark id="hit-2">园区整合</mark>', body)
    assert '<span class="phrases">“园区整合” </span>共 <strong>2</strong> 处' in body
    assert '<a class="next" href="#hit-1"' in body
    assert '<script src="/static/report.js"></script>' in body
    assert '<a href="#p-12">p-12</a>' in body  # no-JS list of hit paragraphs
    assert (
        f'<link rel="alternate" type="application/json" href="/api/report/{JR2024}?q={Q}">' in body
    )


def test_report_without_hits_or_phrases(client):
    body = text(client.get(f"/report/{CZ2024}?q={Q}"))
    assert "本报告中没有“园区整合”" in body and "<mark" not in body and "report.js" not in body
    body = text(client.get(f"/report/{CZ2024}?q=" + quote("year:2024")))
    assert 'id="hitnav"' not in body


def test_report_metadata_panel_and_toc(client):
    body = text(client.get(f"/report/{JR2024}"))
    for label, value in (
        ("城市", "句容市"),
        ("省份", "江苏省"),
        ("地级市", "镇江市"),
        ("级别", "县级"),
        ("年份", "2024"),
        ("日期", "2024-01-10"),
        ("报告人", "束克之"),
        ("职务", "市长"),
        ("会议", "第十七届人民代表大会第三次会议"),
        ("字数", "14,309"),
    ):
        # a value decided by the text is wrapped in its evidence (see test_report_evidence…)
        assert re.search(
            f'<dt>{label}</dt><dd>(<span class="ev[^>]*>)?{value}(</dd>|<span)', body
        ), label
    assert "<dt>来源</dt>" not in body  # unknown metadata is left out, not shown as 未知
    for ordinal, title in (
        (1, "一、2023年工作回顾"),
        (2, "二、2024年主要工作安排"),
        (3, "三、全面加强政府自身建设"),
    ):
        assert f'<a href="#s-{ordinal}">{title}</a>' in body
        assert f'id="s-{ordinal}"' in body
    assert "<mark" not in body and "report.js" not in body  # no query, no highlighting
    body = text(client.get(f"/report/{XIANGCHENG}"))
    assert "<dt>年份</dt>" not in body and "<dd>未知</dd>" not in body


def test_report_paragraph_text_is_the_shown_text(client, engine):
    """Whatever is marked or escaped, each paragraph reads exactly as the report's own text
    (its "shown" paragraph, issue 18), and every mark normalizes to a query phrase."""
    from search.ingest.normalize import nfkc

    for report in engine.reports():
        for query in ("园区整合", "园区整合 OR 项目招引", "“四群八链”", "发展"):
            shown = engine.show(report.id, query)
            body = text(client.get(f"/report/{report.id}?q={quote(query)}"))
            parsed = parse_report(body)
            expected = {p["id"]: p["shown"] for s in shown["sections"] for p in s["paragraphs"]}
            assert parsed.texts == expected, (report.id, query)
            numbered = [mark for mark in parsed.marks if mark[0]]
            assert len(numbered) == len(shown["hits"]), (report.id, query)
            for mark_id, mark_text in numbered:
                assert nfkc(mark_text) in shown["phrases"]


def test_report_json_twin_is_engine_show(client, engine):
    data = client.get(f"/api/report/{JR2024}?q={Q}").get_json()
    assert data == engine.show(JR2024, "园区整合")
    text = engine.report(JR2024).text
    starts = [i for i in range(len(text)) if text.startswith("园区整合", i)]
    assert len(starts) == 2  # the seed report mentions it twice
    assert data["hits"] == [{"start": i, "end": i + 4} for i in starts]
    assert client.get(f"/api/report/{ZJ2023}").get_json()["hits"] == []


def test_unknown_report_is_404_html_and_json(client):
    response = client.get("/report/no-such-report")
    assert response.status_code == 404
    assert "没有这份报告：no-such-report" in text(response)
    for url in ("/api/report/no-such-report", "/api/report/no-such-report/original"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json() == {
            "error": {"status": 404, "message": "没有这份报告：no-such-report"}
        }
    assert client.get("/report/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/report/" + quote("<b>x</b>")).get_data(as_text=True).count("<b>x") == 0


def test_unknown_route_is_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "找不到这个页面" in text(response)
    response = client.get("/api/no/such/page")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "message": "找不到这个页面。"}}


def test_original_file_text(client):
    raw = (CORPUS / SEEDS["jurong2024"]).read_text("utf-8").replace("\r\n", "\n")
    response = client.get(f"/report/{JR2024}/original")
    assert response.status_code == 200
    body = text(response)
    assert "在句容市第十七屆人民代表大會第三次會議上" in body  # raw: still traditional
    assert '<pre class="raw">——2024年1月10日' in body
    assert f'href="/report/{JR2024}/original"' in text(client.get(f"/report/{JR2024}"))
    data = client.get(f"/api/report/{JR2024}/original").get_json()
    assert data["source"] == SEEDS["jurong2024"]
    assert data["text"].strip() == raw.strip()
    response = client.get(f"/report/{JR2024}?original=1")
    assert response.status_code == 302 and response.location == f"/report/{JR2024}/original"
    assert client.get("/report/nope?original=1").status_code == 404
    data = client.get(f"/api/report/{SUZHOU}/original").get_json()
    assert data["part"] == 2 and data["source"] == SEEDS["compilation"]
