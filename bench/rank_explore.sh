#!/usr/bin/env bash
set -u
# Runs after bench/rank.sh (reuses runs/bench-rank/heldout.json). Usage: bash bench/rank_explore.sh
cd "$(dirname "$0")/.."
BIN=.build/release/rdnas; R=runs/bench-rank; GT=../shared/data/nasbench201/nb201_test_acc_200ep.csv
COMMON="--space nb201 --nb201-c 16 --nb201-n 1 --dataset cifar10 --data data/cifar10 --threads 1 --seed 0 --strategy spos --paths 1 --epochs 3 --lr 0.05 --log-every 100 --headless --runs-dir $R"
run() { name=$1; shift
  t0=$(date +%s)
  $BIN train --name $name $COMMON "$@" 2> $R/$name.log
  $BIN eval --run $R/$name --archs $R/heldout.json --out $R/$name-eval-bn5.json --images 1000 --bn-recalibrate 5 --threads 1 2>> $R/eval-$name.log
  $BIN rank $R/$name-eval-bn5.json $GT --no-plot --json $R/held-$name-bn5.json > /dev/null
  echo "$name $(( $(date +%s) - t0 ))s $*"
}
run rd-flops-sym --proxy flops --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 --symmetric > /tmp/explore-a.log 2>&1 &
run rd-synflow --proxy synflow --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 2 > /tmp/explore-b.log 2>&1 &
wait
