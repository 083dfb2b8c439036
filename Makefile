# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The address in emails and in seed-demo's sign-in line: where `make run` serves, unless set
# (e.g. APP_BASE_URL=https://events.wtanet.org behind a proxy).
APP_BASE_URL ?= http://$(HOST):$(PORT)
export APP_BASE_URL

.PHONY: run test install install-dev db demo mail-worker fuzz bench bench-lists bench-mail bench-statistics lint clean system-libs checkers translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make translations: compile the catalogs in translations/ (English and Korean) for the app to use
translations: install
	$(BIN)/python -c "from app.i18n import compile_catalogs; compile_catalogs()"

## make messages: extract every marked string into translations/messages.pot and merge it into each catalog
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --no-location -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

db: install translations
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty

## make system-libs: what WeasyPrint needs to write PDFs (Pango) and fonts for every participant's name
## (DejaVu: Latin incl. Vietnamese, Cyrillic; Noto CJK: Korean, Chinese, Japanese). Installed with apt-get
## when missing and running as root; otherwise it only says what is missing. Never fails.
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk
system-libs:
	@command -v dpkg >/dev/null 2>&1 || { echo "system-libs: not a Debian/Ubuntu system; install Pango and fonts yourself (see WeasyPrint's docs)."; exit 0; }; \
	missing=$$(for pkg in $(SYSTEM_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || echo $$pkg; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing for PDF documents:" $$missing; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; } \
	    || echo "system-libs: could not install" $$missing "- PDF documents may fail or miss glyphs."; \
	else \
	  echo "system-libs: missing" $$missing "- install them with: sudo apt-get install" $$missing; \
	fi

## make run: install, migrate, load demo data into an empty database, serve on http://$(HOST):$(PORT)
## (make run PORT=8080 changes both the port and APP_BASE_URL)
run: system-libs demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## make mail-worker: deliver queued emails (set MAIL_SERVER/MAIL_PORT first)
mail-worker: install
	$(FLASK) mail send --loop

## make checkers: the browser suite's page checkers from package.json (axe-core, the Nu HTML checker vnu-jar),
## installed with `npm ci` when node_modules is missing or older than package-lock.json. --ignore-scripts:
## vnu-jar's install script would download a Java runtime; the machine's Java runs it. Without npm the
## checks skip and say why. Never fails.
checkers:
	@command -v npm >/dev/null 2>&1 || { echo "checkers: npm not found - the axe-core and Nu HTML checks will skip (install Node.js with npm)."; exit 0; }; \
	if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed \
	    || echo "checkers: npm ci failed - the axe-core and Nu HTML checks will skip."; \
	fi

## make test: install test requirements and run the whole suite (PostgreSQL too if TEST_DATABASE_URL is set)
test: system-libs install-dev checkers translations
	$(BIN)/pytest $(PYTEST_ARGS)

## make fuzz: the hostile-input test alone, longer: FUZZ_EXAMPLES=2000 make fuzz (CI runs 150 per database)
FUZZ_EXAMPLES ?= 2000
fuzz: install-dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider tests/integration/test_hostile_input.py $(PYTEST_ARGS)

## make bench: the registration path one request at a time (statements, lock hold, CPU; against the code before
## issue 17 in the same run), then the rush under gunicorn (POST and full flow, against the bare baseline)
bench: install-dev
	$(BIN)/python bench/registration_path.py
	$(BIN)/python bench/registration_rush.py

## make bench-statistics: an event's statistics page at 20,000 registrations against its attendee list, and the
## participation report and finance exports' rows/s and peak memory growth
bench-statistics: install-dev
	$(BIN)/python bench/event_statistics.py

## make bench-lists: the attendee list at 20,000 registrations and every export at 100,000 rows
bench-lists: install-dev
	$(BIN)/python bench/lists_and_exports.py

## make bench-mail: queue 1,000 personalised emails in one request, deliver 2,000 to a local SMTP server
bench-mail: install-dev
	$(BIN)/python bench/mail_throughput.py

## make lint: ruff, then mypy over app/, config.py and wsgi.py (its settings are in pyproject.toml)
lint: install-dev
	$(BIN)/ruff check app tests bench config.py wsgi.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache node_modules
