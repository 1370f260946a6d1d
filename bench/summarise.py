#!/usr/bin/env python3
"""Ratio tables for bench/run.sh output.

Every rdnas figure is compared with the peer's FASTEST configuration at the same precision (NCHW or
channels_last; fp32, or bf16 autocast), and rdnas bf16 / auto also with the fastest peer configuration overall,
as issue 12 states its targets. Also: peak RSS, candidate evaluation and the time to score all NB201 cells.
Usage: summarise.py RAW   (RAW: the lines bench/run.sh collected)
"""
import re, sys

NB201_CELLS = 15625
TARGET = 1.5  # issue 12: rdnas ≥ 1.5× PyTorch's best configuration


def parse(lines):
    """(case, threads, side) -> (img/s, rss_kb); side: fp32 | bf16 | auto | torch:<layout>:<fp32|bf16>."""
    rows, evals, auto_choice = {}, {}, {}
    for line in lines:
        rss = re.search(r"rss_kb=(\d+)", line)
        rss = int(rss.group(1)) if rss else None
        th = re.search(r"threads=(\d+)", line)
        if not th:
            continue
        t = int(th.group(1))
        prec = re.search(r"precision=(\w+)", line)
        side = None
        if prec:
            side = "auto" if "requested=auto" in line else prec.group(1)
        if line.startswith("conv3x3"):
            m = re.search(r"resnet20_step threads=\d+ (?:precision=\w+ (?:requested=auto )?)?min_ms=[\d.]+ median_ms=([\d.]+)", line)
            if m:
                rows[("resnet20 step", t, side or "torch:channels_last:fp32")] = (64 / float(m.group(1)) * 1000, rss)
        elif line.startswith("nb201_spos") or line.startswith("resnet_sandwich"):
            pairs = int(re.search(r"pairs=(\d+)", line).group(1))
            case = "NB201 SPOS" if line.startswith("nb201") else f"resnet sandwich{' + 2 pairs' if pairs else ''}"
            rows[(case, t, side)] = (float(re.search(r"img/s=([\d.]+)", line).group(1)), rss)
            if side == "auto":
                auto_choice[(case, t)] = prec.group(1)
        elif re.match(r"(nb201|resnet) torch", line):
            case = "NB201 SPOS" if line.startswith("nb201") else "resnet sandwich"
            layout = "channels_last" if "channels_last" in line else "nchw"
            p = "bf16" if "bf16" in line else "fp32"
            rows[(case, t, f"torch:{layout}:{p}")] = (float(re.search(r"([\d.]+) img/s", line).group(1)), rss)
        elif line.startswith("eval_"):
            m = re.search(r"eval_(\w+) threads=\d+ precision=(\w+).*recal=(\d+).*candidates/s=([\d.]+)", line)
            if m:
                evals[(m.group(1), t, m.group(2), int(m.group(3)))] = float(m.group(4))
    return rows, evals, auto_choice


def best(rows, case, t, precisions):
    """The peer's fastest configuration among `precisions`: (img/s, rss_kb, name) or None."""
    found = [(v[0], v[1], k[2][6:]) for k, v in rows.items()
             if k[0] == case and k[1] == t and k[2].startswith("torch:") and k[2].split(":")[2] in precisions]
    return max(found) if found else None


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def verdict(r):
    if r is None:
        return "–"
    return "met" if r >= TARGET else f"missed by {TARGET / r:.2f}× ({r:.2f}× of {TARGET}×)"


def main():
    rows, evals, auto_choice = parse(open(sys.argv[1]))
    threads = sorted({k[1] for k in rows})
    print("## Peer configurations (img/s)")
    print()
    print("| step | threads | NCHW fp32 | channels_last fp32 | NCHW bf16 autocast | channels_last bf16 autocast |")
    print("|---|---|---|---|---|---|")
    for case in ["NB201 SPOS", "resnet sandwich"]:
        for t in threads:
            cells = [rows.get((case, t, f"torch:{l}:{p}")) for p in ("fp32", "bf16") for l in ("nchw", "channels_last")]
            cells = [cells[0], cells[1], cells[2], cells[3]]
            if any(cells):
                print(f"| {case} | {t} | " + " | ".join(f"{c[0]:.0f}" if c else "–" for c in cells) + " |")
    print()
    print("## rdnas against the peer's fastest configuration at each precision")
    print()
    print("| step | threads | rdnas fp32 | best peer fp32 | fp32 ratio | rdnas bf16 | best peer bf16 | bf16 ratio "
          "| bf16 vs best peer overall | rdnas auto (chose) | auto vs rdnas fp32 | peak RSS rdnas fp32 / best peer fp32 (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    targets = []
    for case in ["resnet20 step", "NB201 SPOS", "resnet sandwich", "resnet sandwich + 2 pairs"]:
        peer_case = case.replace(" + 2 pairs", "")
        for t in threads:
            f, b, a = rows.get((case, t, "fp32")), rows.get((case, t, "bf16")), rows.get((case, t, "auto"))
            if not f:
                continue
            comparable = "pairs" not in case  # the peer has no rank-pair step
            pf = best(rows, peer_case, t, ["fp32"]) if comparable else None
            pb = best(rows, peer_case, t, ["bf16"]) if comparable else None
            pa = best(rows, peer_case, t, ["fp32", "bf16"]) if comparable else None
            mem = f"{f[1] / 1024:.0f} / {pf[1] / 1024:.0f}" if pf and f[1] and pf[1] else "–"
            chose = f"{a[0]:.0f} ({auto_choice.get((case, t), '?')})" if a else "–"
            print(f"| {case} | {t} | {f[0]:.0f} | {f'{pf[0]:.0f} ({pf[2]})' if pf else '–'} | {ratio(f[0], pf and pf[0])} "
                  f"| {f'{b[0]:.0f}' if b else '–'} | {f'{pb[0]:.0f} ({pb[2]})' if pb else '–'} | {ratio(b and b[0], pb and pb[0])} "
                  f"| {ratio(b and b[0], pa and pa[0])} | {chose} | {ratio(a and a[0], f[0])} | {mem} |")
            if pf and case in ("NB201 SPOS", "resnet sandwich"):
                targets.append(f"- {case}, {t} thread(s): fp32 ≥ {TARGET}× best peer fp32 — {verdict(f[0] / pf[0])}")
                if a and auto_choice.get((case, t)) == "fp32":
                    targets.append(f"- {case}, {t} thread(s): --precision auto never slower than fp32 — met (it chose fp32)")
                elif a:
                    slower = a[0] < f[0]
                    targets.append(f"- {case}, {t} thread(s): --precision auto never slower than fp32 — "
                                   + (f"missed: auto (bf16) {a[0]:.0f} img/s < fp32 {f[0]:.0f}" if slower else "met")
                                   + " (single runs; ±30 % noise on a shared machine)")
                if a and auto_choice.get((case, t)) == "bf16" and pb:
                    targets.append(f"- {case}, {t} thread(s): where bf16 is chosen, ≥ {TARGET}× best peer bf16 — "
                                   + verdict(a[0] / pb[0]))
                if f[1] and pf[1]:
                    targets.append(f"- {case}, {t} thread(s): peak RSS below PyTorch's — "
                                   + ("met" if f[1] < pf[1] else f"missed: {f[1] / 1024:.0f} MB vs {pf[1] / 1024:.0f} MB"))
    print()
    print("(\"+ 2 pairs\" has no peer counterpart: its img/s counts the batch's 4 sandwich paths, with 4 more rank-pair "
          "passes on top. The resnet20 peer is channels_last fp32 only.)")
    if targets:
        print()
        print("## Targets (issue 12)")
        print()
        print("\n".join(targets))
    if evals:
        print()
        print("## Candidate evaluation (1,000 images per candidate)")
        print()
        print("| space | threads | precision | BN recalibration | candidates/s | all 15,625 NB201 cells |")
        print("|---|---|---|---|---|---|")
        for (space, t, p, recal), cps in sorted(evals.items()):
            whole = f"{NB201_CELLS / cps / 3600:.1f} h" if space == "nb201" and cps > 0 else "–"
            print(f"| {space} | {t} | {p} | {'5 batches' if recal else 'none'} | {cps:.2f} | {whole} |")
        print()
        print("(all cells: 15,625 ÷ candidates/s, extrapolated from the sampled candidates, one process)")


if __name__ == "__main__":
    main()
