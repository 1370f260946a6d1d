#!/usr/bin/env python3
"""Report of `bench/scale.sh`: measured data-parallel throughput and a ring all-reduce cost model."""
import argparse, json, os, re, statistics

from safetensors.numpy import load_file

BANDWIDTHS = {"25 GbE": 25e9 / 8, "100 Gb/s (EDR IB, 100 GbE)": 100e9 / 8}
LATENCY = 5e-6  # seconds per message hop
NODES = [8, 32, 128]


def step_rate(run):
    """Median img/s over the run's steps after the first 10 (warm-up), and the step count."""
    rates = []
    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") == "step":
                # schema 2 (docs/run-format.md); schema-1 files spelled it imagesPerSecond
                rates.append(e.get("images_per_second", e.get("imagesPerSecond")))
    body = rates[10:] or rates
    return statistics.median(body), len(rates)


def supernet_floats(run):
    """Every trainable float of the supernet (what an all-reduce of the whole gradient would send)."""
    t = load_file(os.path.join(run, "checkpoints", "last.safetensors"))
    return sum(v.size for k, v in t.items() if not k.startswith("optimizer.") and "running_" not in k)


def reduced_bytes(log):
    """Bytes rdnas all-reduced per step on average (rank 0's last line: sampled paths' gradients only)."""
    with open(log) as f:
        m = re.findall(r"all-reduced ([0-9.]+) MB per step", f.read())
    return float(m[-1]) * 1e6


def ring_seconds(nodes, nbytes, bandwidth):
    return 2 * (nodes - 1) / nodes * nbytes / bandwidth + 2 * (nodes - 1) * LATENCY


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--eval-seconds", nargs=2, type=float, required=True)
    ap.add_argument("--eval-candidates", type=int, required=True)
    a = ap.parse_args()
    print("# Data-parallel scaling (`make bench-scale`)\n")
    print("Global batch 64, CIFAR-10, 40 steps per run (median img/s of steps 11-40, from the runs' step events);")
    print("1 rank x 2 threads vs 2 ranks x 1 thread (`mpirun -np 2`) on this 2-core machine.\n")
    print("| net | 1 rank x 2 threads img/s | 2 ranks x 1 thread img/s | ratio | MB all-reduced / step | whole supernet MB |")
    print("|---|---|---|---|---|---|")
    model = {}
    for net, label in [("nb201", "NB201 SPOS C=16 N=5"), ("resnet", "resnet sandwich (4 paths)")]:
        one, _ = step_rate(os.path.join(a.runs, f"{net}-1x2"))
        two, _ = step_rate(os.path.join(a.runs, f"{net}-2x1"))
        whole = supernet_floats(os.path.join(a.runs, f"{net}-1x2")) * 4
        sent = reduced_bytes(os.path.join(a.runs, f"{net}-2x1.log"))
        model[label] = (one, sent)
        print(f"| {label} | {one:.0f} | {two:.0f} | {two / one:.2f} | {sent / 1e6:.2f} | {whole / 1e6:.2f} |")
    e1, e2 = a.eval_seconds
    n = a.eval_candidates
    print(f"\nEval, {n} NB201 candidates on 1000 validation images (wall clock incl. start-up): "
          f"1 rank x 2 threads {n / e1:.1f} candidates/s, 2 ranks x 1 thread {n / e2:.1f} candidates/s; "
          "outputs byte-identical.\n")
    print("## On paper: N nodes\n")
    print("Ring all-reduce of the measured bytes per step: 2(N-1)/N x bytes / bandwidth + 2(N-1) x 5 us (the small")
    print("flags-and-losses all-reduce adds one more latency term, ignored). rdnas reduces after backward (no overlap")
    print("with the backward pass), so a step costs compute + all-reduce. A \"node\" below computes like this whole")
    print("machine (its measured img/s at 1 rank x 2 threads); a real node is faster, which moves the break-even")
    print("batch up in proportion. b* is the per-node batch at which the all-reduce is 10% of the step")
    print("(compute = 9 x all-reduce); the global batch is N x b*.\n")
    print("| net | link | N | all-reduce ms | efficiency at 64 / node | b* per node | global batch N x b* |")
    print("|---|---|---|---|---|---|---|")
    for label, (rate, nbytes) in model.items():
        for link, bw in BANDWIDTHS.items():
            for nodes in NODES:
                t_ar = ring_seconds(nodes, nbytes, bw)
                t_c = 64 / rate
                b_star = 9 * t_ar * rate
                print(f"| {label} | {link} | {nodes} | {t_ar * 1e3:.2f} | {t_c / (t_c + t_ar):.1%} | "
                      f"{b_star:.0f} | {nodes * b_star:,.0f} |")


if __name__ == "__main__":
    main()
