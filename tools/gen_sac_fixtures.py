#!/usr/bin/env python3
"""Reference values for Soft Actor-Critic's critic target and temperature loss, re-derived with numpy.

- Soft Bellman target (Haarnoja et al. 2018, eq. 3/5, with the clipped double-Q minimum):
  y = r + gamma * (1 - terminated) * (min(Q1'(s', a'), Q2'(s', a')) - alpha * log pi(a'|s')).
  For a Discrete action the expectation over a' ~ pi(.|s') is exact (Christodoulou 2019):
  V(s') = sum_a pi(a|s') * (min(Q1'(s', a), Q2'(s', a)) - alpha * log pi(a|s')).
  Truncated (time-limit) transitions bootstrap like any non-terminal one.
- Temperature objective (Haarnoja et al. 2018b, eq. 18), optimised through log alpha:
  J = mean(-log_alpha * (log pi(a|s) + H_bar)), dJ/dlog_alpha = -mean(log pi + H_bar).
- Target entropy: multiplier * (-dim(A)) for continuous actions, multiplier * 0.98 * log|A| for discrete.

Usage: python tools/gen_sac_fixtures.py  (writes Tests/MazeTrainTests/Fixtures/sac.json)
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/MazeTrainTests/Fixtures/sac.json"


def flat(array):
    return [float(x) for x in np.asarray(array, dtype=np.float64).reshape(-1)]


def continuous_case(rng, name, n, alpha, gamma):
    rewards = rng.normal(size=n).astype(np.float32)
    terminated = rng.random(n) < 0.3
    q1 = rng.normal(size=n).astype(np.float32)
    q2 = rng.normal(size=n).astype(np.float32)
    next_log_probs = rng.normal(-1.0, 1.0, size=n).astype(np.float32)
    soft_value = np.minimum(q1.astype(np.float64), q2.astype(np.float64)) - alpha * next_log_probs.astype(np.float64)
    target = rewards.astype(np.float64) + gamma * np.where(terminated, 0.0, soft_value)
    return {"name": name, "alpha": alpha, "gamma": gamma, "rewards": flat(rewards),
            "terminated": [bool(x) for x in terminated], "target_q1": flat(q1), "target_q2": flat(q2),
            "next_log_probs": flat(next_log_probs), "targets": flat(target)}


def discrete_case(rng, name, n, actions, alpha, gamma):
    rewards = rng.normal(size=n).astype(np.float32)
    terminated = rng.random(n) < 0.3
    q1 = rng.normal(size=(n, actions)).astype(np.float32)
    q2 = rng.normal(size=(n, actions)).astype(np.float32)
    logits = rng.normal(size=(n, actions))
    log_p = (logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))).astype(np.float32)
    p = np.exp(log_p.astype(np.float64))
    soft_value = (p * (np.minimum(q1, q2).astype(np.float64) - alpha * log_p.astype(np.float64))).sum(axis=1)
    target = rewards.astype(np.float64) + gamma * np.where(terminated, 0.0, soft_value)
    return {"name": name, "alpha": alpha, "gamma": gamma, "action_count": actions, "rewards": flat(rewards),
            "terminated": [bool(x) for x in terminated], "target_q1": flat(q1), "target_q2": flat(q2),
            "next_log_probabilities": flat(log_p), "targets": flat(target)}


def temperature_case(rng, name, n, log_alpha, continuous_dims, categories, multiplier):
    target_entropy = multiplier * (sum(0.98 * np.log(k) for k in categories) - continuous_dims)
    log_probs = rng.normal(-1.0, 1.5, size=n).astype(np.float32)
    gap = log_probs.astype(np.float64) + target_entropy
    loss = np.mean(-log_alpha * gap)
    gradient = -np.mean(gap)
    return {"name": name, "log_alpha": log_alpha, "continuous_dimensions": continuous_dims, "categories": categories,
            "multiplier": multiplier, "log_probs": flat(log_probs), "target_entropy": float(target_entropy),
            "loss": float(loss), "gradient": float(gradient)}


def main():
    rng = np.random.default_rng(18011290)
    fixture = {
        "generator": "tools/gen_sac_fixtures.py",
        "continuous": [continuous_case(rng, "alpha0.2", 64, 0.2, 0.99), continuous_case(rng, "alpha1.3", 17, 1.3, 0.9)],
        "discrete": [discrete_case(rng, "cartpole", 32, 2, 0.2, 0.99), discrete_case(rng, "five", 9, 5, 0.05, 0.95)],
        "temperature": [
            temperature_case(rng, "pendulum", 50, -0.7, 1, [], 1.0),
            temperature_case(rng, "halfcheetah", 20, 0.3, 6, [], 0.5),
            temperature_case(rng, "discrete", 33, -1.2, 0, [2, 5], 1.0),
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
