# cofail — the paper pipeline. `make paper` regenerates every result; `make check` type-checks and tests.
NODE := node --import tsx
TESTS := $(shell find test -name '*.test.ts' | sort)

.PHONY: paper test check bench data clean install

node_modules/.package-lock.json: package-lock.json
	npm ci
	@touch $@

install: node_modules/.package-lock.json

paper: install
	$(NODE) cli.ts run

data: install
	$(NODE) cli.ts data

test: install
	$(NODE) --test --test-concurrency=2 $(TESTS)

check: install
	npx tsc --noEmit -p .
	$(MAKE) test

bench: install
	$(NODE) bench/run.ts

clean:
	$(NODE) cli.ts clean
