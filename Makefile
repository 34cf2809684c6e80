# Two commands: `make demo` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test install clean bench catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(BIN)/lifecycle --db sqlite:///$(DEMO_DB) init --demo

test: $(STAMP)
	bash scripts/test.sh

# the gettext catalogs: extract the messages, update lifecycle/locale/zh/…/lifecycle.po, compile the .mo
# (committed, so a fresh clone and the wheel need no Babel); fails on a message without its translation
catalogs: $(STAMP)
	$(BIN)/python scripts/catalog.py

bench: $(STAMP)
	$(BIN)/python bench/obligations_bench.py

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache
