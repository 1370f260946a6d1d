"""Table of bench/omp_spin.sh's raw lines: per load and case, the step minimum and median over rounds."""
import re, statistics, sys
from collections import defaultdict

cases = defaultdict(list)   # (load, case, spin) -> [(min, median)]
chosen = defaultdict(set)   # load -> what rdnas chose
for line in open(sys.argv[1]):
    load = re.search(r"load=(\S+)", line).group(1)
    spin = re.search(r"spin=(\S+)", line).group(1)
    m = re.search(r"OpenMP spin: (\S+) \(([^)]*)\)", line)
    if spin == "rdnas" and m:
        chosen[load].add(f"{m.group(1)} ({re.sub(r'[0-9.]+ of', 'x of', m.group(2))})")
    for name, mn, md in re.findall(r"(conv3x3_fwd_bwd|resnet20_step|nb201_spos|resnet_sandwich)[^\n]*?min_ms=([0-9.]+) median_ms=([0-9.]+)", line):
        cases[(load, name, spin)].append((float(mn), float(md)))
print("| load | step | spin | min ms (median over rounds) | median ms (median over rounds) | rounds |")
print("|---|---|---|---|---|---|")
for (load, name, spin), v in sorted(cases.items()):
    print(f"| {load} | {name} | {spin} | {statistics.median(a for a, _ in v):.1f} | {statistics.median(b for _, b in v):.1f} | {len(v)} |")
print()
for load, c in sorted(chosen.items()):
    print(f"- rdnas chose under load `{load}`: {', '.join(sorted(c))}")
