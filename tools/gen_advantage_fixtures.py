#!/usr/bin/env python3
"""Reference values for GAE and V-trace, re-derived with plain numpy from the papers' definitions.

Both estimators are written here in their *sum* form, not as the backward recursions the Swift code
uses, so the fixtures check the recursion against the definition:

- GAE (Schulman et al. 2016, eq. 16): A_t = sum_l (gamma*lambda)^l delta_{t+l},
  delta_t = r_t + gamma V(x_{t+1}) - V(x_t).
- V-trace (Espeholt et al. 2018, eq. 1): v_s = V(x_s) + sum_{t>=s} gamma^{t-s} (prod_{i=s}^{t-1} c_i) delta_t,
  delta_t = rho_t (r_t + gamma V(x_{t+1}) - V(x_t)); the policy-gradient advantage is
  rho_pg_s (r_s + gamma v_{s+1} - V(x_s)).

Sums stop at the end of an episode. On termination the bootstrap gamma V(x_{t+1}) is zero; on
truncation (time limit) it is the value of the final observation, given in next_values.

Usage: python tools/gen_advantage_fixtures.py  (writes Tests/MazeTrainTests/Fixtures/advantages.json)
"""
import json
import pathlib

import numpy as np

T, B = 12, 5
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/MazeTrainTests/Fixtures/advantages.json"


def random_rollout(rng):
    rewards = rng.normal(size=(T, B)).astype(np.float32)
    values = rng.normal(size=(T, B)).astype(np.float32)
    terminated = np.zeros((T, B), dtype=bool)
    truncated = np.zeros((T, B), dtype=bool)
    # Episode ends of both kinds in the middle of the batch, and one at the very last step.
    terminated[3, 0] = terminated[7, 2] = terminated[T - 1, 4] = True
    truncated[5, 1] = truncated[2, 3] = truncated[9, 0] = True
    ends = rng.random((T, B)) < 0.08
    kinds = rng.random((T, B)) < 0.5
    terminated |= ends & kinds & ~truncated
    truncated |= ends & ~kinds & ~terminated
    next_values = np.empty((T, B), dtype=np.float32)
    next_values[:-1] = values[1:]
    # Where an episode ended, the next observation belongs to the final state (truncation) or is
    # irrelevant (termination): draw an unrelated value so that using the wrong one shows.
    done = terminated | truncated
    next_values[done] = rng.normal(size=int(done.sum())).astype(np.float32)
    next_values[-1] = rng.normal(size=B).astype(np.float32)
    log_rhos = (0.6 * rng.normal(size=(T, B))).astype(np.float32)
    return rewards, values, next_values, terminated, truncated, log_rhos


def bootstrapped_target(r, next_value, terminated, gamma):
    return r + (0.0 if terminated else gamma * next_value)


def episode_last_step(t, b, terminated, truncated):
    """The last step index of the episode that step t of env b belongs to (within the rollout)."""
    while t < T - 1 and not (terminated[t, b] or truncated[t, b]):
        t += 1
    return t


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    r, v, nv = (x.astype(np.float64) for x in (rewards, values, next_values))
    delta = np.array([[bootstrapped_target(r[t, b], nv[t, b], terminated[t, b], gamma) - v[t, b]
                       for b in range(B)] for t in range(T)])
    adv = np.zeros((T, B))
    for b in range(B):
        for t in range(T):
            last = episode_last_step(t, b, terminated, truncated)
            adv[t, b] = sum((gamma * lam) ** (k - t) * delta[k, b] for k in range(t, last + 1))
    return adv, adv + v


def clipped(ratio, threshold):
    return ratio if threshold is None else np.minimum(threshold, ratio)


def vtrace(rewards, values, next_values, terminated, truncated, log_rhos, gamma, rho_bar, c_bar, pg_rho_bar):
    r, v, nv = (x.astype(np.float64) for x in (rewards, values, next_values))
    ratio = np.exp(log_rhos.astype(np.float64))
    rho, c, pg_rho = clipped(ratio, rho_bar), clipped(ratio, c_bar), clipped(ratio, pg_rho_bar)
    delta = np.array([[rho[t, b] * (bootstrapped_target(r[t, b], nv[t, b], terminated[t, b], gamma) - v[t, b])
                       for b in range(B)] for t in range(T)])
    vs = np.zeros((T, B))
    for b in range(B):
        for s in range(T):
            last = episode_last_step(s, b, terminated, truncated)
            total = 0.0
            for t in range(s, last + 1):
                total += gamma ** (t - s) * np.prod(c[s:t, b]) * delta[t, b]
            vs[s, b] = v[s, b] + total
    pg = np.zeros((T, B))
    for b in range(B):
        for s in range(T):
            ends = terminated[s, b] or truncated[s, b]
            next_vs = nv[s, b] if (ends or s == T - 1) else vs[s + 1, b]
            pg[s, b] = pg_rho[s, b] * (bootstrapped_target(r[s, b], next_vs, terminated[s, b], gamma) - v[s, b])
    return vs, pg


def flat(array):
    return [float(x) for x in np.asarray(array).reshape(-1)]


def main():
    rng = np.random.default_rng(20160608)
    cases = []
    for index, (gamma, lam, thresholds) in enumerate([
        (0.98, 1.0, (1.0, 1.0, 1.0)),
        (0.99, 0.95, (None, None, None)),
        (0.9, 0.8, (2.0, 0.9, 1.5)),
    ]):
        rewards, values, next_values, terminated, truncated, log_rhos = random_rollout(rng)
        advantages, returns = gae(rewards, values, next_values, terminated, truncated, gamma, lam)
        vs, pg = vtrace(rewards, values, next_values, terminated, truncated, log_rhos, gamma, *thresholds)
        cases.append({
            "name": f"case{index}", "steps": T, "envs": B, "gamma": gamma, "lambda": lam,
            "rho_threshold": thresholds[0], "c_threshold": thresholds[1], "pg_rho_threshold": thresholds[2],
            "rewards": flat(rewards), "values": flat(values), "next_values": flat(next_values),
            "terminated": [bool(x) for x in terminated.reshape(-1)],
            "truncated": [bool(x) for x in truncated.reshape(-1)],
            "log_rhos": flat(log_rhos),
            "advantages": flat(advantages), "returns": flat(returns), "vs": flat(vs), "pg_advantages": flat(pg),
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "tools/gen_advantage_fixtures.py", "cases": cases}) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
