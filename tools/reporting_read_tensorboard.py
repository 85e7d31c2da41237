"""Reads a TensorBoard log directory with the `tensorboard` package and prints its contents as JSON.

Used by the MazeReporting tests to check that swift-maze's natively written event files are what
TensorBoard itself understands. Output:
  {"scalars": {tag: [[step, value, wall_time], ...]}, "texts": {tag: [text, ...]},
   "histograms": {tag: [{"step", "min", "max", "num", "sum", "sum_squares", "bucket_limit", "bucket"}, ...]}}
Exits non-zero (with a message on stderr) when the directory holds no readable events.
"""
import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: reporting_read_tensorboard.py LOGDIR", file=sys.stderr)
        return 2
    accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0, "histograms": 0})
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
    histograms = {
        tag: [
            {
                "step": event.step,
                "min": event.histogram_value.min,
                "max": event.histogram_value.max,
                "num": event.histogram_value.num,
                "sum": event.histogram_value.sum,
                "sum_squares": event.histogram_value.sum_squares,
                "bucket_limit": list(event.histogram_value.bucket_limit),
                "bucket": list(event.histogram_value.bucket),
            }
            for event in accumulator.Histograms(tag)
        ]
        for tag in tags.get("histograms", [])
    }
    if not scalars and not texts and not histograms:
        print(f"no TensorBoard events readable in {sys.argv[1]}", file=sys.stderr)
        return 1
    print(json.dumps({"scalars": scalars, "texts": texts, "histograms": histograms}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
