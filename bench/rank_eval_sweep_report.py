#!/usr/bin/env python3
"""Report of the evaluation-budget sweep (bench/rank_eval_sweep.sh, issue 11 item 4).

The same trained supernets scored three ways on the protocol's 500 held-out cells (the uniform draw minus every
landmark of runs/protocol, as bench/rank_protocol.py): the protocol's own evaluation (1,000 validation images, BN
recalibrated on 5 training batches) and each variant folder runs/protocol-<variant>. For every configuration and
variant: Kendall tau-b against the 200-epoch ground truth by -loss and by accuracy (mean ± sd over seeds), mean
accuracy; the paired difference variant − protocol evaluation (same runs, same cells, one bootstrap resample of cells
shared by every statistic), the late recipe against SPOS-40 under each evaluation, and the equal-weight rank average
with SWAP-reg. Also tau(score at budget A, score at budget B) of one run: how much of a cell's score is evaluation noise.
Usage: python3 bench/rank_eval_sweep_report.py OUT.md [--resamples 1000]
"""
import csv, os, sys
import numpy as np
from rank_cells import ground_truth, heldout_cells, load_eval, tau, rank_average as ens, resamples

OUT = sys.argv[1]
RESAMPLES = int(sys.argv[sys.argv.index("--resamples") + 1]) if "--resamples" in sys.argv else 1000
R = "runs/protocol"
VARIANTS = {"protocol (1,000 images, BN 5)": R, "3,000 images, BN 5": R + "-img3000", "1,000 images, BN 20": R + "-bn20"}
CONFIGS = {"rd-swapreg-late": [0, 1, 2], "spos-e40": [1, 2],  # spos-e40 seed 0 has no checkpoint left to re-score
           "rd-swapreg-warm20-m1": [0, 1, 2]}  # round 13: BN on 20 batches only
gt = ground_truth()
cells, _ = heldout_cells(R)
truth = np.array([gt[a] for a in cells])
swap = {row["arch"]: float(row["score"]) for row in csv.DictReader(open(f"{R}/teacher-swapreg.csv"))}
swapreg = np.array([swap[a] for a in cells])

def load(folder, run):
    path = f"{folder}/{run}-eval.json"
    return load_eval(path, cells) if os.path.exists(path) else None

scores = {(v, c, s): load(folder, f"{c}-s{s}") for v, folder in VARIANTS.items() for c, seeds in CONFIGS.items() for s in seeds}
have = {k: x for k, x in scores.items() if x is not None}

boots = resamples(len(cells), RESAMPLES, seed=11)
def paired(fa, fb):
    """fa, fb: functions of an index array giving a seed-mean tau; returns (delta, lo, hi)."""
    full = np.arange(len(cells)); d = fa(full) - fb(full)
    ds = [fa(i) - fb(i) for i in boots]
    return d, np.percentile(ds, 2.5), np.percentile(ds, 97.5)
def seedmean(v, c, kind, seeds=None, with_swap=False):
    seeds = [s for s in (seeds or CONFIGS[c]) if (v, c, s) in have]
    def f(i):
        out = []
        for s in seeds:
            acc, loss = have[(v, c, s)]; x = -loss if kind == "loss" else acc
            if with_swap: x = ens(x, swapreg)
            out.append(tau(x[i], truth[i]))
        return np.mean(out)
    return f, seeds

lines = [f"# Evaluation budget sweep — NB201 protocol (issue 11, item 4)", "",
         f"Same 500 uniformly drawn held-out cells as protocol.md; 200-epoch CIFAR-10 ground truth; {RESAMPLES} paired "
         "bootstrap resamples of cells. Command: `JOBS=2 bash bench/rank_eval_sweep.sh` (round 13: `ONLY=bn20 JOBS=2 bash bench/rank_eval_sweep.sh "
         "rd-swapreg-warm20-m1-s0 rd-swapreg-warm20-m1-s1 rd-swapreg-warm20-m1-s2`; evals: fp32, one thread each), "
         "then `python3 bench/rank_eval_sweep_report.py " + OUT + "`. Score files: runs/protocol-<variant>/*-eval.json "
         "(committed under protocol/evals-<variant>/).", "",
         "| config | evaluation | seeds | τ −loss (mean ± sd; per seed) | τ acc (mean ± sd) | mean acc | distinct acc | τ(−loss + SWAP-reg, equal ranks) |",
         "|---|---|---|---|---|---|---|---|"]
for c, seeds in CONFIGS.items():
    for v in VARIANTS:
        ss = [s for s in seeds if (v, c, s) in have]
        if not ss: continue
        tl = [tau(-have[(v, c, s)][1], truth) for s in ss]; ta = [tau(have[(v, c, s)][0], truth) for s in ss]
        te = [tau(ens(-have[(v, c, s)][1], swapreg), truth) for s in ss]
        ma = np.mean([have[(v, c, s)][0].mean() for s in ss]); dist = np.mean([len(set(have[(v, c, s)][0])) for s in ss])
        sd = lambda x: np.std(x, ddof=1) if len(x) > 1 else 0.0
        lines.append(f"| {c} | {v} | {','.join(map(str, ss))} | {np.mean(tl):.3f} ± {sd(tl):.3f} ({' / '.join(f'{t:.3f}' for t in tl)}) | "
                     f"{np.mean(ta):.3f} ± {sd(ta):.3f} | {100 * ma:.1f} % | {dist:.0f} | {np.mean(te):.3f} ± {sd(te):.3f} |")
lines += ["", f"SWAP-reg alone on these cells: τ {tau(swapreg, truth):.3f}.", "",
          "## Paired differences (seed-mean τ, 95 % CI over cells)", "",
          "| comparison | score | seeds | Δτ | 95 % CI |", "|---|---|---|---|---|"]
base = list(VARIANTS)[0]
for v in list(VARIANTS)[1:]:
    for c in CONFIGS:
        for kind in ["loss", "acc"]:
            fv, sv = seedmean(v, c, kind); fb, _ = seedmean(base, c, kind, seeds=sv)
            if not sv: continue
            d, lo, hi = paired(fv, fb)
            lines.append(f"| {c}: {v} − protocol evaluation | {kind} | {','.join(map(str, sv))} | {d:+.3f} | [{lo:+.3f}, {hi:+.3f}] |")
for v in VARIANTS:
    for kind in ["loss", "acc"]:
        fl, sl = seedmean(v, "rd-swapreg-late", kind); fs, ss = seedmean(v, "spos-e40", kind)
        if not sl or not ss: continue
        d, lo, hi = paired(fl, fs)
        lines.append(f"| late − SPOS-40, {v} | {kind} | {','.join(map(str, sl))} vs {','.join(map(str, ss))} | {d:+.3f} | [{lo:+.3f}, {hi:+.3f}] |")
    fe, se = seedmean(v, "rd-swapreg-late", "loss", with_swap=True)
    if se:
        d, lo, hi = paired(fe, lambda i: tau(swapreg[i], truth[i]))
        lines.append(f"| late + SWAP-reg (equal) − SWAP-reg, {v} | loss | {','.join(map(str, se))} | {d:+.3f} | [{lo:+.3f}, {hi:+.3f}] |")
lines += ["", "## Evaluation noise: τ between two evaluations of the same checkpoint (−loss)", "",
          "| run | protocol vs 3,000 images | protocol vs BN 20 | 3,000 images vs BN 20 |", "|---|---|---|---|"]
names = list(VARIANTS)
for c, seeds in CONFIGS.items():
    for s in seeds:
        cellsv = []
        for a, b in [(0, 1), (0, 2), (1, 2)]:
            x, y = have.get((names[a], c, s)), have.get((names[b], c, s))
            cellsv.append(f"{tau(-x[1], -y[1]):.3f}" if x is not None and y is not None else "–")
        lines.append(f"| {c}-s{s} | " + " | ".join(cellsv) + " |")
open(OUT, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
