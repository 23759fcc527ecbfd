# Entry points named in the README. Everything installs from this repository's own files.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= analyzer.db

.PHONY: demo test check setup setup-ml system model lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.ml: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,ml,dask,serve]'
	touch $@

system:
	WITH_CHROMIUM=$(WITH_CHROMIUM) ./scripts/system-deps.sh

setup: system $(VENV)/.base

setup-ml: system $(VENV)/.ml

model: setup-ml
	$(BIN)/analyzer model build

# The main job on the bundled samples: a fresh database, then the summary and the findings.
demo: setup
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/analyzer analyze samples/corpus --db $(DB); rc=$$?; test $$rc -eq 0 -o $$rc -eq 3  # 3: a sample failed, as some are meant to
	$(BIN)/analyzer findings --db $(DB) --kind group --format table

test: WITH_CHROMIUM = 1
test: model
	$(BIN)/ruff check analyzer tests bench
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The fast loop while developing: ruff and the tests that need neither the model nor a browser.
check: $(VENV)/.base
	$(BIN)/ruff check analyzer tests bench
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not ml and not slow" -x

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
