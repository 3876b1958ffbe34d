# The two quick-start commands: `make demo` and `make test`.
# Everything installs with pip into .venv (no conda needed).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUTPUT ?= output

.PHONY: venv demo test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "carbonclap-methods needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The main job on the embedded defaults: every example assessment computed
# with the default factor edition, results written to $(OUTPUT)/.
demo: venv
	$(PY) -m carbonclap_methods.demo --examples examples --output $(OUTPUT)

# pytest over tests/, and nbval (lax: cells must run without error) over notebooks/.
test: venv
	$(PY) -m pytest tests $(wildcard notebooks/*.ipynb) --nbval-lax --nbval-current-env

bench: venv
	$(PY) benchmarks/engine.py

clean:
	rm -rf $(VENV) $(OUTPUT) .pytest_cache
