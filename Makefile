# The way in. `make help` lists the targets.
SHELL := /bin/bash
BOARD ?= PICO
BOARDS := $(basename $(notdir $(wildcard hardware/profiles/*.json)))
PORT ?=
TSX := node_modules/.bin/tsx
APT_PACKAGES := socat mosquitto mosquitto-clients openssl fence-agents pacemaker pcs chromium

.PHONY: help setup build build-all typecheck test flash sim sim-pair bench demo clean

help:
	@echo "make setup             install npm packages and, as root, the Debian packages ($(APT_PACKAGES))"
	@echo "make build BOARD=X     build dist/firmware-X.js (boards: $(BOARDS)); default $(BOARD)"
	@echo "make build-all         build every board profile"
	@echo "make test              set up, build every board, type-check and run all tests"
	@echo "make sim BOARD=X       start the simulated board; prints its endpoints as JSON"
	@echo "make sim-pair BOARD=X  start the board under test and the bench probe, wired (docs/bench.md); prints their ports as JSON"
	@echo "make flash PORT=P      flash dist/firmware-\$$BOARD.js with the espruino tool (P: /dev/ttyACM0 or tcp://127.0.0.1:N)"
	@echo "make bench             run the benchmarks, writing bench/results/latest.json"
	@echo "make demo              the whole story on the simulated board (INTERACTIVE=1 to play)"

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup: node_modules/.package-lock.json
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages:$$missing. Install them with: sudo apt-get install$$missing"; exit 1; fi; \
	fi

build: node_modules/.package-lock.json
	$(TSX) tools/build/build.ts --board $(BOARD)

build-all: node_modules/.package-lock.json
	$(TSX) tools/build/build.ts --all

typecheck: node_modules/.package-lock.json
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/tsc -p firmware/tsconfig.json

test: setup build-all typecheck
	$(TSX) tools/test/run-tests.ts

flash: node_modules/.package-lock.json
	@test -n "$(PORT)" || { echo "make flash needs PORT=/dev/ttyACM0 or PORT=tcp://127.0.0.1:N"; exit 2; }
	node bin/guillotine.mjs flash --board $(BOARD) --port $(PORT)

sim: setup build
	node bin/guillotine.mjs sim --board $(BOARD)

sim-pair: setup build
	node bin/guillotine.mjs sim --pair --board $(BOARD) --json

bench: setup build-all
	node bin/guillotine.mjs bench all

demo: setup build
	$(TSX) demo/demo.ts $(if $(INTERACTIVE),--interactive,)

clean:
	rm -rf dist bench/results
