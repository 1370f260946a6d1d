#!/usr/bin/env bash
# Issue 4, second half: the ranking question on the resnet space (CIFAR-10, CIFAR-scale widths).
#  1. 36 architectures stratified by FLOPs, each trained standalone twice (seeds 1 and 2): the ground truth,
#     and the seed-to-seed τ that bounds what any supernet can reach at this budget;
#  2. a sandwich supernet (largest + smallest + 2 random, KD) with and without FLOPs-guided rank distillation,
#     both evaluated on the 36 with inherited weights (BN recalibrated) and ranked against the ground truth.
# Two jobs run side by side on the two cores (--threads 1 each). Steps whose output exists are skipped, so the
# script resumes after an interruption (`rdnas standalone` also within a ground truth, network by network).
# Usage: [R=runs-folder OUT=results-folder] bash bench/rank_resnet.sh [gt-epochs] [gt-images] [supernet-epochs]
# The folders do not carry the budget: give another budget its own R and OUT, or its steps would be skipped as done
# by the files of the recorded one (3 epochs, 10,000 images, 2 supernet epochs) and its report would replace that record.
# SUPERNETS_FROM=<folder> holds a new ground truth against supernets already scored on the same candidates: it copies
# that folder's cands.json and <name>-eval.json files into R, so only the standalone trainings run, e.g.
#   R=runs/rank-resnet-gt-20k-e3 OUT=bench/results/rank-resnet-gt-20k-e3 SUPERNETS_FROM=bench/results/rank-resnet \
#     bash bench/rank_resnet.sh 3 20000
set -euo pipefail
cd "$(dirname "$0")/.."
GE=${1:-3}; GI=${2:-10000}; SE=${3:-4}
BIN=${BIN:-.build/release/rdnas}
R=${R:-runs/bench-rank-resnet}
OUT=${OUT:-bench/results/rank-resnet}
mkdir -p "$R" "$OUT"
if [ -n "${SUPERNETS_FROM:-}" ]; then
  for f in cands.json sandwich-eval.json sandwich-rd-flops-eval.json; do
    [ -f "$R/$f" ] || cp "$SUPERNETS_FROM/$f" "$R/$f"
  done
fi
DATA="--dataset cifar10 --data data/cifar10"
[ -f "$R/cands.json" ] || $BIN sample --space resnet --count 36 --stratify-flops --seed 4 --out "$R/cands.json"

gt() {  # seed
  [ -f "$R/gt-seed$1.json" ] && return
  $BIN standalone --space resnet $DATA --archs "$R/cands.json" --out "$R/gt-seed$1.json" --epochs $GE \
    --train-limit $GI --threads 1 --seed $1 2> "$R/gt-seed$1.log"
}
t0=$(date +%s); gt 1 & gt 2 & wait; echo "ground truth: $(( $(date +%s) - t0 )) s"

supernet() {  # name, extra args
  local name=$1; shift
  [ -f "$R/$name/checkpoints/last.safetensors" ] || [ -f "$R/$name-eval.json" ] && return
  $BIN train --headless --runs-dir "$R" --name "$name" --space resnet $DATA --strategy sandwich --paths 4 \
    --epochs $SE --lr 0.05 --threads 1 --seed 0 --log-every 100 "$@" 2> "$R/$name.log"
}
t0=$(date +%s)
supernet sandwich & supernet sandwich-rd-flops --proxy flops --pairs 1 --lambda-schedule warmup --lambda-max 2 & wait
echo "supernets: $(( $(date +%s) - t0 )) s"
evaluate() {
  [ -f "$R/$1-eval.json" ] || $BIN eval --run "$R/$1" --archs "$R/cands.json" --out "$R/$1-eval.json" \
    --bn-recalibrate 20 --images 5000 --threads 1 2> "$R/$1-eval.log"
}
evaluate sandwich & evaluate sandwich-rd-flops & wait
$BIN proxy --space resnet $DATA --archs "$R/cands.json" --proxies flops,params --out "$R/proxies.csv" 2> /dev/null
python3 bench/rank_resnet_report.py "$R" "$OUT" "bash bench/rank_resnet.sh $GE $GI $SE" | tee "$OUT/README.md"
