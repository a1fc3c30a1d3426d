# fae-t2i: two-command quick start (`make demo`, `make test`); see README.md.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
BIN_RELEASE := .build/release/fae-t2i
DEMO_DIR ?= $(CURDIR)/out/demo
DEMO_DB := $(DEMO_DIR)/queue.sqlite
DEMO_PROMPT ?= a red circle to the left of a blue square
# The trained model when models/default has one, else the shapes world's reference renderer.
DEMO_RENDERER ?= $(if $(wildcard models/default/generator/model.safetensors),model,reference)
APT_PACKAGES := libsqlite3-dev libopenblas-dev libjpeg-dev libpng-dev libsentencepiece-dev pkg-config

.PHONY: deps build release test demo install clean bench tokenizer

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
	@set -e; \
	job=$$($(BIN_RELEASE) submit "$(DEMO_PROMPT)" --seed 7 --db $(DEMO_DB)); \
	echo "submitted job $$job: $(DEMO_PROMPT)"; \
	echo "renderer: $(DEMO_RENDERER)"; \
	$(BIN_RELEASE) worker --renderer $(DEMO_RENDERER) --exit-when-idle --poll 0.1 --db $(DEMO_DB); \
	$(BIN_RELEASE) status $$job --db $(DEMO_DB); \
	echo "image:"; \
	$(BIN_RELEASE) fetch $$job --out $(DEMO_DIR) --db $(DEMO_DB)

# Regenerates prompts/corpus.txt and models/default/spiece.model; both are deterministic (byte-identical).
tokenizer: build
	.build/debug/fae-t2i tokenizer corpus
	.build/debug/fae-t2i tokenizer train --corpus prompts/corpus.txt --vocab 128 --out models/default/spiece.model

bench: release
	$(BIN_RELEASE) bench queue

install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/fae-t2i
	install -m 755 $(BIN_RELEASE) $(PREFIX)/bin/fae-t2i
	cp -r migrations prompts models $(PREFIX)/share/fae-t2i/

clean:
	rm -rf .build out
