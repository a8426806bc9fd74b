# Two entry points, each sets up what it needs first:
#   make run   ingest seeds/ into var/index, then keep it up to date on the schedule
#   make test  run the whole test suite
#   make bench run the benchmarks (needs ../shared/data; see bench/README.md)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run once test bench clean

run: $(VENV)/.installed
	$(BIN)/ingest run

once: $(VENV)/.installed
	$(BIN)/ingest once

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

$(BIN)/python:
	$(PYTHON) scripts/make_venv.py $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/encoding.py
	$(BIN)/python bench/relevance.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

clean:
	rm -rf $(VENV) var *.egg-info
