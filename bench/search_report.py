#!/usr/bin/env python3
"""Report of bench/search_nb201.sh: for every search under RUN/search/ (named METHOD[-fLIMIT][-pre]-sSEED), the best cell
it found (top.json, by the search's own score), that cell's 200-epoch CIFAR-10 ground-truth accuracy, the GT accuracy
of its top-5 (mean and best), the GT rank of the found cell among all 15,625, evaluations and wall time; then mean ±
sd per method. Usage: search_report.py RUN OUT.md GT.csv"""
import csv, glob, json, os, re, sys
import numpy as np

RUN, OUT, GT = sys.argv[1:4]
gt = {r["ArchitectureString"]: float(r["CIFAR10TestAccuracy200Epochs"]) for r in csv.DictReader(open(GT))}
order = sorted(gt.values(), reverse=True)
best_gt = order[0]
def gt_rank(acc): return 1 + sum(1 for v in order if v > acc)

times = {}
if os.path.exists(f"{RUN}/search-times.txt"):
    for line in open(f"{RUN}/search-times.txt"):
        name, s, _ = line.split()
        times[name] = int(s)
rows = []
for d in sorted(glob.glob(f"{RUN}/search/*/")):
    name = os.path.basename(d.rstrip("/"))
    m = re.match(r"(evolution|random)(-\S+?)?-s(\d+)$", name)
    if not m or not os.path.exists(d + "top.json"):
        continue
    top = sorted(json.load(open(d + "top.json")).values(), key=lambda v: -v["score"])
    events = [json.loads(l) for l in open(d + "events.jsonl") if l.strip()]
    done = [e for e in events if e.get("event") == "finished"] or [e for e in events if e.get("event") == "generation"]
    evaluated = done[-1]["evaluated"] if done else None
    found = top[0]["arch"]
    top5 = [gt[v["arch"]] for v in top[:5]]
    rows.append(dict(name=name, method=m.group(1) + (m.group(2) or ""), seed=int(m.group(3)), arch=found,
                     score=top[0]["score"], flops=top[0].get("flops"), gt=gt[found], rank=gt_rank(gt[found]),
                     top5_mean=float(np.mean(top5)), top5_best=max(top5), evaluated=evaluated, seconds=times.get(name)))

lines = [f"# Search on the NB201 supernet `{RUN}` (issue 14)", "",
         f"Command: `bash bench/search_nb201.sh {RUN}` (evolution vs random at equal evaluations, scored by the supernet "
         f"with BN recalibrated on 5 batches; see the script for the settings). Ground truth: 200-epoch CIFAR-10 test "
         f"accuracy; the space's best cell is {best_gt:.2f} %.", "",
         "| search | seed | evaluated | found cell | supernet score | GT acc % | GT rank of 15,625 | top-5 GT mean / best % | wall s |",
         "|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    lines.append(f"| {r['method']} | {r['seed']} | {r['evaluated']} | `{r['arch']}` | {r['score']:.4f} | {r['gt']:.2f} | "
                 f"{r['rank']} | {r['top5_mean']:.2f} / {r['top5_best']:.2f} | {r['seconds'] if r['seconds'] is not None else '?'} |")
lines += ["", "| search | seeds | GT acc of the found cell, mean ± sd | gap to the best cell | top-5 GT mean | wall s (mean) |",
          "|---|---|---|---|---|---|"]
for method in sorted({r["method"] for r in rows}):
    rs = [r for r in rows if r["method"] == method]
    g = np.array([r["gt"] for r in rs]); sd = g.std(ddof=1) if len(g) > 1 else 0.0
    secs = [r["seconds"] for r in rs if r["seconds"] is not None]
    lines.append(f"| {method} | {len(rs)} | {g.mean():.2f} ± {sd:.2f} | {best_gt - g.mean():.2f} | "
                 f"{np.mean([r['top5_mean'] for r in rs]):.2f} | {np.mean(secs) if secs else float('nan'):.0f} |")
open(OUT, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
