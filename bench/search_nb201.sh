#!/usr/bin/env bash
# Issue 14's search record on NB201: evolutionary vs random search over one trained supernet at equal numbers of
# evaluations (GENERATIONS × POPULATION each), SEEDS seeds each; then bench/search_report.py looks every found cell
# up in the 200-epoch ground truth. Resumable (a finished search is not rerun: `rdnas search` resumes from state.json).
# Usage: bash bench/search_nb201.sh RUN_FOLDER [OUT.md]   env: SEEDS="0 1 2" GENERATIONS=10 POPULATION=20 JOBS=2
#        FLOPS_MAX (e.g. 60M: a constrained search), SCORE=loss|accuracy, IMAGES=1000, BIN=.build/release/rdnas,
#        PREFILTER (e.g. file:runs/protocol/teacher-swapreg.csv: --prefilter, factor 4), METHODS="evolution random"
set -u
cd "$(dirname "$0")/.."
RUN=${1:?usage: bench/search_nb201.sh RUN_FOLDER [OUT.md]}
OUT=${2:-bench/results/search-nb201.md}
BIN=${BIN:-.build/release/rdnas}; SEEDS=${SEEDS:-"0 1 2"}; GENERATIONS=${GENERATIONS:-10}; POPULATION=${POPULATION:-20}
JOBS=${JOBS:-2}; SCORE=${SCORE:-loss}; IMAGES=${IMAGES:-1000}; FLOPS_MAX=${FLOPS_MAX:-}
PREFILTER=${PREFILTER:-}; METHODS=${METHODS:-"evolution random"}
limit="${FLOPS_MAX:+--flops-max $FLOPS_MAX} ${PREFILTER:+--prefilter $PREFILTER}"
tag=${FLOPS_MAX:+-f$FLOPS_MAX}${PREFILTER:+-pre}
for seed in $SEEDS; do
  for method in $METHODS; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 2; done
    name=$method$tag-s$seed
    ( t0=$(date +%s)
      $BIN search --run "$RUN" --method $method --seed $seed --name $name --generations $GENERATIONS \
        --population $POPULATION --score-by $SCORE --bn-recalibrate 5 --images $IMAGES --threads 1 --precision fp32 \
        $limit > "$RUN/search-$name.log" 2>&1
      echo "$name $(( $(date +%s) - t0 )) s" >> "$RUN/search-times.txt" ) &
  done
done
wait
python3 bench/search_report.py "$RUN" "$OUT" ../shared/data/nasbench201/nb201_test_acc_200ep.csv
