# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-dev db demo mail-worker bench lint clean

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

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty

## make run: install, migrate, load demo data into an empty database, serve on http://127.0.0.1:5000
run: demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## make mail-worker: deliver queued emails (set MAIL_SERVER/MAIL_PORT first)
mail-worker: install
	$(FLASK) mail send --loop

## make test: install test requirements and run the whole suite (PostgreSQL too if TEST_DATABASE_URL is set)
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/registration_rush.py

lint: install-dev
	$(BIN)/ruff check app tests bench config.py wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
