#!/usr/bin/env python3
"""Run an ONNX file written by `rdnas export --onnx` with onnxruntime (tests and users checking an export).

    rdnas_onnx_run.py MODEL.onnx IN OUT    logits of raw float32 NCHW input IN, written as raw float32 to OUT

When the `onnx` package is present the model is also put through onnx.checker (full check, with shape
inference) first. Needs numpy and onnxruntime.
"""
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    import numpy as np
    import onnxruntime as ort
    model_path, input_path, out_path = argv
    try:
        import onnx
        onnx.checker.check_model(onnx.load(model_path), full_check=True)
    except ImportError:
        pass
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    shape = inp.shape[1:]  # [C, H, W]; the batch dimension is symbolic
    x = np.fromfile(input_path, dtype=np.float32).reshape(-1, *shape)
    (logits,) = session.run(["logits"], {inp.name: x})
    logits.astype(np.float32).tofile(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
