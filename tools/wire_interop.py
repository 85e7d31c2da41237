"""Wire-protocol interop with nothing but pyzmq, msgpack and numpy (docs/PROTOCOL.md).

Pushes a TrajectoryBatch to a Swift PULL socket, then waits for the PolicyUpdate a Swift PUB socket
publishes in answer and checks every field. The contents are fixed formulas that the Swift side
(Tests/MazeWireTests/ZeroMQInteropTests.swift) computes independently. Exits non-zero on any mismatch.

usage: wire_interop.py PULL_ENDPOINT PUB_ENDPOINT
"""
import sys

import msgpack
import numpy as np
import zmq

STEPS, ENVS, FEATURES, ACTIONS = 5, 3, 4, 2


def tensor(array):
    array = np.ascontiguousarray(array)
    return {"dtype": array.dtype.str[1:], "shape": list(array.shape), "data": array.tobytes()}


def array(t):
    return np.frombuffer(t["data"], dtype=t["dtype"]).reshape(t["shape"])


def trajectory_batch():
    t = np.arange(STEPS)[:, None]
    b = np.arange(ENVS)[None, :]
    terminated = np.zeros((STEPS, ENVS), dtype=bool)
    terminated[4, 1] = True
    truncated = np.zeros((STEPS, ENVS), dtype=bool)
    truncated[2, 2] = True
    return {
        "v": 1,
        "type": "TrajectoryBatch",
        "experiment_id": "interop",
        "actor_id": "python-actor",
        "policy_version": 41,
        "steps": STEPS,
        "envs": ENVS,
        "observations": {
            "observation": tensor(np.arange((STEPS + 1) * ENVS * FEATURES, dtype="<f4").reshape(STEPS + 1, ENVS, FEATURES) * 0.25),
            "inventory": tensor(np.arange((STEPS + 1) * ENVS, dtype="u1").reshape(STEPS + 1, ENVS)),
        },
        "actions": {"action": tensor(((t + b) % ACTIONS).astype("<i8"))},
        "rewards": tensor((t - 0.5 * b).astype("<f4")),
        "terminated": tensor(terminated),
        "truncated": tensor(truncated),
        "behaviour_log_probs": tensor((-0.1 * (t * ENVS + b)).astype("<f4")),
        "behaviour_logits": {"action": tensor(np.linspace(-1, 1, STEPS * ENVS * ACTIONS, dtype="<f4").reshape(STEPS, ENVS, ACTIONS))},
        "episodes": [{"return": 12.5, "length": 13, "kpis": {"raw_piece_usage": 0.75}}],
    }


def check_policy_update(message):
    def expect(condition, what):
        if not condition:
            raise SystemExit(f"PolicyUpdate mismatch: {what}")

    expect(message["v"] == 1 and message["type"] == "PolicyUpdate", f"envelope {message.get('v')} {message.get('type')}")
    expect(message["experiment_id"] == "interop", f"experiment_id {message['experiment_id']!r}")
    expect(message["version"] == 42, f"version {message['version']}")
    expect(message["stop"] is True, f"stop {message['stop']!r}")
    weights = message["weights"]
    expect(sorted(weights) == ["policy.0.bias", "policy.0.weight"], f"weight names {sorted(weights)}")
    weight = array(weights["policy.0.weight"])
    expect(weight.dtype == np.float32 and weight.shape == (3, FEATURES), f"weight {weight.dtype} {weight.shape}")
    expect(np.array_equal(weight, np.arange(3 * FEATURES, dtype="<f4").reshape(3, FEATURES) / 8), f"weight values {weight}")
    bias = array(weights["policy.0.bias"])
    expect(bias.dtype == np.float32 and np.array_equal(bias, np.array([-1, 0, 1], dtype="<f4")), f"bias {bias}")
    auxiliary = message["auxiliary"]
    expect(sorted(auxiliary) == ["observation_count", "observation_mean"], f"auxiliary names {sorted(auxiliary)}")
    mean = array(auxiliary["observation_mean"])
    expect(mean.dtype == np.float32 and np.array_equal(mean, np.array([0.5, -0.5, 1.5, 2.0], dtype="<f4")), f"mean {mean}")
    count = array(auxiliary["observation_count"])
    expect(count.dtype == np.int64 and count.tolist() == [1000], f"count {count}")


def main(pull_endpoint, pub_endpoint):
    context = zmq.Context()
    subscriber = context.socket(zmq.SUB)
    subscriber.setsockopt(zmq.LINGER, 0)
    subscriber.setsockopt(zmq.SUBSCRIBE, b"")
    subscriber.connect(pub_endpoint)
    pusher = context.socket(zmq.PUSH)
    pusher.setsockopt(zmq.LINGER, 2000)
    pusher.connect(pull_endpoint)
    pusher.send(msgpack.packb(trajectory_batch(), use_bin_type=True))

    if not subscriber.poll(timeout=20_000):
        raise SystemExit("no PolicyUpdate within 20 s")
    check_policy_update(msgpack.unpackb(subscriber.recv(), raw=False))
    pusher.close()
    subscriber.close()
    context.term()
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
