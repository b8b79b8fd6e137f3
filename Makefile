# Shortcuts for developers. The README's two commands are scripts/demo and scripts/test.
PYTHON := .venv/bin/python

.PHONY: demo test schema bench lint

demo:
	scripts/demo

test:
	scripts/test

# Export the GraphQL contract the frontend builds against, then regenerate its types.
schema:
	$(PYTHON) manage.py export_graphql_schema
	cd frontend && npm run codegen

# Benchmarks print their figures. Pick some and size them:
#   make bench BENCH_ARGS="certificate_check --certificates 100000"
bench:
	$(PYTHON) -m benchmarks $(BENCH_ARGS)

lint:
	$(PYTHON) -m ruff check .
