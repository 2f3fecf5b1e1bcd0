# cofail — the paper pipeline. `make paper` regenerates every result; `make check` type-checks and tests.
NODE := node --import tsx
TESTS := $(shell find test -name '*.test.ts' | sort)

.PHONY: paper pdf test test-fast check bench data clean install wasm

node_modules/.package-lock.json: package-lock.json
	npm ci
	@mkdir -p node_modules/.bin && ln -sf ../../bin/cofail.js node_modules/.bin/cofail
	@touch $@

install: node_modules/.package-lock.json

# bin/cofail.js: the prebuilt CLI entry (cli/bundle.ts), checked against its sources on every start; a run with
# nothing to do is answered from its no-op stamp by stat alone (engine/noop-stamp.ts).
paper: install
	node bin/cofail.js run

# The PDF is printed from the HTML paper by headless Chromium (Debian package `chromium`), when it is installed.
pdf: paper
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
	  --no-first-run --disable-sync --no-pdf-header-footer --print-to-pdf=build/paper/paper.pdf \
	  file://$(CURDIR)/build/paper/paper.html
	@echo "wrote build/paper/paper.pdf"

data: install
	$(NODE) cli/index.ts data

# The end-to-end tier: tests that run the real pipeline, the real CLI on real data, a browser, or long simulations.
# A test file joins it with a line `// tier: slow`; everything else is the unit tier (`make test-fast`, under a minute on 2 cores).
SLOW_TESTS := $(sort $(wildcard test/pipeline/*.test.ts) $(shell grep -l "^// tier: slow" $(TESTS)))
FAST_TESTS := $(filter-out $(SLOW_TESTS),$(TESTS))

test: install
	$(NODE) --test --test-concurrency=2 $(TESTS)

test-fast: install
	$(NODE) --test --test-concurrency=2 $(FAST_TESTS)

check: install
	npx tsc --noEmit -p .
	$(MAKE) test

bench: install
	$(NODE) bench/run.ts

# Recompile the WebAssembly eigen kernel (stats/wasm/eigen-kernel.as.ts -> eigenKernel.wasm.ts, committed).
wasm: install
	$(NODE) scripts/build-wasm.ts

clean:
	$(NODE) cli/index.ts clean
