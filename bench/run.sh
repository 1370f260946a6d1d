#!/usr/bin/env bash
# `make bench`: rdnas next to the PyTorch peer in one run (same machine load), 1 and 2 threads, fp32 and bf16.
#  - engine: 3x3 conv fwd+bwd (N=64, 32->32, 32x32) and a ResNet-20 training step (batch 64)
#  - supernet steps as ../shared/tools/peer_torch.py defines them: NB201 SPOS (C=16, N=5) and the elastic
#    CIFAR ResNet sandwich (max + min + 2 random, KD), plus rdnas with 2 rank-loss pairs
#  - candidate evaluation (candidates/s, 1,000 images, with and without BN recalibration)
#  - where a step's time goes (--profile), and resident memory per epoch of a short training run
# Peak RSS of every process from /usr/bin/time. Writes bench/results/bench-<date>.md with a ratio table.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/rdnas
PEER=../shared/tools/peer_torch.py
OUT=bench/results/bench-$(date -u +%Y%m%d-%H%M).md
RAW=$(mktemp)
python3 -c "import torch" 2>/dev/null || pip install -q torch || pip install -q --break-system-packages torch
rss() { /usr/bin/time -f "%M" -o /tmp/rdnas-rss "$@"; echo " rss_kb=$(cat /tmp/rdnas-rss)"; }
{
  echo "# rdnas vs PyTorch — $(date -u +%F' '%H:%M) UTC"
  echo ""
  echo "- command: \`make bench\` (bench/run.sh), commit $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), oneDNN $(ONEDNN_VERBOSE=1 $BIN bench --what engine --reps 1 --threads 1 2>&1 | grep -m1 -o 'isa:.*'); torch $(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- the peer has no bf16 mode: bf16 ratios are rdnas bf16 against PyTorch fp32, as the targets are stated"
  echo ""
  echo '```'
  for t in 1 2; do
    for p in fp32 bf16; do rss $BIN bench --what engine --threads $t --precision $p --reps 20 | tr '\n' ' '; echo; done
    rss python3 bench/peer_resnet20.py --threads $t --reps 20 | tr '\n' ' '; echo
    for p in fp32 bf16; do rss $BIN bench --what nb201 --threads $t --precision $p --reps 20 | tr -d '\n'; echo; done
    rss python3 $PEER nb201 --batch 64 --threads $t --N 5 --steps 20 | tr -d '\n'; echo
    for p in fp32 bf16; do
      rss $BIN bench --what resnet --threads $t --precision $p --reps 10 | tr -d '\n'; echo
      rss $BIN bench --what resnet --pairs 2 --threads $t --precision $p --reps 10 | tr -d '\n'; echo
    done
    rss python3 $PEER resnet --batch 64 --threads $t --steps 10 | tr -d '\n'; echo
    for p in fp32 bf16; do $BIN bench --what eval --threads $t --precision $p --reps 6; done
  done
  echo '```'
} | tee "$RAW"
{
  cat "$RAW"
  echo ""
  python3 bench/summarise.py "$RAW"
  echo ""
  echo "## Where a step's time goes (1 thread, fp32; \`rdnas bench --what <space> --profile\`)"
  echo ""
  echo '```'
  $BIN bench --what nb201 --threads 1 --reps 20 --profile
  $BIN bench --what resnet --pairs 2 --threads 1 --reps 10 --profile
  $BIN bench --what resnet --pairs 2 --threads 1 --reps 10 --profile --precision bf16
  echo '```'
  if [ -d data/cifar10 ]; then
    echo ""
    echo "## Resident memory per epoch of a training run (NB201 C=16 N=1 SPOS + FLOPs rank loss, 6,400 images/epoch)"
    echo ""
    echo '```'
    rm -rf runs/bench-memory
    $BIN train --headless --runs-dir runs/bench-memory --name mem --space nb201 --nb201-n 1 --dataset cifar10 \
      --data data/cifar10 --train-limit 6400 --epochs 4 --strategy spos --paths 1 --proxy flops --pairs 1 \
      --threads 2 --log-every 1000 2>&1 | grep "done"
    echo '```'
  fi
} > "$OUT"
tail -n +$(( $(wc -l < "$RAW") + 1 )) "$OUT"
rm -f "$RAW"
echo "wrote $OUT"
