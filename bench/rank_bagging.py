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

class Taus:
    """τ of a scorer against the ground truth on all cells and on each resample, computed once per key and shared by
    every statistic that needs it (a seed alone is a member of many bags and the baseline of several rows)."""
    def __init__(self, g, res):
        self.g, self.res, self.cache, self.whole = g, res, {}, np.arange(len(g))
    def __call__(self, key, score):
        """`score(idx)`: the scorer's scores of the cells `idx`. Returns (τ on all cells, τ on each resample)."""
        if key not in self.cache:
            self.cache[key] = (tau(score(self.whole), self.g), np.array([tau(score(r), self.g[r]) for r in self.res]))
        return self.cache[key]

def scorers(d, b, t):
    """The scorers the reports compare, by kind: each takes a seed (or a bag of seeds) and cell indices."""
    return {"single": lambda s, i: d[s][i], "ensemble": lambda s, i: rank_average(d[s][i], t[i]),
            "teacher": lambda s, i: t[i], "spos": lambda s, i: b[s][i],
            "free": lambda s, i: rank_average(b[s][i], t[i]),
            "bag": lambda c, i: rank_average(*[d[s][i] for s in c]),
            "spos bag": lambda c, i: rank_average(*[b[s][i] for s in c])}

def scored(taus, kinds, kind, who):
    """(τ on all cells, τ on each resample) of scorer `kind` for a seed or bag `who` (the teacher has no seed)."""
    key = (kind, None if kind == "teacher" else who)
    return taus(key, lambda i: kinds[kind](who, i))

def report(title, bags, d, b, t, taus):
    """Mean τ over `bags` of the distilled bag, its members alone, the teacher and (where all seeds have one) the
    SPOS bag, with paired CIs of the differences."""
    kinds = scorers(d, b, t)
    spos = all(s in b for c in bags for s in c)
    def mean(kind, whos):
        runs = [scored(taus, kinds, kind, w) for w in whos]
        return np.mean([r[0] for r in runs]), np.mean([r[1] for r in runs], axis=0)
    bag, alone, teach = mean("bag", bags), mean("single", [s for c in bags for s in c]), mean("teacher", [None])
    per = [scored(taus, kinds, "bag", c)[0] for c in bags]
    print(f"### {title}: {len(bags)} bag(s) {bags}")
    print(f"- bagged distilled: {bag[0]:.3f} (per bag {' / '.join(f'{x:.3f}' for x in per)}); members alone {alone[0]:.3f}")
    print(f"- bag − members alone: {bag[0] - alone[0]:+.3f} {ci(bag[1] - alone[1])}")
    print(f"- bag − teacher (SWAP-reg alone, {teach[0]:.3f}): {bag[0] - teach[0]:+.3f} {ci(bag[1] - teach[1])}")
    if spos:
        sb = mean("spos bag", bags)
        print(f"- bag − SPOS bag of the same seeds ({sb[0]:.3f}, equal wall time): {bag[0] - sb[0]:+.3f} "
              f"{ci(bag[1] - sb[1])}")

def per_seed(seeds, acc, d, b, t, g, taus):
    """Each single supernet: τ by −loss and by accuracy, ρ, the cells' mean accuracy (does it learn the task?),
    τ(supernet, teacher) (how much it copies its teacher) and τ of its evaluation-time ensemble with the teacher
    (`rdnas ensemble eval.json:loss teacher.csv`, the rank average). Then the seeds' means against the teacher and, on
    the seeds SPOS also has, against SPOS at equal wall time and the free ensemble (SPOS + teacher), all paired."""
    kinds = scorers(d, b, t)
    print("| seed | τ −loss | τ acc | ρ −loss | mean acc of the cells | τ(supernet, teacher) | τ supernet + teacher |")
    print("|---|---|---|---|---|---|---|")
    for s in seeds:
        print(f"| {s} | {scored(taus, kinds, 'single', s)[0]:.3f} | {tau(acc[s], g):.3f} | "
              f"{stats.spearmanr(d[s], g)[0]:.3f} | {acc[s].mean():.3f} | {tau(d[s], t):.3f} | "
              f"{scored(taus, kinds, 'ensemble', s)[0]:.3f} |")
    names = {"single": "the single supernets", "ensemble": "the supernets + teacher (evaluation-time ensemble)",
             "teacher": "teacher (SWAP-reg alone)", "spos": "SPOS of the same seed (equal wall time)",
             "free": "free ensemble (SPOS of the same seed + teacher)"}
    base = [s for s in seeds if s in b]
    rows = [("single", "teacher", seeds), ("ensemble", "teacher", seeds)]
    if base:
        rows += [("single", "spos", base), ("single", "free", base), ("ensemble", "free", base)]
    for mine, theirs, ss in rows:
        own = [scored(taus, kinds, mine, s)[0] for s in ss]
        other = np.mean([scored(taus, kinds, theirs, s)[0] for s in ss])
        boots = np.mean([scored(taus, kinds, mine, s)[1] - scored(taus, kinds, theirs, s)[1] for s in ss], axis=0)
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
        taus = Taus(g, resamples(len(cs), 1000, 0))
        seeds = sorted(d)
        alone = [scored(taus, scorers(d, b, t), "single", s)[0] for s in seeds]
        print(f"## {name} ({len(cs)}): single supernets {np.mean(alone):.3f} ± {np.std(alone, ddof=1):.3f} "
              f"({' / '.join(f'{x:.3f}' for x in alone)})")
        per_seed(seeds, {s: acc for s, (acc, _) in evals.items()}, d, b, t, g, taus)
        report("every pair of seeds", list(itertools.combinations(seeds, 2)), d, b, t, taus)
        m = len(seeds) // 2
        report("disjoint pairs (independent bags)", [(seeds[i], seeds[i + m]) for i in range(m)], d, b, t, taus)
        base = [s for s in seeds if s in b]
        if len(base) >= 2 and len(base) < len(seeds):
            report(f"every pair of the seeds SPOS also has", list(itertools.combinations(base, 2)), d, b, t, taus)

if __name__ == "__main__":
    main()
