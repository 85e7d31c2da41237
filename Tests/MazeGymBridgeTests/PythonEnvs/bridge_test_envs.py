"""Small Gymnasium envs the MazeGymBridgeTests step through the bridge (env._target_ "bridge_test_envs:<factory>").

Each one has a deterministic observation that encodes the step count and the last action, so a test can
check that every value crossed the bridge intact in both directions.
"""
import gymnasium as gym
import numpy as np
from gymnasium import spaces


class CountingEnv(gym.Env):
    """Observations: `{"position": Box(3), "image": uint8 Box(4, 5, 3), "flags": MultiBinary(4), "pair":
    Tuple(Discrete(3), Box(2)), "action_mask": MultiBinary(3)}`; actions: `{"move": Discrete(3),
    "levels": MultiDiscrete([2, 4]), "force": Box(2)}`. Episodes last `length` steps (terminated)."""

    def __init__(self, length=5):
        self.length = length
        self.observation_space = spaces.Dict({
            "position": spaces.Box(-10.0, 10.0, shape=(3,), dtype=np.float32),
            "image": spaces.Box(0, 255, shape=(4, 5, 3), dtype=np.uint8),
            "flags": spaces.MultiBinary(4),
            "pair": spaces.Tuple((spaces.Discrete(3), spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32))),
            "action_mask": spaces.MultiBinary(3),
        })
        self.action_space = spaces.Dict({
            "move": spaces.Discrete(3),
            "levels": spaces.MultiDiscrete([2, 4]),
            "force": spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32),
        })
        self.t = 0
        self.last = None

    def observe(self):
        move, levels, force = (0, np.zeros(2), np.zeros(2, np.float32)) if self.last is None else self.last
        image = (np.arange(60, dtype=np.int64).reshape(4, 5, 3) * 4 + self.t) % 256
        return {
            "position": np.array([self.t, move, levels[1]], dtype=np.float32),
            "image": image.astype(np.uint8),
            "flags": np.array([self.t % 2, 1, 0, levels[0]], dtype=np.int8),
            "pair": (int(move), np.asarray(force, dtype=np.float32)),
            "action_mask": np.array([1, self.t % 2, 1], dtype=np.int8),
        }

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = int(self.np_random.integers(0, 3))
        self.last = None
        return self.observe(), {}

    def step(self, action):
        assert isinstance(action["move"], (int, np.integer)), type(action["move"])
        self.t += 1
        self.last = (int(action["move"]), np.asarray(action["levels"]), np.asarray(action["force"]))
        reward = float(action["move"]) + 0.5 * float(action["levels"][1])
        return self.observe(), reward, self.t >= self.length + 3, False, {}


class InfoMaskEnv(gym.Env):
    """A Box observation with the action mask in `info["action_mask"]` (Gymnasium's convention): only action
    `t % 4` is allowed; a masked action terminates with reward -1."""

    def __init__(self):
        self.observation_space = spaces.Box(0.0, 100.0, shape=(1,), dtype=np.float32)
        self.action_space = spaces.Discrete(4)
        self.t = 0

    def info(self):
        mask = np.zeros(4, dtype=np.int8)
        mask[self.t % 4] = 1
        return {"action_mask": mask}

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.array([self.t], dtype=np.float32), self.info()

    def step(self, action):
        allowed = int(action) == self.t % 4
        self.t += 1
        return np.array([self.t], dtype=np.float32), 1.0 if allowed else -1.0, not allowed, self.t >= 20, self.info()


class FailingEnv(gym.Env):
    """Raises in its `fail_at`-th step; returns NaN in its `nan_at`-th step; sleeps in `hang_at`."""

    def __init__(self, fail_at=-1, nan_at=-1, hang_at=-1):
        self.fail_at, self.nan_at, self.hang_at = fail_at, nan_at, hang_at
        self.observation_space = spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self.action_space = spaces.Discrete(2)
        self.t = 0

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.zeros(2, dtype=np.float32), {}

    def step(self, action):
        self.t += 1
        if self.t == self.fail_at:
            raise RuntimeError("the conveyor belt jammed")
        if self.t == self.hang_at:
            import time
            time.sleep(3600)
        value = float("nan") if self.t == self.nan_at else 0.0
        return np.array([value, 0.0], dtype=np.float32), 1.0, False, self.t >= 10, {}


class StartStateEnv(gym.Wrapper):
    """A classic-control env whose episodes start from the given states in turn (for the exactness tests)."""

    def __init__(self, env_id, start_states):
        super().__init__(gym.make(env_id))
        self.start_states = [np.asarray(s, dtype=np.float64) for s in start_states]
        self.episode = 0

    def reset(self, seed=None, options=None):
        self.env.reset(seed=seed)
        state = self.start_states[self.episode % len(self.start_states)]
        self.episode += 1
        unwrapped = self.env.unwrapped
        unwrapped.state = state.copy()
        for observe in ("_get_obs", "_get_ob"):  # Pendulum, Acrobot
            if hasattr(unwrapped, observe):
                return getattr(unwrapped, observe)(), {}
        return np.array(state, dtype=np.float32), {}


class FixedLengthEnv(gym.Env):
    """Every episode lasts exactly `length` steps (terminated) and pays 1 per step, whatever the actions: an
    episode that returns less than `length` was cut short (its server was killed)."""

    def __init__(self, length):
        self.length = length
        self.observation_space = spaces.Box(0.0, 1.0, shape=(2,), dtype=np.float32)
        self.action_space = spaces.Discrete(2)
        self.t = 0

    def observe(self):
        return np.array([self.t / self.length, 1.0], dtype=np.float32)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return self.observe(), {}

    def step(self, action):
        self.t += 1
        return self.observe(), 1.0, self.t >= self.length, False, {}


def fixed_length(length=20):
    return FixedLengthEnv(length)


def counting(length=5):
    return CountingEnv(length)


def info_mask():
    return InfoMaskEnv()


def failing(fail_at=-1, nan_at=-1, hang_at=-1):
    return FailingEnv(fail_at, nan_at, hang_at)


def start_state(env_id, start_states):
    return StartStateEnv(env_id, start_states)
