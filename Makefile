# Kabar: `make run` and `make test` do all set-up on a fresh machine (Python 3.11 + make).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export KABAR_HOME ?= $(CURDIR)/.kabar
export PYTHONDONTWRITEBYTECODE :=

.PHONY: install bytecode install-cluster run test test-cluster lint ui bench bench-cluster train-ner lock clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3 uv==0.13.9
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --no-deps -e .
	$(MAKE) --no-print-directory bytecode
	touch $@

install: $(VENV)/.installed

# Kabar's own modules compiled, as the installed packages are (an editable install is not): where
# PYTHONDONTWRITEBYTECODE is set, every `kabar` command compiled ~110 modules again (0.17 s).
bytecode:
	$(PY) -m compileall -q -j 0 orchestration pipeline crawl transforms warehouse expectations evaluation training

# The cluster deployment's packages (deploy/): PostgreSQL and S3 clients, Celery, the SeaweedFS server.
$(VENV)/.cluster-installed: $(VENV)/.installed requirements-cluster.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements-cluster.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --no-deps -e .
	touch $@

install-cluster: $(VENV)/.cluster-installed

# The bench's comparison extractor (newspaper4k), never a dependency of Kabar itself.
$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --require-hashes -r requirements-bench.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --no-deps -e .
	touch $@

run: install bytecode
	$(VENV)/bin/kabar run

test: install lint
	$(PY) -m pytest -q

# Against real servers on 127.0.0.1 (an S3-compatible object store), each started and stopped by PID.
test-cluster: install-cluster
	$(PY) -m pytest -q tests/cluster

lint: install
	$(VENV)/bin/ruff check orchestration pipeline crawl transforms warehouse expectations evaluation training bench tests

ui: install
	$(VENV)/bin/kabar ui

bench: $(VENV)/.bench-installed bytecode
	$(PY) -m bench.run

# The cluster deployment's figures (1 vs 2 Celery workers, per-run overhead) on servers started here.
bench-cluster: install-cluster
	$(PY) -m bench.cluster

# Maintainers: retrain the Indonesian NER model from ../shared (or $$KABAR_SHARED) into models/id_ner;
# the module's defaults are the shipped setting (meta.json kabar.reproduce).
train-ner: install
	$(VENV)/bin/kabar train ner

# Maintainers: re-resolve the pinned lock file after changing pyproject.toml.
lock:
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock
	$(UV) pip compile pyproject.toml --extra dev --extra cluster --python-version 3.11 --generate-hashes \
		-c requirements.lock -o requirements-cluster.lock
	$(UV) pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 --generate-hashes \
		-c requirements.lock -o requirements-bench.lock

clean:
	rm -rf $(VENV) .kabar
