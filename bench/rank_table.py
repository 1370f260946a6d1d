#!/usr/bin/env python3
"""Markdown rows for NB201 runs ranked on the held-out cells: τ by accuracy and by −loss, with CIs.
Usage: python3 bench/rank_table.py runs/bench-rank name[:label] ...   (reads held-<name>-bn5.json and -bn5-loss.json)"""
import json, os, sys

R = sys.argv[1]


def cell(path):
    if not os.path.exists(path):
        return "–", "–"
    r = json.load(open(path))
    t = r["tau"]
    p = next(x["estimate"] for x in r["precision"] if x["percent"] == 10)
    return f"{t['value']:.3f} [{t['low']:.3f}, {t['high']:.3f}]", f"{p['value']:.3f}"


print("| run | τ by accuracy [95% CI] | P@10% (acc) | τ by −loss [95% CI] | P@10% (loss) |")
print("|---|---|---|---|---|")
for arg in sys.argv[2:]:
    name, _, label = arg.partition(":")
    acc, pacc = cell(f"{R}/held-{name}-bn5.json")
    loss, ploss = cell(f"{R}/held-{name}-bn5-loss.json")
    print(f"| {label or name} | {acc} | {pacc} | {loss} | {ploss} |")
