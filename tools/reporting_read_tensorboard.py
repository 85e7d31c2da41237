"""Reads a TensorBoard log directory with the `tensorboard` package and prints its contents as JSON.

Used by the MazeReporting tests to check that swift-maze's natively written event files are what
TensorBoard itself understands. Output:
  {"scalars": {tag: [[step, value, wall_time], ...]}, "texts": {tag: [text, ...]}}
Exits non-zero (with a message on stderr) when the directory holds no readable events.
"""
import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: reporting_read_tensorboard.py LOGDIR", file=sys.stderr)
        return 2
    accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    scalars = {
        tag: [[event.step, event.value, event.wall_time] for event in accumulator.Scalars(tag)]
        for tag in tags.get("scalars", [])
    }
    texts = {
        tag: [b"".join(event.tensor_proto.string_val).decode("utf-8") for event in accumulator.Tensors(tag)]
        for tag in tags.get("tensors", [])
    }
    if not scalars and not texts:
        print(f"no TensorBoard events readable in {sys.argv[1]}", file=sys.stderr)
        return 1
    print(json.dumps({"scalars": scalars, "texts": texts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
