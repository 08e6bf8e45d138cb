# Two commands: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= ascend.settings.dev

.PHONY: install run test lint check-migrations pytest bench messages clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving http://127.0.0.1:8000 — sign in with one of the logins above."
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=ascend.settings.test $(BIN)/mypy

check-migrations: install
	DJANGO_SETTINGS_MODULE=ascend.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Two workers (the suite's files shared between them); PYTEST_ARGS="-n 0" runs it in one.
PYTEST_WORKERS ?= 2
pytest: install
	DJANGO_SETTINGS_MODULE=ascend.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint check-migrations pytest

bench: install
	DJANGO_SETTINGS_MODULE=ascend.settings.test $(BIN)/python -m benchmarks

# Re-extract the strings to translate (needs gettext), then compile the catalogues.
messages: install
	cd ascend && ../$(BIN)/django-admin makemessages -l es -l pt_BR --no-obsolete
	cd ascend && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 staticfiles
