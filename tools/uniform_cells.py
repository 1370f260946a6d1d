#!/usr/bin/env python3
"""Writes N NB201 cells drawn uniformly at random (seeded, without replacement) from all 15,625 as a candidates
JSON, in draw order, excluding every arch listed in --exclude candidate JSONs (e.g. a held-out set, so a calibration
sample stays disjoint from it). Landmarks of training runs are removed later, at analysis time (rank_protocol.py).
Usage: uniform_cells.py GT.csv N SEED OUT.json [--exclude other.json ...]"""
import csv, json, random, sys

gt, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
exclude = set()
for path in sys.argv[6:] if len(sys.argv) > 5 and sys.argv[5] == "--exclude" else []:
    exclude.update(v["arch"] for v in json.load(open(path)).values())
rows = [r["ArchitectureString"] for r in csv.DictReader(open(gt))]
assert len(rows) == 15625, f"{gt}: expected 15,625 cells, found {len(rows)}"
pool = [a for a in rows if a not in exclude]
picked = random.Random(seed).sample(pool, n)
json.dump({f"arch{i + 1}": {"acc": 0.0, "arch": a} for i, a in enumerate(picked)}, open(out, "w"), indent=0)
print(f"{n} cells drawn uniformly from {len(pool)} ({len(exclude)} excluded) -> {out}")
