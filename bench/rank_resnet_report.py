#!/usr/bin/env python3
"""Report for bench/rank_resnet.sh: every ranking against the standalone ground truth, via `rdnas rank`."""
import json, os, subprocess, sys, statistics

R, OUT, COMMAND = sys.argv[1], sys.argv[2], sys.argv[3]
BIN = os.environ.get("BIN", ".build/release/rdnas")


def load(path):
    return json.load(open(path))


def rank(a, b, name, column_a=None, column_b=None):
    out = f"{R}/rank-{name}.json"
    cmd = [BIN, "rank", a, b, "--no-plot", "--json", out]
    if column_a:
        cmd += ["--column-a", column_a]
    if column_b:
        cmd += ["--column-b", column_b]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    r = load(out)
    t, rho = r["tau"], r["rho"]
    p = next(x["estimate"] for x in r["precision"] if x["percent"] == 10)
    return f"{t['value']:.3f} [{t['low']:.3f}, {t['high']:.3f}] | {rho['value']:.3f} | {p['value']:.2f}"


s1, s2 = load(f"{R}/gt-seed1.json"), load(f"{R}/gt-seed2.json")
mean = {k: {"acc": (s1[k]["acc"] + s2[k]["acc"]) / 2, "arch": s1[k]["arch"]} for k in s1}
json.dump(mean, open(f"{R}/gt-mean.json", "w"))
for name in ["gt-seed1.json", "gt-seed2.json", "gt-mean.json"]:
    subprocess.run(["cp", f"{R}/{name}", OUT], check=True)
accs = [v["acc"] for v in mean.values()]
gap = statistics.mean(abs(s1[k]["acc"] - s2[k]["acc"]) for k in s1)

print(f"# resnet-space ranking vs standalone ground truth (CIFAR-10)\n")
print(f"- command: `{COMMAND}`; {len(mean)} architectures stratified by FLOPs (`rdnas sample --stratify-flops --seed 4`)")
print(f"- ground truth: mean test accuracy of two standalone trainings (seeds 1, 2); range {min(accs):.3f}–{max(accs):.3f}, "
      f"mean |seed1 − seed2| = {gap:.4f}")
print(f"- supernets evaluated on 5,000 validation images with BN recalibrated on 20 batches per candidate\n")
print("| ranking | against | Kendall τ [95% CI] | Spearman ρ | P@top-10% |")
print("|---|---|---|---|---|")
print(f"| standalone seed 1 | seed 2 (the ceiling) | {rank(f'{R}/gt-seed1.json', f'{R}/gt-seed2.json', 'seeds')} |")
for p in ["flops", "params"]:
    print(f"| proxy {p} alone | GT mean | {rank(f'{R}/proxies.csv', f'{R}/gt-mean.json', p, p)} |")
for name in ["sandwich", "sandwich-rd-flops"]:
    e = f"{R}/{name}-eval.json"
    if not os.path.exists(e):
        continue
    print(f"| {name} (accuracy) | GT mean | {rank(e, f'{R}/gt-mean.json', name)} |")
    print(f"| {name} (−loss) | GT mean | {rank(e, f'{R}/gt-mean.json', name + '-loss', 'loss')} |")
    for seed, g in [(1, s1), (2, s2)]:
        print(f"| {name} (accuracy) | GT seed {seed} | {rank(e, f'{R}/gt-seed{seed}.json', f'{name}-s{seed}')} |")
    print(f"| {name} (accuracy) | proxy flops | {rank(e, f'{R}/proxies.csv', f'{name}-flops', None, 'flops')} |")
# Another budget's ground truth on the same candidates (PREVIOUS=<its results folder>): how far the order moves with
# the budget, which is what says whether either budget is long enough to stand for the networks' real order.
previous = os.environ.get("PREVIOUS")
if previous:
    for name in ["gt-mean", "gt-seed1", "gt-seed2"]:
        print(f"| GT at {os.path.basename(previous.rstrip('/'))}: {name} | this GT's {name} | "
              f"{rank(f'{previous}/{name}.json', f'{R}/{name}.json', 'previous-' + name)} |")
