"""A hostile peer of `maze learner` for the hardening tests (Tests/MazeDistributedTests/LearnerHardeningTests.swift).

    hostile_peer.py subscriptions ipc://DIR/weights.ipc COUNT PREFIX_BYTES
        COUNT distinct prefix subscriptions of PREFIX_BYTES bytes each on the weights socket, then unsubscribes them.
    hostile_peer.py registers ipc://DIR/control.ipc COUNT
        COUNT Register requests with distinct worker ids on the control socket, reading the replies.

Prints "sent N" when done and exits 0.
"""

import sys

import msgpack
import zmq


def subscriptions(endpoint: str, count: int, prefix_bytes: int) -> None:
    context = zmq.Context()
    socket = context.socket(zmq.XSUB)
    socket.setsockopt(zmq.SNDHWM, 0)
    socket.setsockopt(zmq.LINGER, 5000)
    socket.connect(endpoint)
    for action in (1, 0):
        for index in range(count):
            prefix = index.to_bytes(8, "little") + b"A" * max(0, prefix_bytes - 8)
            socket.send(bytes([action]) + prefix)
    socket.close()
    context.term()
    print(f"sent {2 * count}", flush=True)


def registers(endpoint: str, count: int) -> None:
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    replies = 0
    for index in range(count):
        socket.send(msgpack.packb({"v": 1, "type": "Register", "worker_id": f"fake/actor-{index}", "host": "fake",
                                   "pid": index, "key_fingerprint": "", "capabilities": []}))
        while socket.poll(0):
            socket.recv()
            replies += 1
    while replies < count and socket.poll(2000):
        socket.recv()
        replies += 1
    socket.close()
    context.term()
    print(f"sent {count}, {replies} replies", flush=True)


if __name__ == "__main__":
    mode, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "subscriptions":
        subscriptions(endpoint, count, int(sys.argv[4]))
    elif mode == "registers":
        registers(endpoint, count)
    else:
        sys.exit(f"unknown mode {mode}")
