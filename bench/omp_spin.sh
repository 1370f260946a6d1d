#!/usr/bin/env bash
# Issue 12: libgomp's barrier spin, short (GOMP_SPINCOUNT=10000) vs libgomp's default (≈300k), and what rdnas
# picks by itself (no variable set: OpenMPSpin's start-up load measurement), at 2 threads on an idle machine and
# next to one competing single-thread process (another rdnas training step loop). Interleaved, ROUNDS rounds, so
# a slow spell of the host hits every setting alike. Writes bench/results/omp-spin-<date>.md.
# Usage: bash bench/omp_spin.sh [ROUNDS]   env: BIN=.build/release/rdnas REPS=10
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/rdnas}; ROUNDS=${1:-4}; REPS=${REPS:-10}
OUT=bench/results/omp-spin-$(date -u +%Y%m%d-%H%M).md
RAW=$(mktemp)
case_line() {  # $1 = label (short|default|rdnas), $2 = load, then the bench arguments
  local label=$1 load=$2; shift 2
  local envs=()
  case $label in short) envs=(GOMP_SPINCOUNT=10000) ;; default) envs=(GOMP_SPINCOUNT=300000) ;; esac
  local out; out=$(env "${envs[@]}" $BIN bench "$@" --threads 2 --precision fp32 --reps $REPS 2>&1 | tr '\n' ' ')
  echo "load=$load spin=$label $out" | tee -a "$RAW"
}
run_round() {  # $1 = load label
  for what in engine nb201 resnet; do
    for label in short default rdnas; do case_line $label "$1" --what $what; done
  done
}
for r in $(seq "$ROUNDS"); do
  run_round idle
  # A competing single-thread job: a 1-thread sandwich-step loop of rdnas itself.
  $BIN bench --what resnet --threads 1 --precision fp32 --reps 100000 >/dev/null 2>&1 & competitor=$!
  sleep 2
  run_round "1-competitor"
  kill $competitor; wait $competitor 2>/dev/null
done
{
  echo "# libgomp barrier spin at 2 threads — $(date -u +%F' '%H:%M) UTC"
  echo ""
  echo "- command: \`bash bench/omp_spin.sh $ROUNDS\` (REPS=$REPS), commit $(git rev-parse --short HEAD)"
  echo "- CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores; flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx512_bf16|amx_bf16|amx_tile)$' | xargs)"
  echo "- spin: short = GOMP_SPINCOUNT=10000, default = 300000 (libgomp's own), rdnas = nothing set (rdnas's own"
  echo "  start-up choice: OpenMPSpin in Sources/Common, as of the commit above)"
  echo "- 1-competitor: another rdnas process running a 1-thread sandwich-step loop during the measurement"
  echo ""
  python3 bench/omp_spin_report.py "$RAW"
  echo ""
  echo "Raw lines:"
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT"
echo "wrote $OUT"
