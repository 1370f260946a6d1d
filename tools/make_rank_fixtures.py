#!/usr/bin/env python3
"""Reference values for rdnas's rank metrics, from scipy.

Writes Tests/RankingTests/Fixtures/rank_fixtures.json: a list of cases, each with inputs x, y and scipy's
kendalltau (tau-b), spearmanr and pearsonr statistics (null where scipy gives NaN), plus precision at the top
10 % under rdnas's tie rule (ties straddling the cut count fractionally), computed here independently.

Inputs are multiples of 2**-20 (or small integers), so their shortest decimal form parses back to exactly
the same double in Swift and the comparison can be made to 1e-12.

Usage (from the repository root): python3 tools/make_rank_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats


def exact(values):
    """Round to multiples of 2**-20 so the values survive a decimal round trip bit for bit."""
    return [float(v) for v in np.round(np.asarray(values, dtype=np.float64) * 2**20) / 2**20]


def membership(scores, k):
    """Probability of each item being in the top k when ties are broken uniformly at random."""
    scores = np.asarray(scores)
    member = np.zeros(len(scores))
    before = 0
    for value in sorted(set(scores.tolist()), reverse=True):
        group = scores == value
        size = int(group.sum())
        left = k - before
        member[group] = 0.0 if left <= 0 else min(1.0, left / size)
        before += size
    return member


def precision_at_top(x, y, percent):
    n = len(x)
    k = min(n, max(1, int(math.floor(n * percent / 100 + 0.5))))
    return float((membership(x, k) * membership(y, k)).sum() / k)


def nan_to_none(v):
    return None if (v is None or math.isnan(v)) else float(v)


def case(name, x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tau = stats.kendalltau(x, y).statistic
            rho = stats.spearmanr(x, y).statistic
            r = stats.pearsonr(x, y).statistic if len(x) >= 2 else float("nan")
    return {
        "name": name,
        "x": x.tolist(),
        "y": y.tolist(),
        "tau_b": nan_to_none(tau),
        "spearman": nan_to_none(rho),
        "pearson": nan_to_none(r),
        "precision_top10": precision_at_top(x, y, 10),
    }


def main():
    rng = np.random.default_rng(20240611)
    cases = []
    for n in (2, 3, 10, 57, 200, 1000):
        x = rng.normal(size=n)
        y = 0.6 * x + 0.8 * rng.normal(size=n)
        cases.append(case(f"continuous n={n}", exact(x), exact(y)))
    for n in (10, 100, 1000):
        x = rng.integers(0, 8, size=n)
        y = x + rng.integers(0, 5, size=n)
        cases.append(case(f"integer ties n={n}", x, y))
    n = 1000
    x = rng.integers(0, 3, size=n)
    y = rng.integers(0, 2, size=n) + (x == 2)
    cases.append(case("heavy ties n=1000 (3 x levels, 3 y levels)", x, y))
    x = rng.normal(size=500)
    y = np.round(-x + rng.normal(size=500))
    cases.append(case("anticorrelated, ties in y only n=500", exact(x), y))
    x = exact(rng.normal(size=300) * 10 + 90)
    cases.append(case("accuracies far from zero n=300", x, exact(np.asarray(x) * 0.5 + rng.normal(size=300))))
    cases.append(case("constant x (undefined)", [1.0] * 20, exact(rng.normal(size=20))))

    out = {
        "generator": "tools/make_rank_fixtures.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Tests", "RankingTests", "Fixtures", "rank_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
