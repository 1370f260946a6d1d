#!/usr/bin/env python3
"""A NumPy forward pass of an `rdnas export`, for checking the export where PyTorch is not installed.

It reads the file and decodes the code with rdnas_torch.py's standard-library half (the same functions the
PyTorch module is built from) and computes the logits with plain NumPy convolutions, so a test can confirm
the weight layout (OIHW), BN in eval mode, the pooling conventions and the wiring without torch. It is a test
tool, not a runtime: slow, batch-at-a-time.

    rdnas_numpy_reference.py DIR IN OUT     logits of raw float32 NCHW input IN, written as raw float32 to OUT
"""
import json
import sys

import numpy as np

import rdnas_torch as rt


def tensors(directory):
    header, meta, data = rt.read_safetensors(directory + "/model.safetensors")
    out = {}
    for name, e in header.items():
        lo, hi = e["data_offsets"]
        out[name] = np.frombuffer(data[lo:hi], dtype="<f4").reshape(e["shape"]).astype(np.float64)
    return out, meta


def conv(x, w, stride=1):
    """x [n, c, h, w], w [o, c, k, k], zero padding k // 2."""
    k = w.shape[2]
    p = k // 2
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    n, c, h, wd = x.shape
    ho, wo = (h + 2 * p - k) // stride + 1, (wd + 2 * p - k) // stride + 1
    out = np.zeros((n, w.shape[0], ho, wo))
    for i in range(k):
        for j in range(k):
            patch = xp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out


def bn(x, t, prefix):
    mean, var = t[prefix + ".running_mean"], t[prefix + ".running_var"]
    y = (x - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-5)
    if prefix + ".weight" in t:
        y = y * t[prefix + ".weight"][None, :, None, None] + t[prefix + ".bias"][None, :, None, None]
    return y


def relu(x):
    return np.maximum(x, 0)


def avg_pool3(x):
    """3×3, stride 1, padding 1, padded cells not counted."""
    ones = np.pad(np.ones(x.shape[2:]), 1)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    h, w = x.shape[2:]
    total = sum(xp[:, :, i:i + h, j:j + w] for i in range(3) for j in range(3))
    count = sum(ones[i:i + h, j:j + w] for i in range(3) for j in range(3))
    return total / count


def avg_pool2(x):
    return 0.25 * (x[:, :, 0::2, 0::2] + x[:, :, 1::2, 0::2] + x[:, :, 0::2, 1::2] + x[:, :, 1::2, 1::2])


def activation(y, name, t, prefix):
    if name == "prelu":
        return np.where(y > 0, y, t[prefix + ".act.weight"][0] * y)
    if name == "swish":
        return y / (1 + np.exp(-y))
    if name == "mish":
        return y * np.tanh(np.log1p(np.exp(y)))
    return relu(y)


def resnet(x, t, meta):
    _, _, blocks = rt.resnet_structure(meta)
    h = relu(bn(conv(x, t["conv1.weight"]), t, "bn1"))
    for s, stage in enumerate(blocks):
        for b, (_, out, stride, proj) in enumerate(stage):
            p = f"layer{s + 1}.{b}"
            y = relu(bn(conv(h, t[p + ".conv1.weight"], stride), t, p + ".bn1"))
            y = bn(conv(y, t[p + ".conv2.weight"]), t, p + ".bn2")
            sc = bn(conv(h, t[p + ".downsample.0.weight"], stride), t, p + ".downsample.1") if proj else h[:, :out]
            h = activation(y + sc, meta.get("activation", "relu"), t, p)
    return h.mean((2, 3)) @ t["fc.weight"].T + t["fc.bias"]


def nb201(x, t, meta):
    _, layers, _ = rt.nb201_structure(meta)
    ops = [rt.NB201_OPS[int(c)] for c in meta["encoding"]]
    h = bn(conv(x, t["stem.0.weight"]), t, "stem.1")
    for kind, _, i in layers:
        p = f"cells.{i}"
        if kind == "reduction":
            y = bn(conv(relu(h), t[p + ".conv_a.conv.weight"], 2), t, p + ".conv_a.bn")
            y = bn(conv(relu(y), t[p + ".conv_b.conv.weight"]), t, p + ".conv_b.bn")
            h = y + conv(avg_pool2(h), t[p + ".downsample.conv.weight"])
            continue
        nodes = [h]
        for to in (1, 2, 3):
            total = np.zeros_like(h)
            for e, (target, src) in enumerate(rt.NB201_EDGES):
                if target != to:
                    continue
                op, v = ops[e], nodes[src]
                if op == "skip_connect":
                    total = total + v
                elif op == "avg_pool_3x3":
                    total = total + avg_pool3(v)
                elif op.startswith("nor_conv"):
                    q = f"{p}.edges.{e}.{op}"
                    total = total + bn(conv(relu(v), t[q + ".conv.weight"]), t, q + ".bn")
            nodes.append(total)
        h = nodes[3]
    h = relu(bn(h, t, "lastact.0"))
    return h.mean((2, 3)) @ t["classifier.weight"].T + t["classifier.bias"]


def logits(directory, x):
    t, meta = tensors(directory)
    return (resnet if meta["space"] == "resnet" else nb201)(x, t, meta)


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    _, meta, _ = rt.read_safetensors(argv[0] + "/model.safetensors")
    shape = json.loads(meta["input_shape"])
    x = np.fromfile(argv[1], dtype="<f4").astype(np.float64).reshape(-1, *shape[1:])
    logits(argv[0], x).astype("<f4").tofile(argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
