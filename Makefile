# claimsapi: `make run` serves on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Loopback: `make run` has writes open (no CLAIMS_API_KEYS); HOST=0.0.0.0 to serve others.
HOST ?= 127.0.0.1
export CLAIMS_DATABASE_URL ?= sqlite:///./data/claims.db

.PHONY: install run test lint typecheck pytest openapi lock bench-splitter clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed from the lock file, then the project itself without resolving again.
$(VENV)/.installed: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/claimsapi db upgrade
	$(BIN)/claimsapi serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

openapi: install
	$(BIN)/claimsapi openapi

# Re-resolve the pinned ranges of pyproject.toml into the lock files.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra dev pyproject.toml -o requirements-dev.lock

bench-splitter: install
	$(BIN)/python -m bench.splitter

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
