# cofail — the paper pipeline. `make paper` regenerates every result; `make check` type-checks and tests.
NODE := node --import tsx
TESTS := $(shell find test -name '*.test.ts' | sort)

.PHONY: paper pdf test check bench data clean install wasm

node_modules/.package-lock.json: package-lock.json
	npm ci
	@touch $@

install: node_modules/.package-lock.json

paper: install
	$(NODE) cli.ts run

# The PDF is printed from the HTML paper by headless Chromium (Debian package `chromium`), when it is installed.
pdf: paper
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
	  --no-first-run --disable-sync --no-pdf-header-footer --print-to-pdf=build/paper/paper.pdf \
	  file://$(CURDIR)/build/paper/paper.html
	@echo "wrote build/paper/paper.pdf"

data: install
	$(NODE) cli.ts data

test: install
	$(NODE) --test --test-concurrency=2 $(TESTS)

check: install
	npx tsc --noEmit -p .
	$(MAKE) test

bench: install
	$(NODE) bench/run.ts

# Recompile the WebAssembly eigen kernel (stats/wasm/eigenKernel.as.ts -> eigenKernel.wasm.ts, committed).
wasm: install
	$(NODE) stats/wasm/build.ts

clean:
	$(NODE) cli.ts clean
