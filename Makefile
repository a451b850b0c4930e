# Steady — the two commands a newcomer needs:
#   make run    install everything and run the bot (needs TELEGRAM_BOT_TOKEN in .env)
#   make test   install everything and run the whole test suite (SQLite, then PostgreSQL)
#   make demo   try Steady in this terminal: no bot token, no network (DEMO_CLOCK_SPEED=60 …)

UV_VERSION ?= 0.13.9
PYTHON ?= python3
# uv from PATH, else the one pip installs into $(PYTHON) (run as `python3 -m uv`).
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: setup run test lint bench db-up botapi demo

setup:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet

run: setup
	$(UV) run --frozen python -m bot

demo: setup
	$(UV) run --frozen python -m demo

lint: setup
	$(UV) run --frozen ruff check bot tests migrations demo $(wildcard bench)
	$(UV) run --frozen ruff format --check bot tests migrations demo $(wildcard bench)
	$(UV) run --frozen mypy bot

db-up:
	@bash scripts/ensure-postgres.sh

test: setup lint db-up
	@UV="$(UV)" bash scripts/test-both.sh

bench: setup db-up
	$(UV) run --frozen python -m bench

# Refresh the repository's copy of the Bot API description from a newer one:
#   make botapi BOTAPI_SRC=<folder holding api.json and LICENSE>
# Nothing else reads outside the repository; without BOTAPI_SRC the copy stays as it is.
BOTAPI_SRC ?=
botapi:
	@if [ -z "$(BOTAPI_SRC)" ]; then \
	  echo "botapi: name the folder: make botapi BOTAPI_SRC=<folder with api.json>"; \
	elif [ ! -f "$(BOTAPI_SRC)/api.json" ]; then \
	  echo "botapi: no api.json in $(BOTAPI_SRC)"; exit 2; \
	else \
	  cp "$(BOTAPI_SRC)/api.json" "$(BOTAPI_SRC)/LICENSE" tests/fakebot/botapi/ && \
	  python3 -c "import json; print('botapi:', json.load(open('tests/fakebot/botapi/api.json'))['version'])"; \
	fi
