#!/usr/bin/env bash
# Issue 14's search record on the resnet space: evolutionary vs random search over one sandwich supernet under a
# FLOPs budget (the median FLOPs of bench/results/rank-resnet's 36 stratified architectures), SEEDS seeds each at
# equal evaluations; the best code of every search is then trained standalone with the recipe of that ground truth
# (`rdnas standalone --epochs 3 --train-limit 10000`, seeds 1 and 2), so the found codes are held against the 36
# architectures' standalone accuracy under the same budget. Resumable: every step whose output exists is skipped.
# Usage: bash bench/search_resnet.sh [OUT.md]   env: SEEDS="0 1 2" GENERATIONS=5 POPULATION=12 IMAGES=500
#        SUPERNET_EPOCHS=2 THREADS=1 PRECISION=fp32 (supernet and searches; standalone training stays fp32) BIN=.build/release/rdnas R=runs/bench-search-resnet
#        (a smoke test of the pipeline: SMOKE=1 trains on a few hundred images only; its figures mean nothing)
set -u
cd "$(dirname "$0")/.."
OUT=${1:-bench/results/search-resnet.md}
BIN=${BIN:-.build/release/rdnas}; R=${R:-runs/bench-search-resnet}; SEEDS=${SEEDS:-"0 1 2"}
GENERATIONS=${GENERATIONS:-5}; POPULATION=${POPULATION:-12}; IMAGES=${IMAGES:-500}; SE=${SUPERNET_EPOCHS:-2}
THREADS=${THREADS:-1}; PRECISION=${PRECISION:-fp32}; GTDIR=${GTDIR:-bench/results/rank-resnet}
DATA="--dataset cifar10 --data data/cifar10"
SMOKE=${SMOKE:-}; TRAIN_LIMIT=${SMOKE:+--train-limit 256}; GT_IMAGES=${SMOKE:+256}; GT_IMAGES=${GT_IMAGES:-10000}
mkdir -p "$R"
echo "THREADS=$THREADS PRECISION=$PRECISION SUPERNET_EPOCHS=$SE GENERATIONS=$GENERATIONS POPULATION=$POPULATION IMAGES=$IMAGES SEEDS=\"$SEEDS\" on $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores" > "$R/settings.txt"
FLOPS_MAX=$(python3 -c "import csv,statistics,sys; print(int(statistics.median(float(r['flops']) for r in csv.DictReader(open(sys.argv[1])))))" "$GTDIR/proxies.csv")
echo "FLOPs budget: $FLOPS_MAX (median of $GTDIR/proxies.csv)"
t0=$(date +%s)
# The supernet of the ground truth's record (rank-resnet): sandwich, 4 paths, SGD 0.05 cosine.
grep -q '"stopped":false' "$R/sandwich/metrics.jsonl" 2>/dev/null || {
  resume=; [ -f "$R/sandwich/checkpoints/last.safetensors" ] && resume=--resume
  $BIN train --headless --runs-dir "$R" --name sandwich --space resnet $DATA --strategy sandwich --paths 4 \
    --epochs $SE --lr 0.05 --threads $THREADS --seed 0 --log-every 100 --precision $PRECISION $TRAIN_LIMIT $resume 2>> "$R/sandwich.log"; }
echo "supernet $(( $(date +%s) - t0 )) s" >> "$R/times.txt"
for seed in $SEEDS; do
  for method in evolution random; do
    name=$method-s$seed
    # Run again even when done: `rdnas search` resumes from state.json and returns at once when it is complete.
    t0=$(date +%s)
    $BIN search --run "$R/sandwich" --method $method --seed $seed --name $name --generations $GENERATIONS \
      --population $POPULATION --score-by accuracy --bn-recalibrate 5 --images $IMAGES --threads $THREADS \
      --precision $PRECISION --flops-max $FLOPS_MAX --headless > "$R/search-$name.log" 2>&1
    echo "$name $(( $(date +%s) - t0 )) s" >> "$R/times.txt"
  done
done
# One candidates file of every search's best code (deduplicated), trained standalone like the ground truth.
python3 - "$R" <<'PY'
import glob, json, sys
R = sys.argv[1]; codes = []
for top in sorted(glob.glob(f"{R}/sandwich/search/*/top.json")):
    best = max(json.load(open(top)).values(), key=lambda v: v["score"])["arch"]
    if best not in codes: codes.append(best)
json.dump({f"arch{i + 1}": {"acc": 0.0, "arch": c} for i, c in enumerate(codes)}, open(f"{R}/found.json", "w"), indent=1)
PY
standalone() {  # seed
  [ -f "$R/found-gt-seed$1.json" ] && return
  $BIN standalone --space resnet $DATA --archs "$R/found.json" --out "$R/found-gt-seed$1.json" --epochs 3 \
    --train-limit $GT_IMAGES --threads 1 --seed $1 --precision fp32 2> "$R/found-gt-seed$1.log"
}
t0=$(date +%s); standalone 1 & standalone 2 & wait; echo "standalone $(( $(date +%s) - t0 )) s" >> "$R/times.txt"
python3 bench/search_resnet_report.py "$R" "$GTDIR" "$FLOPS_MAX" "$OUT"
