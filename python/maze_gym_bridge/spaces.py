"""Gymnasium spaces as swift-maze sees them: a flat, ordered list of named leaf spaces.

swift-maze's observations and actions are dictionaries of leaf spaces (Discrete, MultiDiscrete,
MultiBinary, Box). A Gymnasium space maps to such a dictionary as follows:

- a leaf space at the top is one entry, named `observation` (or `action`), as Maze names Gym spaces;
- a `Dict` contributes its entries under their keys, nested ones joined by dots (`sensors.camera`);
- a `Tuple` contributes its elements under their indices (`observation.0`, or `pair.1` inside a Dict).

An observation whose top-level `Dict` has an `action_mask` entry keeps it under that name, which is
Maze's mask name for the action `action` (`<action>_mask`); a mask in `info["action_mask"]` is added
as that entry too (see `Leaf.mask`).
"""
from collections import OrderedDict

import numpy as np
from gymnasium import spaces

# Wire dtypes (docs/PROTOCOL.md, section 2) of the arrays a leaf's values travel in.
FLOAT = "f4"
UINT8 = "u1"
INT64 = "i8"

MASK_KEY = "action_mask"


class UnsupportedSpace(ValueError):
    """A Gymnasium space swift-maze has no counterpart for (Text, Graph, Sequence, ...)."""


class Leaf:
    """One named leaf: how it is described to Swift and how its values are converted."""

    def __init__(self, key, path, space):
        self.key = key
        self.path = path  # keys and indices from the top-level space down to this leaf
        self.space = space
        if isinstance(space, spaces.Discrete):
            self.kind, self.shape, self.wire = "discrete", [], INT64
        elif isinstance(space, spaces.MultiDiscrete):
            if len(space.nvec.shape) != 1:
                raise UnsupportedSpace(f"{key}: MultiDiscrete with a nvec of shape {space.nvec.shape} (only 1-D)")
            self.kind, self.shape, self.wire = "multi_discrete", [int(space.nvec.shape[0])], INT64
        elif isinstance(space, spaces.MultiBinary):
            self.kind, self.shape, self.wire = "multi_binary", [int(n) for n in space.shape], UINT8
        elif isinstance(space, spaces.Box):
            self.kind, self.shape = "box", [int(n) for n in space.shape]
            self.wire = UINT8 if space.dtype == np.uint8 else FLOAT
        else:
            raise UnsupportedSpace(f"{key}: {type(space).__name__} spaces have no swift-maze counterpart")

    def describe(self):
        """The leaf as swift-maze's `Space`: kind, shape and bounds."""
        description = {"key": self.key, "kind": self.kind, "shape": self.shape, "dtype": self.wire}
        if self.kind == "discrete":
            description["n"] = int(self.space.n)
        elif self.kind == "multi_discrete":
            description["nvec"] = [int(n) for n in self.space.nvec]
        elif self.kind == "box":
            description["low"] = [float(x) for x in np.asarray(self.space.low, dtype=np.float64).ravel()]
            description["high"] = [float(x) for x in np.asarray(self.space.high, dtype=np.float64).ravel()]
        return description

    def observation_array(self, values):
        """Stacks one value per env into the wire array of this leaf, `[n, *shape]`."""
        if self.kind == "discrete":
            start = int(self.space.start)
            return np.asarray([int(v) - start for v in values], dtype=np.int64)
        if self.kind == "multi_discrete":
            return np.asarray(values, dtype=np.int64).reshape(len(values), *self.shape) - self.space.start
        dtype = np.uint8 if self.wire == UINT8 else np.float32
        return np.asarray(values).astype(dtype, copy=False).reshape(len(values), *self.shape)

    def action_value(self, row):
        """The Gymnasium action for one env from its float row (`shape` elements)."""
        if self.kind == "discrete":
            return int(np.rint(row.reshape(-1)[0])) + int(self.space.start)
        if self.kind == "multi_discrete":
            return np.rint(row).astype(self.space.dtype) + self.space.start
        if self.kind == "multi_binary":
            return np.rint(row).astype(self.space.dtype).reshape(self.shape)
        return row.astype(self.space.dtype, copy=False).reshape(self.shape)


def leaves(space, top_name):
    """The leaves of `space` in order (a Dict in its own key order, a Tuple by index)."""
    found = []

    def visit(node, key, path):
        if isinstance(node, spaces.Dict):
            for name, child in node.spaces.items():
                visit(child, name if key is None else f"{key}.{name}", path + (name,))
        elif isinstance(node, spaces.Tuple):
            prefix = top_name if key is None else key
            for index, child in enumerate(node.spaces):
                visit(child, f"{prefix}.{index}", path + (index,))
        else:
            found.append(Leaf(top_name if key is None else key, path, node))

    visit(space, None, ())
    return found


def value_at(value, path):
    for step in path:
        value = value[step]
    return value


def build(space, leaf_values):
    """Rebuilds a (possibly nested) Gymnasium value from `{path: value}` of its leaves."""

    def make(node, path):
        if isinstance(node, spaces.Dict):
            return OrderedDict((name, make(child, path + (name,))) for name, child in node.spaces.items())
        if isinstance(node, spaces.Tuple):
            return tuple(make(child, path + (index,)) for index, child in enumerate(node.spaces))
        return leaf_values[path]

    return make(space, ())


class MaskLeaf:
    """The action mask Gymnasium envs report in `info["action_mask"]`, as an observation entry."""

    key = MASK_KEY
    kind = "box"
    wire = UINT8

    def __init__(self, example):
        self.shape = [int(n) for n in np.asarray(example).shape]

    def describe(self):
        count = int(np.prod(self.shape)) if self.shape else 1
        return {"key": self.key, "kind": "box", "shape": self.shape, "dtype": self.wire,
                "low": [0.0] * count, "high": [1.0] * count}

    def observation_array(self, values):
        return np.asarray(values).astype(np.uint8).reshape(len(values), *self.shape)
