#!/usr/bin/env bash
# Issue-3 record: train a sandwich resnet supernet on Fashion-MNIST and an SPOS nb201 supernet on CIFAR-10,
# then evaluate 50 sampled codes each with inherited weights. Writes bench/results/supernet-record.md.
# Usage: bash bench/supernet_record.sh [threads] [resnet-epochs] [nb201-epochs]
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-2}; RE=${2:-3}; NE=${3:-10}
BIN=.build/release/rdnas
OUT=bench/results/supernet-record.md
RUNS=runs/bench-record
rm -rf "$RUNS"; mkdir -p "$RUNS"
log() { echo "$@" | tee -a "$OUT.tmp"; }
: > "$OUT.tmp"
log "# Supernet training + candidate evaluation record"
log ""
log "- date: $(date -u +%F' '%H:%M) UTC; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
log "- command: \`bash bench/supernet_record.sh $T $RE $NE\` (commit $(git rev-parse --short HEAD))"
log ""
summarise() {  # $1 = eval json, $2 = label
  python3 - "$1" "$2" <<'PY'
import json, sys, statistics
d = json.load(open(sys.argv[1]))
acc = [v["acc"] for v in d.values()]
print(f"- {sys.argv[2]}: {len(acc)} codes, top-1 min {min(acc):.4f} / median {statistics.median(acc):.4f} / max {max(acc):.4f}, std {statistics.pstdev(acc):.4f}")
PY
}
run_space() {  # label, train args..., eval args
  local label=$1; shift
  local t0=$(date +%s)
  $BIN train --headless --runs-dir "$RUNS" --threads "$T" --log-every 50 "$@" 2> "$RUNS/$label.train.log"
  local t1=$(date +%s)
  log "## $label"
  log ""
  log "- train: \`rdnas train $*\`"
  log "- wall time $((t1 - t0)) s; last progress line: \`$(grep 'img/s' "$RUNS/$label.train.log" | tail -1)\`"
  log "- mean images/s over the run: $(python3 -c "
import json
steps=[json.loads(l) for l in open('$RUNS/$2/metrics.jsonl') if '\"type\":\"step\"' in l]
print(f'{sum(s.get(\"images_per_second\", s.get(\"imagesPerSecond\", 0)) for s in steps)/len(steps):.0f} (data images per second; each step runs every path on its batch)')")"
}
# resnet: sandwich (largest CE, smallest + 2 random KD), default CIFAR-scale widths, Fashion-MNIST.
run_space resnet --name resnet-fmnist --space resnet --strategy sandwich --paths 4 --dataset fashion-mnist --epochs "$RE" --lr 0.05
$BIN sample --space resnet --count 48 --seed 1 --out "$RUNS/resnet-cands.json" > /dev/null
python3 - "$RUNS/resnet-cands.json" <<'PY'
# Add the largest and smallest subnet as arch49/arch50 so the record can compare them.
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["arch49"] = {"acc": 0.0, "arch": "1" + "5585" + "1" + "11"*5 + "11"*5 + "11"*8 + "11"*5}
d["arch50"] = {"acc": 0.0, "arch": "1" + "2222" + "7" + "77"*2 + "00"*3 + "77"*2 + "00"*3 + "77"*2 + "00"*6 + "77"*2 + "00"*3}
json.dump(d, open(p, "w"))
PY
t0=$(date +%s)
$BIN eval --run "$RUNS/resnet-fmnist" --archs "$RUNS/resnet-cands.json" --out "$RUNS/resnet-eval.json" --threads "$T" 2> "$RUNS/resnet.eval.log"
t1=$(date +%s)
log "- eval: 50 codes (48 sampled + largest + smallest) on the 5,000-image validation split, $((t1 - t0)) s ($(python3 -c "print(f'{50/max(1,$((t1-t0))):.2f}')") candidates/s)"
summarise "$RUNS/resnet-eval.json" "accuracy spread" | tee -a "$OUT.tmp"
python3 - "$RUNS/resnet-eval.json" <<'PY' | tee -a "$OUT.tmp"
import json, sys
d = json.load(open(sys.argv[1]))
print(f"- largest subnet {d['arch49']['acc']:.4f} vs smallest {d['arch50']['acc']:.4f}")
PY
# The same with BN statistics recalibrated on 20 training batches per candidate.
$BIN eval --run "$RUNS/resnet-fmnist" --archs "$RUNS/resnet-cands.json" --out "$RUNS/resnet-eval-recal.json" --bn-recalibrate 20 --threads "$T" 2>> "$RUNS/resnet.eval.log"
summarise "$RUNS/resnet-eval-recal.json" "with BN recalibrated (20 batches)" | tee -a "$OUT.tmp"
python3 - "$RUNS/resnet-eval-recal.json" <<'PY' | tee -a "$OUT.tmp"
import json, sys
d = json.load(open(sys.argv[1]))
print(f"- recalibrated: largest subnet {d['arch49']['acc']:.4f} vs smallest {d['arch50']['acc']:.4f}")
PY
log ""
# nb201: SPOS on CIFAR-10 (45k/5k split), C=16, N=5; then 50 cells scored against the 200-epoch GT.
run_space nb201 --name nb201-cifar --space nb201 --strategy spos --paths 1 --dataset cifar10 --data data/cifar10 --epochs "$NE" --lr 0.05
$BIN sample --space nb201 --count 50 --seed 1 --out "$RUNS/nb201-cands.json" > /dev/null
t0=$(date +%s)
$BIN eval --run "$RUNS/nb201-cifar" --archs "$RUNS/nb201-cands.json" --out "$RUNS/nb201-eval.json" --threads "$T" 2> "$RUNS/nb201.eval.log"
t1=$(date +%s)
log "- eval: 50 sampled cells on the 5,000-image validation split, $((t1 - t0)) s"
summarise "$RUNS/nb201-eval.json" "accuracy spread" | tee -a "$OUT.tmp"
$BIN eval --run "$RUNS/nb201-cifar" --archs "$RUNS/nb201-cands.json" --out "$RUNS/nb201-eval-recal.json" --bn-recalibrate 20 --threads "$T" 2>> "$RUNS/nb201.eval.log"
summarise "$RUNS/nb201-eval-recal.json" "with BN recalibrated (20 batches)" | tee -a "$OUT.tmp"
$BIN rank "$RUNS/nb201-eval-recal.json" ../shared/data/nasbench201/nb201_test_acc_200ep.csv --no-plot 2>/dev/null | sed 's/^/    /' | tee -a "$OUT.tmp" || true
$BIN rank "$RUNS/nb201-eval.json" ../shared/data/nasbench201/nb201_test_acc_200ep.csv --no-plot 2>/dev/null | sed 's/^/    /' | tee -a "$OUT.tmp" || true
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
