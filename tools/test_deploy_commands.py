"""Runs the exact learner, actor and probe commands of deploy/ (Kubernetes, Compose, systemd, Slurm) and checks
that training makes progress under each.

The commands, environment variables and mounted key files are read from the deployment files by
tools/deploy_manifests.py; only what differs on this machine is replaced: the `maze` executable by the built one,
host names by 127.0.0.1 and ports by free ones, mount points by temporary folders (holding the same files the
Secret, bind mount or keys folder would). Keys come from deploy/generate-keys.sh. For each deployment: start the
learner, wait for its probe, start the actor, submit a small IMPALA experiment with the client key and poll
`maze status` until the experiment has gained three epochs. The Kubernetes learner is then stopped with SIGTERM
(a pod deletion) and the systemd one killed with SIGKILL (a crash), and the same command started again must
continue the experiment (after SIGTERM from the epoch it had reached). The Slurm script runs with stand-ins
for srun and scontrol that run each step on this machine, and must exit 0 on SIGTERM.

    .venv/bin/python tools/test_deploy_commands.py .build/release/maze

Prints the epochs seen per deployment and ends with "deploy commands: N passed, N failed"; exit 1 on a failure.
Every process it starts runs in its own process group, which is terminated (then killed) at the end.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import deploy_manifests
from deploy_manifests import Deployment, Process

# The ports the deployment files use: the learner's base port (P..P+2) and the metrics port.
BASE_PORT = 7000
METRICS_PORT = 9100
OVERRIDES = [
    "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "critic=template_state", "algorithm=impala",
    "algorithm.n_rollout_steps=32", "algorithm.epoch_length=4", "algorithm.actors_batch_size=4",
    "algorithm.n_epochs=0", "algorithm.patience=0",
]
# How the learner is stopped before its command runs again: a pod deletion (SIGTERM, then the StatefulSet starts
# it again), and a crash under systemd's Restart=on-failure.
RESTARTS = {"kubernetes": signal.SIGTERM, "systemd": signal.SIGKILL}
# Epochs the experiment must gain while watched, and how long each wait may take.
EPOCHS = 3
SECONDS = 120


class Failure(Exception):
    """A deployment's commands did not do what they should; the message says what."""


class Machine:
    """This machine's stand-ins for one deployment: the executable, free ports and a folder per process."""

    def __init__(self, maze: Path, keys: Path, folder: Path):
        self.maze, self.keys, self.folder = maze, keys, folder
        base = random.randrange(20_000, 32_000, 4)
        self.ports = {BASE_PORT: base, METRICS_PORT: base + 3}
        self.children: list[subprocess.Popen] = []

    def localize(self, process: Process, view: str, argv: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
        """`argv` (default: the process's) for this machine, with the process's mounts laid out under `view`."""
        paths = {}
        for mount in process.mounts:
            local = self.folder / view / mount.target.lstrip("/")
            local.mkdir(parents=True, exist_ok=True)
            for key_file in mount.key_files or []:
                shutil.copy(self.keys / key_file, local / Path(key_file).name)
            paths[mount.target] = str(local)
        words = [self._word(word, paths) for word in (argv or process.argv)]
        if Path(words[0]).name != "maze":
            raise Failure(f"the command runs {words[0]}, not maze")
        return [str(self.maze)] + words[1:], {**os.environ, **process.environment}

    def _word(self, word: str, paths: dict[str, str]) -> str:
        for target in sorted(paths, key=len, reverse=True):
            if word == target or word.startswith(target + "/"):
                return paths[target] + word[len(target):]
        endpoint = re.fullmatch(r"(tcp://)?[\w.-]+:(\d+)", word)
        if endpoint:
            port = int(endpoint.group(2))
            if port not in self.ports:
                raise Failure(f"{word}: port {port} is neither the base port {BASE_PORT} nor metrics {METRICS_PORT}")
            return f"{endpoint.group(1) or ''}127.0.0.1:{self.ports[port]}"
        return word

    def start(self, argv: list[str], environment: dict[str, str], log: str) -> subprocess.Popen:
        """Starts `argv` in its own process group, output appended to the file `log` in the folder."""
        with open(self.folder / log, "ab") as output:
            child = subprocess.Popen(argv, env=environment, cwd=self.folder, stdout=output, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.children.append(child)
        return child

    def check_running(self) -> None:
        """Fails when a started process has exited by itself."""
        for child in self.children:
            if child.poll() is not None:
                raise Failure(f"{Path(child.args[0]).name} {child.args[1]} exited with {child.returncode}")

    def stop(self, child: subprocess.Popen, seconds: float, first: int = signal.SIGTERM) -> int:
        """`first` (SIGTERM) to the child's process group, SIGKILL after `seconds`; the child's exit status."""
        self.children.remove(child)
        self._signal(child, first)
        try:
            return child.wait(seconds)
        except subprocess.TimeoutExpired:
            self._signal(child, signal.SIGKILL)
            return child.wait()
        finally:
            self._signal(child, signal.SIGKILL)

    @staticmethod
    def _signal(child: subprocess.Popen, number: int) -> None:
        try:
            os.killpg(child.pid, number)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for child in reversed(list(self.children)):
            self.stop(child, 20)

    def client(self, *arguments: str) -> subprocess.CompletedProcess:
        endpoint = f"tcp://127.0.0.1:{self.ports[BASE_PORT]}"
        return subprocess.run([str(self.maze), *arguments, "--learner", endpoint, "--keys", str(self.keys / "client")],
                              capture_output=True, text=True, timeout=60)

    def log(self, name: str) -> str:
        return (self.folder / name).read_text(errors="replace")[-2000:]


def wait_until(condition, what: str, seconds: float = SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise Failure(f"{what} within {seconds:.0f} s")


def status(machine: Machine, experiment: str) -> tuple[int, str] | None:
    """The epoch and best return `maze status` lists for `experiment` while it runs."""
    listing = machine.client("status")
    for row in listing.stdout.splitlines():
        cells = row.split()
        if cells[:1] == [experiment] and len(cells) > 3 and cells[1] == "running":
            return int(cells[2]), cells[3]
    return None


def start_learner(machine: Machine, deployment: Deployment) -> subprocess.Popen:
    learner = machine.start(*machine.localize(deployment.learner, "learner"), "learner.log")
    if deployment.probe:
        probe = machine.localize(deployment.learner, "learner", deployment.probe)
        healthy = lambda: subprocess.run(probe[0], env=probe[1], capture_output=True, timeout=30).returncode == 0
    else:
        healthy = lambda: machine.client("status").returncode == 0
    wait_until(lambda: learner.poll() is None and healthy() or learner.poll() is not None, "the learner answering")
    if learner.poll() is not None:
        raise Failure(f"the learner exited with {learner.returncode}:\n{machine.log('learner.log')}")
    return learner


def watch_epochs(machine: Machine, experiment: str, growth: int) -> list[int]:
    """The epochs of `experiment` seen while polling `maze status` until it is `growth` past the first one seen."""
    seen: list[int] = []
    best = ["-"]

    def grown():
        machine.check_running()
        current = status(machine, experiment)
        if current is not None and (not seen or current[0] != seen[-1]):
            seen.append(current[0])
            best[0] = current[1]
        return bool(seen) and seen[-1] >= seen[0] + growth

    wait_until(grown, f"{experiment} gaining {growth} epochs (seen {seen})")
    print(f"  {experiment}: epochs {seen}, best return {best[0]}", flush=True)
    return seen


def run(deployment: Deployment, machine: Machine) -> str:
    learner = start_learner(machine, deployment)
    machine.start(*machine.localize(deployment.actor, "actor"), "actor.log")
    submitted = machine.client("submit", "-cn", "conf_train", *OVERRIDES)
    if submitted.returncode != 0:
        raise Failure(f"maze submit failed: {submitted.stderr.strip()}")
    experiment = submitted.stdout.strip()
    seen = watch_epochs(machine, experiment, EPOCHS)
    report = f"epochs {seen}"
    restart = RESTARTS.get(deployment.name)
    if restart:
        status = machine.stop(learner, 60, restart)
        if restart == signal.SIGTERM and status != 0:
            raise Failure(f"the learner exited with {status} on SIGTERM:\n{machine.log('learner.log')}")
        start_learner(machine, deployment)
        after = watch_epochs(machine, experiment, EPOCHS)
        # SIGKILL loses the updates since the last checkpoint; SIGTERM checkpoints first and loses none.
        if restart == signal.SIGTERM and after[0] < seen[-1]:
            raise Failure(f"the restarted learner went back from epoch {seen[-1]} to {after[0]}")
        report += f"; after {signal.Signals(restart).name} and the same command again {after}"
    return report


# Stand-ins for Slurm on one machine: every node is this one, reached as 127.0.0.1.
FAKE_SCONTROL = """#!/usr/bin/env bash
[ "$1 $2" = "show hostnames" ] && printf '127.0.0.1\\n127.0.0.1\\n'
"""
# srun drops its own options (all --name=value in maze.sbatch) and runs the step here, binding loopback only.
FAKE_SRUN = """#!/usr/bin/env bash
while [ "$#" -gt 0 ] && [[ $1 == --* ]]; do shift; done
step=()
for word in "$@"; do step+=("${word//0.0.0.0/127.0.0.1}"); done
exec "${step[@]}"
"""


def run_slurm(machine: Machine) -> str:
    """deploy/slurm/maze.sbatch with stand-ins for srun and scontrol; SIGTERM (as scancel) must end it with 0."""
    bin_folder = machine.folder / "bin"
    bin_folder.mkdir()
    for name, text in [("srun", FAKE_SRUN), ("scontrol", FAKE_SCONTROL)]:
        (bin_folder / name).write_text(text)
        (bin_folder / name).chmod(0o755)
    environment = {
        **os.environ, "PATH": f"{bin_folder}:{os.environ['PATH']}", "SLURM_JOB_NODELIST": "node[1-2]",
        "SLURM_CPUS_ON_NODE": "3", "MAZE": str(machine.maze), "MAZE_KEYS": str(machine.keys),
        "MAZE_OUTPUTS": str(machine.folder / "outputs"), "MAZE_PORT": str(machine.ports[BASE_PORT]),
    }
    job = machine.start(["bash", str(deploy_manifests.DEPLOY / "slurm" / "maze.sbatch")], environment, "job.log")
    wait_until(lambda: job.poll() is not None or "maze.sbatch: learner" in machine.log("job.log"), "the job starting")
    machine.check_running()
    submitted = machine.client("submit", "-cn", "conf_train", *OVERRIDES)
    if submitted.returncode != 0:
        raise Failure(f"maze submit failed: {submitted.stderr.strip()}")
    seen = watch_epochs(machine, submitted.stdout.strip(), EPOCHS)
    job.send_signal(signal.SIGTERM)
    status = job.wait(60)
    if status != 0 or "checkpointed" not in machine.log("job.log"):
        raise Failure(f"the job exited with {status} on SIGTERM:\n{machine.log('job.log')}")
    return f"epochs {seen}; SIGTERM: learner checkpointed, job exited 0"


def main() -> int:
    maze = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/release/maze").resolve()
    if not os.access(maze, os.X_OK):
        sys.exit(f"test_deploy_commands: {maze} is not an executable; build it first")
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="maze-deploy-") as temporary:
        keys = Path(temporary) / "keys"
        subprocess.run([str(deploy_manifests.DEPLOY / "generate-keys.sh"), str(keys)], check=True,
                       env={**os.environ, "MAZE": str(maze)}, stdout=subprocess.DEVNULL)
        runs = [(deployment.name, deployment.source, lambda machine, deployment=deployment: run(deployment, machine))
                for deployment in deploy_manifests.deployments()]
        runs.append(("slurm", "deploy/slurm/maze.sbatch", run_slurm))
        for name, source, body in runs:
            folder = Path(temporary) / name
            folder.mkdir()
            machine = Machine(maze, keys, folder)
            started = time.monotonic()
            try:
                report = body(machine)
                passed += 1
                print(f"{source}: passed in {time.monotonic() - started:.0f} s: {report}", flush=True)
            except (Failure, subprocess.SubprocessError, OSError) as error:
                failed += 1
                print(f"{source}: FAILED: {error}", flush=True)
                for log in ("learner.log", "actor.log", "job.log"):
                    if (folder / log).exists():
                        print(f"--- {log}\n{machine.log(log)}", flush=True)
            finally:
                machine.stop_all()
    print(f"deploy commands: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
