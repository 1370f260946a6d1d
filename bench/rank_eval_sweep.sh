#!/usr/bin/env bash
# Evaluation-budget sweep of the NB201 protocol (issue 11, item 4: "BN recalibration size, evaluation images"):
# the already trained supernets of runs/protocol are re-scored on the same 560 uniformly drawn cells with a larger
# evaluation budget into one folder per variant, runs/protocol-<variant>, which links every run folder and proxy file
# of runs/protocol (same landmarks, hence the same 500 cells); bench/rank_eval_sweep_report.py compares the variants
# (bench/rank_protocol.py also reads such a folder on its own).
# Resumable: an eval JSON that exists is not recomputed.
# Usage: JOBS=2 [ONLY=variant] bash bench/rank_eval_sweep.sh [run ...]   (default: rd-swapreg-late-s0..2 spos-e40-s1..2)
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/rdnas}; R=${R:-runs/protocol}; JOBS=${JOBS:-1}
RUNS=${*:-"rd-swapreg-late-s0 rd-swapreg-late-s1 rd-swapreg-late-s2 spos-e40-s1 spos-e40-s2"}
# variant|eval options (the protocol's own: --images 1000 --bn-recalibrate 5)
VARIANTS="
img3000|--images 3000 --bn-recalibrate 5
bn20|--images 1000 --bn-recalibrate 20
"
prepare() {  # variant folder: links to every run folder and proxy/cell file of $R
  local V=$1; mkdir -p "$V"
  for f in "$R"/*; do
    case "$f" in *-eval.json|*.log|*/times.txt|*.queue) continue ;; esac
    [ -e "$V/$(basename "$f")" ] || ln -s "$(realpath "$f")" "$V/$(basename "$f")"
  done
}
# One queue over every (variant, run), so both job slots stay busy to the end.
echo "$VARIANTS" | while IFS='|' read -r variant opts; do
  [ -z "$variant" ] && continue
  [ -n "${ONLY:-}" ] && [ "$variant" != "$ONLY" ] && continue
  prepare "$R-$variant"
  for run in $RUNS; do echo "$variant|$run|$opts"; done
done > "$R.eval-sweep.queue"
while IFS='|' read -r variant run opts; do
  V=$R-$variant; out="$V/$run-eval.json"
  [ -f "$out" ] && continue
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 5; done
  ( t0=$(date +%s)
    $BIN eval --run "$R/$run" --archs "$R/heldout-uniform.json" --out "$out.tmp" $opts --threads 1 --precision fp32 \
      < /dev/null 2>> "$V/$run.log" && mv "$out.tmp" "$out" && echo "$run $variant eval $(( $(date +%s) - t0 )) s" >> "$V/times.txt" ) &
done < "$R.eval-sweep.queue"
wait
