#!/usr/bin/env python3
"""Checks MazeTensor's .safetensors files against the reference `safetensors` package (numpy API).

    safetensors_interop.py check <path>   verify a file written by Swift; exit 1 on any difference
    safetensors_interop.py write <path>   write the reference file that the Swift test reads back

Both sides build the same reference tensors from the rules below, so neither trusts the other's
numbers; values are compared bit for bit (so -0.0, subnormals and the largest float count).
"""
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

METADATA = {"format": "maze", "policy_version": "7"}


def reference_tensors():
    """Must match `SafetensorsTests.referenceTensors` in Tests/MazeTensorTests."""
    return {
        "policy.0.weight": (np.arange(12, dtype=np.float64) - 5).reshape(3, 4) * 0.125,
        "policy.0.bias": np.array([-0.0, 2.0 ** -149, 3.4028234663852886e38]),
        "value.scale": np.array(2.5),
        "lstm.cell": (2.0 ** (np.arange(6, dtype=np.float64) - 3)).reshape(2, 1, 3),
    }


def as_float32(tensors):
    return {name: value.astype(np.float32) for name, value in tensors.items()}


def check(path):
    expected = as_float32(reference_tensors())
    loaded = load_file(path)
    problems = []
    if sorted(loaded) != sorted(expected):
        problems.append(f"names {sorted(loaded)} != {sorted(expected)}")
    for name, want in expected.items():
        got = loaded.get(name)
        if got is None:
            continue
        if got.dtype != np.float32 or got.shape != want.shape:
            problems.append(f"{name}: {got.dtype} {got.shape} != float32 {want.shape}")
        elif not np.array_equal(got.view(np.uint32), want.view(np.uint32)):
            problems.append(f"{name}: {got.ravel().tolist()} != {want.ravel().tolist()}")
    with safe_open(path, framework="np") as handle:
        if handle.metadata() != METADATA:
            problems.append(f"metadata {handle.metadata()} != {METADATA}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def write(path):
    save_file(as_float32(reference_tensors()), path, metadata=METADATA)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "write"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(check(sys.argv[2]) if sys.argv[1] == "check" else write(sys.argv[2]))
