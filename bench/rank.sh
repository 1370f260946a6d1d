#!/usr/bin/env bash
# The NB201 ranking benchmark (issue 4): zero-cost proxies alone, an SPOS supernet, and SPOS + ranking
# distillation, all ranked against the CIFAR-10 200-epoch ground truth with bootstrap CIs.
# Usage: bash bench/rank.sh [threads] [epochs] [C] [N]   (defaults: 1 3 16 1 — the small-budget regime)
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-1}; E=${2:-3}; C=${3:-16}; N=${4:-1}
BIN=.build/release/rdnas
GT=../shared/data/nasbench201/nb201_test_acc_200ep.csv
R=runs/bench-rank
OUT=bench/results/rank-nb201
rm -rf "$R"; mkdir -p "$R" "$OUT"
COMMON="--space nb201 --nb201-c $C --nb201-n $N --dataset cifar10 --data data/cifar10 --threads $T --seed 0"
note() { echo "$@" | tee -a "$OUT/log.md"; }
: > "$OUT/log.md"
note "# NB201 ranking benchmark — $(date -u +%F' '%H:%M) UTC, commit $(git rev-parse --short HEAD)"
note "command: \`bash bench/rank.sh $T $E $C $N\`; supernets C=$C N=$N, $E epochs of 45k CIFAR-10 images, batch 64, SGD 0.05 cosine, seed 0"
note ""

# 1. Proxies alone (proxies use the benchmark's own macro, C=16 N=5).
t0=$(date +%s)
$BIN proxy --space nb201 --dataset cifar10 --data data/cifar10 --threads $T --all --proxies flops,params,synflow --out "$R/proxies-all.csv" 2>> "$R/proxy.log"
python3 tools/stratified_cells.py "$GT" 1000 7 "$R/sample1000.json" > /dev/null
$BIN proxy --space nb201 --dataset cifar10 --data data/cifar10 --threads $T --archs "$R/sample1000.json" --proxies naswot,zen,snip,gradnorm --out "$R/proxies-1000.csv" 2>> "$R/proxy.log"
note "## 1. Zero-cost proxies alone ($(( $(date +%s) - t0 )) s)"
for p in flops params synflow; do
  $BIN rank "$R/proxies-all.csv" "$GT" --column-a $p --no-plot --json "$R/tau-$p.json" > "$R/rank-$p.txt"
  note "- $p (all 15,625 cells): $(grep 'Kendall' "$R/rank-$p.txt")"
done
for p in naswot zen snip gradnorm; do
  $BIN rank "$R/proxies-1000.csv" "$GT" --column-a $p --no-plot --json "$R/tau-$p.json" > "$R/rank-$p.txt"
  note "- $p (1,000 cells stratified by accuracy): $(grep 'Kendall' "$R/rank-$p.txt")"
done
BEST=$(python3 - "$R" <<'PY'
import json, sys
r = sys.argv[1]
print(max(["flops", "params", "synflow"], key=lambda p: json.load(open(f"{r}/tau-{p}.json"))["tau"]["value"]))
PY
)
note "- best proxy over all cells: **$BEST**"
note ""

# 2–3. Supernets.
train() {  # name, extra args
  local name=$1; shift
  local t0=$(date +%s)
  $BIN train --headless --runs-dir "$R" --name "$name" $COMMON --strategy spos --paths 1 --epochs $E --lr 0.05 --log-every 100 "$@" 2> "$R/$name.log"
  note "- $name: \`rdnas train ... $*\` — $(( $(date +%s) - t0 )) s"
}
note "## 2–3. Supernets"
train spos
train rd-$BEST --proxy $BEST --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2
[ "$BEST" != flops ] && train rd-flops --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2
note ""

# Held-out cells: 500 stratified by accuracy, disjoint from every run's landmarks.
python3 tools/stratified_cells.py "$GT" 500 11 "$R/heldout.json" --exclude "$R"/*/metrics.jsonl | tee -a "$OUT/log.md"
note ""
note "## Ranking of 500 held-out cells vs ground truth (1,000 validation images; BN: running statistics / recalibrated on 5 batches)"
note ""
note "| model | BN | Kendall τ [95% CI] | Spearman ρ | P@top-10% |"
note "|---|---|---|---|---|"
row() { python3 - "$1" "$2" "$3" <<'PY' | tee -a "$OUT/log.md"
import json, sys
r = json.load(open(sys.argv[1]))
t, rho = r["tau"], r["rho"]
p = next(x["estimate"] for x in r["precision"] if x["percent"] == 10)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {t['value']:.3f} [{t['low']:.3f}, {t['high']:.3f}] | {rho['value']:.3f} | {p['value']:.3f} [{p['low']:.3f}, {p['high']:.3f}] |")
PY
}
for p in flops params synflow; do
  python3 - "$R/proxies-all.csv" "$R/heldout.json" "$p" "$R/heldout-$p.json" <<'PY'
import csv, json, sys
scores = {r["arch"]: float(r[sys.argv[3]]) for r in csv.DictReader(open(sys.argv[1]))}
held = json.load(open(sys.argv[2]))
json.dump({k: {"acc": scores[v["arch"]], "arch": v["arch"]} for k, v in held.items()}, open(sys.argv[4], "w"))
PY
  $BIN rank "$R/heldout-$p.json" "$GT" --no-plot --json "$R/held-$p.json" > /dev/null
  row "$R/held-$p.json" "proxy $p alone" "–"
done
for run in spos $(echo rd-$BEST rd-flops | tr " " "\n" | sort -u); do
  [ -d "$R/$run" ] || continue
  for k in 0 5; do
    $BIN eval --run "$R/$run" --archs "$R/heldout.json" --out "$R/$run-eval-bn$k.json" --images 1000 --bn-recalibrate $k --threads $T 2>> "$R/eval.log"
    $BIN rank "$R/$run-eval-bn$k.json" "$GT" --no-plot --json "$R/held-$run-bn$k.json" --svg "$OUT/$run-bn$k.svg" > /dev/null
    row "$R/held-$run-bn$k.json" "$run" "$([ $k = 0 ] && echo running || echo recal-5)"
  done
done
cp "$R"/tau-*.json "$R"/held-*.json "$OUT/" 2>/dev/null || true
mv "$OUT/log.md" "$OUT/README.md"
echo "wrote $OUT/README.md"
