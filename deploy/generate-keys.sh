#!/usr/bin/env bash
# Generates the CURVE key folders every deployment under deploy/ mounts, one folder per party. Each public key
# carries its role at the learner: actor and probe are `actor` (register, send batches, ask for status),
# client is `operator` (also submit and cancel).
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
"$maze" keys generate --dir "$dir/learner" --name learner >/dev/null
"$maze" keys generate --dir "$dir/actor" --name actor --role actor >/dev/null
"$maze" keys generate --dir "$dir/probe" --name probe --role actor >/dev/null
"$maze" keys generate --dir "$dir/client" --name client --role operator >/dev/null
for role in actor probe client; do
  cp "$dir/$role/$role.key" "$dir/learner/"
  cp "$dir/learner/learner.key" "$dir/$role/"
done
echo "keys for learner, actor, probe and client in $dir/{learner,actor,probe,client}/"
