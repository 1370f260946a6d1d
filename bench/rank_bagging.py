"""Issue 11, item 4: bagging within the 2-hour budget. A distilled C=24 supernet trains in ~2,000–2,500 s of this
machine alone on two threads (+~300 s of evaluation), so two of them fit in the ≤ 2 h a run may spend, and "train k
supernets on different seeds, rank by the mean of their −loss ranks" is a recipe of the same budget that needs no proxy
at evaluation time (`rdnas ensemble a-eval.json:loss b-eval.json:loss`). Its baseline is the same bag of SPOS
supernets (equal wall time, seed for seed), where both have the seeds.

From score files only (no training). Cells: the protocol's 500 held-out cells of runs/protocol. Seeds: a config's
score files in runs/protocol and in each --extra folder (more seeds trained apart, so their landmarks do not change
runs/protocol's cells; how many of their landmarks fall among those cells is printed, and the figures are repeated
without those cells). Reported: each seed alone (τ, ρ, the cells' mean accuracy, τ to the teacher, τ of its
evaluation-time ensemble with the teacher) and the seeds' means against the teacher, SPOS of the same seed at equal
wall time and the free ensemble (SPOS + teacher); every k-subset of the seeds as one bag (bags share seeds, so they are not
independent), and the disjoint bags (seed i with seed i + m, m = seeds / 2: independent training runs); paired
bootstrap CIs over 1,000 resamples of the cells, the same resamples for every statistic.
Usage: python3 bench/rank_bagging.py [--extra DIR ...] [DISTILLED [SPOS]]"""
import argparse, csv, itertools, os, sys
import numpy as np
from scipy import stats
from rank_cells import ground_truth, heldout_cells, landmarks_of, load_eval, tau, rank_average, resamples

R = "runs/protocol"

def score_files(cfg, dirs):
    """seed -> eval JSON path, over runs/protocol and the extra folders (the first folder holding a seed wins)."""
    found = {}
    for d in dirs:
        for s in range(20):
            p = f"{d}/{cfg}-s{s}-eval.json"
            if s not in found and os.path.isfile(p):
                found[s] = p
    return found

def teacher(cells, path=f"{R}/teacher-swapreg.csv"):
    by = {r["arch"]: float(r["score"]) for r in csv.DictReader(open(path))}
    return np.array([by[a] for a in cells])

def ci(values):
    lo, hi = np.percentile(values, [2.5, 97.5])
    return f"[{lo:+.3f}, {hi:+.3f}]"

def report(title, bags, d, b, t, g, res):
    """Mean τ over `bags` of the distilled bag, its members alone, the teacher and (where all seeds have one) the
    SPOS bag, with paired CIs of the differences."""
    spos = all(s in b for c in bags for s in c)
    def stats_on(idx):
        gi = g[idx]
        bag = np.mean([tau(rank_average(*[d[s][idx] for s in c]), gi) for c in bags])
        alone = np.mean([tau(d[s][idx], gi) for c in bags for s in c])
        sb = np.mean([tau(rank_average(*[b[s][idx] for s in c]), gi) for c in bags]) if spos else np.nan
        return bag, alone, tau(t[idx], gi), sb
    point = stats_on(np.arange(len(g)))
    boots = np.array([stats_on(r) for r in res])
    per = [tau(rank_average(*[d[s] for s in c]), g) for c in bags]
    print(f"### {title}: {len(bags)} bag(s) {bags}")
    print(f"- bagged distilled: {point[0]:.3f} (per bag {' / '.join(f'{x:.3f}' for x in per)}); members alone {point[1]:.3f}")
    print(f"- bag − members alone: {point[0] - point[1]:+.3f} {ci(boots[:, 0] - boots[:, 1])}")
    print(f"- bag − teacher (SWAP-reg alone, {point[2]:.3f}): {point[0] - point[2]:+.3f} {ci(boots[:, 0] - boots[:, 2])}")
    if spos:
        print(f"- bag − SPOS bag of the same seeds ({point[3]:.3f}, equal wall time): {point[0] - point[3]:+.3f} "
              f"{ci(boots[:, 0] - boots[:, 3])}")

def per_seed(seeds, acc, d, b, t, g, res):
    """Each single supernet: τ by −loss and by accuracy, ρ, the cells' mean accuracy (does it learn the task?),
    τ(supernet, teacher) (how much it copies its teacher) and τ of its evaluation-time ensemble with the teacher
    (`rdnas ensemble eval.json:loss teacher.csv`, the rank average). Then the seeds' means against the teacher and, on
    the seeds SPOS also has, against SPOS at equal wall time and the free ensemble (SPOS + teacher), all paired."""
    print("| seed | τ −loss | τ acc | ρ −loss | mean acc of the cells | τ(supernet, teacher) | τ supernet + teacher |")
    print("|---|---|---|---|---|---|---|")
    for s in seeds:
        print(f"| {s} | {tau(d[s], g):.3f} | {tau(acc[s], g):.3f} | {stats.spearmanr(d[s], g)[0]:.3f} | "
              f"{acc[s].mean():.3f} | {tau(d[s], t):.3f} | {tau(rank_average(d[s], t), g):.3f} |")
    # Each scorer's τ on all cells and on every resample, computed once per (scorer, seed) and shared by the rows.
    scorers = {"single": lambda s, i: d[s][i], "ensemble": lambda s, i: rank_average(d[s][i], t[i]),
               "teacher": lambda s, i: t[i], "spos": lambda s, i: b[s][i],
               "free": lambda s, i: rank_average(b[s][i], t[i])}
    names = {"single": "the single supernets", "ensemble": "the supernets + teacher (evaluation-time ensemble)",
             "teacher": "teacher (SWAP-reg alone)", "spos": "SPOS of the same seed (equal wall time)",
             "free": "free ensemble (SPOS of the same seed + teacher)"}
    cache, whole = {}, np.arange(len(g))
    def taus(scorer, s):
        key = (scorer, None if scorer == "teacher" else s)
        if key not in cache:
            f = scorers[scorer]
            cache[key] = (tau(f(s, whole), g), np.array([tau(f(s, r), g[r]) for r in res]))
        return cache[key]
    base = [s for s in seeds if s in b]
    rows = [("single", "teacher", seeds), ("ensemble", "teacher", seeds)]
    if base:
        rows += [("single", "spos", base), ("single", "free", base), ("ensemble", "free", base)]
    for mine, theirs, ss in rows:
        own = [taus(mine, s)[0] for s in ss]
        other = np.mean([taus(theirs, s)[0] for s in ss])
        boots = np.mean([taus(mine, s)[1] - taus(theirs, s)[1] for s in ss], axis=0)
        spread = f" ± {np.std(own, ddof=1):.3f}" if len(ss) > 1 else ""
        label = names[mine] + ("" if ss == seeds else f", seeds {ss}")
        print(f"- mean of {label} ({np.mean(own):.3f}{spread}) − {names[theirs]} ({other:.3f}): "
              f"{np.mean(own) - other:+.3f} {ci(boots)}")

def main():
    ap = argparse.ArgumentParser(usage=__doc__.strip().splitlines()[-1])
    ap.add_argument("distilled", nargs="?", default="rd-swapreg-warm20-c24-m1-l5")
    ap.add_argument("spos", nargs="?", default="spos-c24-e35")
    ap.add_argument("--extra", nargs="*", default=[])
    a = ap.parse_args()
    dirs = [R] + a.extra
    gt = ground_truth()
    cells, _ = heldout_cells(R)
    dfiles, bfiles = score_files(a.distilled, dirs), score_files(a.spos, dirs)
    if len(dfiles) < 2:
        sys.exit(f"rank_bagging: {a.distilled} has {len(dfiles)} score files in {', '.join(dirs)}; a bag needs 2")
    extra_landmarks = set().union(*[landmarks_of(x) for x in a.extra]) if a.extra else set()
    hit = [c for c in cells if c in extra_landmarks]
    print(f"## {a.distilled}: seeds {sorted(dfiles)}; {a.spos}: seeds {sorted(bfiles)}; "
          f"{len(hit)} of the {len(cells)} cells are landmarks of the --extra runs")
    variants = [("all cells", cells)] + ([(f"without those {len(hit)} cells", [c for c in cells if c not in hit])] if hit else [])
    for name, cs in variants:
        g = np.array([gt[x] for x in cs])
        evals = {s: load_eval(p, cs) for s, p in dfiles.items()}  # (accuracy, loss), each file read once
        d = {s: -loss for s, (_, loss) in evals.items()}
        b = {s: -load_eval(p, cs)[1] for s, p in bfiles.items()}
        t = teacher(cs)
        res = resamples(len(cs), 1000, 0)
        seeds = sorted(d)
        alone = [tau(d[s], g) for s in seeds]
        print(f"## {name} ({len(cs)}): single supernets {np.mean(alone):.3f} ± {np.std(alone, ddof=1):.3f} "
              f"({' / '.join(f'{x:.3f}' for x in alone)})")
        per_seed(seeds, {s: acc for s, (acc, _) in evals.items()}, d, b, t, g, res)
        report("every pair of seeds", list(itertools.combinations(seeds, 2)), d, b, t, g, res)
        m = len(seeds) // 2
        report("disjoint pairs (independent bags)", [(seeds[i], seeds[i + m]) for i in range(m)], d, b, t, g, res)
        base = [s for s in seeds if s in b]
        if len(base) >= 2 and len(base) < len(seeds):
            report(f"every pair of the seeds SPOS also has", list(itertools.combinations(base, 2)), d, b, t, g, res)

if __name__ == "__main__":
    main()
