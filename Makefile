# LKIP pipeline. The two commands a new user needs:
#   make report YEAR=2024    build outputs/2024/LKIP_2024.html and .pdf
#   make test                run the tests
# Each installs what it needs (.venv, system libraries) on first use.

YEAR ?= 2024
RAW ?= data/raw
OUT ?= outputs
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LAB_VENV := .venv-lab
STAMP := $(VENV)/.installed

.PHONY: report verify test lab clean system-deps lint schema-doc

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

system-deps:
	@bash scripts/system-deps.sh

report: $(STAMP)
	@$(PY) -m pipeline report --year "$(YEAR)" --raw "$(RAW)" --out "$(OUT)"

# make verify YEAR=2024: rebuild in a temporary folder and compare with outputs/2024/
# make verify PDF=outputs/2024/LKIP_2024.pdf: re-check a PDF alone from its embedded data
verify: $(STAMP)
ifdef PDF
	@$(PY) -m pipeline verify --pdf "$(PDF)"
else
	@$(PY) -m pipeline verify --year "$(YEAR)" --raw "$(RAW)" --out "$(OUT)"
endif

test: $(STAMP)
	@bash scripts/system-deps.sh --test
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests tools

schema-doc: $(STAMP)
	@$(PY) -m pipeline schema-doc

# JupyterLab lives in its own environment: importing nbformat beside JupyterLab costs
# about a second per process (jupyter-events), which the report run should not pay.
$(LAB_VENV)/.installed: pyproject.toml
	@bash scripts/system-deps.sh
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e '.[lab]'
	@touch $@

lab: $(LAB_VENV)/.installed
	$(LAB_VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf data/processed/[0-9]* outputs/[0-9]* outputs/.build-* outputs/.failed-* \
	       outputs/.lock-* data/processed/.build-* .pytest_cache
