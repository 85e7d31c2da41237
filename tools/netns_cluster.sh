#!/usr/bin/env bash
# The distributed service across hosts, on one machine: three network namespaces (a learner host and two
# actor hosts) plugged into a bridge in a fourth, with CURVE keys as an operator would set them up.
#  1. trains IMPALA on CartPole-v1 through `maze submit` until the evaluation best reaches 475;
#  2. cuts host-a's link for longer than the learner's liveness timeout, checks that the learner drops its
#     workers, that the same worker processes come back, that host-a's batches flow again and none was lost;
#  3. runs an actor whose key is not on the learner's allow-list and checks it never registers nor delivers.
# Needs root and `ip netns`; exits 77 (skipped) without them. Every process it starts and every namespace it
# creates is removed on exit, also on failure or Ctrl-C. Traffic stays inside the namespaces: they have no
# link to the machine's network and no default route.
#
#     sudo tools/netns_cluster.sh
set -eEuo pipefail
cd "$(dirname "$0")/.."

readonly SKIPPED=77
readonly SUBNET=10.77.0 PORT=7000 METRICS=127.0.0.1:9100
readonly TRAIN_SECONDS=300  # to evaluation best >= 475; 5-10 s on an idle 2-core machine
readonly CUT_SECONDS=12     # > the learner's 10 s liveness timeout and the workers' 5 s re-registration
readonly RECONNECT_SECONDS=60
# IMPALA settings of Tests/MazeDistributedTests/ServiceLearningTests.swift, which solve CartPole in seconds.
readonly IMPALA=(
  env=gym_env env.name=CartPole-v1 model=vector_obs critic=template_state
  "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]"
  algorithm.n_epochs=0 algorithm.patience=0 algorithm.lr=0.001 algorithm.gamma=0.99
  algorithm.entropy_coef=0 algorithm.max_grad_norm=0.5
  algorithm=impala algorithm.n_rollout_steps=32 algorithm.epoch_length=8 algorithm.actors_batch_size=4
  algorithm.num_actors=4
)
export OPENBLAS_NUM_THREADS=1

say() { printf '[%4ds] %s\n' "$SECONDS" "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
skip() { echo "netns_cluster: skipped: $*" >&2; exit "$SKIPPED"; }

[ "$(id -u)" -eq 0 ] || skip "network namespaces need root; run: sudo $0"
command -v ip >/dev/null || skip "ip not found; install iproute2 (tools/setup.sh does)"
command -v curl >/dev/null || fail "curl not found; install it (tools/setup.sh does)"

maze=$PWD/.build/release/maze
if [ ! -x "$maze" ]; then
  say "building $maze"
  swift build -c release --product maze
fi

# Names unique to this run, so that concurrent runs and leftovers of a killed one cannot collide.
readonly run=mz$$
readonly ns_switch=$run-switch ns_learner=$run-learner ns_a=$run-host-a ns_b=$run-host-b
readonly learner_ip=$SUBNET.1 base=tcp://$SUBNET.1:$PORT
work=$(mktemp -d /tmp/maze-netns.XXXXXX)
namespaces=()
declare -A pid_of=() namespace_of=()
started=()

# --- Clean-up: on every exit ------------------------------------------------------------------------------

# Whether PID is a live process (our exited children stay zombies until the shell exits).
alive() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Every process in our namespaces (the started ones and their workers).
namespace_pids() { for ns in "${namespaces[@]}"; do ip netns pids "$ns" 2>/dev/null || true; done; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # SIGTERM first: the learner checkpoints, `maze actor` stops its workers (SIGKILL after 5 s).
  for name in "${started[@]}"; do kill -TERM "${pid_of[$name]}" 2>/dev/null || true; done
  local deadline=$((SECONDS + 15))
  while [ -n "$(namespace_pids)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  for pid in $(namespace_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  # Deleting a namespace deletes the veth ends and the bridge in it.
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [ "$status" -ne 0 ] && [ "$status" -ne "$SKIPPED" ]; then
    for name in "${started[@]}"; do
      echo "===== $name (pid ${pid_of[$name]}, namespace ${namespace_of[$name]}): $work/$name.log"
      cat "$work/$name.log" 2>/dev/null || true
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap 'say "FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Network ----------------------------------------------------------------------------------------------

add_namespace() {
  ip netns add "$1"
  namespaces+=("$1")
  ip -n "$1" link set lo up
}

# Host namespace $1 gets eth0 with address $2, cabled to port $3 of the bridge.
plug() {
  add_namespace "$1"
  ip -n "$ns_switch" link add "$3" type veth peer name eth0 netns "$1"
  ip -n "$ns_switch" link set "$3" master br0 up
  ip -n "$1" addr add "$2/24" dev eth0
  ip -n "$1" link set eth0 up
}

make_network() {
  ip netns add "$ns_switch" 2>"$work/netns.err" || skip "ip netns add failed: $(cat "$work/netns.err")"
  namespaces+=("$ns_switch")
  ip -n "$ns_switch" link add br0 type bridge 2>"$work/netns.err" || skip "no bridge in a namespace: $(cat "$work/netns.err")"
  ip -n "$ns_switch" link set br0 up
  plug "$ns_learner" "$learner_ip" learner
  plug "$ns_a" "$SUBNET.11" host-a
  plug "$ns_b" "$SUBNET.12" host-b
}

# --- Keys -------------------------------------------------------------------------------------------------

# Each party's folder holds its own pair and learner.key; the learner's holds its pair and the public keys it
# admits. The rogue actor's key is made the same way but never given to the learner.
make_keys() {
  "$maze" keys generate --dir "$work/keys/learner" --name learner >/dev/null
  for party in actor-host-a actor-host-b client-ci actor-rogue; do
    role=actor
    [ "$party" = client-ci ] && role=operator
    "$maze" keys generate --dir "$work/keys/$party" --name "$party" --role "$role" >/dev/null
    cp "$work/keys/learner/learner.key" "$work/keys/$party/"
  done
  for party in actor-host-a actor-host-b client-ci; do cp "$work/keys/$party/$party.key" "$work/keys/learner/"; done
}

# --- Processes --------------------------------------------------------------------------------------------

# start NAME NAMESPACE ARGS…: runs `maze ARGS…` in NAMESPACE in the background, output to $work/NAME.log.
# `ip netns exec` execs the command, so $! is maze's own pid.
start() {
  local name=$1 ns=$2
  shift 2
  ip netns exec "$ns" "$maze" "$@" >"$work/$name.log" 2>&1 &
  pid_of[$name]=$!
  namespace_of[$name]=$ns
  started+=("$name")
}

start_actor() {  # NAME NAMESPACE KEYS WORKERS
  start "$1" "$2" actor --connect "$base" --keys "$work/keys/$3" --name "$1" --workers "$4" --envs 2
}

# The worker processes of actor supervisor NAME: the processes in its namespace whose parent it is.
workers_of() {
  local pid workers=()
  for pid in $(ip netns pids "${namespace_of[$1]}"); do
    [ "$(cut -d' ' -f4 "/proc/$pid/stat" 2>/dev/null)" != "${pid_of[$1]}" ] || workers+=("$pid")
  done
  echo "${workers[*]}"
}

# `maze CLIENT-COMMAND …` from the learner host with the client key; bounded even if the learner hangs.
client() {
  local command=$1
  shift
  ip netns exec "$ns_learner" timeout 30 "$maze" "$command" "$@" --learner "$base" --keys "$work/keys/client-ci"
}

# --- Observations -----------------------------------------------------------------------------------------

metrics() { ip netns exec "$ns_learner" curl -s --max-time 5 "http://$METRICS/" || true; }

# The value of sample $1 (with its labels, e.g. 'm{actor="x"}') in metrics text $2; 0 when absent.
sample() { awk -v name="$1" '$1 == name { value = $2 } END { print value + 0 }' <<<"$2"; }

connected() { sample maze_connected_actors "$(metrics)"; }

# The registered worker ids, sorted, on one line: the labels of the learner's per-worker rate.
registered() {
  metrics | sed -n 's/^maze_actor_env_steps_per_second{actor="\([^"]*\)"}.*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//'
}

# Batches host NAME's two workers delivered (received, by default) or say they sent (reported).
batches_from() {
  local text counter=maze_batches_${2:-received}_total
  text=$(metrics)
  echo $(($(sample "$counter{actor=\"$1/actor-0\"}" "$text") + $(sample "$counter{actor=\"$1/actor-1\"}" "$text")))
}

# "STATE EPOCH BEST ACTORS" of experiment $1 from `maze status`, empty if the learner did not answer.
status_of() { client status 2>/dev/null | awk -v id="$1" '$1 == id { print $2, $3, $4, $5 }' || true; }

# Fails as soon as a started process has exited: every one of them should run to the end.
all_running() {
  for name in "${started[@]}"; do alive "${pid_of[$name]}" || fail "$name (pid ${pid_of[$name]}) exited"; done
}

# wait_for SECONDS WHAT COMMAND…: runs COMMAND every second until it succeeds; fails after SECONDS.
wait_for() {
  local limit=$1 what=$2
  local deadline=$((SECONDS + limit))
  shift 2
  until "$@"; do
    all_running
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${limit}s waiting for $what"
    sleep 1
  done
}

connected_is() { [ "$(connected)" -eq "$1" ]; }
batches_above() { [ "$(batches_from "$1")" -gt "$2" ]; }
# Batches of host NAME's workers that reached the learner: received from registered workers, plus those that arrived
# while the cut workers' registrations had expired (the link was down longer than the 10 s liveness timeout; TCP
# delivers what the workers pushed before they re-register). These are rejected and counted as
# `unregistered_actor`, which only the cut host can cause here (the rogue's key never gets a connection).
all_delivered() {
  local text arrived
  text=$(metrics)
  arrived=$(($(batches_from "$1") + $(sample 'maze_rejected_frames_total{reason="unregistered_actor"}' "$text")))
  [ "$arrived" -eq "$(batches_from "$1" reported)" ]
}

# --- The three checks -------------------------------------------------------------------------------------

# Submits IMPALA and polls `maze status` until the evaluation best reaches 475; sets $experiment.
train() {
  experiment=$(client submit -cn conf_train "${IMPALA[@]}") || fail "maze submit failed"
  say "submitted $experiment (IMPALA, CartPole-v1) from the learner host with the client key"
  local submitted=$SECONDS deadline=$((SECONDS + TRAIN_SECONDS)) row last="" state epoch best actors
  while :; do
    row=$(status_of "$experiment")
    read -r state epoch best actors <<<"$row"
    if [ -n "$row" ]; then
      # Queued while the learner builds it (on its build thread), then running until the target.
      case "$state" in queued | running) ;; *) fail "$experiment is $state, not queued or running" ;; esac
      [ "$row" = "$last" ] || say "$experiment: epoch $epoch, best $best, $actors actors"
      last=$row
      awk -v best="$best" 'BEGIN { exit !(best != "-" && best + 0 >= 475) }' && break
    fi
    all_running
    [ "$SECONDS" -lt "$deadline" ] || fail "evaluation best ${best:--} < 475 after ${TRAIN_SECONDS}s"
    sleep 2
  done
  say "SOLVED: best $best >= 475 at epoch $epoch, $((SECONDS - submitted))s after submit"
}

# Takes host-a's link down until the learner has dropped its workers (and at least CUT_SECONDS), then up
# again: the same worker processes must register again and deliver batches.
cut_link() {
  wait_for 30 "4 connected actors before the cut" connected_is 4
  local workers before others
  workers=$(workers_of host-a)
  before=$(batches_from host-a) others=$(batches_from host-b)
  [ "$before" -gt 0 ] || fail "no batches from host-a before the cut"
  say "CUT: before: $(connected) actors connected, host-a workers (pids) $workers, $before batches from host-a"
  ip -n "$ns_a" link set eth0 down
  local down=$SECONDS
  wait_for 30 "the learner to drop host-a's workers" connected_is 2
  say "CUT: during: $(connected) actors connected $((SECONDS - down))s after the link went down"
  while [ $((SECONDS - down)) -lt "$CUT_SECONDS" ]; do sleep 1; done
  local during
  during=$(batches_from host-a)
  ip -n "$ns_a" link set eth0 up
  local up=$SECONDS
  say "CUT: host-a link up again after $((up - down))s; host-b delivered $(($(batches_from host-b) - others)) batches meanwhile"
  wait_for "$RECONNECT_SECONDS" "host-a's workers to register again" connected_is 4
  local registered=$((SECONDS - up))
  wait_for "$RECONNECT_SECONDS" "batches from host-a after the cut" batches_above host-a "$during"
  say "CUT: after: 4 actors connected ${registered}s after link up, host-a batches flowing again after $((SECONDS - up))s ($during -> $(batches_from host-a))"
  local now
  now=$(workers_of host-a)
  [ "$now" = "$workers" ] || fail "host-a's worker processes changed across the cut: $workers -> $now"
  ! grep -q exited "$work/host-a.log" || fail "a host-a worker exited during the cut"
  say "CUT: same worker processes, not restarted: $now"
}

# The fraction of the batches the learner received from the workers that it trained on (the learner's flow
# control keeps IMPALA's near 1; the rest were too old and counted as stale).
trained_fraction() {
  local text received
  text=$(metrics)
  received=$(($(batches_from host-a) + $(batches_from host-b)))
  say "TRAINED: $(sample maze_batches_trained_total "$text") of $received batches received from host-a and host-b" \
    "($(awk -v t="$(sample maze_batches_trained_total "$text")" -v r="$received" 'BEGIN { printf "%.3f", r ? t / r : 0 }')" \
    "trained on; $(sample 'maze_rejected_frames_total{reason="stale"}' "$text") stale)"
}

# The rogue actor has run since the start with a key the learner does not admit.
check_rogue() {
  local text
  text=$(metrics)
  ! grep -q 'actor="rogue/' <<<"$text" || fail "the rogue actor got through: $(grep 'actor="rogue/' <<<"$text")"
  alive "${pid_of[rogue]}" && [ -n "$(workers_of rogue)" ] || fail "the rogue actor is not running, so it proves nothing"
  say "REJECTED KEY: rogue/actor-0 ran on host-b with actor-rogue's key for ${SECONDS}s: never registered, no batch;" \
    "registered: $(registered); $(($(batches_from host-a) + $(batches_from host-b))) batches from host-a and host-b"
}

main() {
  SECONDS=0
  make_network
  make_keys
  say "network: learner $learner_ip, host-a $SUBNET.11, host-b $SUBNET.12 on a bridge (namespaces $run-*)"
  start learner "$ns_learner" learner --bind "$base" --keys "$work/keys/learner" --outputs "$work/outputs" --metrics "$METRICS"
  start_actor host-a "$ns_a" actor-host-a 2
  start_actor host-b "$ns_b" actor-host-b 2
  start_actor rogue "$ns_b" actor-rogue 1
  wait_for 30 "host-a's and host-b's 4 workers to register" connected_is 4
  local ids
  ids=$(registered)
  [ "$ids" = "host-a/actor-0 host-a/actor-1 host-b/actor-0 host-b/actor-1" ] || fail "unexpected worker ids: $ids"
  say "registered: $ids"
  train
  cut_link
  check_rogue
  trained_fraction
  client cancel "$experiment" >/dev/null || fail "maze cancel $experiment failed"
  # Idle workers keep reporting their totals in heartbeats: nothing host-a pushed may have been lost in the cut.
  wait_for 15 "host-a's received batches to equal the ones its workers sent" all_delivered host-a
  say "no batch lost: the learner received all batches host-a's workers sent ($(batches_from host-a) from registered" \
    "workers, $(sample 'maze_rejected_frames_total{reason="unregistered_actor"}' "$(metrics)") after their registration expired in the cut)"
  say "PASSED in ${SECONDS}s"
}

main
