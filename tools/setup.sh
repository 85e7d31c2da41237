#!/usr/bin/env bash
# Installs what swift-maze needs on a Debian machine that already has Swift. Safe to run again: it installs only
# what is missing.
#
#   tools/setup.sh           what training needs: the native libraries (libzmq, msgpack-c, OpenBLAS) and a Python
#                            virtualenv (.venv) with Gymnasium (Box2D included) and the Gymnasium bridge's package
#                            (python/), so that any Gymnasium env trains (docs/ENVIRONMENTS.md);
#   tools/setup.sh --tests   that, and what the tests use besides (tools/test.sh runs this): curl and iproute2 for
#                            the process and cross-host tests, the validators of deploy/ (docker-compose,
#                            systemd-analyze, kubernetes-validate), the Python packages the interop tests check
#                            against (tools/requirements-test.txt) and MinAtar for the pixel tests.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
case "${1:-}" in
  "") ;;
  --tests) tests=1 ;;
  *) echo "usage: tools/setup.sh [--tests]" >&2; exit 2 ;;
esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

native=(pkg-config libzmq3-dev libmsgpack-dev libopenblas-dev)
[ "$tests" = 1 ] && native+=(curl iproute2 docker-compose systemd)
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
# Installs a requirements file into .venv unless the same file was installed last time (a stamp per file).
install_requirements() {
  local file=$1 stamp=.venv/.maze-$(basename "$1")
  if ! cmp -s "$file" "$stamp"; then
    echo "setup: installing Python packages from $file"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$file"
    cp "$file" "$stamp"
  fi
}
install_requirements tools/requirements.txt
# The Gymnasium bridge's Python half (python/), installed again whenever its sources change.
bridge_stamp=$(cat python/pyproject.toml python/maze_gym_bridge/*.py | sha256sum)
if [ "$bridge_stamp" != "$(cat .venv/.maze-gym-bridge 2>/dev/null)" ]; then
  echo "setup: installing the Gymnasium bridge (pip install ./python)"
  .venv/bin/python -m pip install -q --disable-pip-version-check ./python
  rm -rf python/build python/*.egg-info
  echo "$bridge_stamp" > .venv/.maze-gym-bridge
fi
[ "$tests" = 1 ] || exit 0

install_requirements tools/requirements-test.txt
# MinAtar (docs/PERCEPTION.md, "Pixels: MinAtar"), for its tests: its env code needs only numpy and gymnasium; its
# declared dependencies (matplotlib, seaborn, pandas, scipy) serve rendering and plots only.
if ! .venv/bin/python -c 'import minatar' 2>/dev/null; then
  echo "setup: installing MinAtar without its plotting dependencies (pip install --no-deps minatar)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps minatar==1.0.15
fi
