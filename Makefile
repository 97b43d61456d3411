# The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-outbox install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: install
	$(VENV)/bin/watchword serve --demo --host 127.0.0.1 --port 8000

# Lint first: ruff and mypy (strict) are part of the suite.
test: lint
	$(PY) -m pytest -q -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench.verify

# Messages/s through `watchword worker` to a local fake Telegram, 20 bots.
bench-outbox: install
	$(PY) -m bench.outbox

clean:
	rm -rf $(VENV) watchword-data
