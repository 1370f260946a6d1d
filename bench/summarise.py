#!/usr/bin/env python3
"""Ratio table for bench/run.sh output: rdnas images/s (fp32, bf16) over the peer's, and peak RSS."""
import re, sys

rows = {}  # (case, threads, side) -> (value, rss_kb)
for line in open(sys.argv[1]):
    rss = re.search(r"rss_kb=(\d+)", line)
    rss = int(rss.group(1)) if rss else None
    th = re.search(r"threads=(\d+)", line)
    if not th:
        continue
    t = int(th.group(1))
    prec = (re.search(r"precision=(\w+)", line) or [None, "torch"])[1]
    if line.startswith("conv3x3"):
        ms = float(re.search(r"resnet20_step threads=\d+ (?:precision=\w+ )?min_ms=[\d.]+ median_ms=([\d.]+)", line).group(1))
        rows[("resnet20 step", t, prec if "precision" in line else "torch")] = (64 / ms * 1000, rss)
    elif line.startswith("nb201_spos") or line.startswith("resnet_sandwich"):
        pairs = int(re.search(r"pairs=(\d+)", line).group(1))
        case = "NB201 SPOS" if line.startswith("nb201") else f"resnet sandwich{' + 2 pairs' if pairs else ''}"
        rows[(case, t, prec)] = (float(re.search(r"img/s=([\d.]+)", line).group(1)), rss)
    elif line.startswith("nb201 torch") or line.startswith("resnet torch"):
        case = "NB201 SPOS" if line.startswith("nb201") else "resnet sandwich"
        rows[(case, t, "torch")] = (float(re.search(r"([\d.]+) img/s", line).group(1)), rss)

print("| step | threads | rdnas fp32 img/s | rdnas bf16 img/s | PyTorch fp32 img/s | fp32 ratio | bf16 ratio | peak RSS rdnas fp32 / PyTorch (MB) |")
print("|---|---|---|---|---|---|---|---|")
for case in ["resnet20 step", "NB201 SPOS", "resnet sandwich", "resnet sandwich + 2 pairs"]:
    for t in (1, 2):
        f, b = rows.get((case, t, "fp32")), rows.get((case, t, "bf16"))
        peer = rows.get((case.replace(" + 2 pairs", ""), t, "torch"))
        if not f:
            continue
        fr = f"{f[0] / peer[0]:.2f}×" if peer and "pairs" not in case else "–"
        br = f"{b[0] / peer[0]:.2f}×" if peer and b and "pairs" not in case else "–"
        mem = f"{f[1] / 1024:.0f} / {peer[1] / 1024:.0f}" if peer and f[1] and peer[1] else "–"
        print(f"| {case} | {t} | {f[0]:.0f} | {b[0] if b else float('nan'):.0f} | {peer[0] if peer else float('nan'):.0f} | {fr} | {br} | {mem} |")
print()
print("(\"+ 2 pairs\" has no peer counterpart: its img/s counts the batch's 4 sandwich paths, with 4 more rank-pair passes on top.)")
