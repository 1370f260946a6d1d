#!/usr/bin/env python3
"""Writes the regularised SWAP teacher (arch,score CSV for `--proxy file:...`) from `rdnas proxy --proxies swap,params`
output: score = swap × exp(−(params/1000 − μ)² / σ), with μ, σ = SWAP.nb201Regulariser (1000, 1e6), the same formula
as the `swapreg` proxy. Usage: swap_teacher.py ALL-SWAP.csv OUT.csv"""
import csv, math, sys

MU, SIGMA = 1000.0, 1.0e6
rows = list(csv.DictReader(open(sys.argv[1])))
import os
tmp = f"{sys.argv[2]}.tmp{os.getpid()}"  # a writer of its own: two runs of the protocol may make the teacher at once
with open(tmp, "w") as f:
    f.write("arch,score\n")
    for r in rows:
        k = float(r["params"]) / 1000
        f.write(f"{r['arch']},{float(r['swap']) * math.exp(-((k - MU) ** 2) / SIGMA)!r}\n")
os.replace(tmp, sys.argv[2])
print(f"{len(rows)} cells -> {sys.argv[2]}")
