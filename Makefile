.PHONY: run test lint translations bench bench-load

run:            ## install, migrate, load the demo data and serve on http://127.0.0.1:8000
	scripts/run-demo

test:           ## install what the tests need and run the suite on SQLite and PostgreSQL
	scripts/test

lint:           ## ruff over the code and tests, mypy over disclosure/ (settings in pyproject.toml; make test runs both)
	.venv/bin/ruff check src tests bench migrations setup.py
	.venv/bin/mypy

translations:   ## extract strings and update the nl/fr catalogs (then translate the empty ones)
	.venv/bin/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 --no-location \
	  --sort-output --project actiontrack -o src/actiontrack/locale/messages.pot .
	.venv/bin/pybabel update -i src/actiontrack/locale/messages.pot -d src/actiontrack/locale \
	  --no-fuzzy-matching --ignore-obsolete -w 100

bench:          ## server time and SQL queries per page, demo and large data, on SQLite (see README, Benchmarks)
	.venv/bin/python -m bench pages

bench-load:     ## requests per second of /changes against a minimal Litestar page, on real servers
	.venv/bin/python -m bench load
