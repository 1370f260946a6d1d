#!/usr/bin/env bash
# `make bench-scale`: data-parallel throughput on this machine and, on paper, beyond it.
#  - img/s of NB201 SPOS (C=16, N=5) and the resnet sandwich (largest + smallest + 2 random, KD) at
#    1 rank x 2 threads vs 2 ranks x 1 thread (global batch 64, CIFAR-10), from the runs' own step events
#  - eval candidates/s at 1 and 2 ranks (wall clock, start-up and data loading included)
#  - bytes all-reduced per step (the sampled paths' gradients + touched flags + step losses; rank 0 prints the
#    average at the end), next to the whole supernet's gradient size (from the checkpoint)
#  - a ring all-reduce cost model for 8/32/128 nodes (bench/scale_report.py)
# Writes bench/results/scale-<date>.md. Needs the whole machine: nothing else should run meanwhile.
set -euo pipefail
BIN=.build/release/rdnas
R=runs/bench-scale
OUT=bench/results/scale-$(date -u +%Y%m%d-%H%M).md
MPI=(mpirun --oversubscribe -np 2)
[ "$(id -u)" = 0 ] && MPI=(mpirun --allow-run-as-root --oversubscribe -np 2)
export OMP_NUM_THREADS=1
rm -rf "$R"; mkdir -p "$R" bench/results

COMMON=(--headless --runs-dir "$R" --dataset cifar10 --train-limit 2560 --batch-size 64 --epochs 1 --log-every 1 --precision fp32)
NB201=(--space nb201 --nb201-c 16 --nb201-n 5 --strategy spos --paths 1)
RESNET=(--space resnet --strategy sandwich --paths 4)

$BIN train "${COMMON[@]}" "${NB201[@]}" --name nb201-1x2 --threads 2
"${MPI[@]}" $BIN train "${COMMON[@]}" "${NB201[@]}" --name nb201-2x1 --threads 1 2>&1 | tee "$R/nb201-2x1.log"
$BIN train "${COMMON[@]}" "${RESNET[@]}" --name resnet-1x2 --threads 2
"${MPI[@]}" $BIN train "${COMMON[@]}" "${RESNET[@]}" --name resnet-2x1 --threads 1 2>&1 | tee "$R/resnet-2x1.log"

$BIN sample --space nb201 --nb201-c 16 --nb201-n 5 --count 100 --out "$R/cands.json"
t0=$(date +%s.%N)
$BIN eval --run "$R/nb201-1x2" --archs "$R/cands.json" --out "$R/eval-1.json" --images 1000 --threads 2 --precision fp32
t1=$(date +%s.%N)
"${MPI[@]}" $BIN eval --run "$R/nb201-1x2" --archs "$R/cands.json" --out "$R/eval-2.json" --images 1000 --threads 1 --precision fp32
t2=$(date +%s.%N)
cmp "$R/eval-1.json" "$R/eval-2.json"

python3 bench/scale_report.py --runs "$R" --eval-seconds "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" \
  --eval-candidates 100 > "$OUT"
echo "wrote $OUT"
