# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make report   – set up the environment if needed, then run the main job on the demo project
#   make test     – set up the environment if needed, then run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.codesign-installed
PROJECT ?= data/kolari
# the tests run on every core (pytest-xdist): the tests of one file stay on one worker, and the tests that read
# the built demo are one group, so the demo is built once; PARALLEL= runs everything in one process
PARALLEL ?= -n auto --dist loadgroup
# LibreOffice (no GUI) and poppler open the deliverables (.xlsx, .docx → PDF) in the tests (~80 s, ~310 MB);
# chromium (headless) opens an HTML report in the tests.
APT_PACKAGES := libvoikko1 voikko-fi libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils chromium

.PHONY: report test test-fast lint env system-deps benchmark constraints clean

# ingest, code and analyse as needed, then every notebook into reports/<project>/<timestamp>/
report: env
	$(BIN)/codesign build $(PROJECT)

# everything: unit tests, the demo built once, notebooks (nbval), LibreOffice and chromium (CI runs this)
test: env lint
	$(BIN)/python -m pytest $(PARALLEL)

# the unit tier for daily work: no demo build, no notebooks, no browser, no LibreOffice (under a minute)
test-fast: env lint
	$(BIN)/python -m pytest $(PARALLEL) tests -m "not slow and not integration"

# ruff over the code, tests and benchmarks; mypy over the public API (codesign/__init__.py and what it hands out)
lint: env
	$(BIN)/ruff check codesign tests benchmarks
	$(BIN)/mypy codesign/__init__.py

benchmark: env
	$(BIN)/python benchmarks/bench_ingest.py $(PROJECT)
	$(BIN)/python benchmarks/bench_coder.py $(PROJECT)
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_build.py $(PROJECT)
	$(BIN)/python benchmarks/bench_hostile.py --quick

env: system-deps $(STAMP)

# Voikko is a system library; LibreOffice and chromium are programs the tests run: install them with apt when
# missing (as root, or via sudo). Without recommends: LibreOffice's would add the formula editor and more.
system-deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES) with apt-get"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) || { \
	    echo "error: could not install $(APT_PACKAGES); install them by hand: sudo apt-get install -y $(APT_PACKAGES)"; exit 1; }; \
	fi

# The venv is (re)built when pyproject.toml or the pinned constraints change.
$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps -c requirements/constraints.txt bertopic
	$(BIN)/python -m ipykernel install --sys-prefix --name codesign --display-name "codesign (Python 3)" >/dev/null
	touch $(STAMP)

constraints: env
	(echo "# Exact versions verified together on Python 3.11 (Debian 12), CPU only. Regenerate: make constraints"; \
	 $(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//') > requirements/constraints.txt.new
	mv requirements/constraints.txt.new requirements/constraints.txt

clean:
	rm -rf $(VENV) data/*/build data/*/build.tmp reports/*/
