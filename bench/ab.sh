#!/usr/bin/env bash
# A/B of two rdnas binaries on one `rdnas bench` case, interleaved (A B A B …) so that a slow spell of a shared
# host hits both alike; prints each run's line and, per binary, the median over rounds of the step minimum and of
# the step median. Usage: bash bench/ab.sh OLD_BIN NEW_BIN ROUNDS -- <rdnas bench arguments>
set -uo pipefail
A=$1; B=$2; ROUNDS=$3; shift 3; [ "${1:-}" = "--" ] && shift
RAW=$(mktemp)
for r in $(seq "$ROUNDS"); do
  for bin in "$A" "$B"; do
    line=$("$bin" bench "$@" 2>/dev/null | grep -E 'min_ms=' | tail -1)
    echo "$bin $line" | tee -a "$RAW"
  done
done
python3 - "$RAW" "$A" "$B" <<'PY'
import re, statistics, sys
raw, a, b = sys.argv[1:]
for bin in (a, b):
    v = [(float(m.group(1)), float(m.group(2))) for l in open(raw) if l.startswith(bin + " ")
         for m in [re.search(r"min_ms=([0-9.]+) median_ms=([0-9.]+)", l)] if m]
    print(f"{bin}: {len(v)} runs, step min {statistics.median(x for x, _ in v):.1f} ms, "
          f"step median {statistics.median(y for _, y in v):.1f} ms (medians over runs)")
PY
