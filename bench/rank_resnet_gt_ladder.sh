#!/usr/bin/env bash
# Issue 11, item 5: the resnet-space ground truth at the next rung of its budget ladder, 6 epochs of the full
# CIFAR-10 training set with the test accuracy also taken after epochs 2 and 4 (`--eval-at 2,4`), so one run gives
# the order at three points of a 50,000-image schedule. Two seeds, one core each, side by side.
#
# About 17 hours of one core per seed on an AVX2 EPYC (12–13 h on an AVX-512 Xeon): far more than one session. The
# machines this runs on do not always keep runs/ between sessions, so finished networks are also kept in the
# repository (bench/results/rank-resnet-gt-50k-e6/partial/, committed by `save`) and restored from there by `run`.
# `rdnas standalone` skips the networks in <out>.partial.json and resumes the one it was training from
# <out>.checkpoints/<key>.safetensors (saved at every epoch end, every 10 minutes and on SIGINT/SIGTERM), so an
# interruption loses at most 10 minutes; `save` also keeps those checkpoints (partial/checkpoints-seed<s>/).
#
# The candidates are the recorded 36 (bench/results/rank-resnet/cands.json) in a spread order (keys p01-arch19,
# p02-arch1, …: each next one farthest from those before it in the FLOPs-stratified order), so any prefix of the
# run is a spread subset of the 36. Keys are not archN so that the file's own order is the training order;
# `${key#*-}` is the recorded name. Each network's seed is --seed plus its position in this file.
#
# Usage: bash bench/rank_resnet_gt_ladder.sh run      # restore, then train both seeds (blocks; run it under nohup)
#        bash bench/rank_resnet_gt_ladder.sh save     # copy finished networks into the committed folder
#        bash bench/rank_resnet_gt_ladder.sh status   # networks finished per seed
set -euo pipefail
cd "$(dirname "$0")/.."
R=${R:-runs/rank-resnet-gt-50k-e6}
KEEP=bench/results/rank-resnet-gt-50k-e6
SEEDS=${SEEDS:-"1 2"}
mkdir -p "$R" "$KEEP/partial"

# The union of two competition-JSON files by key (the first's entry wins), written in the candidates' order.
union() {
  python3 - "$1" "$2" "$3" "$KEEP/cands.json" <<'EOF'
import json, os, sys
a, b, out, cands = sys.argv[1:5]
load = lambda p: json.load(open(p)) if os.path.exists(p) else {}
merged = {**load(b), **load(a)}
order = list(json.load(open(cands)))
if merged:
    text = "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(merged[k])}" for k in order if k in merged) + "\n}\n"
    open(out + ".tmp", "w").write(text); os.replace(out + ".tmp", out)
EOF
}

case "${1:-status}" in
  run)
    cp "$KEEP/cands.json" "$R/cands.json"
    # A copy of the binary, so rebuilding .build/ while this runs does not change what trains (renamed into place:
    # an older copy may still be running).
    cp "${BIN:-.build/release/rdnas}" "$R/.rdnas.tmp" && mv -f "$R/.rdnas.tmp" "$R/rdnas"
    for s in $SEEDS; do
      [ -f "$R/gt-seed$s.json" ] && continue
      [ -f "$KEEP/gt-seed$s.json" ] && { cp "$KEEP/gt-seed$s.json" "$R/"; continue; }
      union "$R/gt-seed$s.json.partial.json" "$KEEP/partial/gt-seed$s.json.partial.json" "$R/gt-seed$s.json.partial.json"
      # A kept checkpoint of an unfinished network, unless this machine's own is there (it is as new or newer).
      for c in "$KEEP/partial/checkpoints-seed$s"/*.safetensors; do
        [ -f "$c" ] || continue
        mkdir -p "$R/gt-seed$s.json.checkpoints"
        [ -f "$R/gt-seed$s.json.checkpoints/${c##*/}" ] || cp "$c" "$R/gt-seed$s.json.checkpoints/"
      done
      "$R/rdnas" standalone --space resnet --dataset cifar10 --data data/cifar10 --archs "$R/cands.json" \
        --out "$R/gt-seed$s.json" --epochs 6 --eval-at 2,4 --threads 1 --seed "$s" > "$R/seed$s.log" 2>&1 &
    done
    wait
    ;;
  save)
    for s in $SEEDS; do
      if [ -f "$R/gt-seed$s.json" ]; then cp "$R/gt-seed$s.json" "$KEEP/"; rm -f "$KEEP/partial/gt-seed$s.json.partial.json"; continue; fi
      union "$R/gt-seed$s.json.partial.json" "$KEEP/partial/gt-seed$s.json.partial.json" "$KEEP/partial/gt-seed$s.json.partial.json"
      # The unfinished network's checkpoint replaces the kept one (a finished network's is dropped).
      rm -rf "$KEEP/partial/checkpoints-seed$s"
      if compgen -G "$R/gt-seed$s.json.checkpoints/*.safetensors" > /dev/null; then
        mkdir -p "$KEEP/partial/checkpoints-seed$s"
        cp "$R/gt-seed$s.json.checkpoints/"*.safetensors "$KEEP/partial/checkpoints-seed$s/"
      fi
    done
    ;&
  status)
    for s in $SEEDS; do
      f=$KEEP/gt-seed$s.json; [ -f "$f" ] || f=$KEEP/partial/gt-seed$s.json.partial.json
      [ -f "$R/gt-seed$s.json.partial.json" ] && f=$R/gt-seed$s.json.partial.json
      [ -f "$R/gt-seed$s.json" ] && f=$R/gt-seed$s.json
      python3 -c "import json,os,sys; p=sys.argv[1]; d=json.load(open(p)) if os.path.exists(p) else {}; print(f'seed $s: {len(d)} of 36 networks ({p})')" "$f"
      # The network in training (this machine's checkpoint, else the kept one): its step, from the safetensors
      # header (8-byte length, then JSON whose __metadata__ holds the checkpoint's record).
      for c in "$R/gt-seed$s.json.checkpoints"/*.safetensors "$KEEP/partial/checkpoints-seed$s"/*.safetensors; do
        [ -f "$c" ] || continue
        python3 - "$c" <<'EOF'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    meta = json.loads(json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))["__metadata__"]["standalone"])
print(f"  in training: {sys.argv[1]}: step {meta['step']} of a {meta['config']['epochs']}-epoch schedule, {meta['seconds']:.0f} s so far")
EOF
        break
      done
    done
    ;;
  *) echo "usage: $0 run|save|status" >&2; exit 2 ;;
esac
