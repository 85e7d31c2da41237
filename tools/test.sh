#!/usr/bin/env bash
# The test command of the README: set-up if needed, then every test suite.
#  1. unit, property, interop and fault tests in a debug build (fast to compile);
#  2. the deployment files' validation (tools/validate_deploy.sh);
#  3. learning tests and the quick-start end-to-end run (fixed seeds) in a release build, where numeric code
#     runs at full speed, then the deployment files' commands training (tools/test_deploy_commands.py).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
export MAZE_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests
swift test --skip-build
tools/validate_deploy.sh .build/debug/maze
# One BLAS thread: the learning tests' networks are small, and threads only add contention on a 2-core machine.
MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter "Learning|EndToEnd"
# The learner, actor and probe commands of deploy/'s Kubernetes, Compose, systemd and Slurm files, training, with
# the maze the release tests built (a separate `swift build --product maze` would rebuild every module without
# testable imports).
"$MAZE_PYTHON" tools/test_deploy_commands.py .build/release/maze
