# The product's front door: `make run` serves it, `make test` proves it. Both set up everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(SURVEY_PORT),8000)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# What serving needs (`make run`), and what only the tests need besides (`make test`): Chromium for Playwright,
# WebKit's WebDriver (the engine of every iPad browser) on a virtual screen, the QR and PDF readers, and Redis and
# nginx for the several-instances test (deploy/); npm (Debian's, unless a Node.js with npm is there) fetches IBM's
# accessibility engine.
DEBIAN_PACKAGES := espeak-ng libespeak-ng1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 \
	fonts-dejavu-core
TEST_PACKAGES := chromium webkit2gtk-driver xvfb zbar-tools poppler-utils redis-server nginx
ACE_VERSION := 4.0.34
ACE := $(VENV)/ace/ace.js

.PHONY: run test test-fast lint ace test-sqlite test-postgres setup system-packages test-packages debian-install translations messages benchmarks reliability postgres clean

run: setup
	$(BIN)/survey demo
	$(BIN)/survey speech build || echo "Not every speech clip could be made: see \`$(BIN)/survey speech check\`."
	@echo
	@echo "  Survey service:  http://127.0.0.1:$(PORT)/"
	@echo "  Demo unit links: http://127.0.0.1:$(PORT)/u/bjorken  (and the others listed above)"
	@echo "  Staff pages:     http://127.0.0.1:$(PORT)/staff/login  (the demo log-in is printed above, first run only)"
	@echo
	SURVEY_PORT=$(PORT) $(BIN)/gunicorn -c survey/gunicorn_conf.py 'survey:create_app()'

test: setup test-packages lint test-sqlite test-postgres

ace: $(ACE)

# While developing: the pure and Flask-client tests only (a minute or two).
test-fast: setup
	$(BIN)/pytest -m "not browser and not server and not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test-sqlite: $(ACE)
	$(BIN)/pytest

# IBM's Equal Access engine (ace.js, Apache-2.0) for tests/respond/test_equal_access_browser.py, from npm.
$(ACE):
	@command -v npm >/dev/null || $(MAKE) --no-print-directory debian-install PACKAGES=npm
	mkdir -p $(VENV)/ace && cd $(VENV)/ace && npm pack --silent accessibility-checker-engine@$(ACE_VERSION) \
		&& tar xzf accessibility-checker-engine-$(ACE_VERSION).tgz --strip-components=1 package/ace.js package/ace.js.LICENSE.txt

test-postgres: postgres
	SURVEY_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"

setup: system-packages $(VENV)/.installed translations
	$(BIN)/survey init

system-packages:
	@$(MAKE) --no-print-directory debian-install PACKAGES="$(DEBIAN_PACKAGES)"

test-packages:
	@$(MAKE) --no-print-directory debian-install PACKAGES="$(TEST_PACKAGES)"

debian-install:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d survey/translations

# After adding or changing a marked text: gather them, then translate the new ones in sv and nb.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o survey/translations/messages.pot .
	$(BIN)/pybabel update -i survey/translations/messages.pot -d survey/translations --no-fuzzy-matching

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done; echo "PostgreSQL did not start"; exit 1

benchmarks: setup
	$(BIN)/python benchmarks/answer_throughput.py
	$(BIN)/python benchmarks/deployment.py
	$(BIN)/python benchmarks/speech_build.py
	$(BIN)/python benchmarks/spc.py

# The README's Reliability figures: load with a SIGKILL half-way, people's pace, fuzzing (about 15 minutes).
reliability: setup postgres
	$(BIN)/python benchmarks/load.py --tablets 100 --seconds 30 --kill --postgres $(PG_URL)
	$(BIN)/python benchmarks/load.py --tablets 100 --seconds 30 --think 4 --postgres $(PG_URL)
	$(BIN)/python benchmarks/fuzz.py --cases 10000 --postgres $(PG_URL)

clean:
	rm -rf $(VENV) build *.egg-info
