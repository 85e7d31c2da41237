#!/usr/bin/env python3
"""Reference values for Evolution Strategies' update step, re-derived with numpy (Salimans et al. 2017,
Algorithm 2 with mirrored sampling; OpenAI's es_distributed and Maze's ESTrainer):

- noise-table sampling: the perturbation at index k is table[k : k + d]; a pair evaluates theta + sigma * eps and
  theta - sigma * eps;
- fitness shaping: centered ranks of all 2n returns, rank / (2n - 1) - 0.5 (ties ranked in order of appearance,
  a stable argsort);
- gradient estimate: g = sum_i (u+_i - u-_i) * eps_i / (2n) (not divided by sigma: the step size absorbs it);
- update: Adam (torch's bias-corrected form) on the descent direction -g + l2_penalty * theta.

Usage: python tools/gen_es_fixtures.py  (writes Tests/MazeTrainTests/Fixtures/es.json)
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/MazeTrainTests/Fixtures/es.json"


def flat(array):
    return [float(x) for x in np.asarray(array, dtype=np.float64).reshape(-1)]


def centered_ranks(values):
    values = np.asarray(values, dtype=np.float64).ravel()
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[np.argsort(values, kind="stable")] = np.arange(values.size)
    return ranks / (values.size - 1) - 0.5


class Adam:
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def step(self, theta, grad):
        if self.m is None:
            self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad * grad
        m_hat = self.m / (1 - self.beta1 ** self.t)
        v_hat = self.v / (1 - self.beta2 ** self.t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def main():
    table = np.random.RandomState(123).randn(64).astype(np.float32)
    rng = np.random.default_rng(17)
    dim, sigma, l2, lr = 7, 0.05, 0.005, 0.01
    theta = rng.normal(size=dim).astype(np.float32).astype(np.float64)
    adam = Adam(lr)
    updates = []
    for n_pairs in (5, 3):
        indices = rng.integers(0, table.size - dim + 1, size=n_pairs)
        returns = rng.integers(0, 20, size=(n_pairs, 2)).astype(np.float64)
        returns[-1, 1] = returns[1, 0] = returns[0, 0]  # ties, ranked in order of appearance
        eps = np.stack([table[k:k + dim].astype(np.float64) for k in indices])
        positive = theta + sigma * eps
        negative = theta - sigma * eps
        ranks = centered_ranks(returns).reshape(n_pairs, 2)
        gradient = ((ranks[:, 0] - ranks[:, 1])[:, None] * eps).sum(axis=0) / returns.size
        direction = -gradient + l2 * theta
        new_theta = adam.step(theta, direction)
        updates.append({"theta": flat(theta), "noise_indices": [int(k) for k in indices],
                        "positive_returns": flat(returns[:, 0]), "negative_returns": flat(returns[:, 1]),
                        "perturbed_positive": [flat(p) for p in positive],
                        "perturbed_negative": [flat(p) for p in negative],
                        "centered_ranks": flat(ranks), "gradient": flat(gradient), "direction": flat(direction),
                        "updated_theta": flat(new_theta)})
        theta = new_theta
    fixture = {"noise_table": flat(table), "noise_stddev": sigma, "l2_penalty": l2, "step_size": lr,
               "updates": updates}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
