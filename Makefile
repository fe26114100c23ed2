# Two commands a newcomer needs: `make run` (the app on sample data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint samples benchmark

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/streamlit run app.py

# pytest exits 5 when it collected no tests: treat that as a failure, loudly.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests"; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Regenerate the bundled synthetic sample citizens (seeded, so the files do not change).
samples: $(STAMP)
	$(PY) -m segments sample varmland --rows 4000 --out data/citizens/varmland.csv
	$(PY) -m segments sample atvidaberg --rows 1500 --codes --swedish-excel --out data/citizens/atvidaberg_excel.csv
	$(PY) -m campaigns sample-usage data/campaigns/varmland_2027.yaml --out data/usage/varmland_2027.csv
	$(PY) -m campaigns sample-usage data/campaigns/atvidaberg_2027.yaml --out data/usage/atvidaberg_2027.csv
	$(PY) -m segments sample-statistics --out-dir data/statistics

benchmark: $(STAMP)
	$(PY) benchmarks/segment_1m.py
