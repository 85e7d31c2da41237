"""A hostile peer of `maze learner` for the hardening tests (Tests/MazeDistributedTests/LearnerHardeningTests.swift).

    hostile_peer.py registers ipc://DIR/control.ipc COUNT
        COUNT Register requests with distinct worker ids on the control socket, reading the replies.

    hostile_peer.py mixed ipc://DIR/sockets SECONDS RATE COUNTS_FILE
        For SECONDS, RATE times a second: a truncated and an undecodable request to control, an undecodable batch
        to trajectories, an undecodable frame and a prefix subscription to weights. Then writes the frames sent
        per reason the learner must count them under, as JSON, to COUNTS_FILE and stays connected until killed
        (the learner reads the last batches only as its training makes room; a peer that closed could lose them).

Prints what it sent when done and exits 0.
"""

import json
import os
import time

import sys

import msgpack
import zmq


def registers(endpoint: str, count: int) -> None:
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    replies = 0
    for index in range(count):
        socket.send(msgpack.packb({"v": 1, "type": "Register", "worker_id": f"fake/actor-{index}", "host": "fake",
                                   "pid": index, "key_fingerprint": "", "capabilities": []}))
        # Keep fewer Registers in flight than the learner's ROUTER high-water mark (1000), which drops replies
        # beyond it: the test counts that every Register is answered, not how fast a flood can be sent.
        while socket.poll(0 if index + 1 - replies < 500 else 2000):
            socket.recv()
            replies += 1
    while replies < count and socket.poll(2000):
        socket.recv()
        replies += 1
    socket.close()
    context.term()
    print(f"sent {count}, {replies} replies", flush=True)


def mixed(base: str, seconds: float, rate: int, counts_file: str) -> None:
    context = zmq.Context()
    control = context.socket(zmq.DEALER)
    trajectories = context.socket(zmq.PUSH)
    weights = context.socket(zmq.XSUB)
    for socket, name in ((control, "control"), (trajectories, "trajectories"), (weights, "weights")):
        socket.setsockopt(zmq.LINGER, 0)
        socket.setsockopt(zmq.SNDHWM, 0)
        socket.connect(f"{base}/{name}.ipc")
    status = msgpack.packb({"v": 1, "type": "StatusRequest"})
    sent = {"truncated": 0, "malformed": 0, "unwanted_subscription": 0}
    deadline = time.monotonic() + seconds
    tick = 0
    while time.monotonic() < deadline:
        control.send(status[: len(status) - 3])
        control.send(bytes([0xC1, tick % 256]))
        trajectories.send(bytes([0xC1]) + b"x" * (tick % 64))
        weights.send(bytes([0xC1, 0]))
        weights.send(bytes([1]) + tick.to_bytes(8, "little"))
        sent["truncated"] += 1
        sent["malformed"] += 3
        sent["unwanted_subscription"] += 1
        while control.poll(0):
            control.recv()
        tick += 1
        time.sleep(1.0 / rate)
    with open(counts_file + ".tmp", "w") as file:
        json.dump(sent, file)
    os.rename(counts_file + ".tmp", counts_file)
    while True:
        while control.poll(1000):
            control.recv()


if __name__ == "__main__":
    mode, endpoint = sys.argv[1], sys.argv[2]
    count = int(float(sys.argv[3]))
    if mode == "registers":
        registers(endpoint, count)
    elif mode == "mixed":
        mixed(endpoint, float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(f"unknown mode {mode}")
