# Tafel — the two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_ENV := TAFEL_DEMO=true TAFEL_DEBUG=true
DEMO_CASES ?= 600
DEMO_SEED ?= 1
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve test test-fast bench bench-federation bench-scale-out lint lint-imports spectral format migrate demo chromium clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements-dev.txt requirements.txt $(BIN)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

migrate: $(BIN)/.installed
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --noinput -v 0

demo: migrate
	$(DEMO_ENV) $(MANAGE) demo --seed $(DEMO_SEED) --cases $(DEMO_CASES) --if-empty

# The worker of the background queue runs beside the server and stops with it (Ctrl+C stops both).
run: demo
	@$(DEMO_ENV) $(MANAGE) demo_logins
	@$(DEMO_ENV) $(MANAGE) worker & WORKER=$$!; \
		trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
		$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

# Production settings on this machine: gunicorn with workers and the task worker (docs/operations.md "make serve").
serve: $(BIN)/.installed
	deploy/serve.sh

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
# Chromium for the browser tests; pdftotext (poppler-utils) lets the report's browser test read the PDF back.
chromium:
	@test -x $(CHROMIUM) && command -v pdftotext >/dev/null || { \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; \
		else echo "Chromium or pdftotext is missing: run 'sudo apt-get install -y chromium poppler-utils'"; exit 1; fi; }

test: $(BIN)/.installed-dev chromium
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: $(BIN)/.installed-dev
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

bench: $(BIN)/.installed-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Issue 16: 25 houses x 100,000 persons at the federation hub (several minutes; docs/performance.md).
bench-federation: $(BIN)/.installed-dev
	$(BIN)/python bench/federation.py $(BENCH_ARGS)

# Issue 14 item 6: two serve.sh processes on one database, session and lock-out shared, load over both
# (docs/operations.md "Scaling out"). DATABASE_URL selects PostgreSQL (a database name containing "bench").
bench-scale-out: $(BIN)/.installed-dev
	$(BIN)/python bench/scale_out.py $(BENCH_ARGS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The apps' dependency layers (.importlinter; docs/decisions/0008-dependency-layers.md).
lint-imports: $(BIN)/.installed-dev
	$(BIN)/lint-imports

# The OpenAPI document against the NL API Design Rules (Spectral, needs Node; CI only: tools/spectral/README.md).
spectral: $(BIN)/.installed
	PY=$(BIN)/python tools/spectral/lint.sh

format: $(BIN)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/tafel.sqlite3* var/static
