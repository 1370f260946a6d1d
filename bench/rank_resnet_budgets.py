#!/usr/bin/env python3
"""Two resnet-space ground truths of the same candidates at different budgets: how each ranking (FLOPs, the recorded
supernets by accuracy and by −loss) moves from the old ground truth to the new one, as a paired difference of Kendall τ
over 1,000 resamples of the candidates (the same resamples for both ground truths, so the candidates' own spread cancels).
Usage: python3 bench/rank_resnet_budgets.py NEW OLD
  NEW: a folder with gt-mean.json, proxies.csv and the supernets' score files (sandwich-eval.json,
  sandwich-rd-flops-eval.json); OLD: a folder with gt-mean.json. Candidates are joined by key."""
import csv, json, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rank_cells import tau, resamples

new_dir, old_dir = sys.argv[1], sys.argv[2]
new = json.load(open(f"{new_dir}/gt-mean.json"))
old = json.load(open(f"{old_dir}/gt-mean.json"))
keys = [k for k in new if k in old]
flops = {r["key"]: float(r["flops"]) for r in csv.DictReader(open(f"{new_dir}/proxies.csv"))}
y_new = np.array([new[k]["acc"] for k in keys])
y_old = np.array([old[k]["acc"] for k in keys])
rankings = {"flops": np.array([flops[k] for k in keys])}
for name in ["sandwich", "sandwich-rd-flops"]:
    scores = json.load(open(f"{new_dir}/{name}-eval.json"))
    rankings[f"{name} (accuracy)"] = np.array([scores[k]["acc"] for k in keys])
    rankings[f"{name} (−loss)"] = -np.array([scores[k]["loss"] for k in keys])
draws = resamples(len(keys), 1000, 0)
print(f"{len(keys)} candidates; τ against the old ground truth -> the new one, paired difference [95 % CI]")
for name, x in rankings.items():
    diffs = [tau(x[r], y_new[r]) - tau(x[r], y_old[r]) for r in draws]
    low, high = np.nanpercentile(diffs, [2.5, 97.5])
    print(f"{name}: {tau(x, y_old):.3f} -> {tau(x, y_new):.3f}  Δ {tau(x, y_new) - tau(x, y_old):+.3f} [{low:+.3f}, {high:+.3f}]")
