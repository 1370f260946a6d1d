#!/usr/bin/env bash
# `make bench`: rdnas next to the PyTorch peer in one run (same machine load), 1 and 2 threads.
#  - engine: 3x3 conv fwd+bwd (N=64, 32->32, 32x32) and a ResNet-20 training step (batch 64)
#  - supernet steps as ../shared/tools/peer_torch.py defines them: NB201 SPOS (C=16, N=5) and the elastic
#    CIFAR ResNet sandwich (max + min + 2 random, KD), plus rdnas with 2 rank-loss pairs
# Peak RSS of every process from /usr/bin/time. Writes bench/results/bench-<date>.md.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/rdnas
PEER=../shared/tools/peer_torch.py
OUT=bench/results/bench-$(date -u +%Y%m%d-%H%M).md
python3 -c "import torch" 2>/dev/null || pip install -q torch || pip install -q --break-system-packages torch
rss() { /usr/bin/time -f "%M" -o /tmp/rdnas-rss "$@"; echo " rss_kb=$(cat /tmp/rdnas-rss)"; }
{
  echo "# rdnas vs PyTorch — $(date -u +%F' '%H:%M) UTC"
  echo ""
  echo "- command: \`make bench\` (bench/run.sh), commit $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); torch $(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo ""
  echo '```'
  for t in 1 2; do
    rss $BIN bench --what engine --threads $t --reps 20 | tr '\n' ' '; echo
    rss python3 bench/peer_resnet20.py --threads $t --reps 20 | tr '\n' ' '; echo
    rss $BIN bench --what nb201 --threads $t --reps 20 | tr -d '\n'; echo
    rss python3 $PEER nb201 --batch 64 --threads $t --N 5 --steps 20 | tr -d '\n'; echo
    rss $BIN bench --what resnet --threads $t --reps 10 | tr -d '\n'; echo
    rss $BIN bench --what resnet --pairs 2 --threads $t --reps 10 | tr -d '\n'; echo
    rss python3 $PEER resnet --batch 64 --threads $t --steps 10 | tr -d '\n'; echo
  done
  echo '```'
} | tee "$OUT"
echo "wrote $OUT"
