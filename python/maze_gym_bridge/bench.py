"""Gymnasium's own vector envs stepping an env with random actions: the baseline of `maze bench bridge`.

    python -m maze_gym_bridge.bench --env CartPole-v1 --envs 16 --seconds 3 --async-workers 2

prints one JSON object: env steps per second of `SyncVectorEnv` (`--envs` envs in this process) and of
`AsyncVectorEnv` with `--async-workers` worker processes holding the same `--envs` envs between them (each
worker steps its share in a `SyncVectorEnv`, as each bridge server steps its share), measured back to back.
Actions are drawn up front with numpy, so neither figure includes sampling.
"""
import argparse
import json
import time

import gymnasium as gym
import numpy as np


class WorkerShare(gym.Env):
    """The envs of one `AsyncVectorEnv` worker: a `SyncVectorEnv` of `count` envs seen as one env whose
    observation and action are the batches (episodes end and reset inside, as in the bridge's servers)."""

    def __init__(self, env_id, count):
        self.envs = gym.vector.SyncVectorEnv([lambda: gym.make(env_id)] * count)
        self.observation_space = self.envs.observation_space
        self.action_space = self.envs.action_space

    def reset(self, *, seed=None, options=None):
        observation, _ = self.envs.reset(seed=seed)
        return observation, {}

    def step(self, action):
        observation, reward, _, _, _ = self.envs.step(action)
        return observation, float(reward.sum()), False, False, {}

    def close(self):
        self.envs.close()


def random_actions(space, count, rng, steps):
    if isinstance(space, gym.spaces.Discrete):
        return rng.integers(0, space.n, size=(steps, count)) + space.start
    if isinstance(space, gym.spaces.Box):
        return rng.uniform(space.low, space.high, size=(steps, count) + space.shape).astype(space.dtype)
    return np.stack([[space.sample() for _ in range(count)] for _ in range(steps)])


def rate(vector, actions, env_count, seconds):
    vector.reset(seed=0)
    steps, index, start = 0, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(20):
            vector.step(actions[index % len(actions)])
            index += 1
        steps += 20 * env_count
    return steps / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--envs", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--async-workers", type=int, default=2)
    arguments = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    sync = gym.vector.SyncVectorEnv([lambda: gym.make(arguments.env)] * arguments.envs)
    actions = random_actions(sync.single_action_space, arguments.envs, rng, 1024)
    result = {"sync_steps_per_s": rate(sync, actions, arguments.envs, arguments.seconds)}
    sync.close()
    workers = arguments.async_workers
    if workers > 0:
        if arguments.envs % workers:
            parser.error(f"--envs ({arguments.envs}) must be a multiple of --async-workers ({workers})")
        share = arguments.envs // workers
        vector = gym.vector.AsyncVectorEnv([lambda: WorkerShare(arguments.env, share)] * workers)
        shaped = actions.reshape((len(actions), workers, share) + actions.shape[2:])
        result["async_steps_per_s"] = rate(vector, shaped, arguments.envs, arguments.seconds)
        vector.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
