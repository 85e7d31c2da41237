#!/usr/bin/env python3
"""Reference values for the perception kernels, re-derived with plain numpy from their definitions.

- conv2d: torch.nn.functional.conv2d's cross-correlation written as the direct sum
  y[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x_pad[n, c, i*s + u, j*s + v]
  (not im2col, which the Swift code uses).
- max_pool2d: the maximum of every k x k window, stride s, no padding.
- multi-head attention: torch.nn.MultiheadAttention(batch_first=True) as in Vaswani et al. 2017:
  Q, K, V = x W_q^T + b_q, ...; per head softmax(Q K^T / sqrt(d)) V; heads concatenated; out_proj.
  Keys where the mask is False get no weight.
- LSTM: torch.nn.LSTM's equations (gate order i, f, g, o), zero initial state.
- graph attention: Maze's GraphAttentionBlock (Velickovic et al. 2018): per head h = x W,
  e_ij = LeakyReLU_alpha(h_i a1 + h_j a2), softmax over j where A + I > 0, heads concatenated (averaged
  in the last layer with avg_last_head_attentions), then the layer's non-linearity.

Usage: python tools/gen_perception_fixtures.py  (writes Tests/MazeTensorTests/Fixtures/perception.json and
Tests/MazePerceptionTests/Fixtures/graph_attention.json)
"""
import json
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/MazeTensorTests/Fixtures/perception.json"
GRAPH_OUT = ROOT / "Tests/MazePerceptionTests/Fixtures/graph_attention.json"


def f32(rng, *shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def conv2d(x, w, b, stride, padding):
    n, c, h, wd = x.shape
    o, _, k, _ = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding), dtype=np.float64)
    xp[:, :, padding:padding + h, padding:padding + wd] = x
    ho, wo = (h + 2 * padding - k) // stride + 1, (wd + 2 * padding - k) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
            y[:, :, i, j] = np.einsum("ncuv,ocuv->no", window, w.astype(np.float64)) + b
    return y


def max_pool2d(x, k, s):
    n, c, h, w = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    y = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            y[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return y


def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def multi_head_attention(q, k, v, w_in, b_in, w_out, b_out, heads, mask):
    e = q.shape[-1]
    d = e // heads
    wq, wk, wv = w_in[:e], w_in[e:2 * e], w_in[2 * e:]
    bq, bk, bv = b_in[:e], b_in[e:2 * e], b_in[2 * e:]
    Q, K, V = q @ wq.T + bq, k @ wk.T + bk, v @ wv.T + bv
    out = np.zeros(q.shape)
    for head in range(heads):
        cols = slice(head * d, (head + 1) * d)
        scores = Q[:, :, cols] @ K[:, :, cols].transpose(0, 2, 1) / np.sqrt(d)
        scores = np.where(mask[:, None, :], scores, -np.inf)
        out[:, :, cols] = softmax(scores) @ V[:, :, cols]
    return out @ w_out.T + b_out


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm(x, w_ih, w_hh, b_ih, b_hh):
    batch, steps, _ = x.shape
    hidden = w_hh.shape[1]
    h = np.zeros((batch, hidden))
    c = np.zeros((batch, hidden))
    outputs = []
    for t in range(steps):
        gates = x[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = np.split(gates, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1)


NON_LINEARITIES = {"Tanh": np.tanh, "ReLU": lambda z: np.maximum(z, 0), "Identity": lambda z: z}


def graph_attention(x, adj, layers, avg_last):
    """layers: per layer (heads: [(W [in, out], a1 [out, 1], a2 [out, 1])], alpha, non_lin name)."""
    connected = adj + np.eye(adj.shape[-1]) > 0
    out = x.astype(np.float64)
    for index, (heads, alpha, non_lin) in enumerate(layers):
        results = []
        for w, a1, a2 in heads:
            h = out @ w
            e = h @ a1 + (h @ a2).transpose(0, 2, 1)
            e = np.where(e > 0, e, alpha * e)
            results.append(softmax(np.where(connected, e, -np.inf)) @ h)
        if avg_last and index == len(layers) - 1:
            out = sum(results) / len(results)
        else:
            out = np.concatenate(results, axis=-1)
        out = NON_LINEARITIES[non_lin](out)
    return out


def graph_attention_cases():
    """Cases for the GraphAttentionBlock: settings as Maze's keys, parameters under the block name `block`."""
    rng = np.random.default_rng(19)
    cases = []
    for (b, n, f, hidden, heads, alphas, non_lins, avg_last) in [
            (2, 5, 3, [4, 3], [2, 2], [0.2, 0.1], ["Tanh", "Identity"], True),
            (3, 4, 2, [3], [3], [0.2], ["ReLU"], False)]:
        x = f32(rng, b, n, f)
        upper = np.triu(rng.uniform(size=(b, n, n)) > 0.5, k=1)
        adj = (upper | upper.transpose(0, 2, 1)).astype(np.float32)
        parameters, layers, width = {}, [], f
        for index, (out, count) in enumerate(zip(hidden, heads)):
            layer = []
            for head in range(count):
                w, a1, a2 = f32(rng, width, out), f32(rng, out, 1), f32(rng, out, 1)
                prefix = f"block.{index}.{head}"
                parameters.update({prefix + ".weight": tensor(w), prefix + ".weight_a1": tensor(a1),
                                   prefix + ".weight_a2": tensor(a2)})
                layer.append((w, a1, a2))
            layers.append((layer, alphas[index], non_lins[index]))
            width = out if avg_last and index == len(hidden) - 1 else out * count
        cases.append({"settings": {"hidden_features": hidden, "n_heads": heads, "attention_alpha": alphas,
                                   "non_lins": non_lins, "avg_last_head_attentions": avg_last},
                      "nodes": tensor(x), "adjacency": tensor(adj), "parameters": parameters,
                      "output": tensor(graph_attention(x, adj, layers, avg_last))})
    return cases


def tensor(a):
    return {"shape": list(a.shape), "scalars": [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]}


def main():
    rng = np.random.default_rng(18)
    conv = []
    for (n, c, h, w, o, k, s, p) in [(2, 3, 7, 6, 4, 3, 1, 0), (2, 2, 8, 8, 3, 3, 2, 1), (1, 4, 5, 5, 2, 5, 1, 2), (3, 1, 9, 7, 2, 4, 3, 0)]:
        x, wt, b = f32(rng, n, c, h, w), f32(rng, o, c, k, k), f32(rng, o)
        conv.append({"input": tensor(x), "weight": tensor(wt), "bias": tensor(b), "stride": s, "padding": p,
                     "output": tensor(conv2d(x, wt, b, s, p))})
    pool = []
    for (shape, k, s) in [((2, 3, 6, 6), 2, 2), ((1, 2, 7, 5), 3, 2)]:
        x = f32(rng, *shape)
        pool.append({"input": tensor(x), "kernel": k, "stride": s, "output": tensor(max_pool2d(x, k, s))})
    attention = []
    for (b, lq, lk, e, heads) in [(2, 3, 4, 8, 2), (3, 5, 5, 6, 3)]:
        q, k, v = f32(rng, b, lq, e), f32(rng, b, lk, e), f32(rng, b, lk, e)
        w_in, b_in, w_out, b_out = f32(rng, 3 * e, e), f32(rng, 3 * e), f32(rng, e, e), f32(rng, e)
        mask = rng.uniform(size=(b, lk)) > 0.3
        mask[:, 0] = True
        attention.append({"query": tensor(q), "key": tensor(k), "value": tensor(v), "heads": heads,
                          "in_proj_weight": tensor(w_in), "in_proj_bias": tensor(b_in),
                          "out_proj_weight": tensor(w_out), "out_proj_bias": tensor(b_out),
                          "key_mask": [[bool(m) for m in row] for row in mask],
                          "output": tensor(multi_head_attention(q, k, v, w_in, b_in, w_out, b_out, heads, mask))})
    recurrent = []
    for (b, t, i, h) in [(3, 5, 4, 6)]:
        x = f32(rng, b, t, i)
        w_ih, w_hh, b_ih, b_hh = f32(rng, 4 * h, i), f32(rng, 4 * h, h), f32(rng, 4 * h), f32(rng, 4 * h)
        recurrent.append({"input": tensor(x), "weight_ih": tensor(w_ih), "weight_hh": tensor(w_hh),
                          "bias_ih": tensor(b_ih), "bias_hh": tensor(b_hh), "output": tensor(lstm(x, w_ih, w_hh, b_ih, b_hh))})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"conv2d": conv, "max_pool": pool, "multi_head_attention": attention, "lstm": recurrent}) + "\n")
    GRAPH_OUT.write_text(json.dumps({"graph_attention": graph_attention_cases()}) + "\n")


if __name__ == "__main__":
    main()
