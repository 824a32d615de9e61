# Ustaz: `make run` serves the demo on http://127.0.0.1:$(PORT); `make test` runs every test.
# Both build their own virtual environment on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DEV    := DJANGO_SETTINGS_MODULE=lms.settings.dev

.PHONY: run test setup messages lint browser clean bench bench-compliance

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Compile the kk and ru catalogues with Babel (pure Python: no gettext needed).
messages: $(BIN)/.installed
	$(BIN)/pybabel compile --domain=django --directory=locale --statistics

setup: $(BIN)/.installed messages

run: setup
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup browser
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/run.py

# The compliance matrix for 5,000 officers and 20 mandatory courses, on
# PostgreSQL (its own throwaway database, dropped at the end).
bench-compliance: setup
	DATABASE_URL=$${DATABASE_URL:?set DATABASE_URL to PostgreSQL} $(BIN)/python bench/compliance.py

clean:
	rm -rf $(VENV) .pytest_cache
