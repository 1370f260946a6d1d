#!/usr/bin/env bash
# NB201 ranking protocol (issue 11): every configuration trained with several seeds, each supernet scored on the same
# uniformly drawn held-out cells (runs/protocol/heldout-uniform.json, tools/uniform_cells.py) and on the stratified set
# of earlier rounds; bench/rank_protocol.py turns the eval JSONs into the paired-bootstrap report. Resumable: a run
# with a final checkpoint is not retrained, an eval JSON that exists is not recomputed.
# Usage: bash bench/rank_protocol.sh [config | config:seed ...]   (no names: all)   env: SEEDS="0 1 2" JOBS=1 THREADS=1 BIN=...
# (THREADS: oneDNN threads of each run and its eval; 2 with JOBS=1 uses both cores for one run at a time.)
# The SWAP teacher (rd-swapreg) is read from $R/teacher-swapreg.csv, made from all 15,625 cells scored at the
# benchmark's own macro skeleton (N=5): `rdnas proxy --proxies swap,params --swap-repeats 1 --all` then
# tools/swap_teacher.py; this script makes it when missing (about an hour of one core).
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/rdnas}; R=${R:-runs/protocol}; GT=../shared/data/nasbench201/nb201_test_acc_200ep.csv
JOBS=${JOBS:-1}; SEEDS=${SEEDS:-"0 1 2"}; THREADS=${THREADS:-1}
mkdir -p "$R"
[ -f "$R/heldout-uniform.json" ] || python3 tools/uniform_cells.py $GT 560 2026 "$R/heldout-uniform.json"
COMMON="--space nb201 --nb201-c 16 --nb201-n 1 --dataset cifar10 --data data/cifar10 --threads $THREADS --lr 0.05 --log-every 100
  --headless --runs-dir $R --gt $GT --landmarks 50 --eval-images 500 --precision fp32 --score-by loss"
RD="--strategy spos --paths 1 --epochs 3 --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 10 --symmetric"
# Round 3: longer budgets at equal wall time (13 epochs × 3 passes ≈ 40 SPOS epochs), λ 4 so the supernet also
# learns the task; landmarks every 4 epochs.
RDL="--strategy spos --paths 1 --epochs 13 --pairs 1 --min-distance 4 --lambda-schedule warmup --lambda-max 4 --symmetric --eval-every 4"
# Round 4: late distillation at equal wall time with spos-e40: SPOS alone for 20 of 30 epochs, then one rank pair on
# every second step (two passes a step on average): 20 + 10 × 2 = 40 pass-epochs.
# (One line: CONFIGS below is read line by line.)
LATE="--strategy spos --paths 1 --epochs 30 --pairs 1 --min-distance 4 --lambda-schedule constant --lambda-max 10 --symmetric --rank-from 20 --rank-every 2 --eval-every 5"
# Round 7: the λ curve of the 3-epoch SWAP-guided recipe (λ 10 above; 20, 30 and 100 here, same warm-up and hinge):
# does a stronger rank term bring the supernet to its teacher's τ, and what does it cost the task? And two rank
# pairs per step at λ 10 (five passes a step instead of three).
# Round 8: four rank pairs a step (does the teacher copy keep improving with pairs?), and two pairs whose passes
# also carry their own cross-entropy (--pair-task-weight 1): the pair passes are paid for anyway, and without the
# task term the hinge only reorders losses while the supernet stays near 19 % held-out accuracy. And two pairs
# drawn by the confident-pair sampler (teacher quantiles ≥ 0.2 apart, where SWAP-reg orders ~95 % of pairs right
# against 57 % below a 0.05 gap), so the hinge imposes fewer of the teacher's mistakes.
# Round 9: a wider confident-pair gap (0.4; at 0.5 a subnet at the teacher's median has no partner and the sampler
# would fall back to an unconstrained draw), and SPOS at equal wall time with the five-pass two-pair step
# (3 epochs × 5 passes = 15 SPOS epochs), the baseline the target's "+0.3 over SPOS at equal wall time" needs.
# Round 9, exploratory: a warm start. SPOS alone for 9 epochs, then 3 epochs of two confident pairs a step
# (gap 0.3): 9 + 3 × 5 = 24 pass-epochs, between spos-e15 and spos-e40. Does a supernet that has learnt the task
# (spos-e9: 53 % held-out accuracy) take the teacher's order without losing its own, and rank above the plateau
# of the from-scratch recipe (0.60-0.63)?
# Round 10: the warm start pushed two ways at about the same cost. A stronger rank term in the distillation phase
# (λ 20: from scratch it collapsed the supernet, round 7, but a supernet that has learnt the task may hold), and a
# longer SPOS phase (15 epochs, then the same 3 epochs of two confident pairs: 15 + 3 × 5 = 30 pass-epochs). The
# warm start follows its teacher less (τ to SWAP-reg 0.61) than the from-scratch recipe (0.69) yet ranks better: does
# more of the teacher, or more of the task, move it towards its ensemble with the teacher (0.752)?
# And a longer distillation phase at equal wall time with spos-e40: SPOS alone for 10 epochs, then 6 epochs of two
# confident pairs a step (10 + 6 × 5 = 40 pass-epochs).
# Round 10, after the 15-epoch SPOS phase beat the 9-epoch one: a 20-epoch SPOS phase (20 + 3 × 5 = 35 pass-epochs),
# and SPOS at 35 epochs, its equal wall time (spos-e35).
# Round 11, after 9 → 15 → 20 SPOS epochs moved τ 0.654 → 0.704 → 0.729: a 25-epoch SPOS phase, 25 + 3 × 5 = 40
# pass-epochs, exactly the wall time of spos-e40 (three seeds already), so its SPOS baseline at equal wall time exists.
# What every warm start shares; each line below adds its epochs, SPOS phase (--rank-from), λ and landmark cadence.
WARM="--strategy spos --paths 1 --pairs 2 --min-distance 4 --lambda-schedule constant --symmetric --min-prior-gap 0.3 --proxy file:$R/teacher-swapreg.csv"
# Round 12: branches of warm 20 (`--branch-from` its checkpoint, seed by seed; @SEED@ is the run's seed), so a new
# phase is paired with warm 20 on the very same supernet and costs that phase alone. Warm 20's SPOS-phase supernet
# ranks the pool at τ 0.26-0.31 (epoch 19, −loss), so its ensemble with SWAP-reg (0.62-0.65) is below SWAP-reg alone
# (0.73): no target for the first distillation phase. The distilled supernet's ensemble with SWAP-reg is 0.06 above
# either (0.778), so a second phase (3 more epochs of two confident pairs, to 26) distils towards the rank average of
# SWAP-reg and warm 20's own final −loss on a pool of 1,000 cells apart from the held-out and calibration ones;
# its control spends the same 3 epochs on the same pool with SWAP-reg alone.
BRANCH="$WARM --epochs 26 --lambda-max 10 --rank-from 20 --eval-every 5 --rank-pool $R/ens/pool.json --branch-from $R/rd-swapreg-warm20-s@SEED@/checkpoints/epoch-022.safetensors"
# Round 13: a hinge margin in warm 20's distillation phase, branched from its last SPOS-phase checkpoint (epoch 19,
# state epoch 20) so each seed pairs with warm 20 on the very same supernet. With margin 0 a concordant pair gives
# no gradient (warm 20's sampled pairs: ~90 % concordant soon after the phase starts; the teacher-ordered loss gap
# has median 0.17 nats, quartile 0.08): does keeping the pairs apart by 0.1 or 0.3 nats pull the order further?
# And the learning rate of that phase: warm 20's cosine is at 0.0021 when distillation starts (0 at its end); a
# peak of 0.25 instead of 0.05 runs the same phase at five times the rate (the branch's own schedule).
# Then (`-ens3-m1`, options from BRANCH above) round 12's second phase towards the ensemble again, with the margin
# (0.1): round 12 found the phase undoing the order it was meant to fit, on the very pool its pairs came from, with
# margin 0 (no gradient from a concordant pair); does a margin hold it there?
# Round 14: the margin cost the task (held-out accuracy 55.5 % against warm 20's 60.9 %): the hinge pushes the
# worse member's loss up, i.e. gradient ascent on the task. Two ways to keep the task with the margin's order:
# half the rank weight (λ 5, `-m1-l5`), or the pair members' own cross-entropy beside the hinge (`-m1-task`,
# --pair-task-weight 1; round 8 found it hurt from scratch, where the supernet had not yet learnt the task).
# Seed 0 said half λ (0.748, 58 % accuracy), not the task term (0.688): then λ 3 with margin 0.1 (`-m1-l3`) and
# λ 5 with margin 0.2 (`-m2-l5`, the same λ·margin as margin 0.1 at λ 10) around it.
# Round 15: is the distillation phase too short? Margin 0.1's order was still improving in its last epoch (round
# 14: epochs 20/21/22 ranked 0.712/0.733/0.742 at λ 10). Same cost as warm 20 (35 pass-epochs) with a phase twice as
# long: branch at epoch 16 (state 17) and distil for 6 epochs with ONE confident pair a step (three passes):
# 17 + 6 × 3 = 35, margin 0.1, λ 5. And margin 0.2 at λ 5's seeds 1-2 (seed 0 tied margin 0.1).
D17="${WARM/--pairs 2/--pairs 1} --epochs 23 --lambda-max 5 --rank-from 17 --eval-every 5 --branch-from $R/rd-swapreg-warm20-s@SEED@/checkpoints/epoch-016.safetensors"
# Round 15, second part: depth. The ground truth's networks have N=5 cells a stage; every supernet so far had N=1.
# Margin 0.1 at λ 5's whole recipe (20 SPOS epochs, then 3 of two confident pairs) on an N=2 supernet, from scratch:
# does a deeper supernet carry more of its own order? An N=2 pass costs more than an N=1 one (4,662-4,782 s of
# training, three runs on two cores, against warm 20's 2,199-2,680 s, two on two), so it is not at warm 20's wall
# time (its SPOS baseline at equal wall time would be SPOS at 35 epochs with N=2; not run).
# Round 16: four distillation epochs instead of three after the same 20-epoch SPOS phase (margin 0.1, λ 5), from
# scratch: 20 + 4 × 5 = 40 pass-epochs, exactly spos-e40's wall time (three seeds in the record), so its SPOS
# baseline at equal wall time exists. Margin 0.1's order was still rising in its last epoch (round 14); round 15's
# longer phase with one pair a step (same cost as warm 20) was worse; is it the phase's length or its pairs?
# Its seeds 0-1 ranked below the recorded 3-epoch phase (0.731 / 0.694 against 0.748 / 0.742), but on SPOS phases
# retrained on today's engine: `-m1-l5-from-d4` is the 3-epoch phase branched from those very SPOS phases (epoch 19's
# checkpoint, state epoch 20; the branch's own 23-epoch cosine, as warm 20's), so the fourth epoch is paired on the
# same supernet. And width (`-c24`): the margin 0.1, λ 5 recipe on a C=24 supernet (every earlier one had C=16, the
# ground truth's width), from scratch; a C=24 pass costs about twice a C=16 one (not at SPOS-35's wall time).
# Round 17: the C=24 run's SPOS baseline at equal wall time, SPOS alone on the same C=24 supernet for its 35
# pass-epochs (20 + 3 × 5): is it the width or the distillation that ranks?
# Round 18: width once more (`-c32`): C=16 → 24 lifted the distilled runs by ~0.03 on the same engine while SPOS
# alone gained nothing from it; does C=32 go on (measured alone on two threads: a SPOS epoch 67-71 s against 49-58 s at C=24; a run
# 2,515-2,565 s, inside the 2-hour budget)?
D20="$WARM --epochs 23 --lambda-max 10 --rank-from 20 --eval-every 5 --branch-from $R/rd-swapreg-warm20-s@SEED@/checkpoints/epoch-019.safetensors"
# name|options. spos = equal steps; spos-e9 = equal wall time with the λ 10 runs (one rank pair = two extra
# forward/backward passes per step, so three passes a step; measured times are in $R/times.txt).
CONFIGS="
spos|--strategy spos --paths 1 --epochs 3
rd-flops|$RD --proxy flops
rd-random|$RD --proxy random
rd-swapreg|$RD --proxy file:$R/teacher-swapreg.csv
spos-e9|--strategy spos --paths 1 --epochs 9
spos-e40|--strategy spos --paths 1 --epochs 40 --eval-every 4
rd-flops-l4-e13|$RDL --proxy flops
rd-swapreg-l4-e13|$RDL --proxy file:$R/teacher-swapreg.csv
rd-swapreg-late|$LATE --proxy file:$R/teacher-swapreg.csv
rd-swapreg-l20|${RD/--lambda-max 10/--lambda-max 20} --proxy file:$R/teacher-swapreg.csv
rd-swapreg-l30|${RD/--lambda-max 10/--lambda-max 30} --proxy file:$R/teacher-swapreg.csv
rd-swapreg-l100|${RD/--lambda-max 10/--lambda-max 100} --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p2|${RD/--pairs 1/--pairs 2} --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p4|${RD/--pairs 1/--pairs 4} --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p2-task|${RD/--pairs 1/--pairs 2} --pair-task-weight 1 --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p2-gap|${RD/--pairs 1/--pairs 2} --min-prior-gap 0.2 --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p2-gap3|${RD/--pairs 1/--pairs 2} --min-prior-gap 0.3 --proxy file:$R/teacher-swapreg.csv
rd-swapreg-p2-gap4|${RD/--pairs 1/--pairs 2} --min-prior-gap 0.4 --proxy file:$R/teacher-swapreg.csv
spos-e15|--strategy spos --paths 1 --epochs 15 --eval-every 5
spos-e35|--strategy spos --paths 1 --epochs 35 --eval-every 5
rd-swapreg-warm-gap3|$WARM --epochs 12 --lambda-max 10 --rank-from 9 --eval-every 3
rd-swapreg-warm-l20|$WARM --epochs 12 --lambda-max 20 --rank-from 9 --eval-every 3
rd-swapreg-warm15|$WARM --epochs 18 --lambda-max 10 --rank-from 15 --eval-every 3
rd-swapreg-warm20|$WARM --epochs 23 --lambda-max 10 --rank-from 20 --eval-every 5
rd-swapreg-warm25|$WARM --epochs 28 --lambda-max 10 --rank-from 25 --eval-every 7
rd-swapreg-warm10-d6|$WARM --epochs 16 --lambda-max 10 --rank-from 10 --eval-every 4
rd-swapreg-warm20-ens3|${BRANCH/file:$R\/teacher-swapreg.csv/file:$R\/ens\/teacher-s@SEED@.csv}
rd-swapreg-warm20-pool3|$BRANCH
rd-swapreg-warm20-m1|$D20 --margin 0.1
rd-swapreg-warm20-m3|$D20 --margin 0.3
rd-swapreg-warm20-lr5|${D20/--epochs 23/--epochs 23 --lr 0.25}
rd-swapreg-warm20-m1-l5|${D20/--lambda-max 10/--lambda-max 5} --margin 0.1
rd-swapreg-warm20-m1-l3|${D20/--lambda-max 10/--lambda-max 3} --margin 0.1
rd-swapreg-warm20-m2-l5|${D20/--lambda-max 10/--lambda-max 5} --margin 0.2
rd-swapreg-warm20-m1-task|$D20 --margin 0.1 --pair-task-weight 1
rd-swapreg-warm17-p1-m1-l5|$D17 --margin 0.1
rd-swapreg-warm20-n2-m1-l5|$WARM --nb201-n 2 --epochs 23 --lambda-max 5 --rank-from 20 --eval-every 5 --margin 0.1
rd-swapreg-warm20-ens3-m1|${BRANCH/file:$R\/teacher-swapreg.csv/file:$R\/ens\/teacher-s@SEED@.csv} --margin 0.1
rd-swapreg-warm20-d4-m1-l5|$WARM --epochs 24 --lambda-max 5 --rank-from 20 --eval-every 5 --margin 0.1
rd-swapreg-warm20-m1-l5-from-d4|$WARM --epochs 23 --lambda-max 5 --rank-from 20 --eval-every 5 --margin 0.1 --branch-from $R/rd-swapreg-warm20-d4-m1-l5-s@SEED@/checkpoints/epoch-019.safetensors
rd-swapreg-warm20-c24-m1-l5|$WARM --nb201-c 24 --epochs 23 --lambda-max 5 --rank-from 20 --eval-every 5 --margin 0.1
spos-c24-e35|--strategy spos --paths 1 --nb201-c 24 --epochs 35 --eval-every 5
rd-swapreg-warm20-c32-m1-l5|$WARM --nb201-c 32 --epochs 23 --lambda-max 5 --rank-from 20 --eval-every 5 --margin 0.1
"
teacher() {
  [ -f "$R/teacher-swapreg.csv" ] && return
  # The committed scores of every cell (bench/results) spare a fresh machine the hour of scoring.
  local committed=bench/results/rank-nb201/protocol/all-swap-nb201.csv
  [ -f "$R/all-swap.csv" ] || [ ! -f $committed ] || cp $committed "$R/all-swap.csv"
  [ -f "$R/all-swap.csv" ] || $BIN proxy --space nb201 --nb201-c 16 --nb201-n 5 --dataset cifar10 --data data/cifar10 \
    --threads 1 --proxies swap,params --swap-repeats 1 --all --out "$R/all-swap.csv" 2> "$R/all-swap.log"
  python3 tools/swap_teacher.py "$R/all-swap.csv" "$R/teacher-swapreg.csv"
}
# The ensemble teacher of a branch: warm 20's final supernet scores the pool (500 images, BN recalibrated), then
# tools/ensemble_teacher.py rank-averages its −loss with SWAP-reg (about 8 minutes of one core).
ensemble_teacher() {  # seed
  local parent=$R/rd-swapreg-warm20-s$1
  [ -f "$R/ens/pool.json" ] || python3 tools/uniform_cells.py $GT 1000 4242 "$R/ens/pool.json" \
    --exclude "$R/heldout-uniform.json" "$R/calibration.json"
  [ -f "$R/ens/pool-e22-s$1.json" ] || $BIN eval --run $parent --checkpoint $parent/checkpoints/epoch-022.safetensors \
    --archs "$R/ens/pool.json" --out "$R/ens/pool-e22-s$1.json" --images 500 --bn-recalibrate 5 --threads 1 \
    --precision fp32 2>> "$R/ens/pool-s$1.log"
  [ -f "$R/ens/teacher-s$1.csv" ] || python3 tools/ensemble_teacher.py "$R/teacher-swapreg.csv" \
    "$R/ens/pool-e22-s$1.json" "$R/ens/teacher-s$1.csv"
}
run() {  # name seed options...
  local name=$1 seed=$2; shift 2
  set -- "${@//@SEED@/$seed}"
  mkdir -p "$R/ens"
  [[ "$name" == *-ens3* ]] && ensemble_teacher $seed
  local run=$name-s$seed t0=$(date +%s)
  # Trained means the last "finished" event was not a stop; a stopped or killed run resumes from its checkpoint.
  if ! grep '"type":"finished"' "$R/$run/metrics.jsonl" 2>/dev/null | tail -1 | grep -q '"stopped":false'; then
    local resume=; [ -f "$R/$run/checkpoints/last.safetensors" ] && resume=--resume
    # A configuration that names its own depth (--nb201-n) or width (--nb201-c) replaces the common N=1, C=16.
    local common=$COMMON; [[ " $* " == *" --nb201-n "* ]] && common=${common/--nb201-n 1 /}
    [[ " $* " == *" --nb201-c "* ]] && common=${common/--nb201-c 16 /}
    $BIN train --name $run --seed $seed $common "$@" $resume 2>> "$R/$run.log"
  fi
  local t1=$(date +%s)
  [ -f "$R/$run-eval.json" ] || $BIN eval --run "$R/$run" --archs "$R/heldout-uniform.json" --out "$R/$run-eval.json" \
    --images 1000 --bn-recalibrate 5 --threads $THREADS --precision fp32 2>> "$R/$run.log"
  echo "$run train $(( t1 - t0 )) s, eval $(( $(date +%s) - t1 )) s$([ "$THREADS" = 1 ] || echo " ($THREADS threads)")" >> "$R/times.txt"
}
# The teacher is made once, before any run starts: two runs making it at once raced on its file (round 16).
[[ " $* " == *" rd-swapreg"* || $# -eq 0 ]] && teacher
wanted=" $* "
# Seed-major: every configuration gets its first seed before any gets its second, so a cut-short session
# still compares all configurations. An argument config:seed runs that one pair only.
# The loop reads CONFIGS from a here-string, not `echo | while`: a pipeline's loop runs in a subshell, whose jobs
# the next seed's loop cannot count, so JOBS was exceeded (3-5 runs at once in rounds 2-6) and the final wait
# returned before they ended.
for seed in $SEEDS; do
  while IFS='|' read -r name opts; do
    [ -z "$name" ] && continue
    [ $# -gt 0 ] && [[ "$wanted" != *" $name "* && "$wanted" != *" $name:$seed "* ]] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 5; done
    run "$name" "$seed" $opts &
    [ "$JOBS" -le 1 ] && wait
  done <<< "$CONFIGS"
done
wait
