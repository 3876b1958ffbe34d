# The two quick-start commands: `make demo` and `make test`.
# Everything installs with pip into .venv (no conda needed).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUTPUT ?= output

.PHONY: venv demo test bench docs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "carbonclap-methods needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all,dev,docs]'
	touch $(STAMP)

venv: $(STAMP)

# The main job on the embedded defaults: every example assessment computed
# with the default factor edition, results written to $(OUTPUT)/; then every
# study of studies/ run with its defaults into $(OUTPUT)/<study>/ (a progress
# bar on a terminal, one line per study in a log); last, $(OUTPUT)/index.html,
# the page to open (offline): headline figures, charts, a link to every file.
demo: venv
	$(PY) -m carbonclap_methods.demo --examples examples --output $(OUTPUT)
	$(PY) -m carbonclap_methods.studies --output $(OUTPUT)
	$(PY) -m carbonclap_methods.demo_page --output $(OUTPUT)

# pytest over tests/ (tests/test_docs.py builds the site as make docs does and
# checks it) with nbval lax over notebooks/ (cells must run without
# error), then nbval strict over the studies (committed outputs compared,
# sanitized by studies/nbval_sanitize.cfg). pytest applies one nbval mode per
# run, hence two runs.
# The suite on every core (pytest-xdist), each test file on one worker
# (a file's fixtures, such as the docs build or the wheel, are made once).
test: venv
	$(PY) -m pytest tests $(wildcard notebooks/*.ipynb) --nbval-lax --nbval-current-env -n auto --dist loadfile
	$(PY) -m pytest $(wildcard studies/*.ipynb) --nbval --nbval-current-env --nbval-sanitize-with studies/nbval_sanitize.cfg

# The methodology site, offline, into docs/_build/html (warnings are errors).
# docs/generate.py writes the questionnaire, catalogue, study and API pages
# from the data at each build (docs/generated/, not committed). -E reads every
# page again: an incremental build would not repeat the warnings of a failed one.
docs: venv
	$(PY) -m sphinx -E -W --keep-going -q -b html docs docs/_build/html
	@echo "docs/_build/html/index.html"

bench: venv
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/uncertainty.py
	$(PY) benchmarks/studio_ranges.py
	$(PY) benchmarks/portfolio.py
	$(PY) benchmarks/portfolio_cluster.py
	$(PY) benchmarks/widgets.py
	$(PY) benchmarks/scenarios.py
	$(PY) benchmarks/limits.py
	$(PY) benchmarks/workbook_labels.py
	$(PY) benchmarks/startup.py

# The guided assessment as a web app (Voilà) on localhost; works offline.
# PORT=8866 make app picks the port; saves and exports go to ./assessments.
.PHONY: app
app: venv
	$(VENV)/bin/carbonclap app $(if $(PORT),--port $(PORT))

clean:
	rm -rf $(VENV) $(OUTPUT) .pytest_cache docs/_build docs/generated
