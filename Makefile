# govsearch — see README.md. `make run` serves the product, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 5000
BENCH_DIR ?= bench-data
SHARED ?= ../shared
SCALE_SIZES ?= 1,10
SCALE_FRACTION ?= 1

.PHONY: install run index lint test test-fast bench bench-scale clean

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

index: install
	@test -f $(INDEX)/CURRENT || $(PY) scripts/build_index.py --corpus $(CORPUS) --index $(INDEX)

run: index
	$(PY) -m search serve --index $(INDEX) --host $(HOST) --port $(PORT)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow"

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m scripts.bench --out docs/benchmarks.md --data $(BENCH_DIR) --shared $(SHARED)
	$(PY) -m scripts.bench.workbench --index $(BENCH_DIR)/work/index-full \
		--out docs/benchmarks-workbench.md
	$(PY) -m pytest -q -m slow

# Issue 13: 1x and 10x scale corpora, govsearch vs brute force (not part of make test).
bench-scale: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m scripts.bench.scale --sizes $(SCALE_SIZES) --fraction $(SCALE_FRACTION) \
		--shared $(SHARED) --data $(BENCH_DIR) --out docs/benchmarks.md

clean:
	rm -rf $(VENV) build *.egg-info
