#!/usr/bin/env python3
"""Report of the NB201 ranking protocol (issue 11) from the eval JSONs that bench/rank_protocol.sh writes.

Cells: the uniform draw (runs/protocol/heldout-uniform.json) minus every landmark of every run, first 500 in draw
order; the same cells for every row. For each configuration and seed, the supernet's scores are read by accuracy,
by -loss and by accuracy with -loss breaking ties; against the 200-epoch CIFAR-10 ground truth it reports Kendall
tau-b, Spearman rho, P@top-5% / 10% (fractional tie rule, as rdnas), tau(supernet, teacher), mean accuracy and distinct
accuracies. Paired bootstrap over cells (one resample of cells shared by every statistic): the seed-mean of
tau(supernet) - tau(baseline) for each baseline: the teacher proxy alone, the free ensemble (rank average of the SPOS
supernet of the same seed and the teacher), SPOS at equal steps, SPOS at equal wall time, the random-prior control.
Usage: python3 bench/rank_protocol.py RUNS_DIR OUT.md [--resamples 1000] [--score loss|acc|acc+loss]
"""
import csv, glob, os, re, sys
import numpy as np
from scipy import stats
from rank_cells import ground_truth, heldout_cells, drawn_cells, load_eval, score, tau, resamples
from rank_cells import rank_average as ensemble, weighted_ranks as wensemble

R, OUT = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
RESAMPLES = int(args[args.index("--resamples") + 1]) if "--resamples" in args else 1000
PRIMARY = args[args.index("--score") + 1] if "--score" in args else "loss"
gt = ground_truth()

# --- cells -------------------------------------------------------------------------------------------------
cells, landmarks = heldout_cells(R)
truth = np.array([gt[a] for a in cells])

# --- proxies on those cells ----------------------------------------------------------------------------------
def load_proxies(paths, cells):
    """Every proxy column of the CSVs that exist, on `cells` (a proxy missing any cell is left out)."""
    found = {}
    for path in paths:
        if not os.path.exists(path):
            continue
        for row in csv.DictReader(open(path)):
            for k, v in row.items():
                if k in ("key", "arch"):
                    continue
                name = "swapreg" if (path.endswith("teacher-swapreg.csv") and k == "score") else k
                found.setdefault(name, {})[row["arch"]] = float(v)
    return {k: np.array([v[a] for a in cells]) for k, v in found.items() if all(a in v for a in cells)}
proxies = load_proxies([f"{R}/heldout-proxies.csv", f"{R}/teacher-swapreg.csv", f"{R}/all-swap.csv"], cells)

# --- runs ------------------------------------------------------------------------------------------------
runs = {}  # config -> seed -> (acc, loss)
for path in sorted(glob.glob(f"{R}/*-s[0-9]*-eval.json")):
    m = re.match(r"(.+)-s(\d+)-eval\.json", os.path.basename(path))
    if not m: continue  # e.g. x-s0-calib-eval.json: the calibration cells, read below
    runs.setdefault(m.group(1), {})[int(m.group(2))] = load_eval(path, cells)
TEACHER_OF_PREFIX = {"rd-flops": "flops", "rd-swapreg": "swapreg", "rd-random": "flops", "rd-naswot": "naswot"}
def teacher_of(cfg):
    hits = [p for p in TEACHER_OF_PREFIX if cfg == p or cfg.startswith(p + "-")]
    return TEACHER_OF_PREFIX[max(hits, key=len)] if hits else "flops"
times = {}
if os.path.exists(f"{R}/times.txt"):
    for line in open(f"{R}/times.txt"):
        # "(2 threads)": trained alone on both cores; without it, one thread a run, usually beside other runs.
        m = re.match(r"(\S+) train (\d+) s, eval (\d+) s( \((\d+) threads\))?", line)
        if m: times[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(5) or 1))

# --- statistics ------------------------------------------------------------------------------------------
def membership(scores, k):
    scores = np.asarray(scores); member = np.zeros(len(scores)); before = 0
    for value in sorted(set(scores.tolist()), reverse=True):
        group = scores == value; size = int(group.sum()); left = k - before
        member[group] = 0.0 if left <= 0 else min(1.0, left / size); before += size
    return member

def p_at(pred, y, pct):
    k = max(1, int(round(len(y) * pct / 100)))
    return float((membership(pred, k) * membership(y, k)).sum() / k)

IDX = resamples(len(cells), RESAMPLES, seed=0)

def paired(pairs):
    """pairs: list over seeds of (a_scores, b_scores). Seed-mean tau(a)-tau(b), percentile CI over cell resamples."""
    point = np.mean([tau(a, truth) - tau(b, truth) for a, b in pairs])
    diffs = np.empty(RESAMPLES)
    for r in range(RESAMPLES):
        i = IDX[r]; t = truth[i]
        diffs[r] = np.mean([tau(a[i], t) - tau(b[i], t) for a, b in pairs])
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return point, lo, hi

lines = [f"# NB201 ranking protocol — {len(cells)} uniformly drawn held-out cells (issue 11)", "",
         f"Cells: `{R}/heldout-uniform.json` (tools/uniform_cells.py, seed 2026, 560 drawn) minus {len(landmarks)} "
         f"landmarks of the runs, first {len(cells)}. Ground truth: 200-epoch CIFAR-10 test accuracy. "
         f"Primary score: {PRIMARY}. Bootstrap: {RESAMPLES} resamples of cells, paired. Command: "
         f"`python3 bench/rank_protocol.py {R} {OUT}`.", "", "## Proxies alone (same cells)", "",
         "| proxy | τ | ρ | P@5% | P@10% |", "|---|---|---|---|---|"]
for k in sorted(proxies):
    p = proxies[k]
    lines.append(f"| {k} | {tau(p, truth):.3f} | {stats.spearmanr(p, truth)[0]:.3f} | {p_at(p, truth, 5):.3f} | {p_at(p, truth, 10):.3f} |")

lines += ["", "## Supernets, per seed", "",
          "train s: wall time of training. Unmarked: one thread a run, usually beside other runs on the two cores (each "
          "round's load is in README.md); \"(2 thr)\": two threads, trained alone. Only times of the same kind compare.", "",
          "| config | seed | train s | mean acc % | distinct acc | τ acc | τ −loss | τ acc+loss | ρ (primary) | P@5% | P@10% | τ(supernet, teacher) |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
summary = {}
for cfg in sorted(runs):
    teacher = teacher_of(cfg)
    for s in sorted(runs[cfg]):
        acc, loss = runs[cfg][s]; prim = score(acc, loss, PRIMARY)
        row = {"tau_acc": tau(acc, truth), "tau_loss": tau(-loss, truth), "tau_accloss": tau(score(acc, loss, "acc+loss"), truth),
               "rho": stats.spearmanr(prim, truth)[0], "p5": p_at(prim, truth, 5), "p10": p_at(prim, truth, 10),
               "mean_acc": float(np.mean(acc)) * (100 if acc.max() <= 1 else 1), "distinct": len(set(acc.tolist())),
               "tau_teacher": tau(prim, proxies[teacher]) if teacher in proxies else float("nan")}
        summary.setdefault(cfg, []).append(row)
        t, _, threads = times.get(f"{cfg}-s{s}", ("?", "?", 1))
        if threads > 1: t = f"{t} ({threads} thr)"
        lines.append(f"| {cfg} | {s} | {t} | {row['mean_acc']:.1f} | {row['distinct']} | {row['tau_acc']:.3f} | {row['tau_loss']:.3f} | "
                     f"{row['tau_accloss']:.3f} | {row['rho']:.3f} | {row['p5']:.3f} | {row['p10']:.3f} | {row['tau_teacher']:.3f} |")

lines += ["", "## Supernets, mean ± sd over seeds", "",
          "| config | seeds | mean acc % | τ acc | τ −loss | τ acc+loss | P@10% (primary) |", "|---|---|---|---|---|---|---|"]
ms = lambda rows, k: f"{np.mean([r[k] for r in rows]):.3f} ± {np.std([r[k] for r in rows], ddof=1) if len(rows) > 1 else 0:.3f}"
for cfg, rows in sorted(summary.items()):
    lines.append(f"| {cfg} | {len(rows)} | {np.mean([r['mean_acc'] for r in rows]):.1f} | {ms(rows, 'tau_acc')} | {ms(rows, 'tau_loss')} | "
                 f"{ms(rows, 'tau_accloss')} | {ms(rows, 'p10')} |")

def prim_of(cfg, s): acc, loss = runs[cfg][s]; return score(acc, loss, PRIMARY)
# SPOS baselines of each budget: 3-epoch distilled runs (3 passes a step) against SPOS at 3 epochs (equal steps)
# and 9 epochs (equal wall time); the long runs (round 3's 13-epoch ones, round 4's late distillation) against SPOS at
# 40 epochs (equal wall time). The random-prior control exists at the 3-epoch budget only.
def is_long(cfg): return re.search(r"-(e13|late)$", cfg) is not None
# Two rank pairs a step make five passes a step, so their equal-wall-time SPOS is 15 epochs (round 9).
# The warm starts (9, 15 or 20 SPOS epochs, then 3 of two pairs: 24, 30 or 35 pass-epochs; or 10 + 6 × 5 = 40)
# lie between SPOS at 15 and at 40 epochs.
def budget(cfg):
    """(SPOS baselines of cfg's budget, the one whose free ensemble also meets the weighted and teacher-alone rows,
    whether the random-prior control applies). The free-ensemble partner is listed last."""
    if is_long(cfg): return ["spos-e40"], False
    # Warm starts: SPOS-15 (round 9's first warm start's budget), the exact equal wall time where it was run
    # (warm 20: 20 + 3 × 5 = 35 pass-epochs; warm 25: 40, spos-e40 itself), and SPOS-40, the free-ensemble partner.
    # Round 13's branches of warm 20's distillation phase (a margin, a higher rate) cost what warm 20 costs.
    # Round 15's warm 17 with one pair a step (17 + 6 × 3) costs the same 35.
    # Round 16's three-epoch control branched from the four-epoch runs' SPOS phase (`-from-d4`) costs the same 35.
    if re.search(r"-warm20(-(m\d+|lr\d+)(-(l\d+|task))?)?(-from-d4)?$|-warm17-p1-", cfg): return ["spos-e15", "spos-e35", "spos-e40"], False
    # An N=2 supernet's pass costs more than an N=1 one, so its 35 pass-epochs exceed SPOS-35's wall time: SPOS at 40
    # epochs (N=1) is the nearest baseline run, and it is still cheaper than the N=2 run.
    # Round 16's C=24 supernet likewise (a C=24 pass costs about twice a C=16 one); round 17 adds its exact
    # equal-wall-time baseline, SPOS at 35 epochs on the C=24 supernet, beside SPOS-35 at C=16 (the same 35 epochs at
    # the ground truth's width); SPOS-40, with three seeds, stays the free-ensemble partner.
    if "-c24-" in cfg: return ["spos-e35", "spos-c24-e35", "spos-e40"], False
    # Round 18's C=32 supernet costs more than either (no SPOS at C=32 was run): SPOS-35 at C=24 is the nearest
    # baseline, a cheaper one, so its row is not at equal wall time.
    if "-c32-" in cfg: return ["spos-c24-e35", "spos-e40"], False
    if "-n2-" in cfg: return ["spos-e40"], False
    # Round 16's four-epoch distillation phase (20 + 4 × 5 = 40 pass-epochs) is exactly SPOS-40's wall time, which
    # this rule gives it.
    if "-warm" in cfg: return ["spos-e15", "spos-e40"], False
    return (["spos-e15", "spos"] if re.search(r"-p2(-|$)", cfg) else ["spos-e9", "spos"]), True
def spos_baselines(cfg):  # equal steps first, then equal wall time: the order of the rows against SPOS itself
    return sorted(budget(cfg)[0], key=lambda b: b != "spos")
# Round 7's variants of the 3-epoch SWAP recipe (λ 20 / 30 / 100, two pairs a step) are also held against that recipe itself.
VARIANT_OF = {v: ["rd-swapreg"] for v in ["rd-swapreg-l20", "rd-swapreg-l30", "rd-swapreg-l100", "rd-swapreg-p2"]}
# Round 8's (four pairs a step; two pairs whose passes also carry their cross-entropy) also against two pairs a step.
VARIANT_OF.update({v: ["rd-swapreg", "rd-swapreg-p2"] for v in ["rd-swapreg-p4", "rd-swapreg-p2-task", "rd-swapreg-p2-gap", "rd-swapreg-p2-gap3", "rd-swapreg-p2-gap4"]})
# Round 9's wider gap also against the gap-0.3 recipe it extends.
VARIANT_OF["rd-swapreg-p2-gap4"].append("rd-swapreg-p2-gap3")
VARIANT_OF["rd-swapreg-warm-gap3"] = ["rd-swapreg-p2-gap3", "rd-swapreg-late"]
# Round 10's warm starts (λ 20; a 15-epoch SPOS phase; a 6-epoch distillation phase) against the warm start they vary.
VARIANT_OF.update({v: ["rd-swapreg-warm-gap3"] for v in ["rd-swapreg-warm-l20", "rd-swapreg-warm15", "rd-swapreg-warm10-d6", "rd-swapreg-warm20"]})
VARIANT_OF["rd-swapreg-warm20"].append("rd-swapreg-warm15")
# Round 11's 25-epoch SPOS phase against the 15- and 20-epoch ones.
VARIANT_OF["rd-swapreg-warm25"] = ["rd-swapreg-warm15", "rd-swapreg-warm20"]
# Round 12's second distillation phases of warm 20 (20 + 6 × 5 = 50 pass-epochs, beyond spos-e40) against warm 20
# itself (the same supernet up to the branch point), and the ensemble teacher against SWAP-reg alone on the same pool.
VARIANT_OF["rd-swapreg-warm20-pool3"] = ["rd-swapreg-warm20"]
VARIANT_OF["rd-swapreg-warm20-ens3"] = ["rd-swapreg-warm20", "rd-swapreg-warm20-pool3"]
# Round 13's distillation phases with a hinge margin or a higher rate, branched where warm 20's phase starts (epoch
# 19's checkpoint), against warm 20 itself, and the larger margin against the smaller.
VARIANT_OF.update({v: ["rd-swapreg-warm20"] for v in ["rd-swapreg-warm20-m1", "rd-swapreg-warm20-m3", "rd-swapreg-warm20-lr5"]})
VARIANT_OF["rd-swapreg-warm20-m3"].append("rd-swapreg-warm20-m1")
# Round 14: the margin with the task kept (half λ, or the pair members' cross-entropy) against warm 20 and margin 0.1.
VARIANT_OF.update({v: ["rd-swapreg-warm20", "rd-swapreg-warm20-m1"] for v in ["rd-swapreg-warm20-m1-l5", "rd-swapreg-warm20-m1-task", "rd-swapreg-warm20-m1-l3", "rd-swapreg-warm20-m2-l5"]})
VARIANT_OF["rd-swapreg-warm20-m1-l3"].append("rd-swapreg-warm20-m1-l5")
VARIANT_OF["rd-swapreg-warm20-m2-l5"].append("rd-swapreg-warm20-m1-l5")
# Round 15: a distillation phase twice as long at the same cost (from epoch 16, one pair a step for 6 epochs), against
# warm 20 (the same supernet three epochs earlier in its SPOS phase) and margin 0.1 at λ 5 with the 3-epoch phase.
VARIANT_OF["rd-swapreg-warm17-p1-m1-l5"] = ["rd-swapreg-warm20", "rd-swapreg-warm20-m1-l5"]
# And the same recipe as margin 0.1 at λ 5 on an N=2 supernet, against it and warm 20 (N=1, same seeds).
VARIANT_OF["rd-swapreg-warm20-n2-m1-l5"] = ["rd-swapreg-warm20-m1-l5", "rd-swapreg-warm20"]
# Round 16: margin 0.1 at λ 5 with a four-epoch distillation phase (from scratch, a new SPOS phase on the current
# engine), against its three-epoch control branched from the same SPOS phase (the same supernet up to epoch 19), the
# recorded three-epoch phase (paired over cells only; another SPOS phase) and warm 20.
VARIANT_OF["rd-swapreg-warm20-d4-m1-l5"] = ["rd-swapreg-warm20-m1-l5-from-d4", "rd-swapreg-warm20-m1-l5", "rd-swapreg-warm20"]
# Its control: the three-epoch phase branched from the same SPOS phases (epoch 19), against the recorded one.
VARIANT_OF["rd-swapreg-warm20-m1-l5-from-d4"] = ["rd-swapreg-warm20-m1-l5", "rd-swapreg-warm20"]
# And width: margin 0.1 at λ 5 on a C=24 supernet, against the same recipe at C=16 (as recorded, and the control
# trained on the same engine and seeds) and warm 20.
VARIANT_OF["rd-swapreg-warm20-c24-m1-l5"] = ["rd-swapreg-warm20-m1-l5", "rd-swapreg-warm20-m1-l5-from-d4", "rd-swapreg-warm20"]
# Round 18's C=32 against the same recipe at C=24 and at C=16.
VARIANT_OF["rd-swapreg-warm20-c32-m1-l5"] = ["rd-swapreg-warm20-c24-m1-l5", "rd-swapreg-warm20-m1-l5"]
# And round 12's second phase towards the ensemble, now with the margin, against warm 20, that phase without the
# margin, and its SWAP-reg control.
VARIANT_OF["rd-swapreg-warm20-ens3-m1"] = ["rd-swapreg-warm20", "rd-swapreg-warm20-ens3", "rd-swapreg-warm20-pool3"]

lines += ["", "## Ensembles at evaluation time (rank average of a supernet and a proxy), τ mean ± sd over seeds", "",
          "| supernet | + proxy | seeds | τ of the ensemble | τ proxy alone |", "|---|---|---|---|---|"]
for cfg in sorted(runs):
    for prox in sorted({teacher_of(cfg), "swapreg"} if not cfg.startswith("spos") else {"swapreg", "flops"}):
        if prox not in proxies: continue
        taus = [tau(ensemble(prim_of(cfg, s), proxies[prox]), truth) for s in sorted(runs[cfg])]
        sd = np.std(taus, ddof=1) if len(taus) > 1 else 0
        lines.append(f"| {cfg} | {prox} | {len(taus)} | {np.mean(taus):.3f} ± {sd:.3f} | {tau(proxies[prox], truth):.3f} |")

# Weighted ensembles: the supernet's rank weight w (the proxy's 1 - w) is chosen on the calibration cells
# ($R/calibration.json, 300 cells drawn apart from the held-out ones, landmarks removed), where a configuration has
# calibration evals ($R/<run>-calib-eval.json); the one w that maximises its seed-mean calibration τ is then applied,
# unchanged, to every seed on the held-out cells. The free ensemble (SPOS + proxy) gets the same treatment.
GRID = np.round(np.linspace(0, 1, 21), 2)
calib_runs = {}
calib_path = f"{R}/calibration.json"
if os.path.exists(calib_path):
    ccells = drawn_cells(calib_path, landmarks)
    ctruth = np.array([gt[a] for a in ccells])
    cprox = load_proxies([f"{R}/calibration-proxies.csv", f"{R}/teacher-swapreg.csv", f"{R}/all-swap.csv"], ccells)
    for path in sorted(glob.glob(f"{R}/*-s[0-9]*-calib-eval.json")):
        m = re.match(r"(.+)-s(\d+)-calib-eval\.json", os.path.basename(path))
        calib_runs.setdefault(m.group(1), {})[int(m.group(2))] = score(*load_eval(path, ccells), PRIMARY)

def fitted_weight(cfg, prox):
    if cfg not in calib_runs or prox not in cprox: return None
    curve = [np.mean([tau(wensemble(c, cprox[prox], w), ctruth) for c in calib_runs[cfg].values()]) for w in GRID]
    return float(GRID[int(np.argmax(curve))]), float(np.max(curve)), len(calib_runs[cfg])
weighted = {}
if calib_runs:
    lines += ["", f"## Weighted ensembles, weight chosen on the {len(ccells)} calibration cells", "",
              "w is the supernet's share of the rank average (0 = proxy alone, 0.5 = the plain ensemble above), picked on "
              "the calibration cells' seed-mean τ and applied unchanged to every seed on the held-out cells.", "",
              "| supernet | + proxy | w | calibration seeds | calibration τ | held-out seeds | held-out τ (mean ± sd) |",
              "|---|---|---|---|---|---|---|"]
    for cfg in sorted(runs):
        for prox in ["swapreg"]:
            fit = fitted_weight(cfg, prox)
            if fit is None or prox not in proxies: continue
            w, ctau, cn = fit; weighted[(cfg, prox)] = w
            taus = [tau(wensemble(prim_of(cfg, s), proxies[prox], w), truth) for s in sorted(runs[cfg])]
            sd = np.std(taus, ddof=1) if len(taus) > 1 else 0
            lines.append(f"| {cfg} | {prox} | {w:.2f} | {cn} | {ctau:.3f} | {len(taus)} | {np.mean(taus):.3f} ± {sd:.3f} |")

lines += ["", f"## Paired differences of τ ({PRIMARY} score), seed-mean, 95% CI over cells", "",
          "A row counts as better than a baseline only if the whole interval lies above zero.", "",
          "| config | vs | seeds | Δτ | 95% CI | better? |", "|---|---|---|---|---|---|"]
for cfg in sorted(runs):
    if cfg.startswith("spos"): continue
    teacher = teacher_of(cfg); seeds = sorted(runs[cfg])
    comps = []
    if teacher in proxies:
        comps.append((f"{teacher} alone", [(prim_of(cfg, s), proxies[teacher]) for s in seeds]))
        # The free ensemble with every SPOS baseline of the budget that was run (equal steps and equal wall time):
        # the longer SPOS is the stronger partner, so the rows against it are the harder test. The partner (listed
        # last) also meets the teacher alone and the weighted ensembles.
        baselines, _ = budget(cfg); partner = baselines[-1]
        for fe in baselines:
            se = [s for s in seeds if s in runs.get(fe, {})]
            if not se: continue
            comps.append((f"free ensemble ({fe} + {teacher})", [(prim_of(cfg, s), ensemble(prim_of(fe, s), proxies[teacher])) for s in se]))
            if fe == partner:
                comps.append((f"{cfg} + {teacher} ensemble vs {teacher} alone", [(ensemble(prim_of(cfg, s), proxies[teacher]), proxies[teacher]) for s in seeds]))
            comps.append((f"{cfg} + {teacher} ensemble vs free ensemble ({fe} + {teacher})",
                          [(ensemble(prim_of(cfg, s), proxies[teacher]), ensemble(prim_of(fe, s), proxies[teacher])) for s in se]))
            if fe != partner: continue
            w, wf = weighted.get((cfg, teacher)), weighted.get((fe, teacher))
            if w is not None:
                comps.append((f"{cfg} + {teacher} weighted (w {w:.2f}) vs {teacher} alone",
                              [(wensemble(prim_of(cfg, s), proxies[teacher], w), proxies[teacher]) for s in seeds]))
            if w is not None and wf is not None:
                comps.append((f"{cfg} + {teacher} weighted (w {w:.2f}) vs weighted free ensemble ({fe} + {teacher}, w {wf:.2f})",
                              [(wensemble(prim_of(cfg, s), proxies[teacher], w), wensemble(prim_of(fe, s), proxies[teacher], wf)) for s in se]))
    for base in spos_baselines(cfg) + (["rd-random"] if budget(cfg)[1] else []) + VARIANT_OF.get(cfg, []):
        sp = [s for s in seeds if s in runs.get(base, {})]
        if base != cfg and sp:
            comps.append((base, [(prim_of(cfg, s), prim_of(base, s)) for s in sp]))
    for name, pairs in comps:
        d, lo, hi = paired(pairs)
        lines.append(f"| {cfg} | {name} | {len(pairs)} | {d:+.3f} | [{lo:+.3f}, {hi:+.3f}] | {'yes' if lo > 0 else 'no'} |")
open(OUT, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
