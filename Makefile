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
# `make release TARGET_CPU=native` (or haswell, skylake-avx512, ...) compiles the Swift code for that
# CPU: the engine's SIMD8 loops then use 256-bit AVX2 vectors, and a block's forward and backward run
# about 6-13% faster, a training step roughly 5-10% (Sources/TensorEngine/README.md), but the binary
# only runs on such CPUs. The default, empty, is the compiler's portable baseline.
TARGET_CPU ?=
RELEASE_FLAGS := -c release $(if $(TARGET_CPU),-Xswiftc -target-cpu -Xswiftc $(TARGET_CPU))
APT_PACKAGES := libsqlite3-dev libopenblas-dev libjpeg-dev libpng-dev libsentencepiece-dev pkg-config

.PHONY: deps deps-test build release test demo install clean bench bench-http tokenizer model-data model-fae model-generator model model-flow eval-fae ablation-fae ablation-generator ablation-flow fuzz test-cluster

# Training (`make model-fae`, `make model`): every stage resumes from its checkpoint when run again,
# so an interrupted `make model` continues where it stopped. Work goes to MODEL_WORK; the trained
# parts are packed (F16) into models/default/. Measured times are in docs/training.md.
MODEL_WORK ?= $(CURDIR)/out/model-work
TRAIN_DATA := $(MODEL_WORK)/data/train
EVAL_DATA := $(MODEL_WORK)/data/eval
TRAINED := $(MODEL_WORK)/model
TRAIN := $(BIN_RELEASE) train

# Installs the Debian packages that are missing (needs root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The tests' own packages: the PostgreSQL queue's tests start a throwaway server of their own
# (scripts/postgres-server.sh) and make its TLS certificates with openssl; the gallery's test
# drives headless Chromium. A sub-make of `deps`, so they are installed even after another target
# has already run `deps`.
TEST_APT_PACKAGES := postgresql chromium openssl
deps-test: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(TEST_APT_PACKAGES)"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# The unit and process tests, then the PostgreSQL queue across hosts (test-cluster, needs root).
test: deps-test
	$(SWIFT) build --build-tests
	FAE_T2I_BIN=$(CURDIR)/.build/debug/fae-t2i $(SWIFT) test --skip-build
	@TIMEFORMAT='test-cluster: %1R s'; time FAE_T2I_BIN=$(CURDIR)/.build/debug/fae-t2i bash scripts/test-cluster.sh

# The PostgreSQL queue across four hosts over TCP: network namespaces for a database host, two
# worker hosts and a client (scripts/test-cluster.sh), a worker killed while it holds a job. Needs
# root; about 15 s after the build. Also the last step of `make test`.
test-cluster: deps-test
	$(SWIFT) build
	@TIMEFORMAT='test-cluster: %1R s'; time FAE_T2I_BIN=$(CURDIR)/.build/debug/fae-t2i bash scripts/test-cluster.sh

# `serve` under wrk over loopback: GET and POST requests/s and p99 beside their targets, then the
# queue file's integrity check (scripts/bench-http.sh).
bench-http: release
	@$(MAKE) --no-print-directory deps APT_PACKAGES="wrk sqlite3 curl"
	bash scripts/bench-http.sh $(BIN_RELEASE)

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

# `bench queue` on SQLite and on a throwaway PostgreSQL server (files fsynced, commits not waiting
# for the flush: the setting docs/results.md explains), stopped and deleted afterwards.
bench: release deps-test
	@dir=$$(mktemp -d); trap 'scripts/postgres-server.sh stop --remove $$dir/pg >/dev/null' EXIT; \
	url=$$(scripts/postgres-server.sh start --durable --set synchronous_commit=off $$dir/pg) && \
	scripts/postgres-server.sh psql $$dir/pg -q -c 'CREATE DATABASE bench' && \
	$(BIN_RELEASE) bench queue --db "$${url%/postgres}/bench"

install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/fae-t2i
	install -m 755 $(BIN_RELEASE) $(PREFIX)/bin/fae-t2i
	cp -r migrations prompts models $(PREFIX)/share/fae-t2i/

clean:
	rm -rf .build out

# libFuzzer with AddressSanitizer on every parser of outside data (Fuzz/README.md): builds the
# targets in .build-fuzz (never part of `build` or `test`) and runs each for FUZZ_SECONDS, niced;
# prints executions and crashes per target. Crashing inputs go to out/fuzz/<target>/artifacts/.
# `make fuzz FUZZ_TARGETS="png jpeg"` runs a subset.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" SWIFT=$(SWIFT) bash Fuzz/run.sh

model-data: release
	@[ -f $(TRAIN_DATA)/dataset.json ] || $(BIN_RELEASE) data generate --count 60000 --seed 0 --out $(TRAIN_DATA)
	@[ -f $(EVAL_DATA)/dataset.json ] || $(BIN_RELEASE) data generate --count 2000 --seed 0 --split eval --out $(EVAL_DATA)

# The FAE stages: encoder -> FAE -> pixel decoder, packed into models/default, then the figures
# of `eval fae`.
model-fae: model-data
	$(TRAIN) encoder --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --out $(TRAINED) --steps 800 --val-every 200 --resume
	$(TRAIN) fae --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --out $(TRAINED) --steps 2500 --val-every 500 --resume
	$(TRAIN) pixel-decoder --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --out $(TRAINED) --steps 4000 --val-every 1000 --resume
	$(BIN_RELEASE) model pack --from $(TRAINED) --parts encoder,fae_encoder,feature_decoder,pixel_decoder
	$(BIN_RELEASE) eval fae --data $(EVAL_DATA) --probe-data $(TRAIN_DATA)

eval-fae: release
	$(BIN_RELEASE) eval fae --data $(EVAL_DATA) --probe-data $(TRAIN_DATA) --json

# The generator on the FAE latents (needs model-fae), packed into models/default, then ShapeBench.
# 8000 steps keep `make model` within its 3-hour budget (2 h 15 min end to end on a 2-core Xeon,
# reaching ShapeBench 0.41); the shipped generator trained for 29500, then 14000 steps with
# --binding-loss 0.1 (docs/training.md): `make model GEN_STEPS=20000` takes about 1 h 40-50 min more.
# The paper's time shift 2.5 from the first step learns about twice as fast per step as shift 1, and
# the text stream's learned positions (the default) led in one pair of runs, a lead a second run did
# not reproduce (docs/experiments.md).
GEN_STEPS ?= 8000
model-generator: model-fae
	$(TRAIN) generator --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --out $(TRAINED) --steps $(GEN_STEPS) --lr 5e-4 --warmup 300 --shift 2.5 --val-every 1000 --resume
	$(BIN_RELEASE) model pack --from $(TRAINED) --parts text_encoder,generator,spiece.model
	$(BIN_RELEASE) eval shapebench

model: model-generator

# The normalizing-flow generator (docs/flow-model.md) on the FAE parts of models/default, packed
# into models/flow/: its generator, text encoder and tokenizer, and links to models/default's FAE
# parts (one copy of them in the repository). Then its bits per dimension and ShapeBench. The
# constant rate with a final cool-down lets `make model-flow FLOW_STEPS=<more>` extend a finished
# run from its checkpoint before the cool-down, without a warm restart.
FLOW_WORK := $(MODEL_WORK)/flow
FLOW_STEPS ?= 12000
model-flow: model-data
	$(TRAIN) generator --family flow --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --fae models/default --out $(FLOW_WORK) \
		--steps $(FLOW_STEPS) --lr 5e-4 --warmup 300 --schedule constant --val-every 1000 --flow-temperature 0.8 --resume
	$(BIN_RELEASE) model pack --from $(FLOW_WORK) --model models/flow --parts text_encoder,generator,spiece.model
	@for part in encoder fae_encoder feature_decoder pixel_decoder; do ln -sfn ../default/$$part models/flow/$$part; done
	$(BIN_RELEASE) eval flow --model models/flow --data $(EVAL_DATA)
	$(BIN_RELEASE) eval shapebench --model models/flow

# The paper's ablations in miniature (docs/experiments.md). Each variant gets the same budget; they
# reuse the trained encoder, its feature cache and the pixel decoder of $(TRAINED).
# ablation-generator: about 30 minutes per target on 2 cores; it keeps the recipe its published figures
# were made with (shift 1, no text positions).
ABLATION := $(MODEL_WORK)/ablation
ABLATION_FAE_STEPS ?= 600
ABLATION_GEN_STEPS ?= 3000
ABLATION_DATA := $(MODEL_WORK)/data/train20k

ablation-fae: model-fae
	@for kind in attention linear transformer3; do \
		dir=$(ABLATION)/fae-$$kind; mkdir -p $$dir; \
		ln -sfn $(TRAINED)/encoder $$dir/encoder; \
		$(TRAIN) fae --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --out $$dir --encoder $(TRAINED)/encoder \
			--feature-cache $(TRAINED)/runs/features-train.f32 --encoder-kind $$kind --steps $(ABLATION_FAE_STEPS) --val-every 0 --resume || exit 1; \
		ln -sfn $(TRAINED)/pixel_decoder $$dir/pixel_decoder; \
		$(BIN_RELEASE) eval fae --model $$dir --data $(EVAL_DATA) --probe-data $(TRAIN_DATA) --images 1000 --probe-images 2000 --json > $$dir/eval.json || exit 1; \
	done

ablation-generator: model-fae
	@[ -f $(ABLATION_DATA)/dataset.json ] || $(BIN_RELEASE) data generate --count 20000 --seed 0 --out $(ABLATION_DATA)
	@for target in latent features pixels; do \
		dir=$(ABLATION)/generator-$$target; mkdir -p $$dir; \
		for part in encoder fae_encoder feature_decoder pixel_decoder; do ln -sfn $(TRAINED)/$$part $$dir/$$part; done; \
		$(TRAIN) generator --data $(ABLATION_DATA) --val-data $(EVAL_DATA) --out $$dir --target $$target --steps $(ABLATION_GEN_STEPS) \
			--lr 5e-4 --warmup 100 --shift 1 --no-text-positions --val-every 1000 --resume || exit 1; \
		$(BIN_RELEASE) eval shapebench --model $$dir --json > $$dir/eval.json || exit 1; \
	done

# The flow on each target at equal steps, with make model-flow's data, recipe and FAE parts (25-45
# minutes per target on 2 cores); docs/flow-model.md compares them with the diffusion generator.
ABLATION_FLOW_STEPS ?= 2000
ablation-flow: model-data
	@for target in latent features pixels; do \
		dir=$(ABLATION)/flow-$$target; mkdir -p $$dir; \
		for part in encoder fae_encoder feature_decoder pixel_decoder; do ln -sfn $(CURDIR)/models/default/$$part $$dir/$$part; done; \
		$(TRAIN) generator --family flow --target $$target --data $(TRAIN_DATA) --val-data $(EVAL_DATA) --fae models/default --out $$dir \
			--steps $(ABLATION_FLOW_STEPS) --lr 5e-4 --warmup 300 --schedule constant --val-every 1000 --resume || exit 1; \
		$(BIN_RELEASE) eval shapebench --model $$dir --json > $$dir/eval.json || exit 1; \
	done
