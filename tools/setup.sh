#!/usr/bin/env bash
# Installs what swift-maze needs on a Debian machine that already has Swift: the native libraries
# (libzmq, msgpack-c, OpenBLAS), the tools the process tests use (curl for metrics, iproute2 for
# tools/netns_cluster.sh), the validators of deploy/ (docker-compose, systemd-analyze) and a Python
# virtualenv (.venv) with the packages the interop tests and tools/validate_deploy.sh use, and the
# Gymnasium bridge's Python package (python/) and MinAtar for the pixel learning test.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

native=(pkg-config libzmq3-dev libmsgpack-dev libopenblas-dev curl iproute2 docker-compose systemd)
python3 -m venv --help >/dev/null 2>&1 || native+=(python3 python3-venv)
missing=()
for package in "${native[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
if ! cmp -s tools/requirements.txt .venv/.maze-requirements; then
  echo "setup: installing Python packages from tools/requirements.txt"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r tools/requirements.txt
  cp tools/requirements.txt .venv/.maze-requirements
fi
# The Gymnasium bridge's Python half (python/), installed again whenever its sources change.
bridge_stamp=$(cat python/pyproject.toml python/maze_gym_bridge/*.py | sha256sum)
if [ "$bridge_stamp" != "$(cat .venv/.maze-gym-bridge 2>/dev/null)" ]; then
  echo "setup: installing the Gymnasium bridge (pip install ./python)"
  .venv/bin/python -m pip install -q --disable-pip-version-check ./python
  rm -rf python/build python/*.egg-info
  echo "$bridge_stamp" > .venv/.maze-gym-bridge
fi
# MinAtar (docs/PERCEPTION.md, "Pixels: MinAtar"), for its learning test: its env code needs only numpy and
# gymnasium; its declared dependencies (matplotlib, seaborn, pandas, scipy) serve rendering and plots only.
if ! .venv/bin/python -c 'import minatar' 2>/dev/null; then
  echo "setup: installing MinAtar without its plotting dependencies (pip install --no-deps minatar)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps minatar==1.0.15
fi
