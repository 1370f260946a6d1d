# rdnas: `make run` and `make test` do all the set-up (apt packages, data extraction, build) themselves.
SHELL := /bin/bash
APT_PACKAGES := libdnnl-dev libncursesw5-dev libturbojpeg0-dev libpng-dev zlib1g-dev dataset-fashion-mnist tmux python3-pip libopenmpi-dev openmpi-bin
SHARED ?= ../shared
CIFAR_TAR := $(SHARED)/data/cifar10/cifar10-jpg.tar.gz
SWIFT_BUILD_FLAGS ?=
RELEASE := .build/release/rdnas
RUN_ARGS ?=

.PHONY: all deps data build test run bench bench-rank bench-rank-protocol bench-scale bench-search clean help stamp

all: build

help:
	@echo "make run    - set up, build (release) and start the main job"
	@echo "make test   - set up and run the whole test suite"
	@echo "make bench  - throughput benchmarks next to the PyTorch peer (writes bench/results/)"
	@echo "make bench-scale - data-parallel (MPI) throughput and a scaling model (writes bench/results/scale-*.md)"

## System packages: installed only when missing; root (or sudo) needed only then.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "rdnas needs these Debian packages:$$missing"; \
	    echo "run as root: apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
	@python3 -c "import safetensors" 2>/dev/null || pip install -q safetensors numpy 2>/dev/null || pip install -q --break-system-packages safetensors numpy || true
	@# onnxruntime and onnx: the ONNX export's tests run the file (skipped, not failed, where PyPI is out of reach).
	@python3 -c "import onnxruntime, onnx" 2>/dev/null || pip install -q onnxruntime onnx 2>/dev/null || pip install -q --break-system-packages onnxruntime onnx 2>/dev/null || true
	@# torch: the export's PyTorch parity tests (tools/rdnas_torch.py), only from a local CPU wheel in pip's
	@# find-links (PyPI's default wheel drags in CUDA); skipped, not failed, without it.
	@python3 -c "import torch" 2>/dev/null || { links=$$(pip config get global.find-links 2>/dev/null || true); \
	  wheel=$$(ls $${links:-/nonexistent}/torch-*cpu*.whl 2>/dev/null | sort -V | tail -1); \
	  [ -z "$$wheel" ] || pip install -q "$$wheel" 2>/dev/null || pip install -q --break-system-packages "$$wheel" 2>/dev/null || true; }

## CIFAR-10 as an ImageFolder tree, extracted from ../shared when it is there (git-ignored data/).
data:
	@if [ -f "$(CIFAR_TAR)" ] && [ ! -d data/cifar10/test ]; then \
	  echo "extracting $(CIFAR_TAR) into data/"; mkdir -p data && tar xzf "$(CIFAR_TAR)" -C data; \
	fi

## The git commit baked into the binary (`rdnas --version`, config.json); plain `swift build` says "unknown".
stamp:
	@bash tools/stamp-commit.sh

build: deps stamp
	swift build -c release $(SWIFT_BUILD_FLAGS)

test: deps data stamp
	@set -o pipefail; swift test --disable-swift-testing 2>&1 | tee .build-test.log | grep -v "^Test Case .* passed"; \
	status=$$?; \
	line=$$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?" .build-test.log | tail -1); \
	n=$$(echo "$$line" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/'); f=$$(echo "$$line" | sed -E 's/.* ([0-9]+) failures?.*/\1/'); \
	s=$$(grep -c "' skipped" .build-test.log || true); \
	if [ -n "$$n" ]; then echo "$$((n - f - s)) passed, $$f failed, $$s skipped"; fi; \
	exit $$status

## The main job: the monitor on a resnet supernet trained on Fashion-MNIST with the reference's winning
## recipe (sandwich + FLOPs-guided ranking distillation, warm-up λ, PReLU outer activation).
RUN_NAME ?= resnet-rd-$(shell date +%Y%m%d-%H%M%S)
run: build data
	$(RELEASE) train --name $(RUN_NAME) --space resnet --activation prelu --strategy sandwich --paths 4 \
	  --proxy flops --pairs 2 --lambda-schedule warmup --min-distance 33 --dataset fashion-mnist \
	  --epochs 5 --landmarks 20 --eval-images 500 --eval-every-steps 100 $(RUN_ARGS)

## BENCH_ARGS: e.g. --threads 1 (see bench/run.sh); --reps 1 --quick only to check the script, not for results.
BENCH_ARGS ?=
bench: build data
	bash bench/run.sh $(BENCH_ARGS)

bench-rank: build data
	bash bench/rank.sh

## Issue 11's protocol: hours of CPU (resumable); the report is rebuilt from whatever runs exist.
bench-rank-protocol: build data
	bash bench/rank_protocol.sh
	python3 bench/rank_protocol.py runs/protocol bench/results/rank-nb201/protocol.md

## Data-parallel throughput (1 rank x 2 threads vs 2 ranks x 1 thread) and an all-reduce cost model.
bench-scale: build data
	bash bench/scale.sh

## Issue 14's search record: evolution vs random over a trained NB201 supernet (SEARCH_RUN), found cells vs the GT.
SEARCH_RUN ?= runs/protocol/rd-swapreg-l4-e13-s0
bench-search: build data
	bash bench/search_nb201.sh $(SEARCH_RUN)

clean:
	rm -rf .build .build-* runs/*/
