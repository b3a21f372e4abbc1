# take-a-number-deluxe: `make serve` to open the kiosk, `make test` to check everything.
# Every target that needs tools runs a setup target first, which installs only what is missing:
# `setup-serve` what building and serving need, `setup` that and what the tests need.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CRATE_VERSION_OF = $(shell sed -n '/^name = "$(1)"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
WASM_BINDGEN_VERSION := $(call CRATE_VERSION_OF,wasm-bindgen)
# npm's binaryen first: Debian's binaryen (108) corrupts wasm-bindgen output.
export PATH := $(CURDIR)/node_modules/binaryen/bin:$(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8080
# The local facility hub (`make hub`): NATS ports, the address it listens on, the kiosk page's
# origin (the only one whose WebSocket it accepts) and its data, kept outside the repository.
HUB_PORT ?= 4222
HUB_WS_PORT ?= 9222
HUB_LEAF_PORT ?= 7422
# The public edge for customers' phones (`make hub-edge`): its WebSocket, and the follow page's
# origin (the only one it lets in).
EDGE_HOST ?= 127.0.0.1
EDGE_PORT ?= 4333
EDGE_WS_PORT ?= 9333
EDGE_ORIGIN ?= $(HUB_ORIGIN)
HUB_HOST ?= 127.0.0.1
HUB_ORIGIN ?= http://127.0.0.1:$(PORT)
HUB_DATA ?= $(HOME)/.local/share/take-a-number-deluxe/hub
# A facility's own hub accounts (`make hub-accounts`), also outside the repository: `make hub`
# runs with them when they exist, with the demo accounts of hub/ otherwise.
HUB_ETC ?= $(HOME)/.config/take-a-number-deluxe/hub

.PHONY: help setup setup-serve build site pack test test-native test-wasm test-js test-scripts test-fuzz test-package test-e2e fuzz bench bench-start lint serve hub hub-edge hub-accounts clean www/pkg

help:
	@echo "make serve   build and serve the kiosk page on http://127.0.0.1:$(PORT)/"
	@echo "make site    build the kiosk page (bundled, service worker) into build/www/, what deploy/ serves"
	@echo "make test    lint, native + wasm tests (Node, Chromium), JS property/leak tests, hub scripts, fuzzing, package and kiosk tests"
	@echo "make build   release build of the npm package into pkg/"
	@echo "make pack    the publishable tarball, in dist/"
	@echo "make fuzz    fuzz the ticket rules for FUZZ_SECONDS (default 600)"
	@echo "make bench   speed, scaling, timers, size, memory, bundle sizes and kiosk start-up against their targets (BENCHMARKS.md)"
	@echo "make hub     run a local facility hub (nats-server, JetStream) in the foreground on ports $(HUB_PORT) and $(HUB_WS_PORT)"
	@echo "make hub-edge  run the public edge for customers' phones (a leaf node of make hub's) on port $(EDGE_WS_PORT)"
	@echo "make hub-accounts  set the hub users' own passwords (into $(HUB_ETC)/); needed before HUB_HOST leaves loopback"
	@echo "make setup   install the missing tools for everything (make serve installs only what serving needs)"

# What `make serve` needs, and nothing more: the wasm target, wasm-pack, the matching
# wasm-bindgen CLI, the npm packages (esbuild and binaryen build the page), and Python's server.
setup-serve:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@command -v wasm-pack >/dev/null || cargo install wasm-pack --locked
	@# The CLI must match the crate exactly, or wasm-pack tries to download one.
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force
	@command -v python3 >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3; }
	@[ node_modules/.installed -nt package-lock.json ] \
	  || { npm ci --no-audit --no-fund && touch node_modules/.installed; }

# The rest, for the tests and the hub: lints, Chromium, fuzzing, nats-server, and nginx for
# the deploy/ configuration.
setup: setup-serve
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	@# Fuzzing needs nightly (libFuzzer's sanitizer flags) and cargo-fuzz.
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@# The facility hub's server (Debian installs it in /usr/sbin).
	@command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] \
	  || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nats-server; }
	@[ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light; }
	@# The printing tests read Chromium's PDFs with poppler's pdfinfo, pdftotext and pdftoppm.
	@command -v pdfinfo >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils; }
	@# Chromium's voices on Debian, as a kiosk has them (docs/kiosk-computer.md): the launcher
	@# test hears the board speak through them.
	@[ -x /usr/lib/speech-dispatcher-modules/sd_espeak-ng ] || { $(SUDO) apt-get update -qq \
	  && $(SUDO) apt-get install -y -qq speech-dispatcher espeak-ng speech-dispatcher-espeak-ng; }
	@# The package tests install the NATS clients (the hub entry's peers, and Node's transport)
	@# into scratch apps offline, by name. npm ci caches the tarballs of the lock file but not the
	@# registry metadata an install by name reads: one install into a throwaway folder fills it.
	@[ node_modules/.npm-cache-filled -nt package-lock.json ] || { \
	  peers=$$(node -p "Object.entries(require('./package.json').devDependencies) \
	    .filter(([n]) => n.startsWith('@nats-io/')).map(([n, v]) => n + '@' + v).join(' ')"); \
	  scratch=$$(mktemp -d) && echo '{"private": true}' > "$$scratch/package.json" \
	  && npm install --prefix "$$scratch" --no-audit --no-fund --loglevel=error $$peers \
	  && rm -rf "$$scratch" && touch node_modules/.npm-cache-filled; }

build: setup-serve
	wasm-pack build --release --target web --out-dir pkg
	node scripts/finish-package.mjs

pack: build
	rm -rf dist && mkdir -p dist
	cd pkg && npm pack --pack-destination ../dist

lint: setup
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

test-native: setup
	cargo test

test-wasm: setup
	wasm-pack test --node -- --test node
	wasm-pack test --headless --chrome -- --test web

test-js: setup build
	node --expose-gc --test tests/js/

# The hub's scripts and `make hub` itself, against real nats-servers.
test-scripts: setup
	node --test tests/scripts/

# Fuzz the ticket rules against the reference model: briefly in `make test`, at length here.
FUZZ_SECONDS ?= 600
fuzz: setup
	cargo +nightly fuzz run rules_ops --fuzz-dir fuzz -- -max_total_time=$(FUZZ_SECONDS)

test-fuzz: setup
	cargo +nightly fuzz run rules_ops --fuzz-dir fuzz -- -max_total_time=30

test-package: setup pack
	node --test tests/package/

# Benchmarks are not tests: they print figures against targets and never fail on a miss.
bench: setup pack site
	cargo bench --bench rules --features model
	node --expose-gc bench/run.mjs
	node bench/bundles.mjs
	node bench/hub.mjs
	node bench/follow.mjs
	node bench/start.mjs

# The start-up figures alone (cold and warm start of the kiosk page), e.g. to rerun them on a
# quiet machine.
bench-start: setup site
	node bench/start.mjs

test-e2e: setup site
	node --test tests/www/ tests/e2e/

test: lint test-native test-wasm test-js test-scripts test-fuzz test-package test-e2e

# The page loads the package from www/pkg, so www/ alone is the page's source.
www/pkg: build
	rm -rf www/pkg && cp -r pkg www/pkg
	node scripts/bundle-hub.mjs www/pkg

# The page as it ships: bundled, hashed, precompressed, with its service worker.
site: www/pkg
	node scripts/build-site.mjs www build/www

serve: site
	@echo "Serving the kiosk at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory build/www

# A hub for one facility with the shipped configuration (hub/): JetStream on file storage in
# HUB_DATA, the stream and buckets set up once it is ready. Ctrl-C stops it; the tickets stay in
# HUB_DATA for the next start. HUB_REPLICAS stays 1 for a single server. With a facility's own
# accounts in HUB_ETC, hub.conf is copied beside them (nats-server includes accounts.conf from
# the including file's folder) and setting the hub up asks for the admin's password, unless
# HUB_ADMIN_PASSWORD gives it. hub-check.mjs refuses demo passwords beyond loopback.
hub: setup
	@accounts="$(HUB_ETC)/accounts.conf"; config="$(HUB_ETC)/hub.conf"; \
	if [ ! -f "$$accounts" ]; then accounts=hub/accounts.conf; config=hub/hub.conf; fi; \
	HUB_HOST="$(HUB_HOST)" node scripts/hub-check.mjs "$$accounts"; \
	if [ "$$config" != hub/hub.conf ]; then \
	  { echo "# Copied from $(CURDIR)/hub/hub.conf by make hub at every start: edit that one."; \
	    cat hub/hub.conf; } > "$$config"; \
	fi; \
	mkdir -p "$(HUB_DATA)"; \
	echo "Hub: nats://$(HUB_HOST):$(HUB_PORT), ws://$(HUB_HOST):$(HUB_WS_PORT) for pages from $(HUB_ORIGIN); data in $(HUB_DATA); accounts in $$accounts"; \
	PATH="$$PATH:/usr/sbin"; export HUB_NAME=hub HUB_HOST="$(HUB_HOST)" HUB_PORT="$(HUB_PORT)" \
	  HUB_WS_PORT="$(HUB_WS_PORT)" HUB_LEAF_PORT="$(HUB_LEAF_PORT)" HUB_ORIGIN="$(HUB_ORIGIN)" HUB_DATA="$(HUB_DATA)"; \
	nats-server -c "$$config" & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' INT TERM EXIT; \
	HUB_ACCOUNTS="$$accounts" HUB_URL="nats://127.0.0.1:$(HUB_PORT)" node scripts/hub-provision.mjs; \
	wait $$server

# The public edge for customers' phones (hub/edge.conf), linked to the hub of `make hub` on
# HUB_LEAF_PORT as the edge user (HUB_EDGE_PASSWORD, else the demo one) in the foreground; phones
# sign in as the visitor (HUB_VISITOR_PASSWORD, else `visitor`). docs/follow.md.
hub-edge: setup
	@PATH="$$PATH:/usr/sbin"; export EDGE_NAME=edge EDGE_HOST="$(EDGE_HOST)" EDGE_PORT="$(EDGE_PORT)" \
	  EDGE_WS_PORT="$(EDGE_WS_PORT)" EDGE_ORIGIN="$(EDGE_ORIGIN)" EDGE_VISITOR_PASS="$${HUB_VISITOR_PASSWORD:-visitor}" \
	  EDGE_HUB_URL="nats-leaf://edge:$${HUB_EDGE_PASSWORD:-edge-demo}@127.0.0.1:$(HUB_LEAF_PORT)"; \
	echo "Public edge: ws://$(EDGE_HOST):$(EDGE_WS_PORT) for follow pages from $(EDGE_ORIGIN), linked to the hub on port $(HUB_LEAF_PORT)"; \
	exec nats-server -c hub/edge.conf

# A facility's own hub passwords: asks for each user's (or reads HUB_PASSWORD_KIOSK and the
# like) and writes $(HUB_ETC)/accounts.conf, readable by its owner only, for `make hub`.
hub-accounts: setup-serve
	node scripts/hub-accounts.mjs "$(HUB_ETC)/accounts.conf"

clean:
	cargo clean
	rm -rf pkg www/pkg dist build
