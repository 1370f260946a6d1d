#!/usr/bin/env python3
"""Writes N NB201 cells stratified over the CIFAR-10 200-epoch accuracy range (one per equal-count stratum,
seeded) as a candidates JSON, excluding any arch listed in --exclude files (e.g. a run's landmarks).
Usage: stratified_cells.py GT.csv N SEED OUT.json [--exclude metrics.jsonl ...]"""
import csv, json, random, sys

gt, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
exclude = set()
for path in sys.argv[6:] if len(sys.argv) > 5 and sys.argv[5] == "--exclude" else []:
    for line in open(path):
        if '"type":"landmarks"' in line:
            exclude.update(json.loads(line)["archs"])
rows = [r for r in csv.DictReader(open(gt)) if r["ArchitectureString"] not in exclude]
rows.sort(key=lambda r: float(r["CIFAR10TestAccuracy200Epochs"]))
rng = random.Random(seed)
picked = [rows[rng.randrange(i * len(rows) // n, (i + 1) * len(rows) // n)] for i in range(n)]
json.dump({f"arch{i + 1}": {"acc": 0.0, "arch": r["ArchitectureString"]} for i, r in enumerate(picked)},
          open(out, "w"), indent=0)
print(f"{n} cells stratified by accuracy ({len(exclude)} excluded) -> {out}")
