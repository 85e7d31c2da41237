#!/usr/bin/env bash
# The test command of the README: set-up if needed, then every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
export MAZE_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests
swift test --skip-build
