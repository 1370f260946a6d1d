#!/usr/bin/env bash
# Rebuilds the folders the NB201 ranking reports read (runs/protocol, runs/protocol-img3000, runs/protocol-bn20, runs/protocol-bag) from
# the committed record (bench/results/rank-nb201/protocol/), so that on a fresh clone, with no trained supernet left,
#   python3 bench/rank_protocol.py runs/protocol bench/results/rank-nb201/protocol.md
#   python3 bench/rank_eval_sweep_report.py bench/results/rank-nb201/eval-sweep.md
# remake the committed tables from the committed score files (and anyone can re-rank those files against another
# ground truth). Each run's landmark set becomes its folder's metrics.jsonl: the reports read only the landmark
# line from it. Existing files are left alone, so this never overwrites a live run's output.
# Usage: bash bench/rank_protocol_restore.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=bench/results/rank-nb201/protocol
R=runs/protocol
mkdir -p "$R"
put() { [ -e "$2" ] || cp "$1" "$2"; }  # source, destination
for f in heldout-uniform.json heldout-proxies.csv calibration.json calibration-proxies.csv times.txt; do
  put "$SRC/$f" "$R/$f"
done
put "$SRC/all-swap-nb201.csv" "$R/all-swap.csv"
[ -e "$R/teacher-swapreg.csv" ] || python3 tools/swap_teacher.py "$R/all-swap.csv" "$R/teacher-swapreg.csv" > /dev/null
# A folder of runs from its committed score files and landmark sets: source folder, run folder.
runs_from() {
  mkdir -p "$2"
  for f in "$1"/*-eval.json; do put "$f" "$2/$(basename "$f")"; done
  for f in "$1"/*-landmarks.jsonl; do
    local run; run=$(basename "$f" -landmarks.jsonl)
    mkdir -p "$2/$run"
    put "$f" "$2/$run/metrics.jsonl"
  done
}
runs_from "$SRC/evals" "$R"
for variant in img3000 bn20; do
  mkdir -p "$R-$variant"
  for f in "$SRC/evals-$variant"/*-eval.json; do put "$f" "$R-$variant/$(basename "$f")"; done
done
# Seeds trained apart from runs/protocol (round 19's bags), so their landmarks leave its held-out cells unchanged.
runs_from "$SRC/evals-bag" "$R-bag"
echo "restored $R, $R-img3000, $R-bn20, $R-bag from $SRC ($(ls "$R"/*-eval.json | wc -l) score files)"
