#!/usr/bin/env python3
"""Report of bench/search_resnet.sh: every search's best code under the FLOPs budget, its standalone test accuracy
(two seeds, the ground truth's recipe), and where it stands among bench/results/rank-resnet's 36 architectures that
fit the same budget (their standalone accuracy, same recipe and seeds). Usage: search_resnet_report.py R GTDIR FLOPS OUT"""
import csv, json, os, re, sys
import numpy as np

R, GTDIR, FLOPS_MAX, OUT = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
def by_arch(path): return {v["arch"]: v for v in json.load(open(path)).values()}
ref_gt = {a: v["acc"] for a, v in by_arch(f"{GTDIR}/gt-mean.json").items()}
ref_flops = {r["arch"]: float(r["flops"]) for r in csv.DictReader(open(f"{GTDIR}/proxies.csv"))}
fit = sorted((ref_gt[a] for a in ref_gt if ref_flops[a] <= FLOPS_MAX), reverse=True)
s1, s2 = by_arch(f"{R}/found-gt-seed1.json"), by_arch(f"{R}/found-gt-seed2.json")
times = {}
for line in open(f"{R}/times.txt"):
    m = re.match(r"(\S+) (\d+) s", line)
    if m: times.setdefault(m.group(1), int(m.group(2)))  # the first record is the real run; later ones are resumes

rows = []
for name in sorted(os.listdir(f"{R}/sandwich/search")):
    m = re.match(r"(evolution|random)-s(\d+)$", name)
    d = f"{R}/sandwich/search/{name}"
    if not m or not os.path.exists(f"{d}/top.json"): continue
    best = max(json.load(open(f"{d}/top.json")).values(), key=lambda v: v["score"])
    events = [json.loads(l) for l in open(f"{d}/events.jsonl") if l.strip()]
    scored = [e for e in events if e.get("event") == "scored"]
    flops = next((e.get("flops") for e in scored if e.get("arch") == best["arch"]), None)
    acc = np.mean([s1[best["arch"]]["acc"], s2[best["arch"]]["acc"]])
    rows.append(dict(method=m.group(1), seed=int(m.group(2)), arch=best["arch"], score=best["score"], flops=flops,
                     acc1=s1[best["arch"]]["acc"], acc2=s2[best["arch"]]["acc"], acc=acc,
                     better=sum(1 for v in fit if v > acc), evaluated=len({e["arch"] for e in scored}),
                     wall=times.get(name)))

L = [f"# Search on the resnet space under a FLOPs budget (issue 14)", "",
     f"Command: `bash bench/search_resnet.sh` (supernet, searches, standalone training of the found codes; "
     f"report: `python3 bench/search_resnet_report.py {R} {GTDIR} {int(FLOPS_MAX)} {OUT}`).", "",
     f"Settings: {open(f'{R}/settings.txt').read().strip() if os.path.exists(f'{R}/settings.txt') else 'script defaults'}.", "",
     f"Budget: FLOPs ≤ {FLOPS_MAX / 1e6:.1f} M, the median of the {len(ref_gt)} architectures of "
     f"`{GTDIR}` ({len(fit)} of them fit). Their standalone accuracy (mean of seeds 1 and 2, 3 epochs on 10,000 "
     f"images) is the reference: best {fit[0] * 100:.2f} %, median {np.median(fit) * 100:.2f} %, worst {fit[-1] * 100:.2f} %.", "",
     "| search | seed | evaluated | found code | FLOPs M | supernet acc | standalone s1 / s2 % | mean % | fitting references more accurate | wall s |",
     "|---|---|---|---|---|---|---|---|---|---|"]
for r in sorted(rows, key=lambda r: (r["method"], r["seed"])):
    fl = f"{r['flops'] / 1e6:.1f}" if r["flops"] else "?"
    L.append(f"| {r['method']} | {r['seed']} | {r['evaluated']} | `{r['arch']}` | {fl} | {r['score']:.4f} | "
             f"{r['acc1'] * 100:.2f} / {r['acc2'] * 100:.2f} | {r['acc'] * 100:.2f} | {r['better']} of {len(fit)} | {r['wall']} |")
L += ["", "| search | seeds | standalone acc of the found code, mean ± sd % | gap to the best fitting reference | wall s (mean) |",
      "|---|---|---|---|---|"]
for method in ["evolution", "random"]:
    rs = [r for r in rows if r["method"] == method]
    if not rs: continue
    a = np.array([r["acc"] for r in rs]) * 100
    sd = a.std(ddof=1) if len(a) > 1 else 0
    walls = [r["wall"] for r in rs if r["wall"]]
    L.append(f"| {method} | {len(rs)} | {a.mean():.2f} ± {sd:.2f} | {fit[0] * 100 - a.mean():.2f} | "
             f"{np.mean(walls) if walls else float('nan'):.0f} |")
g1, g2 = by_arch(f"{GTDIR}/gt-seed1.json"), by_arch(f"{GTDIR}/gt-seed2.json")
spread = np.mean([abs(g1[a]["acc"] - g2[a]["acc"]) for a in ref_gt if ref_flops[a] <= FLOPS_MAX]) * 100
L += ["", f"Seed noise of this standalone recipe: mean |seed 1 − seed 2| = {spread:.2f} points over the {len(fit)} "
      "fitting references."]
L += ["", f"Supernet training: {times.get('supernet', '?')} s; standalone training of the found codes: "
      f"{times.get('standalone', '?')} s."]
open(OUT, "w").write("\n".join(L) + "\n")
print("\n".join(L))
