"""The Python half of swift-maze's Gymnasium bridge.

`python -m maze_gym_bridge --socket /tmp/x.sock --parent-pid N` serves vectorized Gymnasium environments to
swift-maze (module MazeGymBridge) over a Unix stream socket, one length-prefixed msgpack message per batch of
environment steps. The message format is described in `server.py` and docs/ENVIRONMENTS.md.
"""
