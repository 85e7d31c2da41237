"""Trains the example package's own env (Examples/InventoryReplenishment) through every runner with its own `maze`,
and checks that a standard `maze actor`, which does not have that env, says why in `maze status`.

    swift build -c release --package-path Examples/InventoryReplenishment
    .venv/bin/python tools/test_example_env.py \
        Examples/InventoryReplenishment/.build/release/inventory-maze .build/debug/maze

With the fixed seeds of conf/experiment/inventory.yaml:
  1. a masked random policy and the reorder-point heuristic are rolled out on 16 episodes (the baselines);
  2. `runner=dev` trains, and its best model, rolled out on the same 16 episodes, must beat the random policy by
     the margin below; so must the custom network with the package's own perception block (model=inventory_gated),
     whose misspelt key must be refused naming the right one;
  3. `runner=local` trains (learner in process, actor processes of inventory-maze); its best evaluation return must
     beat the random policy by the margin;
  4. `inventory-maze learner`, `inventory-maze actor --workers 2` and a standard `maze actor` (without the env);
     an IMPALA experiment submitted with `inventory-maze submit` must train to its end beating the random policy by
     the margin, while `maze status` names the standard actor and why it cannot work on it, and that actor stays up.

Prints each figure with its wall time; exit 1 on a failure. Every process it starts runs in its own process group,
which is terminated (then killed) at the end.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "Examples" / "InventoryReplenishment"
CONF = str(EXAMPLE / "conf")
EPISODES = 16
# The trained policies must beat the masked random policy's mean return by this much: returns are minus the costs of
# 60 days, about -117 for the random policy and -67 for the reorder-point heuristic on the baseline episodes; the
# trained ones reach about -76 (runner=dev, runner=local and IMPALA alike).
MARGIN = 20.0
ENVIRONMENT = dict(os.environ, OPENBLAS_NUM_THREADS="1")
# `output_units` of conf/model/inventory_gated.yaml's GatedLinearBlock, misspelt.
GATED_KEY_TYPO = "+model.policy.networks.0.perception_blocks.gated.output_unit=64"


class Failure(Exception):
    """A step did not do what it should; the message says what."""


def run(argv: list[str], seconds: float, cwd: Path) -> str:
    """Runs a command to its end in its own process group; its output, or a Failure naming it."""
    child = subprocess.Popen(argv, cwd=cwd, env=ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    try:
        output, _ = child.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        stop(child)
        raise Failure(f"{' '.join(argv)} did not finish within {seconds} s")
    except BaseException:  # Ctrl-C: leave nothing behind
        stop(child)
        raise
    if child.returncode != 0:
        raise Failure(f"{' '.join(argv)} exited {child.returncode}:\n{output[-3000:]}")
    return output


def stop(child: subprocess.Popen, seconds: float = 15) -> None:
    """SIGTERM to the child's process group, SIGKILL after `seconds`."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(child.pid, number)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=seconds)
            return
        except subprocess.TimeoutExpired:
            continue


def mean_return(output: str) -> float:
    found = re.findall(r"Mean return over \d+ episodes: (-?[0-9.]+)", output)
    if not found:
        raise Failure(f"no mean return in:\n{output[-2000:]}")
    return float(found[-1])


def rollout(maze: str, folder: Path, policy: list[str]) -> float:
    return mean_return(run([
        maze, "run", "-cd", CONF, "env=inventory_replenishment", "runner=sequential", f"runner.n_episodes={EPISODES}",
        "runner.record_event_logs=false", "seeding.env_base_seed=77", "seeding.agent_base_seed=77",
    ] + policy, 300, folder))


def train(maze: str, folder: Path, runner: str, overrides: tuple[str, ...] = ()) -> str:
    return run([maze, "run", "-cn", "conf_train", "-cd", CONF, "+experiment=inventory", f"runner={runner}",
                f"log_base_dir={folder / 'outputs'}", *overrides], 1200, folder)


def train_in_one_process(maze: str, folder: Path, name: str, random_return: float,
                         overrides: tuple[str, ...] = ()) -> None:
    """runner=dev trains; its best model, rolled out on the baseline episodes, must beat the random policy."""
    started = time.monotonic()
    output = train(maze, folder, "dev", overrides)
    run_folder = re.search(r"Run folder: (\S+)", output)
    if not run_folder:
        raise Failure(f"runner=dev printed no run folder:\n{output[-2000:]}")
    trained = rollout(maze, folder, ["policy=torch_policy", f"input_dir={run_folder.group(1)}"])
    check(f"runner=dev ({name}), best model rolled out", trained, random_return, started)


def refused(maze: str, folder: Path, overrides: list[str], expected: str) -> str:
    """A training that must be refused before it starts, with `expected` in its message."""
    child = subprocess.run([maze, "run", "-cn", "conf_train", "-cd", CONF, "+experiment=inventory", "runner=dev",
                            f"log_base_dir={folder / 'outputs'}"] + overrides, cwd=folder, env=ENVIRONMENT,
                           capture_output=True, text=True, timeout=120)
    message = child.stdout + child.stderr
    if child.returncode == 0 or expected not in message:
        raise Failure(f"{' '.join(overrides)} was not refused with '{expected}' (exit {child.returncode}):\n"
                      f"{message[-2000:]}")
    return message.strip().splitlines()[-1]


def check(name: str, value: float, baseline: float, started: float) -> None:
    print(f"example env: {name}: {value:.2f} (random {baseline:.2f}, needs ≥ {baseline + MARGIN:.2f}), "
          f"{time.monotonic() - started:.0f} s", flush=True)
    if value < baseline + MARGIN:
        raise Failure(f"{name} reached {value:.2f}, not the random policy's {baseline:.2f} + {MARGIN}")


def service(maze: str, standard: str, folder: Path, random_return: float) -> None:
    """Learner and actors of inventory-maze plus a standard maze actor; the IMPALA experiment trains to its end."""
    base = f"ipc://{folder}/sockets"
    os.makedirs(folder / "sockets", exist_ok=True)
    children: list[subprocess.Popen] = []

    def start(argv: list[str], log: str) -> subprocess.Popen:
        with open(folder / log, "w") as output:
            child = subprocess.Popen(argv, cwd=folder, env=ENVIRONMENT, stdout=output, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        children.append(child)
        return child

    client = ["--learner", base, "--insecure"]
    try:
        start([maze, "learner", "--bind", base, "--insecure", "--outputs", str(folder / "learner")], "learner.log")
        start([maze, "actor", "--connect", base, "--insecure", "--workers", "2", "--envs", "2", "--name", "inventory"],
              "actors.log")
        outsider = start([standard, "actor", "--connect", base, "--insecure", "--workers", "1", "--name", "standard"],
                         "standard-actor.log")
        time.sleep(2)
        started = time.monotonic()
        experiment = run([maze, "submit", "-cn", "conf_train", "-cd", CONF, "+experiment=inventory", "algorithm=impala",
                          "algorithm.num_actors=2", "algorithm.actors_batch_size=2"] + client, 60, folder).strip()
        why = None
        deadline = time.monotonic() + 1200
        while time.monotonic() < deadline:
            time.sleep(2)
            shown = run([standard, "status"] + client, 30, folder)
            reason = re.search(rf"{experiment}: actor standard/actor-0 cannot work on it: (.*)", shown)
            if reason:
                why = why or reason.group(1)
            row = next((line.split() for line in shown.splitlines() if line.startswith(experiment + " ")), None)
            if row and row[1] in ("failed", "cancelled"):
                raise Failure(f"{experiment} ended {row[1]}:\n{shown}")
            if row and row[1] == "done":
                if why is None:
                    raise Failure(f"maze status never said why the standard actor cannot work on {experiment}:\n{shown}")
                if "inventory_replenishment" not in why or "not registered in this actor's executable" not in why:
                    raise Failure(f"the standard actor's reason does not name the env and say it is not registered: {why}")
                print(f"example env: maze status: actor standard/actor-0 cannot work on {experiment}: {why}")
                if outsider.poll() is not None:
                    raise Failure(f"the standard maze actor exited ({outsider.returncode}) instead of waiting")
                if row[3] == "-":
                    raise Failure(f"{experiment} ended without an evaluation:\n{shown}")
                check("learner + 2 inventory-maze actors (IMPALA), best evaluation", float(row[3]), random_return, started)
                return
        raise Failure(f"{experiment} did not finish in time")
    finally:
        for child in children:
            stop(child)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    maze, standard = (str(Path(argument).resolve()) for argument in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="maze-example-env-") as temporary:
        folder = Path(temporary)
        try:
            random_return = rollout(maze, folder, ["policy=random_policy", "+policy.action_masks.order=order_mask"])
            heuristic = rollout(maze, folder, ["policy=random_policy", "policy._target_=reorder_point"])
            print(f"example env: baselines over {EPISODES} episodes: masked random {random_return:.2f}, "
                  f"reorder point {heuristic:.2f}", flush=True)

            train_in_one_process(maze, folder, "PPO", random_return)
            # The package's own perception block (GatedLinearBlock) in a custom network, and its keys checked.
            train_in_one_process(maze, folder, "PPO, custom network with GatedLinearBlock", random_return,
                                 ("model=inventory_gated",))
            message = refused(maze, folder, ["model=inventory_gated", GATED_KEY_TYPO], "Did you mean")
            print(f"example env: a misspelt GatedLinearBlock key is refused: {message}", flush=True)

            started = time.monotonic()
            output = train(maze, folder, "local")
            done = re.search(r"Experiment \S+ done after \d+ epochs; best return (-?[0-9.]+)", output)
            if not done:
                raise Failure(f"runner=local did not finish its experiment:\n{output[-2000:]}")
            check("runner=local (PPO), best evaluation", float(done.group(1)), random_return, started)

            service(maze, standard, folder, random_return)
        except Failure as failure:
            print(f"example env: FAILED: {failure}", file=sys.stderr)
            return 1
    print("example env: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
