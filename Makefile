# govsearch — see README.md. `make run` serves the product, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 5000
BENCH_DIR ?= bench-data

.PHONY: install run index lint test test-fast bench clean

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

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow"

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) scripts/bench.py --out docs/benchmarks.md --data $(BENCH_DIR)
	$(PY) -m pytest -q -m slow

clean:
	rm -rf $(VENV) build *.egg-info
