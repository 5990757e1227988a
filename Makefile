# The two set-up commands of the README: `make demo` and `make test`. Each creates .venv and
# installs qunce with its test extras from pyproject.toml first, so a fresh machine needs nothing
# but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

.PHONY: install demo test fuzz bench golden docs calibrate
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/qunce check --fail-on never examples/reading-club.yaml
	mkdir -p out
	$(BIN)/qunce plan examples/reading-club.yaml -o out/reading-club.html
	@echo "运营方案 / operations plan: out/reading-club.html"

test: $(STAMP)
	$(BIN)/python -m pytest

fuzz: $(STAMP)
	$(BIN)/python tools/fuzz.py --cases $${QUNCE_FUZZ_EXAMPLES:-100000}

golden: $(STAMP)
	QUNCE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_render.py tests/test_sop.py

docs: $(STAMP)
	$(BIN)/python tools/gen_starter_texts.py
	$(BIN)/python tools/gen_docs.py

bench: $(STAMP)
	$(BIN)/python -m pip install -q -r bench/requirements.txt && $(BIN)/python bench/run.py
	$(BIN)/python bench/observe.py --sizes $${QUNCE_OBSERVE_SIZES:-1000000,10000000}

# The calibration corpus (tests/calibration): per platform and overall; RECORD=1 writes the figures
# that make test holds the engine to.
calibrate: $(STAMP)
	$(BIN)/python tools/calibrate.py $(if $(RECORD),--record)
