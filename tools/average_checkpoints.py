#!/usr/bin/env python3
"""Average the model tensors of several rdnas checkpoints (weight averaging, as SWA does over a run's last epochs).

Usage: python3 tools/average_checkpoints.py OUT.safetensors IN1.safetensors IN2.safetensors ...
Every tensor except the optimiser's state is the mean over the inputs (BN running statistics too; `rdnas eval
--bn-recalibrate` re-estimates them anyway); metadata and optimiser state are the last input's, so the result
loads wherever that checkpoint does (`rdnas eval --checkpoint OUT`). Used once, in round 14 of
bench/results/rank-nb201/README.md: it did not rank better than the last checkpoint alone.
"""
import json, struct, sys
import numpy as np

from rdnas_torch import read_safetensors  # its standard-library half: no torch needed

def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[2])
    out, ins = sys.argv[1], sys.argv[2:]
    loaded = [read_safetensors(p, expected_format=None) for p in ins]  # (header, metadata, data) of each
    header, metadata, last = loaded[-1]
    data = bytearray(last)
    for name, info in header.items():
        if name.startswith("optimizer"):
            continue
        if info["dtype"] != "F32":
            sys.exit(f"{name}: dtype {info['dtype']}, only F32 is averaged")
        parts = []
        for h, _, d in loaded:
            if name not in h or h[name]["shape"] != info["shape"]:
                sys.exit(f"{name}: missing or of another shape in one of the inputs")
            a, b = h[name]["data_offsets"]
            parts.append(np.frombuffer(d[a:b], dtype="<f4"))
        a, b = info["data_offsets"]
        data[a:b] = np.mean(parts, axis=0).astype("<f4").tobytes()
    head = json.dumps({"__metadata__": metadata, **header}).encode()
    open(out, "wb").write(struct.pack("<Q", len(head)) + head + bytes(data))

if __name__ == "__main__":
    main()
