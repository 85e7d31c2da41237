"""The Python half of swift-maze's Gymnasium bridge.

`python -m maze_gym_bridge --endpoint ipc:///tmp/x.ipc --parent-pid N` serves vectorized Gymnasium
environments to swift-maze (module MazeGymBridge) over a ZeroMQ REP socket, one msgpack message per
batch of environment steps. The message format is described in `server.py` and docs/ENVIRONMENTS.md.
"""
