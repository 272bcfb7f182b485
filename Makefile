# The two commands: `make run` (dashboard on embedded defaults) and `make test`.
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run test lint bench setup format

setup:
	@scripts/bootstrap.sh

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_setup --port $(PORT)
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho --procfile Procfile.dev start --port $(PORT)

test: setup
	.venv/bin/pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/vulture
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench: setup
	$(PY) manage.py bench $(BENCH_ARGS)
