#!/usr/bin/env python3
"""A swift-maze actor worker in Python, written from docs/PROTOCOL.md alone.

It registers with a `maze learner`, takes the experiment it is assigned, steps CartPole-v1 (Gymnasium's
dynamics, re-implemented in numpy) with the policy network of the broadcast weights (a numpy forward pass),
and pushes one TrajectoryBatch of `algorithm.n_rollout_steps` steps x `--envs` environments at a time until the
learner stops the experiment (or this process gets SIGTERM).

    python tools/python_actor.py --connect ipc:///tmp/maze/sockets --worker-id py-0 --envs 8 --seed 1

Needs numpy, pyzmq, msgpack and pyyaml (tools/requirements-test.txt).
"""

import argparse
import math
import os
import signal
import socket
import sys
import time

import msgpack
import numpy as np
import yaml
import zmq

PROTOCOL_VERSION = 1


# ---------------------------------------------------------------- wire format (PROTOCOL.md sections 1-2)

def tensor(array):
    array = np.ascontiguousarray(array)
    return {"dtype": array.dtype.str[1:], "shape": list(array.shape), "data": array.tobytes()}


def array(t):
    return np.frombuffer(t["data"], dtype="<" + t["dtype"]).reshape(t["shape"])


def pack(message_type, **fields):
    return msgpack.packb({"v": PROTOCOL_VERSION, "type": message_type, **fields}, use_bin_type=True)


def unpack(frame):
    message = msgpack.unpackb(frame, raw=False)
    if not isinstance(message, dict) or message.get("v") != PROTOCOL_VERSION:
        return None
    return message


# ---------------------------------------------------------------- CartPole-v1 (Gymnasium's dynamics)

class CartPole:
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    max_episode_steps = 500

    def __init__(self, rng):
        self.rng = rng
        self.reset()

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=4)
        self.steps = 0
        return self.state.astype(np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        total_mass = self.masspole + self.masscart
        polemass_length = self.masspole * self.length
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / total_mass))
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array([x, x_dot, theta, theta_dot])
        self.steps += 1
        terminated = bool(abs(x) > self.x_threshold or abs(theta) > self.theta_threshold)
        truncated = self.steps >= self.max_episode_steps and not terminated
        return self.state.astype(np.float32), 1.0, terminated, truncated


# ---------------------------------------------------------------- the policy network (PROTOCOL.md section 8)

NON_LINEARITIES = {
    "tanh": np.tanh,
    "relu": lambda v: np.maximum(v, 0),
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "identity": lambda v: v,
}


class Policy:
    """The `policy.<step>.*` tensors of a PolicyUpdate: per observation key a dense block, the concatenation,
    an optional `body` block, then one linear head per action key. Weights are [out, in]; every layer of a
    block is followed by the non-linearity, heads are linear."""

    def __init__(self, weights, observation_keys, action_key, non_linearity):
        steps = sorted({name.split(".")[1] for name in weights if name.startswith("policy.")})
        if len(steps) != 1:
            raise ValueError(f"expected one policy sub-step, got {steps}")
        prefix = f"policy.{steps[0]}."
        self.activation = NON_LINEARITIES[non_linearity.lower()]
        self.branches = [(key, self.layers(weights, prefix + key + ".")) for key in observation_keys]
        self.body = self.layers(weights, prefix + "body.")
        self.head = (array(weights[prefix + action_key + ".weight"]), array(weights[prefix + action_key + ".bias"]))

    @staticmethod
    def layers(weights, prefix):
        result, index = [], 0
        while prefix + f"{index}.weight" in weights:
            result.append((array(weights[prefix + f"{index}.weight"]), array(weights[prefix + f"{index}.bias"])))
            index += 1
        return result

    def dense(self, value, layers):
        for weight, bias in layers:
            value = self.activation(value @ weight.T + bias)
        return value

    def logits(self, observations):
        """`observations`: dict key -> [B, width] float32; returns the [B, actions] logits."""
        features = np.concatenate([self.dense(observations[key], layers) for key, layers in self.branches], axis=1)
        weight, bias = self.head
        return self.dense(features, self.body) @ weight.T + bias


def log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


# ---------------------------------------------------------------- the actor worker (PROTOCOL.md section 9)

class Actor:
    def __init__(self, args):
        self.args = args
        self.worker_id = args.worker_id
        self.context = zmq.Context()
        base = args.connect
        control, trajectories, weights = self.endpoints(base)
        # Subscribe before registering, so that no broadcast after the Assignment is missed.
        self.weights = self.context.socket(zmq.SUB)
        self.weights.setsockopt(zmq.SUBSCRIBE, b"")
        self.weights.connect(weights)
        self.control = self.context.socket(zmq.DEALER)
        self.control.setsockopt(zmq.LINGER, 0)
        self.control.connect(control)
        self.push = self.context.socket(zmq.PUSH)
        self.push.setsockopt(zmq.SNDHWM, 2)
        self.push.setsockopt(zmq.LINGER, 1000)
        self.push.connect(trajectories)
        self.next_request_id = 1
        self.registration_request_id = 0
        self.credit_limit = None  # flow control: batches allowed since the latest Register (None: no limit)
        self.pushed_since_register = 0
        self.batches_sent = 0
        self.steps_since_heartbeat = 0
        self.last_heartbeat = time.monotonic()
        self.experiment = None
        self.update = None
        self.stopped = False
        self.rng = np.random.default_rng(args.seed)

    @staticmethod
    def endpoints(base):
        if base.startswith("ipc://"):
            return tuple(f"{base}/{name}.ipc" for name in ("control", "trajectories", "weights"))
        host, port = base.rsplit(":", 1)
        return tuple(f"{host}:{int(port) + offset}" for offset in range(3))

    def send(self, message_type, **fields):
        request_id = self.next_request_id
        self.next_request_id += 1
        self.control.send(pack(message_type, request_id=request_id, **fields))
        return request_id

    def register(self):
        self.credit_limit, self.pushed_since_register = None, 0
        self.registration_request_id = self.send(
            "Register", worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid(), key_fingerprint="",
            capabilities=["cpu"])

    def heartbeat(self, force=False):
        now = time.monotonic()
        if not force and now - self.last_heartbeat < 1.0:
            return
        rate = self.steps_since_heartbeat / max(now - self.last_heartbeat, 1e-9)
        fields = {"sender_id": self.worker_id, "env_steps_per_second": rate, "batches_sent": self.batches_sent}
        if self.update is not None:
            fields["policy_version"] = self.update["version"]
        self.send("Heartbeat", **fields)
        self.last_heartbeat, self.steps_since_heartbeat = now, 0

    def handle_control(self, timeout_ms=0):
        while self.control.poll(timeout_ms):
            timeout_ms = 0
            message = unpack(self.control.recv())
            if message is None:
                continue
            if message.get("in_reply_to", self.registration_request_id) < self.registration_request_id:
                continue  # answers a request sent before the latest Register
            kind = message["type"]
            if kind == "Assignment":
                self.take(message)
            elif kind == "CurrentWeights" and message.get("update"):
                self.adopt(message["update"])
            elif kind == "Heartbeat" and message.get("credits") is not None:
                self.credit_limit = message["credits"]
            elif kind == "Error" and message["code"] == "not_registered":
                self.register()

    def take(self, assignment):
        if self.experiment and self.experiment["id"] == assignment["experiment_id"]:
            self.send("CurrentWeightsRequest", experiment_id=assignment["experiment_id"])
            return
        config = yaml.safe_load(assignment["config_yaml"])
        if config["env"].get("name") != "CartPole-v1":
            raise SystemExit(f"this actor steps CartPole-v1 only, the experiment wants {config['env'].get('name')}")
        model = config["model"]["model_builder"]["modality_config"]["feature"]["block_params"]
        seed = (config.get("seeding") or {}).get("env_base_seed")
        rng = np.random.default_rng(self.args.seed if seed is None else seed + self.args.seed)
        self.experiment = {
            "id": assignment["experiment_id"],
            "steps": int(config["algorithm"]["n_rollout_steps"]),
            "non_linearity": model.get("non_lin", "Tanh"),
            "envs": [CartPole(rng) for _ in range(self.args.envs)],
            "returns": np.zeros(self.args.envs),
            "lengths": np.zeros(self.args.envs, dtype=np.int64),
        }
        self.update = None
        self.send("CurrentWeightsRequest", experiment_id=assignment["experiment_id"])

    def adopt(self, update):
        if not self.experiment or update["experiment_id"] != self.experiment["id"]:
            return
        if update["stop"]:
            self.stopped = True
            return
        if self.update is not None and update["version"] <= self.update["version"]:
            return
        weights = update["weights"]
        if any(not np.isfinite(array(t)).all() for t in weights.values() if t["dtype"] == "f4"):
            return  # refuse weights that are not finite
        self.update = update
        self.policy = Policy(weights, ["observation"], "action", self.experiment["non_linearity"])

    def follow_broadcast(self):
        newest = None
        while self.weights.poll(0):
            message = unpack(self.weights.recv())
            if message is not None and message["type"] == "PolicyUpdate":
                newest = message
        if newest is not None:
            self.adopt(newest)

    def collect(self):
        experiment, envs = self.experiment, self.experiment["envs"]
        steps, count = experiment["steps"], len(envs)
        version = self.update["version"]
        observations = np.zeros((steps + 1, count, 4), dtype=np.float32)
        finals = np.zeros((steps + 1, count, 4), dtype=np.float32)
        actions = np.zeros((steps, count, 1), dtype=np.float32)
        logits_out = np.zeros((steps, count, 2), dtype=np.float32)
        log_probs = np.zeros((steps, count), dtype=np.float32)
        rewards = np.zeros((steps, count), dtype=np.float32)
        terminated = np.zeros((steps, count), dtype=bool)
        truncated = np.zeros((steps, count), dtype=bool)
        episodes = []
        current = np.stack([env.state.astype(np.float32) for env in envs])
        for t in range(steps):
            observations[t] = current
            logits = self.policy.logits({"observation": current})
            log_p = log_softmax(logits)
            # Inverse-CDF sampling of each row's categorical distribution.
            cumulative = np.cumsum(np.exp(log_p), axis=1)
            chosen = np.minimum((cumulative < self.rng.random((count, 1))).sum(axis=1), logits.shape[1] - 1)
            actions[t, :, 0] = chosen
            logits_out[t] = logits
            log_probs[t] = log_p[np.arange(count), chosen]
            for index, env in enumerate(envs):
                observation, reward, done, cut = env.step(int(chosen[index]))
                rewards[t, index], terminated[t, index], truncated[t, index] = reward, done, cut
                experiment["returns"][index] += reward
                experiment["lengths"][index] += 1
                if done or cut:
                    finals[t + 1, index] = observation
                    episodes.append({"return": float(experiment["returns"][index]),
                                     "length": int(experiment["lengths"][index]), "kpis": {}})
                    experiment["returns"][index], experiment["lengths"][index] = 0, 0
                    observation = env.reset()
                current[index] = observation
        observations[steps] = current
        self.steps_since_heartbeat += steps * count
        return pack(
            "TrajectoryBatch", experiment_id=experiment["id"], actor_id=self.worker_id, policy_version=version,
            steps=steps, envs=count,
            observations={"final_observation": tensor(finals), "observation": tensor(observations)},
            actions={"action": tensor(actions)}, rewards=tensor(rewards), terminated=tensor(terminated),
            truncated=tensor(truncated), behaviour_log_probs=tensor(log_probs),
            behaviour_logits={"action": tensor(logits_out)}, episodes=episodes)

    def run(self):
        self.register()
        while not self.stopped and not self.args.stop_flag[0]:
            has_credit = self.credit_limit is None or self.pushed_since_register < self.credit_limit
            self.handle_control(timeout_ms=0 if self.update is not None and has_credit else 50)
            self.follow_broadcast()
            self.heartbeat()
            if self.experiment is None or self.update is None or self.stopped:
                continue
            if self.credit_limit is not None and self.pushed_since_register >= self.credit_limit:
                continue
            frame = self.collect()
            # Wait for room in the pipe rather than queueing stale batches.
            while not self.push.poll(50, zmq.POLLOUT):
                self.handle_control()
                self.heartbeat()
                if self.args.stop_flag[0]:
                    return
            self.push.send(frame)
            self.batches_sent += 1
            self.pushed_since_register += 1
        self.heartbeat(force=True)

    def close(self):
        for sock in (self.push, self.control, self.weights):
            sock.close(linger=0)
        self.context.term()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connect", required=True, help="the learner's base endpoint: tcp://HOST:PORT or ipc://DIR")
    parser.add_argument("--worker-id", default=f"{socket.gethostname()}/python-{os.getpid()}")
    parser.add_argument("--envs", type=int, default=8, help="environments stepped together")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.stop_flag = [False]
    signal.signal(signal.SIGTERM, lambda *_: args.stop_flag.__setitem__(0, True))
    actor = Actor(args)
    try:
        actor.run()
    finally:
        actor.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
