#!/usr/bin/env bash
# The test command of the README: set-up if needed, then every test suite.
#  1. unit, property, interop and fault tests in a debug build (fast to compile);
#  2. learning tests and the quick-start end-to-end run (fixed seeds) in a release build, where numeric code
#     runs at full speed.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
export MAZE_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests
swift test --skip-build
# One BLAS thread: the learning tests' networks are small, and threads only add contention on a 2-core machine.
MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter "Learning|EndToEnd"
