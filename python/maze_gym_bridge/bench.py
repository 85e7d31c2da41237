"""Gymnasium's own vector envs stepping an env with random actions: the baseline of `maze bench bridge`.

    python -m maze_gym_bridge.bench --env CartPole-v1 --envs 16 --seconds 1 --async-workers 2

prints one JSON object: env steps per second of `SyncVectorEnv` (`--envs` envs in this process) and of
`AsyncVectorEnv` with `--async-workers` envs (one worker process each). Actions are drawn up front with numpy, so neither figure includes sampling.
"""
import argparse
import json
import time

import gymnasium as gym
import numpy as np


def random_actions(space, count, rng, steps):
    if isinstance(space, gym.spaces.Discrete):
        return rng.integers(0, space.n, size=(steps, count)) + space.start
    if isinstance(space, gym.spaces.Box):
        return rng.uniform(space.low, space.high, size=(steps, count) + space.shape).astype(space.dtype)
    return np.stack([[space.sample() for _ in range(count)] for _ in range(steps)])


def rate(vector, actions, seconds):
    vector.reset(seed=0)
    steps, index, start = 0, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(20):
            vector.step(actions[index % len(actions)])
            index += 1
        steps += 20 * vector.num_envs
    return steps / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--envs", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--async-workers", type=int, default=2)
    arguments = parser.parse_args(argv)
    make = [lambda: gym.make(arguments.env)] * arguments.envs
    rng = np.random.default_rng(0)
    sync = gym.vector.SyncVectorEnv(make)
    actions = random_actions(sync.single_action_space, arguments.envs, rng, 1024)
    result = {"sync_steps_per_s": rate(sync, actions, arguments.seconds)}
    sync.close()
    if arguments.async_workers > 0:
        # AsyncVectorEnv runs one worker process per env: `async_workers` envs in as many processes.
        workers = gym.vector.AsyncVectorEnv([lambda: gym.make(arguments.env)] * arguments.async_workers)
        worker_actions = random_actions(workers.single_action_space, arguments.async_workers, rng, 1024)
        result["async_steps_per_s"] = rate(workers, worker_actions, arguments.seconds)
        workers.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
