"""Shared fixtures: the real seed corpus, ingested once and indexed once per test session;
the real server and headless Chromium with desktop and phone pages for the browser tests."""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = {
    "zhenjiang2023": "000_8747d7cb4eceb50d.txt",
    "zhenjiang2024": "001_3849f19c405c524f.txt",
    "jurong2024": "002_368e49043dcb499b.txt",
    "changzhou2024": "003_d14e6f6731d1bfab.txt",
    "compilation": "004_02169182387663be.txt",
}

# the seed reports' ids: a file's name without .txt (the compilation file holds three reports)
ZJ2023, ZJ2024, JR2024, CZ2024 = (
    SEEDS[k].removesuffix(".txt")
    for k in ("zhenjiang2023", "zhenjiang2024", "jurong2024", "changzhou2024")
)
XIANGCHENG, SUZHOU, WUZHOU = (f"004_02169182387663be-{n}" for n in (1, 2, 3))
ALL_IDS = {ZJ2023, ZJ2024, JR2024, CZ2024, XIANGCHENG, SUZHOU, WUZHOU}
MAX_PAGE = 200 * 1024  # no page of the site may be larger (mobile data, slow links)

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"  # git-ignored, for a human to look at
BROWSER = [  # the marks of every browser test module: ``pytestmark = BROWSER``
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]
SCREENS = {"desktop": (1366, 900), "phone": (390, 844)}
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2}


def text(response) -> str:
    """A test client response's body as text."""
    return response.get_data(as_text=True)


def raw(name: str) -> str:
    return (CORPUS / SEEDS[name]).read_text("utf-8", errors="replace")


@pytest.fixture(scope="session")
def ingested():
    from search.ingest.pipeline import ingest_corpus

    return ingest_corpus(CORPUS)


@pytest.fixture(scope="session")
def reports(ingested):
    return {r.id: r for r in ingested.reports}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory):
    from search.build import build

    path = tmp_path_factory.mktemp("index")
    build(CORPUS, path, progress=False)
    return path


@pytest.fixture(scope="session")
def engine(index_dir):
    from search.engine import Engine

    return Engine(index_dir)


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of the seed corpus for tests that add or break files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


TWIN = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')


def assert_json_twin(client, page: str, url: str) -> None:
    """The PAGE (HTML) served at URL links its JSON twin, which answers 200 with JSON."""
    match = TWIN.search(page)
    assert match, url
    twin = client.get(html.unescape(match.group(1)))
    assert twin.status_code == 200 and twin.mimetype == "application/json", url


@pytest.fixture(scope="module")
def app(index_dir):
    """The real web app over the seed index."""
    from web import create_app

    return create_app({"INDEX": str(index_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def server(index_dir):
    """The real server (``python -m search serve``, gunicorn) over the seed index: its URL."""
    from served import serving

    with serving(index_dir) as running:
        yield running.url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright, for every browser test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def watched(context, allow: str | None = None):
    """A new page of CONTEXT that fails the test on any JS error, CSP violation or missing
    file (a console error containing ALLOW excepted); closes the context when done."""
    SHOTS.mkdir(exist_ok=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(msg) -> None:
        if msg.type == "error" and not (allow and allow in msg.text):
            errors.append(msg.text)

    page.on("console", console)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser):
    """A desktop page (1200×900, downloads on); a 400 in the console is a tested answer."""
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    with watched(context, allow="status of 400") as page:
        yield page


@pytest.fixture
def phone(browser):
    """A phone page: 375 px wide, touch, at twice the pixel density."""
    context = browser.new_context(**PHONE, is_mobile=True, has_touch=True)
    with watched(context) as page:
        yield page


@pytest.fixture(params=list(SCREENS.values()), ids=list(SCREENS))
def screen_context(browser, request):
    """A browser context on each screen in SCREENS (clipboard allowed), its size on it."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.width, context.height = width, height
    yield context
    context.close()  # (closing twice is harmless: ``screen`` closes it first)


@pytest.fixture
def screen(screen_context):
    """A page on each screen in SCREENS (``page.width``, ``page.height``)."""
    with watched(screen_context) as page:
        page.width, page.height = screen_context.width, screen_context.height
        yield page


def shot(page, name: str) -> None:
    """A screenshot of what the page shows, to SHOTS/NAME.png."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
