#!/bin/sh
# Bytes the monitor writes to its terminal while training, measured with `tmux pipe-pane` (everything the
# program writes to the pane's pty reaches the pipe). Usage: bench/monitor_bandwidth.sh [seconds] [extra train args]
# Prints bytes in the steady-state window and bytes/s. Needs tmux and Fashion-MNIST.
set -eu
SECS=${1:-20}; shift || true
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${RDNAS:-$ROOT/.build/debug/rdnas}
TMP=$(mktemp -d); SOCK=rdnas-bw-$$
trap 'tmux -L $SOCK kill-server 2>/dev/null || true; rm -rf $TMP' EXIT
CMD="cd $ROOT && $BIN train --name bw --runs-dir $TMP --space nb201 --nb201-c 4 --nb201-n 1 --strategy spos --paths 1 \
--train-limit 640 --validation-size 200 --batch-size 32 --epochs 5000 --proxy flops --pairs 1 --landmarks 6 \
--eval-images 64 --threads 1 $*"
tmux -L $SOCK new-session -d -s t -x 120 -y 36 "unset NO_COLOR; export TERM=xterm-256color; $CMD; sleep 60"
# Warm-up: wait until the run reports steps, then a few seconds more (first full paint, first evaluation).
for i in $(seq 1 240); do
  grep -q '"type":"step"' $TMP/bw/metrics.jsonl 2>/dev/null && break; sleep 0.25
done
sleep 5
tmux -L $SOCK pipe-pane -t t -o "cat > $TMP/out.bin"
sleep "$SECS"
tmux -L $SOCK pipe-pane -t t
STEPS=$(grep -c '"type":"step"' $TMP/bw/metrics.jsonl || true)
BYTES=$(wc -c < $TMP/out.bin)
echo "bytes=$BYTES seconds=$SECS bytes_per_s=$((BYTES / SECS)) steps_logged_total=$STEPS"
