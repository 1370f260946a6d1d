#!/usr/bin/env bash
# `make bench`: rdnas next to the PyTorch peer in one run (same machine load), 1 and 2 threads.
#  - engine: 3x3 conv fwd+bwd (N=64, 32->32, 32x32) and a ResNet-20 training step (batch 64)
#  - supernet steps as ../shared/tools/peer_torch.py defines them: NB201 SPOS (C=16, N=5) and the elastic
#    CIFAR ResNet sandwich (max + min + 2 random, KD), plus rdnas with 2 rank-loss pairs; rdnas in fp32, bf16
#    and --precision auto; the peer in EVERY configuration (NCHW and channels_last, fp32 and bf16 autocast), so
#    each ratio is against the peer's fastest configuration at that precision (summarise.py)
#  - candidate evaluation (candidates/s, 1,000 images, with and without BN recalibration) on both spaces, and the
#    time to score all 15,625 NB201 cells extrapolated from it
#  - where a step's time goes (--profile), and resident memory per epoch of a short training run
# Peak RSS of every process from /usr/bin/time. Writes bench/results/bench-<date>.md with a ratio table.
#
# Options (for checking the script, not for results): --reps N (timed repetitions of every case), --batch B,
# --threads "1 2", --out FILE, --quick (skip the profile and memory sections); BIN=path/to/rdnas.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/rdnas}  # BIN=.build/debug/rdnas only to check the script
PEER=${PEER:-../shared/tools/peer_torch.py}
OUT=bench/results/bench-$(date -u +%Y%m%d-%H%M).md
ARGS="$*"
REPS=""; BATCH=64; THREADS="1 2"; QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
reps() { echo "${REPS:-$1}"; }  # the case's standard repetitions unless --reps overrides them
[ -x "$BIN" ] || { echo "bench/run.sh: $BIN missing (make build)" >&2; exit 1; }
if ! python3 -c "import torch" 2>/dev/null; then
  # A CPU-only wheel where pip's find-links has one (the default PyPI wheel drags in CUDA).
  links=$(pip config get global.find-links 2>/dev/null || true)
  wheel=$(ls ${links:-/nonexistent}/torch-*cpu*.whl 2>/dev/null | sort -V | tail -1)
  pip install -q ${wheel:-torch} 2>/dev/null || pip install -q --break-system-packages ${wheel:-torch}
fi
RAW=$(mktemp)
RSS=$(mktemp)
rss() { /usr/bin/time -f "%M" -o "$RSS" "$@"; echo " rss_kb=$(cat "$RSS")"; }
cpu_model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512_vnni|avx512_bf16|amx_bf16|amx_tile|amx_int8)$' | xargs)
# rdnas's bf16 falls back to fp32 without native bf16 (AVX512-BF16 or AMX): its bf16 cases would only re-measure
# fp32 under a bf16 label, so they run where the CPU has it. The peer's bf16 autocast is measured everywhere.
case " $cpu_flags " in
  *" avx512_bf16 "*|*" amx_bf16 "*) RD_PRECISIONS="fp32 bf16"; bf16_note="native" ;;
  *) RD_PRECISIONS="fp32"; bf16_note="not native on this CPU (no AVX512-BF16, no AMX): rdnas bf16 cases skipped (it would run fp32)" ;;
esac
isa_line=$(ONEDNN_VERBOSE=1 $BIN bench --what engine --reps 1 --threads 1 --precision fp32 2>&1 | grep -m1 -o 'isa:.*')
{
  echo "# rdnas vs PyTorch — $(date -u +%F' '%H:%M) UTC"
  echo ""
  echo "- command: \`make bench\` (bench/run.sh $ARGS), commit $(git rev-parse --short HEAD)"
  echo "- CPU: $cpu_model, $(nproc) cores; flags: $cpu_flags"
  echo "- oneDNN (ONEDNN_VERBOSE): $isa_line"
  echo "- bf16: $bf16_note"
  echo "- torch $(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo ""
  echo '```'
  for t in $THREADS; do
    for p in $RD_PRECISIONS; do rss $BIN bench --what engine --threads $t --precision $p --reps $(reps 20) | tr '\n' ' '; echo; done
    rss python3 bench/peer_resnet20.py --threads $t --reps $(reps 20) | tr '\n' ' '; echo
    # NB201 at 60 steps a side: the peer's 20-step mean swings by 20-25 % with the paths it happens to draw
    # (bench/results/nodesum-20261206.md), 60 steps hold it within a few per cent.
    for p in $RD_PRECISIONS auto; do rss $BIN bench --what nb201 --threads $t --precision $p --batch $BATCH --reps $(reps 60) | tr -d '\n'; echo; done
    for layout in "" --channels-last; do
      for bf in "" --bf16; do
        rss python3 $PEER nb201 --batch $BATCH --threads $t --N 5 --steps $(reps 60) $layout $bf | tr -d '\n'; echo
      done
    done
    for p in $RD_PRECISIONS auto; do
      rss $BIN bench --what resnet --threads $t --precision $p --batch $BATCH --reps $(reps 10) | tr -d '\n'; echo
      [ $p = auto ] || { rss $BIN bench --what resnet --pairs 2 --threads $t --precision $p --batch $BATCH --reps $(reps 10) | tr -d '\n'; echo; }
    done
    for layout in "" --channels-last; do
      for bf in "" --bf16; do
        rss python3 $PEER resnet --batch $BATCH --threads $t --steps $(reps 10) $layout $bf | tr -d '\n'; echo
      done
    done
    for p in $RD_PRECISIONS; do $BIN bench --what eval --threads $t --precision $p --reps $(reps 6); done
  done
  echo '```'
} | tee "$RAW"
{
  cat "$RAW"
  echo ""
  python3 bench/summarise.py "$RAW"
  if [ $QUICK = 0 ]; then
    echo ""
    echo "## Where a step's time goes (1 thread, fp32; \`rdnas bench --what <space> --profile\`)"
    echo ""
    echo '```'
    $BIN bench --what nb201 --threads 1 --reps $(reps 20) --profile --precision fp32
    $BIN bench --what resnet --pairs 2 --threads 1 --reps $(reps 10) --profile --precision fp32
    [ "$RD_PRECISIONS" = fp32 ] || $BIN bench --what resnet --pairs 2 --threads 1 --reps $(reps 10) --profile --precision bf16
    echo '```'
    if [ -d data/cifar10 ]; then
      echo ""
      echo "## Resident memory per epoch of a training run (NB201 C=16 N=1 SPOS + FLOPs rank loss, 6,400 images/epoch)"
      echo ""
      echo '```'
      rm -rf runs/bench-memory
      $BIN train --headless --runs-dir runs/bench-memory --name mem --space nb201 --nb201-n 1 --dataset cifar10 \
        --data data/cifar10 --train-limit 6400 --epochs 4 --strategy spos --paths 1 --proxy flops --pairs 1 \
        --threads 2 --log-every 1000 2>&1 | grep -E "done|^precision"
      echo '```'
    fi
  fi
} > "$OUT"
tail -n +$(( $(wc -l < "$RAW") + 1 )) "$OUT"
rm -f "$RAW" "$RSS"
echo "wrote $OUT"
