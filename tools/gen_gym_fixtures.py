#!/usr/bin/env python3
"""Records Gymnasium classic-control episodes as JSON fixtures for MazeEnvsTests.

For each environment and seed the fixture holds the start state (the unwrapped env's internal
state right after reset, in float64), the action sequence (seeded random; for CartPole one seed
uses a noisy balancing heuristic so that the episode reaches truncation), and after every step the
float32 observation, the reward, and the terminated/truncated flags. The Swift tests set the same
start state explicitly and replay the actions, so they never depend on Gymnasium's RNG.

Usage: MAZE_PYTHON=.../python tools/gen_gym_fixtures.py [output_dir]
(needs gymnasium and numpy; default output_dir is Tests/MazeEnvsTests/Fixtures).
"""
import json
import os
import sys

import gymnasium as gym
import numpy as np

ENV_IDS = ["CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0"]
SEEDS = [0, 1, 2, 3]


def compact_float32(value):
    """Shortest decimal text that round-trips the float32 value (keeps the fixtures small)."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


def cartpole_balancing_action(state, rng):
    """A noisy heuristic that keeps the pole up long enough to hit the 500-step limit."""
    if rng.random() < 0.1:
        return int(rng.integers(2))
    x, x_dot, theta, theta_dot = state
    return int(0.01 * x + 0.1 * x_dot + theta + 0.5 * theta_dot > 0)


def record_episode(env_id, seed):
    env = gym.make(env_id)
    env.reset(seed=seed)
    env.action_space.seed(seed + 1000)
    rng = np.random.default_rng(seed + 2000)
    start_state = [float(x) for x in np.asarray(env.unwrapped.state, dtype=np.float64)]
    balance = env_id == "CartPole-v1" and seed == 0
    actions, observations, rewards, terminated, truncated = [], [], [], [], []
    while True:
        if balance:
            action = cartpole_balancing_action(env.unwrapped.state, rng)
        else:
            action = env.action_space.sample()
        obs, reward, term, trunc, _ = env.step(action)
        if isinstance(env.action_space, gym.spaces.Box):
            actions.append(compact_float32(action[0]))
        else:
            actions.append(int(action))
        observations.append([compact_float32(x) for x in obs])
        rewards.append(float(reward))
        terminated.append(int(term))
        truncated.append(int(trunc))
        if term or trunc:
            break
    env.close()
    return {
        "seed": seed,
        "start_state": start_state,
        "actions": actions,
        "observations": observations,
        "rewards": rewards,
        "terminated": terminated,
        "truncated": truncated,
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests", "MazeEnvsTests", "Fixtures")
    os.makedirs(out_dir, exist_ok=True)
    for env_id in ENV_IDS:
        spec = gym.spec(env_id)
        fixture = {
            "env_id": env_id,
            "gymnasium_version": gym.__version__,
            "max_episode_steps": spec.max_episode_steps,
            "episodes": [record_episode(env_id, seed) for seed in SEEDS],
        }
        path = os.path.join(out_dir, f"{env_id}.json")
        with open(path, "w") as handle:
            json.dump(fixture, handle, separators=(",", ":"))
        lengths = [len(e["actions"]) for e in fixture["episodes"]]
        print(f"{env_id}: episode lengths {lengths} -> {path}")


if __name__ == "__main__":
    main()
