# fae-t2i: two-command quick start (`make demo`, `make test`); see README.md.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
BIN_RELEASE := .build/release/fae-t2i
DEMO_DIR ?= $(CURDIR)/out/demo
DEMO_DB := $(DEMO_DIR)/queue.sqlite
DEMO_PROMPT ?= a red circle to the left of a blue square
APT_PACKAGES := libsqlite3-dev libopenblas-dev libjpeg-dev libsentencepiece-dev pkg-config

.PHONY: deps build release test demo install clean bench

# Installs the Debian packages that are missing (needs root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	FAE_T2I_BIN=$(CURDIR)/.build/debug/fae-t2i $(SWIFT) test --skip-build

# Submits a prompt, runs a worker until the queue is idle, fetches the image and prints its path.
demo: release
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN_RELEASE) submit "$(DEMO_PROMPT)" --seed 7 --db $(DEMO_DB)
	$(BIN_RELEASE) worker --exit-when-idle --db $(DEMO_DB)
	$(BIN_RELEASE) list --db $(DEMO_DB)
	@job=$$($(BIN_RELEASE) list --db $(DEMO_DB) --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null || $(BIN_RELEASE) list --db $(DEMO_DB) --ids | head -1); \
	$(BIN_RELEASE) fetch $$job --out $(DEMO_DIR) --db $(DEMO_DB)

bench: release
	$(BIN_RELEASE) bench queue

install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/fae-t2i
	install -m 755 $(BIN_RELEASE) $(PREFIX)/bin/fae-t2i
	cp -r migrations prompts models $(PREFIX)/share/fae-t2i/

clean:
	rm -rf .build out
