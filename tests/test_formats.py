"""read_text(): each format gives one paragraph per line; every bad file gives one
named error that is both an IngestError and a ValueError."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from search.errors import IngestError
from search.ingest import formats_budget
from search.ingest.formats import (
    SUPPORTED_SUFFIXES,
    ReadError,
    TooLargeError,
    UndecodableError,
    UnsupportedFormatError,
    html_to_text,
    read_text,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SIMPLIFIED = (CORPUS / "001_3849f19c405c524f.txt").read_text("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- plain text ---------------------------------------------------------------


@pytest.mark.parametrize("filename", ["r.txt", "r.TEXT", "r.md", "README", "r.csv"])
def test_text_files_with_any_suffix_are_decoded(tmp_path, filename):
    result = read_text(write(tmp_path / filename, SIMPLIFIED.encode("gbk")))
    assert (result.text, result.encoding, result.warnings) == (SIMPLIFIED, "gb18030", [])


def test_unknown_suffix_with_binary_content_is_undecodable(tmp_path):
    path = write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(UndecodableError) as caught:
        read_text(path)
    assert str(caught.value) == f"{path}: looks like a binary file (PNG image), not text"


def test_empty_file_is_undecodable(tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(UndecodableError, match="empty.txt: file is empty"):
        read_text(path)


# -- HTML ---------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府工作报告_市政府网站</title><style>p { color: red }</style>
<script>var s = "<p>脚本里的段落</p>";</script></head>
<body><!-- 注释 -->
<nav><a href="/">首页</a> &gt; <a href="/zw">政务公开</a></nav>
<header>网站头部</header>
<h1>政府工作报告</h1>
<p>各位代表：<br>现在，我代表&nbsp;市人民政府
   向大会报告工作</p>
<script>alert(1)</script><noscript>请启用脚本</noscript>
<div>一、2023年<b>工作</b>回顾</div>
<ul><li>甲</li><li>乙</li></ul>
<table><tr><th>指标</th><th>增速</th></tr><tr><td>GDP</td><td> 5.2% </td></tr></table>
<footer>版权所有 网站地图</footer>
</body></html>"""

PAGE_LINES = [
    "政府工作报告",
    "各位代表：",
    "现在，我代表 市人民政府 向大会报告工作",
    "一、2023年工作回顾",
    "甲",
    "乙",
    "指标\t增速",
    "GDP\t5.2%",
]


def test_html_gives_exactly_the_visible_paragraphs():
    assert html_to_text(PAGE).split("\n") == PAGE_LINES


def test_html_file_in_declared_gb2312_is_read(tmp_path):
    result = read_text(write(tmp_path / "report.htm", PAGE.encode("gbk")))
    assert result.text.split("\n") == PAGE_LINES
    assert (result.encoding, result.warnings) == ("gb18030", [])
    for hidden in ("alert", "脚本", "首页", "网站头部", "版权", "注释", "请启用", "_市政府网站"):
        assert hidden not in result.text


def test_html_with_a_wrong_declared_charset_is_still_read(tmp_path):
    page = '<meta charset="utf-8"><p>政府工作报告</p><p>各位代表：</p>'
    path = write(tmp_path / "wrong.html", page.encode("gbk"))
    result = read_text(path)
    assert result.text == "政府工作报告\n各位代表："
    assert result.warnings == [
        f"{path}: declared charset 'utf-8' does not match the bytes; detected gb18030"
    ]


def test_html_page_without_html_suffix_is_recognised(tmp_path):
    page = "<!DOCTYPE html><html><body><script>alert(1)</script><p>政府工作报告</p></body></html>"
    result = read_text(write(tmp_path / "content.asp", page.encode("utf-8")))
    assert result.text == "政府工作报告"


def test_html_in_a_txt_file_stays_text(tmp_path):
    page = "<p>政府工作报告</p>"
    assert read_text(write(tmp_path / "tags.txt", page.encode("utf-8"))).text == page


def test_html_keeps_preformatted_line_breaks_and_drops_comments_and_ruby():
    markup = "<pre>第一行\n第二行</pre><p>漢<ruby>字<rt>zì</rt></ruby><!-- x --></p>"
    assert html_to_text(markup) == "第一行\n第二行\n漢字"


def test_header_and_footer_of_an_article_are_kept():
    markup = (
        "<header>网站导航</header><article><header><h1>政府工作报告</h1>"
        "<p>2024年1月10日</p></header><p>正文</p><footer>来源：市政府办公室</footer>"
        "</article><footer>版权所有</footer>"
    )
    assert html_to_text(markup).split("\n") == [
        "政府工作报告",
        "2024年1月10日",
        "正文",
        "来源：市政府办公室",
    ]


def test_deeply_nested_html_does_not_hit_the_recursion_limit():
    markup = "<div>" * 5000 + "深处的文字" + "</div>" * 5000
    assert html_to_text(markup) == "深处的文字"


# -- DOCX ---------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("政府工作报告")
    document.add_paragraph("各位代表：现在，我代表市人民政府向大会报告工作。")
    table = document.add_table(rows=3, cols=3)
    for column, value in enumerate(["指标", "2023年", "增长"]):
        table.cell(0, column).text = value
    table.cell(1, 0).text = "地区生产总值"
    table.cell(1, 1).text = "5264亿元"
    table.cell(1, 2).text = "6.8%"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "合并单元格"
    table.cell(2, 2).text = "—"
    document.add_paragraph("")
    document.add_paragraph("二、2024年工作安排")
    document.save(path)
    return path


def test_docx_gives_paragraphs_and_table_rows_in_order(tmp_path):
    result = read_text(make_docx(tmp_path / "report.docx"))
    assert result.text.split("\n") == [
        "政府工作报告",
        "各位代表：现在，我代表市人民政府向大会报告工作。",
        "指标\t2023年\t增长",
        "地区生产总值\t5264亿元\t6.8%",
        "合并单元格\t—",
        "二、2024年工作安排",
    ]
    assert (result.encoding, result.warnings) == ("docx", [])


def test_docx_saved_with_a_txt_suffix_is_read_as_docx(tmp_path):
    docx_bytes = make_docx(tmp_path / "a.docx").read_bytes()
    path = write(tmp_path / "report.txt", docx_bytes)
    result = read_text(path)
    assert result.text.startswith("政府工作报告\n")
    assert result.warnings == [f"{path}: content is DOCX, read as such despite its suffix"]


def test_damaged_docx_is_undecodable(tmp_path):
    data = make_docx(tmp_path / "a.docx").read_bytes()
    path = write(tmp_path / "cut.docx", data[: len(data) // 2])
    with pytest.raises(UndecodableError, match=f"^{path}: damaged"):
        read_text(path)


def test_zip_that_is_not_a_word_document_is_unsupported(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = write(tmp_path / "table.xlsx", buffer.getvalue())
    with pytest.raises(UnsupportedFormatError, match=f"^{path}: a ZIP package but not a Word"):
        read_text(path)


def test_docx_unpacking_beyond_the_limit_is_too_large(tmp_path):
    # A real ZIP bomb: one member of 120 MB of XML, a few hundred KB packed, ratio ~1000.
    path = tmp_path / "bomb.docx"
    body = b"<w:p><w:r><w:t>" + b"A" * (120 * 2**20) + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    del body
    started = time.perf_counter()
    with pytest.raises(
        TooLargeError,
        match=f"^{path}: the .docx member word/document.xml "
        "unpacks to over 100 times its packed size",
    ):
        read_text(path)
    assert time.perf_counter() - started < 5  # stopped while unpacking, not after


def test_docx_unpacking_beyond_the_absolute_cap_is_too_large(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "many.docx")
    unpacked = sum(m.file_size for m in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(formats_budget, "DOCX_MAX_UNPACKED", unpacked - 1)
    with pytest.raises(TooLargeError, match=f"^{path}: the .docx unpacks to over"):
        read_text(path)
    monkeypatch.setattr(formats_budget, "DOCX_MAX_UNPACKED", unpacked)
    assert read_text(path).text


def test_a_file_over_the_character_budget_is_too_large(tmp_path, monkeypatch):
    path = write(tmp_path / "long.txt", ("政府工作报告" * 1000 + "\n").encode("utf-8") * 3)
    monkeypatch.setattr(formats_budget, "MAX_CHARS", 3 * 6001 - 1)
    with pytest.raises(
        TooLargeError, match=f"^{path}: its text has 18,003 characters, over the limit of 18,002"
    ):
        read_text(path)


def test_a_parse_over_the_time_budget_is_stopped(tmp_path, monkeypatch):
    rows = "".join(f"<tr><td>第{n}行</td><td>政府工作报告</td></tr>" for n in range(100_000))
    path = write(
        tmp_path / "slow.html", f"<html><body><table>{rows}</table></body></html>".encode()
    )
    # a budget far below what parsing 100,000 table rows takes on any machine
    monkeypatch.setattr(formats_budget, "MAX_SECONDS", 0.005)
    started = time.perf_counter()
    with pytest.raises(TooLargeError, match=f"^{path}: reading it took over 0.005 s"):
        read_text(path)
    assert time.perf_counter() - started < 3


def test_word_97_file_is_unsupported_with_advice(tmp_path):
    path = write(tmp_path / "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(UnsupportedFormatError, match=r"save it as \.docx or \.txt$"):
        read_text(path)


# -- PDF ----------------------------------------------------------------------


def make_pdf(items: list[tuple[float, float, str]], size: int = 12) -> bytes:
    """A one-page PDF showing each (x, y, text) in the standard STSong-Light font."""
    stream = "\n".join(
        f"BT /F1 {size} Tf {x} {y} Td <{text.encode('utf-16-be').hex()}> Tj ET"
        for x, y, text in items
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
        b"/Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def justified(paragraphs: list[str], x: int = 72, y: int = 760, width: int = 30) -> list:
    """Lay paragraphs out like an official document: 2-character first-line
    indent, full lines of ``width`` characters, 1.5 line spacing."""
    items = []
    for paragraph in paragraphs:
        first = True
        while paragraph:
            indent = 2 if first else 0
            line, paragraph = paragraph[: width - indent], paragraph[width - indent :]
            items.append((x + 12 * indent, y, line))
            y -= 18
            first = False
    return items


P1 = (
    "各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请各位政协委员和"
    "其他列席人员提出意见。过去一年，我们坚持稳中求进工作总基调，经济运行持续向好。"
)
P2 = "一、2023年工作回顾"


def test_pdf_paragraphs_are_rebuilt_from_wrapped_lines(tmp_path):
    pytest.importorskip("pdfminer")
    items = [(250, 800, "政府工作报告")] + justified([P1, P2, P1[:40]])
    result = read_text(write(tmp_path / "report.pdf", make_pdf(items)))
    lines = result.text.split("\n")
    assert [line.replace(" ", "") for line in lines] == ["政府工作报告", P1, P2, P1[:40]]
    assert lines[1] == " ".join([P1[:28], P1[28:58], P1[58:]])  # wrapped lines joined by a space
    assert (result.encoding, result.warnings) == ("pdf", [])


def test_pdf_without_text_is_undecodable(tmp_path):
    pytest.importorskip("pdfminer")
    path = write(tmp_path / "scan.pdf", make_pdf([]))
    with pytest.raises(UndecodableError, match=r"no extractable text \(scanned pages\?\)"):
        read_text(path)


def test_damaged_pdf_is_undecodable(tmp_path):
    pytest.importorskip("pdfminer")
    path = write(tmp_path / "bad.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R")
    with pytest.raises(UndecodableError, match=f"^{path}: "):
        read_text(path)


def test_a_pdf_suffix_on_an_html_error_page_is_read_as_html(tmp_path):
    path = write(tmp_path / "report.pdf", b"<!DOCTYPE html><html><p>404 Not Found</p></html>")
    result = read_text(path)
    assert result.text == "404 Not Found"
    assert result.warnings == [f"{path}: not really a .pdf file; read as html"]


# -- size limit and unreadable paths --------------------------------------------


def test_file_over_the_limit_is_too_large(tmp_path):
    path = write(tmp_path / "big.txt", "政府工作报告".encode() * 10)
    with pytest.raises(TooLargeError) as caught:
        read_text(path, max_bytes=100)
    assert str(caught.value) == (
        f"{path}: file is 180 bytes (0.0 MiB), over the limit of 100 bytes (0.0 MiB); "
        "split it into smaller files"
    )
    assert read_text(path, max_bytes=180).text == "政府工作报告" * 10


def test_missing_file_is_a_read_error(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(ReadError) as caught:
        read_text(path)
    assert str(caught.value) == f"{path}: cannot read the file (No such file or directory)"
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_directory_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="is a directory, not a file"):
        read_text(tmp_path)


def test_symlink_loop_is_a_read_error(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(ReadError, match="Too many levels of symbolic links"):
        read_text(tmp_path / "a.txt")


def test_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(ReadError, match="not a regular file"):
        read_text(tmp_path / "pipe.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_a_read_error(tmp_path):
    path = write(tmp_path / "secret.txt", b"text")
    path.chmod(0)
    with pytest.raises(ReadError, match="Permission denied"):
        read_text(path)


def test_every_error_is_an_ingest_error_and_a_value_error():
    for error in (ReadError, TooLargeError, UnsupportedFormatError, UndecodableError):
        assert issubclass(error, IngestError) and issubclass(error, ValueError)


def test_supported_suffixes():
    assert {".txt", ".text", ".md", ".html", ".htm", ".docx", ".pdf"} <= SUPPORTED_SUFFIXES
