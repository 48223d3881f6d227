# LKIP pipeline. The two commands a new user needs:
#   make report YEAR=2024    build outputs/2024/LKIP_2024.html and .pdf (and each quarter's
#                            report with data: outputs/2024-TW<n>/)
#   make test                run the tests
# Each installs what it needs (.venv, system libraries) on first use. `make help` lists every
# target: a target's `## ...` comment is its line in the list (in Indonesian, for users).

YEAR ?=
# make test: processes running the tests (pytest-xdist); each shared build stays in one
TEST_WORKERS ?= 2
RAW ?= data/raw
OUT ?= outputs
FROM ?=
FORCE ?=
STRICT ?=
TW ?=
PUBLISHED ?=
DOC ?=
LAB_ALLOW_ROOT ?=
WORKERS ?=
WORKER_WAIT ?=
ONLY ?=
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LAB_VENV := .venv-lab
STAMP := $(VENV)/.installed
# OUT names a folder for report/verify and an .xlsx file for workbook and import: passed to
# those only when given (make workbook OUT=...), not the folder default above
WORKBOOK_OUT := $(if $(filter-out file default undefined,$(origin OUT)),--out "$(OUT)")
# make audit writes to outputs/audit unless OUT is given
AUDIT_OUT := $(if $(filter-out file default undefined,$(origin OUT)),$(OUT),outputs/audit)
# STRICT=1: a report whose findings hold an error fails the command (scripts, CI)
STRICT_FLAG := $(if $(filter 1 yes true,$(STRICT)),--strict)

.DEFAULT_GOAL := help
.PHONY: help report triwulan preview watch bench batch verify audit test lab workbook import clean system-deps lint schema-doc

help: ## tampilkan daftar perintah ini
	@echo "Perintah (make <target> [VARIABEL=nilai]):"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z][a-zA-Z_-]*:.*## / \
	     {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Variabel: YEAR=<tahun> (tanpa YEAR: tahun terakhir di RAW), RAW=$(RAW) (folder data),"
	@echo "          OUT=$(OUT) (folder keluaran; untuk workbook: file .xlsx), FROM=<tahun>,"
	@echo "          TW=<1-4>, PDF=<file.pdf>, DOC=<dokumen> (audit: LKIP yang diperiksa; keluaran"
	@echo "          bawaan OUT=outputs/audit; import: LKIP yang diimpor), PUBLISHED=<folder>"
	@echo "          (verify: keluaran terbit yang diperiksa, bawaan OUT/YEAR), FORCE=1 (jalankan"
	@echo "          semua tahap; import: timpa data yang ada), DEBUG=1 (tampilkan"
	@echo "          traceback), LAB_ALLOW_ROOT=1, WORKERS=<n> (batch: jumlah proses paralel,"
	@echo "          bawaan 2), DASK_SCHEDULER=tcp://<host>:8786 (batch: cluster Dask yang sudah"
	@echo "          berjalan, lihat README), WORKER_WAIT=<detik> (batch: berhenti bila cluster"
	@echo "          tanpa worker selama itu, bawaan 120), STRICT=1 (report, triwulan, batch: gagal"
	@echo "          bila temuan verifikasi berisi kesalahan)"

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

report: $(STAMP) ## bangun LKIP (HTML dan PDF) ke outputs/<YEAR>/; tanpa YEAR: tahun terakhir
	@$(PY) -m pipeline report $(if $(YEAR),--year "$(YEAR)") --raw "$(RAW)" --out "$(OUT)" \
	    $(if $(filter 1 yes true,$(FORCE)),--force) $(STRICT_FLAG)

triwulan: $(STAMP) ## Laporan Kinerja Triwulan: YEAR=2024 TW=2 ke outputs/2024-TW2/ (tanpa TW: terakhir)
	@$(PY) -m pipeline triwulan $(if $(YEAR),--year "$(YEAR)") $(if $(TW),--tw "$(TW)") \
	    --raw "$(RAW)" --out "$(OUT)" $(if $(filter 1 yes true,$(FORCE)),--force) $(STRICT_FLAG)

batch: $(STAMP) ## bangun LKIP setiap instansi RAW=<folder>/<instansi>/<tahun>/ + ringkasan
	@$(PY) -m pipeline batch --raw "$(RAW)" --out "$(OUT)" $(if $(WORKERS),--workers "$(WORKERS)") \
	    $(if $(WORKER_WAIT),--worker-wait "$(WORKER_WAIT)") \
	    $(if $(YEAR),--year "$(YEAR)") $(if $(filter 1 yes true,$(FORCE)),--force) $(STRICT_FLAG)
preview: $(STAMP) ## pratinjau HTML saja (tanpa PDF) ke outputs/<YEAR>-pratinjau/, dalam detik
	@$(PY) -m pipeline preview $(if $(YEAR),--year "$(YEAR)") --raw "$(RAW)" --out "$(OUT)"

watch: $(STAMP) ## perbarui pratinjau setiap kali file data atau narasi disimpan (Ctrl-C berhenti)
	@$(PY) -m pipeline watch $(if $(YEAR),--year "$(YEAR)") --raw "$(RAW)" --out "$(OUT)"

bench: $(STAMP) ## ukur kecepatan (rasio); ONLY=single|narrative|batch|audit|tests (tests: make test / make report)
	@$(PY) scripts/bench.py $(if $(ONLY),--only "$(ONLY)")

verify: $(STAMP) ## bangun ulang, bandingkan dengan PUBLISHED= (bawaan outputs/<YEAR>/); PDF=f.pdf: PDF saja
ifdef PDF
	@$(PY) -m pipeline verify --pdf "$(PDF)" --out "$(OUT)"
else
	@$(PY) -m pipeline verify $(if $(YEAR),--year "$(YEAR)") --raw "$(RAW)" --out "$(OUT)" \
	    $(if $(PUBLISHED),--published "$(PUBLISHED)")
endif

audit: $(STAMP) ## periksa LKIP yang diterima: DOC=lkip.pdf (.docx .odt .html …) ke outputs/audit/<nama>-audit/
	@$(PY) -m pipeline audit $(if $(DOC),--doc "$(DOC)") --out "$(AUDIT_OUT)" --raw "$(RAW)"

test: $(STAMP) ## jalankan seluruh tes (TEST_WORKERS=2 proses; 1: satu proses)
	@bash scripts/system-deps.sh --test
	$(PY) -m pytest $(if $(filter-out 0 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

# JupyterLab lives in its own environment: importing nbformat beside JupyterLab costs
# about a second per process (jupyter-events), which the report run should not pay.
$(LAB_VENV)/.installed: pyproject.toml
	@bash scripts/system-deps.sh
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e '.[lab]'
	@touch $@

lab: $(LAB_VENV)/.installed ## JupyterLab di 127.0.0.1, juga sebagai root; cetak alamat bertoken
	@$(LAB_VENV)/bin/python -m pipeline lab $(if $(filter 1 yes true,$(LAB_ALLOW_ROOT)),--allow-root)

workbook: $(STAMP) ## Excel: YEAR=2024 OUT=f.xlsx (ekspor) | YEAR=2025 FROM=2024 (tahun baru)
	@$(PY) -m pipeline workbook $(if $(YEAR),--year "$(YEAR)") $(if $(FROM),--from "$(FROM)") \
	    --raw "$(RAW)" $(WORKBOOK_OUT)

import: $(STAMP) ## workbook dari dokumen LKIP: DOC=lkip_2023.pdf YEAR=2023 [OUT=f.xlsx] [FORCE=1]
	@$(PY) -m pipeline import --doc "$(DOC)" $(if $(YEAR),--year "$(YEAR)") --raw "$(RAW)" \
	    $(WORKBOOK_OUT) $(if $(filter 1 yes true,$(FORCE)),--force)

clean: ## hapus data/processed/ dan outputs/ hasil bangun (termasuk hasil make batch ke outputs/)
	rm -rf data/processed/[0-9]* outputs/[0-9]* outputs/.build-* outputs/.failed-* \
	       outputs/.lock-* outputs/.scratch data/processed/.build-* .pytest_cache \
	       outputs/ringkasan.csv outputs/ringkasan.html
	@# a batch's agency folders are those holding its processed tables (.olahan)
	@for d in outputs/*/.olahan; do [ -d "$$d" ] && rm -rf "$${d%/.olahan}"; done; true

lint: $(STAMP) ## periksa gaya kode (ruff)
	$(VENV)/bin/ruff check pipeline tests

schema-doc: $(STAMP) ## perbarui kamus data di data/raw/README.md
	@$(PY) -m pipeline schema-doc

system-deps: ## pasang pustaka sistem untuk PDF (Pango, fontconfig) lewat apt-get
	@bash scripts/system-deps.sh
