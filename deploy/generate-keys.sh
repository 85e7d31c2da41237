#!/usr/bin/env bash
# Generates the CURVE key folders every deployment under deploy/ mounts, one folder per role:
#
#   DIR/learner/  learner.key_secret, learner.key and the allow-list: actor.key, probe.key, client.key
#   DIR/actor/    actor.key_secret, actor.key, learner.key      (every actor of the fleet)
#   DIR/probe/    probe.key_secret, probe.key, learner.key      (`maze health` in the learner's probes)
#   DIR/client/   client.key_secret, client.key, learner.key    (`maze submit`, `status`, `cancel`)
#
# Usage: deploy/generate-keys.sh DIR   (MAZE=/path/to/maze to use another executable than `maze` on PATH)
# Refuses to overwrite existing keys. Secret files are created with mode 0600 for the user running it.
set -euo pipefail
if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
maze=${MAZE:-maze}
for role in learner actor probe client; do
  "$maze" keys generate --dir "$dir/$role" --name "$role" >/dev/null
done
for role in actor probe client; do
  cp "$dir/$role/$role.key" "$dir/learner/"
  cp "$dir/learner/learner.key" "$dir/$role/"
done
echo "keys for learner, actor, probe and client in $dir/{learner,actor,probe,client}/"
