#!/usr/bin/env bash
# NB201 exploration, second round (after bench/rank.sh; reuses runs/bench-rank/heldout.json): what moves τ at the
# small budget (C=16, N=1, 3 epochs), ranked by accuracy and by validation loss. Also the bf16 run of issue 6.
# Each line: name, then `rdnas train` options. Runs $JOBS at a time (default 2), each on one thread.
# Usage: bash bench/rank_explore2.sh [name ...]   (no names: all)
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/rdnas}; R=runs/bench-rank; GT=../shared/data/nasbench201/nb201_test_acc_200ep.csv
JOBS=${JOBS:-2}
COMMON="--space nb201 --nb201-c 16 --nb201-n 1 --dataset cifar10 --data data/cifar10 --threads 1 --seed 0 --lr 0.05 --log-every 100 --headless --runs-dir $R"
EXPERIMENTS="
rd-flops-bf16|--strategy spos --paths 1 --epochs 3 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --precision bf16
rd-flops-s1|--strategy spos --paths 1 --epochs 3 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --seed 1
rd-flops-bf16-s1|--strategy spos --paths 1 --epochs 3 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --precision bf16 --seed 1
rd-flops-sym-l10|--strategy spos --paths 1 --epochs 3 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 10 --symmetric
rd-flops-sym-p4|--strategy spos --paths 1 --epochs 3 --proxy flops --pairs 4 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --symmetric
sandwich-rd-flops|--strategy sandwich --paths 4 --epochs 3 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2
rd-synflow-sym|--strategy spos --paths 1 --epochs 3 --proxy synflow --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --symmetric
rd-synflow-sym-l10|--strategy spos --paths 1 --epochs 3 --proxy synflow --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 10 --symmetric
rd-flops-sym-l10-e10|--strategy spos --paths 1 --epochs 10 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 10 --symmetric
spos-e10|--strategy spos --paths 1 --epochs 10
rd-flops-sym-e10|--strategy spos --paths 1 --epochs 10 --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --symmetric
"
run() {  # name, options
  local name=$1; shift
  local t0=$(date +%s)
  [ -f "$R/$name/checkpoints/last.safetensors" ] || $BIN train --name $name $COMMON "$@" 2> $R/$name.log
  local t1=$(date +%s)
  [ -f "$R/$name-eval-bn5.json" ] || $BIN eval --run $R/$name --archs $R/heldout.json --out $R/$name-eval-bn5.json \
    --images 1000 --bn-recalibrate 5 --threads 1 2>> $R/eval-$name.log
  $BIN rank $R/$name-eval-bn5.json $GT --no-plot --json $R/held-$name-bn5.json > /dev/null
  $BIN rank $R/$name-eval-bn5.json $GT --column-a loss --no-plot --json $R/held-$name-bn5-loss.json > /dev/null
  echo "$name train $(( t1 - t0 )) s, eval $(( $(date +%s) - t1 )) s: $*" >> $R/explore2-times.txt
}
wanted=" $* "
echo "$EXPERIMENTS" | { while IFS='|' read -r name opts; do
  [ -z "$name" ] && continue
  [ $# -gt 0 ] && [[ "$wanted" != *" $name "* ]] && continue
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 5; done
  run "$name" $opts &
done
wait; }
