"""What the NB201 ranking reports share (bench/rank_protocol.py, bench/rank_eval_sweep_report.py): the ground truth,
the held-out cells (the uniform draw minus every landmark of every run in the folder, first 500 in draw order, the same
cells for every row), reading an `rdnas eval` score file onto those cells, Kendall τ, rank ensembles, and paired
bootstrap resamples of cells. One definition, so the two reports cannot drift apart on which cells they rank."""
import csv, glob, json
import numpy as np
from scipy import stats

GT_PATH = "../shared/data/nasbench201/nb201_test_acc_200ep.csv"

def ground_truth(path=GT_PATH):
    """arch string -> 200-epoch CIFAR-10 test accuracy."""
    return {r["ArchitectureString"]: float(r["CIFAR10TestAccuracy200Epochs"]) for r in csv.DictReader(open(path))}

def landmarks_of(runs_dir):
    """Every landmark architecture of every run in `runs_dir` (the landmarks line of each metrics.jsonl)."""
    found = set()
    for m in glob.glob(f"{runs_dir}/*/metrics.jsonl"):
        for line in open(m):
            if '"type":"landmarks"' in line:
                found.update(json.loads(line)["archs"])
    return found

def drawn_cells(path, exclude, limit=None):
    """The archs of a drawn set (`rdnas sample`/tools JSON: key -> {"arch": ...}) in draw order, minus `exclude`."""
    cells = [v["arch"] for v in json.load(open(path)).values() if v["arch"] not in exclude]
    return cells if limit is None else cells[:limit]

def heldout_cells(runs_dir, count=500):
    """The protocol's held-out cells and the landmarks they avoid."""
    landmarks = landmarks_of(runs_dir)
    return drawn_cells(f"{runs_dir}/heldout-uniform.json", landmarks, count), landmarks

def load_eval(path, cells):
    """An `rdnas eval` JSON read onto `cells`: (accuracy, loss) arrays in the cells' order."""
    by = {v["arch"]: v for v in json.load(open(path)).values()}
    return np.array([by[a]["acc"] for a in cells]), np.array([by[a]["loss"] for a in cells])

def score(acc, loss, kind):
    """A supernet's score of each cell: "acc", "loss" (as −loss), or "acc+loss" (accuracy first, −loss breaking its
    ties, scaled below one accuracy step of 1/1,000 images)."""
    if kind == "acc": return acc
    if kind == "loss": return -loss
    return acc + (-loss - (-loss).min()) / (np.ptp(loss) + 1e-12) * 0.9e-3

def tau(x, y):
    """Kendall tau-b."""
    return stats.kendalltau(x, y)[0]

def rank_average(*cols):
    """The free ensemble: the mean of the columns' ranks (ties share their mean rank)."""
    return np.mean([stats.rankdata(c) for c in cols], axis=0)

def weighted_ranks(a, b, w):
    """w × rank(a) + (1 − w) × rank(b): w = 0 is b alone, 0.5 the plain rank average's order."""
    return w * stats.rankdata(a) + (1 - w) * stats.rankdata(b)

def resamples(n_cells, count, seed):
    """`count` bootstrap resamples of cell indices, one array per resample, shared by every statistic of a report."""
    return np.random.default_rng(seed).integers(0, n_cells, size=(count, n_cells))
