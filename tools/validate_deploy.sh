#!/usr/bin/env bash
# Validates deploy/ without a cluster, a container engine or a running systemd:
#  - the Kubernetes manifests kustomization.yaml lists, against the API schemas kubernetes-validate ships
#    (strict: unknown fields fail), for the oldest and the newest Kubernetes version we support;
#  - their consistency (deploy_manifests.py check: every manifest listed, every Secret generated, keys that
#    deploy/generate-keys.sh writes, learners that start with --resume);
#  - deploy/compose.yaml with `docker-compose config` (parses and interpolates; needs no engine);
#  - the systemd units with `systemd-analyze verify`, on copies whose ExecStart runs MAZE (the built `maze`,
#    since verify requires the executable to exist) instead of /usr/local/bin/maze;
#  - the shell scripts with `bash -n`.
# Usage: tools/validate_deploy.sh [MAZE]   (default .build/debug/maze). Ends with "validate: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
maze=$(realpath "${1:-.build/debug/maze}")
python=${MAZE_PYTHON:-.venv/bin/python}
kubernetes_versions=(1.29.0 1.37.0)
passed=0
failed=0

check() {
  local name=$1
  shift
  if output=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "validate: $name: ok"
  else
    failed=$((failed + 1))
    echo "validate: $name: FAILED"
    echo "$output" | sed 's/^/    /'
  fi
}

echo "validate: kubernetes-validate $("$python" -m kubernetes_validate --version 2>&1), $(docker-compose version --short 2>&1 | head -1 | sed 's/^/docker-compose /'), $(systemd-analyze --version | head -1)"

mapfile -t manifests < <("$python" -c 'import sys; sys.path.insert(0, "tools"); import deploy_manifests as d; print("\n".join(str(p) for p in d.kubernetes_resources()))')
check "kustomization.yaml lists manifests" test "${#manifests[@]}" -gt 0
for version in "${kubernetes_versions[@]}"; do
  check "kubernetes manifests (${#manifests[@]}) against Kubernetes $version" \
    "$python" -m kubernetes_validate --strict --quiet --kubernetes-version "$version" "${manifests[@]}"
done
check "deployment files consistent" "$python" tools/deploy_manifests.py check
check "compose file" docker-compose --project-directory deploy -f deploy/compose.yaml config --quiet

units=$(mktemp -d)
trap 'rm -rf "$units"' EXIT
for unit in deploy/systemd/*.service; do
  sed "s#/usr/local/bin/maze#$maze#g" "$unit" >"$units/$(basename "$unit")"
done
# verify only warns (exit 0) about unknown keys and bad values: any output fails the check.
silent() {
  local output
  output=$("$@" 2>&1) && [ -z "$output" ] || { echo "$output"; return 1; }
}
check "systemd units (ExecStart rewritten to $maze)" \
  silent systemd-analyze verify --man=no "$units/maze-learner.service" "$units/maze-actor@main.service"

for script in deploy/slurm/maze.sbatch deploy/generate-keys.sh; do
  check "bash -n $script" bash -n "$script"
done

echo "validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
