"""Issue 11, item 4's scoring question on trained supernets, without new evaluations: rank the protocol's held-out
cells by one supernet's accuracy, by its −loss, by accuracy with −loss breaking ties, and by the rank average of the
two, and hold the last against −loss (the protocol's primary score) with the paired bootstrap over cells.
Usage: python3 bench/rank_scoring.py CONFIG ... (run folder runs/protocol; seeds 0-2; each needs its -eval.json)."""
import os, sys
import numpy as np
from rank_cells import ground_truth, heldout_cells, load_eval, score, tau, rank_average, resamples

R = "runs/protocol"
SEEDS = (0, 1, 2)

def scorings(cfg, seed, cells):
    acc, loss = load_eval(f"{R}/{cfg}-s{seed}-eval.json", cells)
    return {"−loss": score(acc, loss, "loss"), "accuracy": score(acc, loss, "acc"),
            "accuracy, ties by −loss": score(acc, loss, "acc+loss"),
            "rank average of accuracy and −loss": rank_average(acc, -loss)}

def main(configs):
    if not configs:
        sys.exit(__doc__.strip().splitlines()[-1])
    missing = [f"{R}/{c}-s{s}-eval.json" for c in configs for s in SEEDS if not os.path.isfile(f"{R}/{c}-s{s}-eval.json")]
    if missing:
        sys.exit(f"rank_scoring: no score file {missing[0]}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    gt = ground_truth()
    cells, _ = heldout_cells(R)
    g = np.array([gt[a] for a in cells])
    res = resamples(len(cells), 1000, 0)
    for cfg in configs:
        per = [scorings(cfg, s, cells) for s in SEEDS]
        print(f"## {cfg} (seeds {', '.join(map(str, SEEDS))})")
        for name in per[0]:
            t = [tau(p[name], g) for p in per]
            print(f"- τ by {name}: {np.mean(t):.3f} ± {np.std(t, ddof=1):.3f} ({' / '.join(f'{x:.3f}' for x in t)})")
        point = np.mean([tau(p["rank average of accuracy and −loss"], g) - tau(p["−loss"], g) for p in per])
        boot = [np.mean([tau(p["rank average of accuracy and −loss"][r], g[r]) - tau(p["−loss"][r], g[r]) for p in per])
                for r in res]
        lo, hi = np.percentile(boot, [2.5, 97.5])
        print(f"- rank average − (−loss), paired: {point:+.3f} [{lo:+.3f}, {hi:+.3f}]")

if __name__ == "__main__":
    main(sys.argv[1:])
