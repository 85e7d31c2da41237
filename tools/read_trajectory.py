#!/usr/bin/env python3
"""Reads a swift-maze trajectory file (docs/TRAJECTORIES.md) with msgpack and numpy.

Usage: read_trajectory.py FILE

Prints the episode as one JSON object on stdout, with every tensor decoded through numpy
(`numpy.frombuffer` with the file's little-endian dtype, reshaped to its shape), so that a caller can
compare every field with what was recorded. Named arrays are printed as [name, tensor] pairs to keep
their order; seeds are printed as decimal strings because JSON numbers lose precision above 2**53.
"""
import json
import sys

import msgpack
import numpy as np

DTYPES = {"float32": np.dtype("<f4"), "int64": np.dtype("<i8")}


def read_trajectory(path):
    """The episode in `path` as a dict with numpy arrays; raises ValueError for a malformed file."""
    with open(path, "rb") as handle:
        record = msgpack.unpackb(handle.read(), raw=False, strict_map_key=True)
    if record.get("format") != "maze-trajectory" or record.get("version") != 1:
        raise ValueError(f"{path}: not a maze-trajectory version 1 file")
    for step in record["steps"]:
        for group in ("observation", "action"):
            step[group] = {name: to_array(tensor) for name, tensor in step[group].items()}
    return record


def to_array(tensor):
    dtype = DTYPES[tensor["dtype"]]
    shape = tuple(tensor["shape"])
    values = np.frombuffer(tensor["data"], dtype=dtype)
    if values.size != int(np.prod(shape, dtype=np.int64)):
        raise ValueError(f"tensor of shape {shape} holds {values.size} values")
    return values.reshape(shape)


def as_json(record):
    def arrays(named):
        return [
            [name, {"dtype": tensor_dtype(array), "shape": list(array.shape), "values": array.reshape(-1).tolist()}]
            for name, array in named.items()
        ]

    return {
        "episode_index": record["episode_index"],
        "env_seed": str(record["env_seed"]),
        "agent_seed": str(record["agent_seed"]),
        "steps": [
            {
                "step_key": step["actor"]["step_key"],
                "agent_id": step["actor"]["agent_id"],
                "observation": arrays(step["observation"]),
                "action": arrays(step["action"]),
                "reward": step["reward"],
                "terminated": step["terminated"],
                "truncated": step["truncated"],
                "info": step["info"],
            }
            for step in record["steps"]
        ],
    }


def tensor_dtype(array):
    return "float32" if array.dtype == np.float32 else "int64"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    json.dump(as_json(read_trajectory(sys.argv[1])), sys.stdout)
    print()
