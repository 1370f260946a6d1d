#!/usr/bin/env python3
"""A rank-pool teacher for `rdnas train --rank-pool`: the rank average of a whole-space teacher (a score CSV such as
runs/protocol/teacher-swapreg.csv) and the supernet's own scores on the pool (an `rdnas eval` JSON of the pool,
usually at the checkpoint the distillation phase branches from), each as its rank among the pool's cells (ties share
their mean rank), averaged and divided by the pool size. The evaluation-time ensemble of the supernet and SWAP-reg
ranks 0.06 above either alone (bench/results/rank-nb201/README.md, round 11); distilling towards it asks the
supernet to keep its own order where the teacher is unsure.
Usage: ensemble_teacher.py TEACHER.csv POOL-EVAL.json OUT.csv [--score loss|acc] [--teacher-weight W]"""
import argparse, csv, json
import numpy as np

def ranks(x):
    """1-based ranks, ties sharing their mean rank (scipy.stats.rankdata's default, without needing scipy)."""
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x)); r[order] = np.arange(1, len(x) + 1)
    for v in np.unique(x):
        tie = x == v
        r[tie] = r[tie].mean()
    return r

def kendall_tau_b(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = np.sign(x[:, None] - x[None, :]), np.sign(y[:, None] - y[None, :])
    return (dx * dy).sum() / np.sqrt((dx != 0).sum() * (dy != 0).sum())

ap = argparse.ArgumentParser()
ap.add_argument("teacher"); ap.add_argument("pool_eval"); ap.add_argument("out")
ap.add_argument("--score", choices=["loss", "acc"], default="loss", help="supernet score: −loss (default) or accuracy")
ap.add_argument("--teacher-weight", type=float, default=0.5, help="weight of the teacher's rank (0.5: plain average)")
a = ap.parse_args()
teacher = {r["arch"]: float(r["score"]) for r in csv.DictReader(open(a.teacher))}
pool = json.load(open(a.pool_eval))
archs = [v["arch"] for v in pool.values()]
missing = [x for x in archs if x not in teacher]
if missing:
    raise SystemExit(f"ensemble_teacher: {len(missing)} pool cells have no teacher score (first: {missing[0]})")
own = np.array([-v["loss"] if a.score == "loss" else v["acc"] for v in pool.values()])
prior = np.array([teacher[x] for x in archs])
w = a.teacher_weight
score = (w * ranks(prior) + (1 - w) * ranks(own)) / len(archs)
with open(a.out, "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n"); out.writerow(["arch", "score"])
    out.writerows(zip(archs, score))
print(f"{len(archs)} pool cells -> {a.out} (τ teacher vs supernet on the pool {kendall_tau_b(prior, own):.3f})")
