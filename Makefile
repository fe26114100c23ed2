# Two commands a newcomer needs: `make run` (the app on sample data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run dev serve serve-stop serve-status test test-fast lint samples benchmark load

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Production settings (.streamlit/config.toml): no file watcher, caches warmed at start (server.py).
run: $(STAMP)
	$(VENV)/bin/streamlit run server.py

# Development: reload on save, file watcher on, no warm-up.
dev: $(STAMP)
	$(VENV)/bin/streamlit run app.py --server.fileWatcherType auto --server.runOnSave true

# A region at once: WORKERS app processes (default one per core) behind nginx with sticky sessions.
# Needs nginx (Debian: apt-get install nginx-light). Settings: WORKERS, PORT (8501), BACKEND_PORT
# (8511, 8512, ...), ADDRESS (127.0.0.1; 0.0.0.0 for every interface), RUN_DIR.
SERVE_ARGS = $(if $(WORKERS),--workers $(WORKERS)) $(if $(PORT),--port $(PORT)) \
	$(if $(BACKEND_PORT),--backend-port $(BACKEND_PORT)) $(if $(ADDRESS),--address $(ADDRESS)) \
	$(if $(RUN_DIR),--run-dir $(RUN_DIR))
serve: $(STAMP)
	$(PY) deploy/serve.py start $(SERVE_ARGS)

serve-stop:
	$(PY) deploy/serve.py stop $(SERVE_ARGS)

serve-status:
	$(PY) deploy/serve.py status $(SERVE_ARGS)

# pytest exits 5 when it collected no tests: treat that as a failure, loudly.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests"; exit 1; fi; exit $$rc

# The edit-test loop: every test not marked slow (AppTest pages, Chromium, processes racing, big
# fits, every export in both languages), on TEST_WORKERS processes (pytest-xdist; 0 runs them in
# this process: as fast when other jobs already keep every core busy). `make test` runs them all.
TEST_WORKERS ?= 2
test-fast: $(STAMP)
	@$(PY) -m pytest -q -m "not slow" -n $(TEST_WORKERS); rc=$$?; \
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
	$(PY) -m campaigns sample-answers data/campaigns/varmland_2027.yaml --out data/surveys/varmland_2027_svar.csv

benchmark: $(STAMP)
	$(PY) benchmarks/segment_1m.py
	$(PY) benchmarks/app_latency.py

# 1, 10 and 30 simulated officers over websockets against `make serve` (started and stopped here).
load: $(STAMP)
	$(PY) benchmarks/load.py
