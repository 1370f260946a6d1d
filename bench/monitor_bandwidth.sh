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
tmux -L $SOCK new-session -d -s t -x 120 -y 36 "unset NO_COLOR; export TERM=xterm-256color RDNAS_MONITOR_STATS=1; $CMD; sleep 60"
# Warm-up: wait until the run reports steps, then a few seconds more (first full paint, first evaluation).
for i in $(seq 1 240); do
  grep -q '"type":"step"' $TMP/bw/metrics.jsonl 2>/dev/null && break; sleep 0.25
done
sleep ${WARMUP:-5}
tmux -L $SOCK pipe-pane -t t -o "cat > $TMP/out.bin"
sleep "$SECS"
tmux -L $SOCK pipe-pane -t t
STEPS=$(grep -c '"type":"step"' $TMP/bw/metrics.jsonl || true)
BYTES=$(wc -c < $TMP/out.bin)
# Key latency: time from `send-keys ?` until the help overlay is on the pane (and Esc until it is gone),
# polled with capture-pane (so the figure includes tmux's own turnaround).
LAT=""
for i in 1 2 3 4 5; do
  for key in '?' Escape; do
    T0=$(date +%s%N); tmux -L $SOCK send-keys -t t "$key"
    while :; do
      if tmux -L $SOCK capture-pane -p -t t | grep -q "pause / resume training"; then SHOWN=1; else SHOWN=0; fi
      { [ "$key" = '?' ] && [ $SHOWN = 1 ]; } || { [ "$key" = Escape ] && [ $SHOWN = 0 ]; } && break
      [ $(( ($(date +%s%N) - T0) / 1000000 )) -gt 3000 ] && break
    done
    LAT="$LAT $(( ($(date +%s%N) - T0) / 1000000 ))"
  done
  sleep 0.3
done
echo "key_latency_ms:$LAT"
# Where the changed cells went (the monitor prints that on exit with RDNAS_MONITOR_STATS).
tmux -L $SOCK send-keys -t t q; sleep 0.5; tmux -L $SOCK send-keys -t t n
for i in $(seq 1 120); do tmux -L $SOCK capture-pane -p -t t | grep -q "changed cells" && break; sleep 0.5; done
tmux -L $SOCK capture-pane -p -t t -J | grep "changed cells" || true
echo "bytes=$BYTES seconds=$SECS bytes_per_s=$((BYTES / SECS)) steps_logged_total=$STEPS"
