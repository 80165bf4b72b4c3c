# Everything runs inside .venv, created on first use with Python >= 3.12.
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=tests-only-secret-key

# Spanish: the catalog we write (django.po) and the compiled file Django reads (django.mo, built
# here, not committed). GNU gettext's msgfmt does the compiling: apt-get install gettext.
PO := locale/es/LC_MESSAGES/django.po
MO := locale/es/LC_MESSAGES/django.mo

.PHONY: install demo run serve test lint format check messages screenshots icons bench clean

$(PY): pyproject.toml
	@python3 -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12 or newer is needed (see .python-version)"'
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(PY)

install: $(PY) $(MO)

$(MO): $(PO)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install -y gettext"; exit 1; }
	msgfmt --check -o $@ $<

# After changing any text: collect the strings into $(PO), then write their Spanish there.
messages: $(PY)
	$(TEST_ENV) $(PY) manage.py makemessages -l es --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'node_modules/*' \
	  --ignore 'tests/*' --ignore 'bench/*'

demo: $(PY) $(MO)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "Admin: http://127.0.0.1:8000/admin/ (user demo-admin, password printed above)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

run: $(PY) $(MO)
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Production-style on this machine: DEBUG off, collected static files, gunicorn with the shipped
# config (directory/gunicorn.conf.py). The database is DATABASE_URL's, or the SQLite file.
serve: $(PY) $(MO)
	@set -e; \
	if [ -z "$$SECRET_KEY" ]; then \
	  echo "NOTE: SECRET_KEY is not set: using a throwaway key for this run only."; \
	  SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	fi; \
	export SECRET_KEY DEBUG=0 ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	exec $(VENV)/bin/gunicorn -c directory/gunicorn.conf.py directory.wsgi

test: $(PY) $(MO)
	@command -v chromium >/dev/null || echo "NOTE: Chromium is not installed, so the browser tests will be SKIPPED (apt-get install -y chromium)."
	@[ -n "$$DATABASE_URL" ] || echo "NOTE: DATABASE_URL is not set: running on SQLite; tests that need PostgreSQL will be SKIPPED."
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL server (each uses a database of its own).
bench: $(PY)
	$(PY) bench/import_samhsa.py
	$(PY) bench/listing.py
	$(PY) bench/voice_webhook.py

screenshots: $(PY) $(MO)
	$(TEST_ENV) $(PY) -m pytest tests/browser/screenshots.py -q -s

# The favicon and app icons, drawn by Chromium from static/img/icons/icon.svg (committed).
icons: $(PY)
	$(TEST_ENV) $(PY) manage.py draw_icons

lint: $(PY)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(PY)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles screenshots db.sqlite3 $(MO)
