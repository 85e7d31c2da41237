"""Reads the commands, mounts and environment that the files under deploy/ give the learner and the actors.

One place that knows where each deployment keeps them, so that tools/validate_deploy.sh checks the files for
consistency and tools/test_deploy_commands.py runs exactly what they would run:

- Kubernetes: the container `args` (after the image's ENTRYPOINT from deploy/Dockerfile), `env`, exec probes
  and volume mounts of the learner StatefulSet and the actor Deployment; Secret volumes are resolved to the
  files kustomization.yaml's secretGenerator puts in them.
- Compose: each service's `command`, `environment`, healthcheck and bind mounts.
- systemd: each unit's ExecStart, with ${VAR} taken from the env file shipped beside it.

Run as `python tools/deploy_manifests.py check` to report inconsistencies (exit 1 if any).
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
SYSTEMD = DEPLOY / "systemd"


@dataclass
class Mount:
    """What a deployment puts at a path inside the process's file system view."""

    target: str
    # Files of the generated keys folder (paths relative to it, e.g. "learner/learner.key_secret") copied flat
    # into the target; None for a data volume (empty on first start).
    key_files: list[str] | None = None


@dataclass
class Process:
    """One process a deployment starts: its argument vector, extra environment and mounts."""

    argv: list[str]
    environment: dict[str, str] = field(default_factory=dict)
    mounts: list[Mount] = field(default_factory=list)


@dataclass
class Deployment:
    """The learner, its health probe (run beside it, with the learner's mounts) and one actor process."""

    name: str
    source: str
    learner: Process
    actor: Process
    probe: list[str] | None = None


def image_entrypoint() -> list[str]:
    """The exec-form ENTRYPOINT of deploy/Dockerfile, e.g. ["maze"]."""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if line.startswith("ENTRYPOINT "):
            return json.loads(line[len("ENTRYPOINT "):])
    raise ValueError("deploy/Dockerfile has no ENTRYPOINT")


def kustomization() -> dict:
    return yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())


def kubernetes_resources() -> list[Path]:
    """The manifests kustomization.yaml lists, in its order."""
    return [KUBERNETES / name for name in kustomization()["resources"]]


def _kubernetes_objects() -> list[dict]:
    return [document for path in kubernetes_resources() for document in yaml.safe_load_all(path.read_text()) if document]


def _kubernetes_workload(kind: str, component: str) -> dict:
    for document in _kubernetes_objects():
        labels = document.get("metadata", {}).get("labels", {})
        if document.get("kind") == kind and labels.get("app.kubernetes.io/component") == component:
            return document
    raise ValueError(f"no {kind} for component {component} in {KUBERNETES}")


def kubernetes_secret_files() -> dict[str, list[str]]:
    """secretGenerator name -> its files, relative to the generated keys folder (keys/)."""
    secrets = {}
    for generator in kustomization().get("secretGenerator", []):
        files = []
        for entry in generator.get("files", []):
            path = entry.split("=", 1)[-1]
            if not path.startswith("keys/"):
                raise ValueError(f"secret {generator['name']}: {path} is not in keys/")
            files.append(path[len("keys/"):])
        secrets[generator["name"]] = files
    return secrets


def _kubernetes_process(workload: dict) -> tuple[Process, list[str] | None]:
    spec = workload["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    argv = container.get("command") or image_entrypoint()
    argv = list(argv) + [str(arg) for arg in container.get("args", [])]
    environment = {item["name"]: str(item["value"]) for item in container.get("env", [])}
    volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
    secrets = kubernetes_secret_files()
    claims = {claim["metadata"]["name"] for claim in workload["spec"].get("volumeClaimTemplates", [])}
    mounts = []
    for mount in container.get("volumeMounts", []):
        volume = volumes.get(mount["name"], {})
        if "secret" in volume:
            mounts.append(Mount(mount["mountPath"], secrets[volume["secret"]["secretName"]]))
        elif mount["name"] in claims:
            mounts.append(Mount(mount["mountPath"]))
    probe = container.get("readinessProbe", {}).get("exec", {}).get("command")
    return Process(argv, environment, mounts), probe


def kubernetes() -> Deployment:
    learner, probe = _kubernetes_process(_kubernetes_workload("StatefulSet", "learner"))
    actor, _ = _kubernetes_process(_kubernetes_workload("Deployment", "actor"))
    return Deployment("kubernetes", "deploy/kubernetes", learner, actor, probe)


def _compose_process(service: dict) -> Process:
    argv = list(service.get("entrypoint") or image_entrypoint()) + [str(arg) for arg in service.get("command", [])]
    environment = {key: str(value) for key, value in service.get("environment", {}).items()}
    mounts = []
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("./keys/"):
            role = source[len("./keys/"):]
            mounts.append(Mount(target, [f"{role}/{path.name}" for path in _role_files(role)]))
        elif not source.startswith(("./", "/")):
            mounts.append(Mount(target))
    return Process(argv, environment, mounts)


def _role_files(role: str) -> list[Path]:
    """The files deploy/generate-keys.sh writes for `role` (read from the script's own header)."""
    header = (DEPLOY / "generate-keys.sh").read_text()
    match = re.search(rf"^#\s+DIR/{re.escape(role)}/\s+(.*)$", header, re.MULTILINE)
    if not match:
        raise ValueError(f"deploy/generate-keys.sh does not describe DIR/{role}/")
    return [Path(name) for name in re.findall(r"[\w-]+\.key(?:_secret)?", match.group(1))]


def compose() -> Deployment:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    test = services["learner"]["healthcheck"]["test"]
    probe = test[1:] if test[0] == "CMD" else None
    return Deployment("compose", "deploy/compose.yaml", _compose_process(services["learner"]),
                      _compose_process(services["actor"]), probe)


def _unit_settings(unit: Path) -> dict[str, str]:
    settings = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def _env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def _systemd_process(unit: Path) -> Process:
    """ExecStart of `unit` with ${VAR} and $VAR expanded from the shipped env file its EnvironmentFile names."""
    settings = _unit_settings(unit)
    # /etc/maze/learner.env <- deploy/systemd/learner.env; /etc/maze/actor-%i.env <- deploy/systemd/actor.env.
    installed = Path(settings["EnvironmentFile"].lstrip("-"))
    environment = _env_file(SYSTEMD / installed.name.replace("-%i", ""))
    argv = []
    for word in shlex.split(settings["ExecStart"].lstrip("@-:+!")):
        whole = re.fullmatch(r"\$\{(\w+)\}", word)
        split = re.fullmatch(r"\$(\w+)", word)
        if whole:
            argv.append(environment[whole.group(1)])
        elif split:
            argv.extend(environment[split.group(1)].split())
        else:
            argv.append(re.sub(r"\$\{(\w+)\}", lambda match: environment[match.group(1)], word))
    return Process(argv, environment)


def systemd() -> Deployment:
    learner = _systemd_process(SYSTEMD / "maze-learner.service")
    actor = _systemd_process(SYSTEMD / "maze-actor@.service")
    # On a host, /etc/maze/keys holds that host's role folder and /var/lib/maze is the StateDirectory.
    learner.mounts = [Mount("/etc/maze/keys", [f"learner/{path.name}" for path in _role_files("learner")]),
                      Mount("/var/lib/maze")]
    actor.mounts = [Mount("/etc/maze/keys", [f"actor/{path.name}" for path in _role_files("actor")])]
    return Deployment("systemd", "deploy/systemd", learner, actor)


def deployments() -> list[Deployment]:
    return [kubernetes(), compose(), systemd()]


def check() -> list[str]:
    """Inconsistencies between the files: unlisted manifests, unknown secrets, mounts the image lacks."""
    problems = []
    listed = {path.name for path in kubernetes_resources()}
    on_disk = {path.name for path in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    for name in sorted(on_disk - listed):
        problems.append(f"deploy/kubernetes/{name} is not in kustomization.yaml's resources")
    for name in sorted(listed - on_disk):
        problems.append(f"kustomization.yaml lists {name}, which does not exist")
    images = {image["name"] for image in kustomization().get("images", [])}
    secrets = kubernetes_secret_files()
    for document in _kubernetes_objects():
        template = document.get("spec", {}).get("template", {}).get("spec", {})
        for volume in template.get("volumes", []):
            name = volume.get("secret", {}).get("secretName")
            if name and name not in secrets:
                problems.append(f"{document['metadata']['name']} mounts secret {name}, which secretGenerator does not make")
        for container in template.get("containers", []):
            if container["image"].split(":")[0] not in images:
                problems.append(f"{document['metadata']['name']} uses image {container['image']}, not set in images:")
    for deployment in deployments():
        for role, process in [("learner", deployment.learner), ("actor", deployment.actor)]:
            for mount in process.mounts:
                for key_file in mount.key_files or []:
                    role_folder, name = key_file.split("/", 1)
                    if Path(name) not in _role_files(role_folder):
                        problems.append(f"{deployment.source} {role}: {key_file} is not written by deploy/generate-keys.sh")
            if "--resume" not in process.argv and role == "learner":
                problems.append(f"{deployment.source}: the learner does not start with --resume, so a restart fails")
    return problems


if __name__ == "__main__":
    if sys.argv[1:] != ["check"]:
        sys.exit("usage: deploy_manifests.py check")
    found = check()
    for problem in found:
        print(f"deploy: {problem}", file=sys.stderr)
    print(f"deploy manifests: {len(found)} problems in {len(deployments())} deployments")
    sys.exit(1 if found else 0)
