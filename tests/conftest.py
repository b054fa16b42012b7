"""Shared fixtures: the real seed corpus, ingested once and indexed once per test session."""

from __future__ import annotations

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
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
