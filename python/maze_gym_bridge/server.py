"""An env server: Gymnasium environments stepped in batches on request of swift-maze.

One server process holds any number of environments ("slots") of one kind and answers requests on a
Unix stream socket that swift-maze listens on (`--socket`), strictly one reply per request. Each message is
one msgpack map in a frame: its length as a 4-byte little-endian unsigned integer, then the map. Tensors use
the wire's tensor map (`{"dtype", "shape", "data"}`, little-endian C order; docs/PROTOCOL.md section 2).

A plain socket rather than ZeroMQ: a request/reply pair then costs two process wake-ups instead of six
(ZeroMQ hands every message to an I/O thread on each side), which decides the speed of cheap envs on a
machine with few cores.

Requests (`op`):
- `init {spec}`: the env to serve: `spec.id` (a Gymnasium id) or `spec.target` (`package.module:factory`),
  and `spec.kwargs` for `gymnasium.make` or the factory. Replies with the observation and action leaves
  (see `spaces.py`), the render mode, and `max_episode_steps` (Gymnasium's TimeLimit; 0 when none).
- `add {count}`: makes `count` more environments; replies with their slot numbers.
- `reset {slots, seeds}`: resets those slots (a seed of nil continues the env's random stream);
  replies `obs` (a tensor dict, one row per slot).
- `step {slots, actions}`: steps each slot with its row of the `actions` tensor dict. An env whose
  episode ends is reset here at once (the server manages resets itself, so Gymnasium's autoreset mode
  never matters): `obs` then holds its new episode's first observation and `final` its last one.
  Replies `obs`, `reward` (f4), `terminated`, `truncated` (b1) and, when an episode ended, `final`.
- `render {slot}`: a text picture (`ansi` text, a frame summary for `rgb_array`, else the observation).
- `close`: replies and exits.

A request that fails replies `{"error": message, "traceback": text}`; the server keeps serving. NaN in
an observation is such an error: it is never sent. The server exits when its parent process is gone or
closes the socket.
"""
import argparse
import difflib
import importlib
import inspect
import os
import socket
import struct
import sys
import threading
import time
import traceback

import gymnasium as gym
import msgpack
import numpy as np

from maze_gym_bridge import spaces as maze_spaces


class EnvError(Exception):
    """A request the server refuses (NaN observations, unknown slots, malformed requests)."""


def encode_tensor(array):
    array = np.ascontiguousarray(array)
    if array.dtype == np.bool_:
        code = "b1"
    else:
        code = array.dtype.str[1:]
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    return {"dtype": code, "shape": list(array.shape), "data": array.tobytes()}


def decode_tensor(tensor):
    dtype = np.dtype("<" + tensor["dtype"]) if tensor["dtype"] != "b1" else np.dtype(np.bool_)
    return np.frombuffer(tensor["data"], dtype=dtype).reshape(tensor["shape"])


def make_env(spec):
    """The env `spec` describes: `gymnasium.make(id, **kwargs)` or `module:factory(**kwargs)`."""
    kwargs = dict(spec.get("kwargs") or {})
    target = spec.get("target")
    if target:
        module_name, separator, attribute = target.partition(":")
        if not separator:
            module_name, _, attribute = target.rpartition(".")
        if not module_name or not attribute:
            raise EnvError(f"env._target_ '{target}' is not of the form 'package.module:factory'")
        factory = importlib.import_module(module_name)
        for part in attribute.split("."):
            factory = getattr(factory, part)
        env = call_with_config_arguments(factory, kwargs, target, lambda: [factory])
    else:
        env = call_with_config_arguments(
            lambda **arguments: gym.make(spec["id"], **arguments), kwargs, f"gymnasium.make('{spec['id']}')",
            lambda: [gym.make, env_creator(spec["id"])])
    if not isinstance(env, gym.Env):
        raise EnvError(f"{target or spec.get('id')} made a {type(env).__name__}, not a gymnasium.Env")
    return env


def env_creator(env_id):
    """The class or function `gymnasium.make(env_id)` calls."""
    entry_point = gym.spec(env_id).entry_point
    return gym.envs.registration.load_env_creator(entry_point) if isinstance(entry_point, str) else entry_point


def call_with_config_arguments(make, kwargs, name, callees):
    """`make(**kwargs)`; a keyword argument none of `callees()` takes fails naming its config key (`env.<key>`)
    and the nearest parameter they do take, instead of Python's bare TypeError."""
    try:
        return make(**kwargs)
    except TypeError as error:
        unknown = [key for key in kwargs if f"'{key}'" in str(error)]
        if not unknown:
            raise
        parameters = set()
        for callee in callees():
            try:
                parameters.update(
                    parameter.name for parameter in inspect.signature(callee).parameters.values()
                    if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY))
            except (TypeError, ValueError):
                pass
        parameters.discard("id")
        nearest = difflib.get_close_matches(unknown[0], sorted(parameters), n=1)
        hint = f"; did you mean env.{nearest[0]}?" if nearest else ""
        raise EnvError(f"env.{unknown[0]} is not an argument of {name}{hint} (TypeError: {error})") from error


class EnvServer:
    """The environments of one server process and the requests on them."""

    def __init__(self):
        self.envs = []
        self.spec = None
        self.name = "env"
        self.observation_leaves = None
        self.action_leaves = None
        self.mask_from_info = None

    # -- requests -------------------------------------------------------------------------------

    def init(self, request):
        self.spec = request["spec"]
        self.name = request.get("name") or self.spec.get("id") or self.spec.get("target") or "env"
        env = make_env(self.spec)
        self.envs.append(env)
        self.observation_leaves = maze_spaces.leaves(env.observation_space, "observation")
        self.action_leaves = maze_spaces.leaves(env.action_space, "action")
        _, info = env.reset()
        if maze_spaces.MASK_KEY in (info or {}) and all(l.key != maze_spaces.MASK_KEY for l in self.observation_leaves):
            self.mask_from_info = maze_spaces.MaskLeaf(info[maze_spaces.MASK_KEY])
        leaves = self.observation_leaves + ([self.mask_from_info] if self.mask_from_info else [])
        render_modes = env.metadata.get("render_modes", []) if env.metadata else []
        return {
            "observation": [leaf.describe() for leaf in leaves],
            "action": [leaf.describe() for leaf in self.action_leaves],
            "render_mode": env.render_mode or "",
            # Gymnasium's TimeLimit, so that swift-maze does not bound evaluation episodes of its own.
            "max_episode_steps": int(env.spec.max_episode_steps or 0) if env.spec is not None else 0,
            "render_modes": list(render_modes),
            "slots": [0],
        }

    def add(self, request):
        count = int(request["count"])
        first = len(self.envs)
        for _ in range(count):
            self.envs.append(make_env(self.spec))
        return {"slots": list(range(first, first + count))}

    def reset(self, request):
        slots = self.slots(request)
        seeds = request.get("seeds") or [None] * len(slots)
        observations, infos = [], []
        for slot, seed in zip(slots, seeds):
            observation, info = self.envs[slot].reset(seed=None if seed is None else int(seed))
            observations.append(observation)
            infos.append(info)
        return {"obs": self.observation_tensors(observations, infos, slots)}

    def step(self, request):
        slots = self.slots(request)
        actions = self.actions(request["actions"], len(slots))
        observations, infos, finals, final_infos = [], [], {}, {}
        rewards = np.zeros(len(slots), dtype=np.float32)
        terminated = np.zeros(len(slots), dtype=np.bool_)
        truncated = np.zeros(len(slots), dtype=np.bool_)
        for row, (slot, action) in enumerate(zip(slots, actions)):
            env = self.envs[slot]
            observation, reward, term, trunc, info = env.step(action)
            rewards[row], terminated[row], truncated[row] = reward, term, trunc
            if term or trunc:
                finals[row], final_infos[row] = observation, info
                observation, info = env.reset()
            observations.append(observation)
            infos.append(info)
        reply = {
            "obs": self.observation_tensors(observations, infos, slots),
            "reward": encode_tensor(rewards),
            "terminated": encode_tensor(terminated),
            "truncated": encode_tensor(truncated),
        }
        if finals:
            rows = [finals.get(row, observations[row]) for row in range(len(slots))]
            row_infos = [final_infos.get(row, infos[row]) for row in range(len(slots))]
            reply["final"] = self.observation_tensors(rows, row_infos, slots)
        return reply

    def render(self, request):
        env = self.envs[self.slots({"slots": [request["slot"]]})[0]]
        mode = env.render_mode
        if mode in ("ansi", "human"):
            text = env.render()
            if isinstance(text, str):
                return {"text": text}
        if mode in ("rgb_array", "rgb_array_list"):
            frame = env.render()
            if isinstance(frame, list):
                frame = frame[-1] if frame else None
            if frame is not None:
                frame = np.asarray(frame)
                return {"text": f"{self.name}: frame {'x'.join(map(str, frame.shape))}, mean pixel {frame.mean():.1f}"}
        state = getattr(env.unwrapped, "state", None)
        if state is not None:
            return {"text": f"{self.name}: state {np.array2string(np.asarray(state), precision=4)}"}
        return {"text": f"{self.name}: no render mode (make it with render_mode='ansi' or 'rgb_array')"}

    # -- conversions ----------------------------------------------------------------------------

    def slots(self, request):
        slots = [int(s) for s in request["slots"]]
        for slot in slots:
            if not 0 <= slot < len(self.envs):
                raise EnvError(f"no env in slot {slot} (this server has {len(self.envs)})")
        return slots

    def actions(self, tensors, count):
        columns = {}
        for leaf in self.action_leaves:
            if leaf.key not in tensors:
                raise EnvError(f"the step request has no action '{leaf.key}'")
            array = decode_tensor(tensors[leaf.key]).astype(np.float32, copy=False)
            columns[leaf.path] = (leaf, array.reshape(count, -1))
        if len(self.action_leaves) == 1 and self.action_leaves[0].path == ():
            # One leaf at the top (Discrete, Box, …): no structure to rebuild.
            leaf, array = columns[()]
            if leaf.kind == "discrete":
                return (np.rint(array[:, 0]).astype(np.int64) + int(leaf.space.start)).tolist()
            return [leaf.action_value(array[row]) for row in range(count)]
        space = self.envs[0].action_space
        return [
            maze_spaces.build(space, {path: leaf.action_value(array[row]) for path, (leaf, array) in columns.items()})
            for row in range(count)
        ]

    def observation_tensors(self, observations, infos, slots):
        tensors = {}
        for leaf in self.observation_leaves:
            values = observations if not leaf.path else [maze_spaces.value_at(o, leaf.path) for o in observations]
            array = leaf.observation_array(values)
            if array.dtype.kind == "f" and np.isnan(array).any():
                rows = sorted({int(r) for r in np.argwhere(np.isnan(array.reshape(len(observations), -1)))[:, 0]})
                raise EnvError(
                    f"{self.name} returned NaN in observation '{leaf.key}' (env slot {[slots[r] for r in rows]}); "
                    "NaN observations are refused: they would poison training")
            tensors[leaf.key] = encode_tensor(array)
        if self.mask_from_info:
            masks = []
            for info in infos:
                if maze_spaces.MASK_KEY not in (info or {}):
                    raise EnvError(f"{self.name} reported info['action_mask'] at its first reset but not at every step")
                masks.append(info[maze_spaces.MASK_KEY])
            tensors[maze_spaces.MASK_KEY] = encode_tensor(self.mask_from_info.observation_array(masks))
        return tensors


def watch_parent(parent_pid):
    """Exits this process as soon as its parent is gone (the parent's pid is then no longer our ppid).

    PR_SET_PDEATHSIG is not used: it fires when the *thread* that started us exits, and the Swift
    runtime may start servers from a pool thread that ends long before the process does.
    """

    def watch():
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(0.2)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


FRAME_HEADER = struct.Struct("<I")


def receive_frame(connection):
    """The next frame's payload, or None when swift-maze closed the socket."""
    header = bytearray(FRAME_HEADER.size)
    if not receive_exactly(connection, memoryview(header)):
        return None
    (length,) = FRAME_HEADER.unpack(header)
    payload = bytearray(length)
    if not receive_exactly(connection, memoryview(payload)):
        return None
    return payload


def receive_exactly(connection, view):
    while len(view):
        received = connection.recv_into(view)
        if received == 0:
            return False
        view = view[received:]
    return True


def send_frame(connection, payload):
    connection.sendall(FRAME_HEADER.pack(len(payload)) + payload)


def serve(socket_path, parent_pid):
    if parent_pid:
        watch_parent(parent_pid)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(socket_path)
    server = EnvServer()
    handlers = {
        "init": server.init, "add": server.add, "reset": server.reset, "step": server.step, "render": server.render,
    }
    while True:
        frame = receive_frame(connection)
        if frame is None:
            break
        try:
            request = msgpack.unpackb(frame, raw=False)
            op = request.get("op") if isinstance(request, dict) else None
            if op == "close":
                send_frame(connection, msgpack.packb({"closed": True}, use_bin_type=True))
                break
            if op not in handlers:
                raise EnvError(f"unknown request {op!r}")
            reply = handlers[op](request)
        except Exception as error:  # every failure goes back to swift-maze, which shows it to the user
            reply = {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}
        send_frame(connection, msgpack.packb(reply, use_bin_type=True))
    connection.close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m maze_gym_bridge", description=__doc__.split("\n")[0])
    parser.add_argument("--socket", required=True, help="path of the Unix socket swift-maze listens on")
    parser.add_argument("--parent-pid", type=int, default=0, help="exit when this process is no longer our parent")
    arguments = parser.parse_args(argv)
    serve(arguments.socket, arguments.parent_pid)


if __name__ == "__main__":
    main(sys.argv[1:])
