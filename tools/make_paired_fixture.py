#!/usr/bin/env python3
"""Reference values for the paired τ difference and the rank ensemble, from scipy.

Writes Tests/RankingTests/Fixtures/paired_fixtures.json. For each case: three score lists a, b, truth; scipy's
kendalltau of a and of b against truth; the 95 % percentile interval of τ(a) − τ(b) from
scipy.stats.bootstrap(paired=True, method="percentile", 20,000 resamples); and the rank ensemble
(mean of scipy.stats.rankdata(method="average") of a and b, and with weights 3:1). rdnas draws its own resamples,
so its interval is compared within a Monte-Carlo tolerance; the point values to 1e-12.
Usage (from the repository root): python3 tools/make_paired_fixture.py
"""
import json

import numpy as np
import scipy
from scipy import stats


def exact(v):
    return [float(x) for x in np.round(np.asarray(v, dtype=np.float64) * 2**20) / 2**20]


def case(name, a, b, truth):
    a, b, truth = exact(a), exact(b), exact(truth)
    diff = lambda i: stats.kendalltau(np.take(a, i), np.take(truth, i))[0] - stats.kendalltau(np.take(b, i), np.take(truth, i))[0]
    idx = np.arange(len(a))
    res = stats.bootstrap((idx,), diff, vectorized=False, paired=False, n_resamples=20000, method="percentile",
                          confidence_level=0.95, random_state=np.random.default_rng(0))
    ra, rb = stats.rankdata(a), stats.rankdata(b)
    return {"name": name, "a": a, "b": b, "truth": truth,
            "tau_a": stats.kendalltau(a, truth)[0], "tau_b": stats.kendalltau(b, truth)[0],
            "low": float(res.confidence_interval.low), "high": float(res.confidence_interval.high),
            "ensemble": [float(x) for x in (ra + rb) / 2], "ensemble_3_1": [float(x) for x in (3 * ra + rb) / 4]}


rng = np.random.default_rng(42)
cases = []
truth = rng.normal(size=150)
cases.append(case("a better than b, n=150", truth + rng.normal(scale=0.5, size=150), truth + rng.normal(scale=1.5, size=150), truth))
truth = rng.normal(size=120)
shared = rng.normal(scale=1.0, size=120)  # noise both rankings share: pairing cancels it
cases.append(case("shared noise, n=120", truth + shared + rng.normal(scale=0.3, size=120),
                  truth + shared + rng.normal(scale=0.45, size=120), truth))
truth = rng.normal(size=100)
cases.append(case("heavy ties in a, n=100", np.round(truth + rng.normal(scale=0.7, size=100)), truth + rng.normal(scale=0.9, size=100), truth))
json.dump({"generator": "tools/make_paired_fixture.py", "scipy": scipy.__version__, "cases": cases},
          open("Tests/RankingTests/Fixtures/paired_fixtures.json", "w"), indent=1)
print(f"wrote {len(cases)} cases")
