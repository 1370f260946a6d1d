#!/usr/bin/env python3
"""Load a subnet exported by `rdnas export` into PyTorch.

    import rdnas_torch
    model, meta = rdnas_torch.load("exported/rd-best")     # an nn.Module in eval mode
    logits = model(x)                                      # x: [n, C, H, W] float32, normalised as meta says

The network is built from the export's metadata alone (space, space_config, encoding, width_table), for
either space, with the parameter names rdnas uses (torchvision-style for resnet, NAS-Bench-201-style for
nb201), and the weights are loaded strictly: a missing or misshapen tensor is an error. The only dependency
is torch; reading the file, decoding the code and listing the expected tensors need nothing but the standard
library (`layer_spec`, `read_safetensors`), so they can be checked where torch is absent.

Command line:
    rdnas_torch.py DIR                         summary of the export (no torch needed)
    rdnas_torch.py DIR --check                 the code's tensors equal the file's names and shapes (no torch)
    rdnas_torch.py DIR --logits IN OUT         logits of raw float32 NCHW input IN written as raw float32 to OUT
"""
import json
import struct
import sys

FORMAT = "rdnas-subnet-1"
NB201_OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
NB201_EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]  # (to, from), in encoding order


# ---------------------------------------------------------------- file and code (standard library only)

def read_safetensors(path, expected_format=FORMAT):
    """(header without __metadata__, metadata dict, raw data bytes) of a safetensors file; its metadata's format
    must be `expected_format` (a subnet export by default; None accepts any, e.g. a training checkpoint)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    if expected_format is not None and meta.get("format") != expected_format:
        raise ValueError(f"{path}: not an rdnas subnet export (format {meta.get('format')!r})")
    return header, meta, blob[8 + n:]


def resnet_structure(meta):
    """Stem width and, per stage, a list of blocks (mid, out, stride, has_projection) for the code."""
    cfg = json.loads(meta["space_config"])
    table = json.loads(meta["width_table"])
    d = [int(c) for c in meta["encoding"]]
    stages = len(cfg["baseChannels"])
    depths, stem = d[1:1 + stages], table[0][d[stages + 1]]
    blocks, pos = [], stages + 2
    for s in range(stages):
        stage = []
        for b in range(depths[s]):
            mid, out = table[s][d[pos + 2 * b]], table[s][d[pos + 2 * b + 1]]
            stride = cfg["strides"][s] if b == 0 else 1
            stage.append((mid, out, stride, b == 0 and (s > 0 or cfg["strides"][s] != 1)))
        blocks.append(stage)
        pos += 2 * cfg["maxDepths"][s]
    return cfg, stem, blocks


def nb201_structure(meta):
    """Config and the layer sequence: ('cell', C, index) or ('reduction', C_in, index)."""
    cfg = json.loads(meta["space_config"])
    layers, c, index = [], cfg["C"], 0
    for stage in range(3):
        if stage > 0:
            layers.append(("reduction", c, index))
            c, index = 2 * c, index + 1
        for _ in range(cfg["N"]):
            layers.append(("cell", c, index))
            index += 1
    return cfg, layers, c


def layer_spec(meta):
    """Name → shape of every tensor the code's network holds, in rdnas's naming."""
    spec = {}

    def bn(prefix, c, affine=True):
        if affine:
            spec[prefix + ".weight"] = [c]
            spec[prefix + ".bias"] = [c]
        spec[prefix + ".running_mean"] = [c]
        spec[prefix + ".running_var"] = [c]

    if meta["space"] == "resnet":
        cfg, stem, blocks = resnet_structure(meta)
        spec["conv1.weight"] = [stem, cfg["inputChannels"], 3, 3]
        bn("bn1", stem)
        cin = stem
        for s, stage in enumerate(blocks):
            for b, (mid, out, _, proj) in enumerate(stage):
                p = f"layer{s + 1}.{b}"
                spec[p + ".conv1.weight"] = [mid, cin, 3, 3]
                bn(p + ".bn1", mid)
                spec[p + ".conv2.weight"] = [out, mid, 3, 3]
                bn(p + ".bn2", out)
                if proj:
                    spec[p + ".downsample.0.weight"] = [out, cin, 1, 1]
                    bn(p + ".downsample.1", out)
                if meta.get("activation") == "prelu":
                    spec[p + ".act.weight"] = [1]
                cin = out
        spec["fc.weight"] = [cfg["classes"], cin]
        spec["fc.bias"] = [cfg["classes"]]
    elif meta["space"] == "nb201":
        cfg, layers, c_last = nb201_structure(meta)
        ops = [NB201_OPS[int(ch)] for ch in meta["encoding"]]
        spec["stem.0.weight"] = [cfg["C"], cfg["inputChannels"], 3, 3]
        bn("stem.1", cfg["C"])
        for kind, c, i in layers:
            if kind == "reduction":
                p = f"cells.{i}"
                spec[p + ".conv_a.conv.weight"] = [2 * c, c, 3, 3]
                bn(p + ".conv_a.bn", 2 * c)
                spec[p + ".conv_b.conv.weight"] = [2 * c, 2 * c, 3, 3]
                bn(p + ".conv_b.bn", 2 * c)
                spec[p + ".downsample.conv.weight"] = [2 * c, c, 1, 1]
            else:
                for e, op in enumerate(ops):
                    if op.startswith("nor_conv"):
                        k = 1 if op == "nor_conv_1x1" else 3
                        p = f"cells.{i}.edges.{e}.{op}"
                        spec[p + ".conv.weight"] = [c, c, k, k]
                        bn(p + ".bn", c, cfg.get("cellBatchNormAffine", False))
        bn("lastact.0", c_last)
        spec["classifier.weight"] = [cfg["classes"], c_last]
        spec["classifier.bias"] = [cfg["classes"]]
    else:
        raise ValueError(f"unknown space {meta['space']!r}")
    return spec


def check(path):
    """Problems between the code's tensors and the file's (empty when they agree)."""
    header, meta, _ = read_safetensors(path)
    spec = layer_spec(meta)
    problems = [f"missing {n}" for n in spec if n not in header]
    problems += [f"unexpected {n}" for n in header if n not in spec]
    problems += [f"{n}: file {header[n]['shape']}, code {s}" for n, s in spec.items()
                 if n in header and header[n]["shape"] != s]
    return problems


# ---------------------------------------------------------------- the network (torch)

def _torch():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    return torch, nn, F


def build(meta):
    """An nn.Module of the code in `meta` (untrained; `load` fills the weights)."""
    torch, nn, F = _torch()

    def conv(cin, cout, k, stride=1):
        return nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)

    class Block(nn.Module):
        def __init__(self, cin, mid, out, stride, proj, activation):
            super().__init__()
            self.conv1, self.bn1 = conv(cin, mid, 3, stride), nn.BatchNorm2d(mid)
            self.conv2, self.bn2 = conv(mid, out, 3), nn.BatchNorm2d(out)
            self.downsample = nn.Sequential(conv(cin, out, 1, stride), nn.BatchNorm2d(out)) if proj else None
            self.activation, self.out = activation, out
            if activation == "prelu":
                self.act = nn.PReLU(1)

        def forward(self, x):
            y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
            y = y + (self.downsample(x) if self.downsample is not None else x[:, :self.out])
            if self.activation == "prelu":
                return self.act(y)
            if self.activation == "swish":
                return F.silu(y)
            if self.activation == "mish":
                return y * torch.tanh(F.softplus(y))
            return F.relu(y)

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            cfg, stem, blocks = resnet_structure(meta)
            self.conv1, self.bn1 = conv(cfg["inputChannels"], stem, 3), nn.BatchNorm2d(stem)
            cin = stem
            for s, stage in enumerate(blocks):
                layers = []
                for mid, out, stride, proj in stage:
                    layers.append(Block(cin, mid, out, stride, proj, meta.get("activation", "relu")))
                    cin = out
                setattr(self, f"layer{s + 1}", nn.Sequential(*layers))
            self.stages = len(blocks)
            self.fc = nn.Linear(cin, cfg["classes"])

        def forward(self, x):
            h = F.relu(self.bn1(self.conv1(x)))
            for s in range(self.stages):
                h = getattr(self, f"layer{s + 1}")(h)
            return self.fc(h.mean((2, 3)))

    class ConvOp(nn.Module):  # ReLU → conv → BN, as NAS-Bench-201's ReLUConvBN
        def __init__(self, c, k, affine):
            super().__init__()
            self.conv, self.bn = conv(c, c, k), nn.BatchNorm2d(c, affine=affine)

        def forward(self, x):
            return self.bn(self.conv(F.relu(x)))

    class Cell(nn.Module):
        def __init__(self, c, ops, affine):
            super().__init__()
            self.ops = ops
            self.edges = nn.ModuleList()
            for op in ops:
                edge = nn.Module()
                if op.startswith("nor_conv"):
                    setattr(edge, op, ConvOp(c, 1 if op == "nor_conv_1x1" else 3, affine))
                self.edges.append(edge)

        def forward(self, x):
            nodes = [x]
            for to in (1, 2, 3):
                total = None
                for e, (t, src) in enumerate(NB201_EDGES):
                    if t != to or self.ops[e] == "none":
                        continue
                    h, op = nodes[src], self.ops[e]
                    if op == "avg_pool_3x3":
                        term = F.avg_pool2d(h, 3, 1, 1, count_include_pad=False)
                    elif op == "skip_connect":
                        term = h
                    else:
                        term = getattr(self.edges[e], op)(h)
                    total = term if total is None else total + term
                nodes.append(torch.zeros_like(x) if total is None else total)
            return nodes[3]

    class Reduction(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.conv_a = nn.Module()
            self.conv_a.conv, self.conv_a.bn = conv(c, 2 * c, 3, 2), nn.BatchNorm2d(2 * c)
            self.conv_b = nn.Module()
            self.conv_b.conv, self.conv_b.bn = conv(2 * c, 2 * c, 3), nn.BatchNorm2d(2 * c)
            self.downsample = nn.Module()
            self.downsample.conv = conv(c, 2 * c, 1)

        def forward(self, x):
            y = self.conv_a.bn(self.conv_a.conv(F.relu(x)))
            y = self.conv_b.bn(self.conv_b.conv(F.relu(y)))
            return y + self.downsample.conv(F.avg_pool2d(x, 2, 2))

    class NB201(nn.Module):
        def __init__(self):
            super().__init__()
            cfg, layers, c_last = nb201_structure(meta)
            ops = [NB201_OPS[int(ch)] for ch in meta["encoding"]]
            self.stem = nn.Sequential(conv(cfg["inputChannels"], cfg["C"], 3), nn.BatchNorm2d(cfg["C"]))
            self.cells = nn.ModuleList(
                Reduction(c) if kind == "reduction" else Cell(c, ops, cfg.get("cellBatchNormAffine", False))
                for kind, c, _ in layers)
            self.lastact = nn.Sequential(nn.BatchNorm2d(c_last), nn.ReLU())
            self.classifier = nn.Linear(c_last, cfg["classes"])

        def forward(self, x):
            h = self.stem(x)
            for cell in self.cells:
                h = cell(h)
            return self.classifier(self.lastact(h).mean((2, 3)))

    if meta["space"] == "resnet":
        return ResNet()
    if meta["space"] == "nb201":
        return NB201()
    raise ValueError(f"unknown space {meta['space']!r}")


def load(directory):
    """(model in eval mode with the export's weights, metadata)."""
    torch, _, _ = _torch()
    header, meta, data = read_safetensors(directory + "/model.safetensors")
    model = build(meta)
    state = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {e['dtype']}, expected F32")
        lo, hi = e["data_offsets"]
        state[name] = torch.frombuffer(bytearray(data[lo:hi]), dtype=torch.float32).reshape(e["shape"])
    missing, unexpected = model.load_state_dict(state, strict=False)
    # PyTorch's BN counts batches in a buffer rdnas has no use for; anything else missing is an error.
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"export does not fit the code's network: missing {missing}, unexpected {unexpected}")
    return model.eval(), meta


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    directory = argv[0]
    path = directory + "/model.safetensors"
    if argv[1:] == ["--check"]:
        problems = check(path)
        for p in problems:
            print(p)
        print("ok" if not problems else f"{len(problems)} problems")
        return 0 if not problems else 1
    if len(argv) == 4 and argv[1] == "--logits":
        torch, _, _ = _torch()
        model, meta = load(directory)
        shape = json.loads(meta["input_shape"])
        with open(argv[2], "rb") as f:
            raw = f.read()
        per_image = shape[1] * shape[2] * shape[3]
        x = torch.frombuffer(bytearray(raw), dtype=torch.float32).reshape(len(raw) // 4 // per_image, *shape[1:])
        with torch.no_grad():
            logits = model(x)
        with open(argv[3], "wb") as f:
            values = logits.flatten().tolist()
            f.write(struct.pack(f"<{len(values)}f", *values))
        return 0
    if len(argv) == 1:
        header, meta, _ = read_safetensors(path)
        for k in ("space", "arch", "encoding", "input_shape", "classes", "activation", "validation_accuracy"):
            if k in meta:
                print(f"{k}: {meta[k]}")
        print(f"tensors: {len(header)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
