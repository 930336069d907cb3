"""The container images, the Compose file and the Kubernetes manifests: written from
deploy/stack.py's one description and current, valid by every static check we have here
(the Compose Specification's schema, Kubernetes' own schemas, kustomize, hadolint, HAProxy's
config check), and in step with the stack on one machine (deploy/scaled/supervisord.conf and
process.sh): each process, replica count, command, variable, port, probe and secret is
checked against those, so neither side can change alone.

No image is built and no cluster runs here (no registry to pull base images from):
docs/deploy.md "Containers and Kubernetes" says so.
"""
from __future__ import annotations

import configparser
import importlib.util
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import requests
import yaml

from tests.e2e.servers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_BIN = Path(sys.executable).parent
COMPOSE_SCHEMA = ROOT / ".venvs" / "schemas" / "check-jsonschema-0.38.2" / "compose-spec.json"
KUBERNETES_VERSIONS = ("1.25.0", kubernetes_validate.latest_version())  # oldest bundled, newest


def _load_stack() -> Any:
    spec = importlib.util.spec_from_file_location("leadbot_deploy_stack", DEPLOY / "stack.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


stack = _load_stack()
OURS = [p for p in stack.PROCESSES if p.ours]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())


def _manifests() -> list[dict[str, Any]]:
    files = yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())["resources"]
    return [doc for name in files for doc in yaml.safe_load_all((DEPLOY / "kubernetes" / name).read_text()) if doc]


def _kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in _manifests() if doc["kind"] == kind}


def _workloads() -> dict[str, dict[str, Any]]:
    return {**_kind("Deployment"), **_kind("StatefulSet")}


def _container(name: str) -> dict[str, Any]:
    return _workloads()[name]["spec"]["template"]["spec"]["containers"][0]


def _supervised(conf: str) -> dict[str, configparser.SectionProxy]:
    parser = configparser.RawConfigParser()
    parser.read(DEPLOY / conf)
    return {section.split(":", 1)[1]: parser[section] for section in parser.sections() if section.startswith("program:")}


def _process_sh() -> dict[str, str]:
    """deploy/scaled/process.sh's case arms: kind -> its lines (continuations joined), plus "" for
    what every kind gets (the lines before `case`)."""
    text = (DEPLOY / "scaled" / "process.sh").read_text().replace("\\\n", " ")
    head, _, body = text.partition('case "$kind" in')
    arms = {"": head}
    for match in re.finditer(r"^  ([a-z]+)\)\n(.*?);;", body, re.S | re.M):
        arms[match.group(1)] = match.group(2)
    return arms


# ---------------------------------------------------------------- written, and valid

def test_the_written_files_are_what_the_description_writes():
    run = subprocess.run([sys.executable, str(DEPLOY / "stack.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_the_compose_file_follows_the_compose_specification():
    assert COMPOSE_SCHEMA.exists(), "scripts/setup.sh fetches the Compose schema (make setup)"
    validator = jsonschema.Draft202012Validator(json.loads(COMPOSE_SCHEMA.read_text()))
    compose = _compose()
    assert [e.message for e in validator.iter_errors(compose)] == []
    compose["services"]["rasa"]["healthcheck"]["intervall"] = "10s"  # the schema is really read
    assert any("intervall" in e.message for e in validator.iter_errors(compose))


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_follows_kubernetes_own_schema(version: str):
    for doc in _manifests():
        kubernetes_validate.validate(doc, version, strict=True)
    broken = _workloads()["rasa"]
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, version, strict=True)


def test_kustomize_renders_the_manifests_with_the_secret_from_its_file(tmp_path: Path):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (with kustomize built in) is not installed")
    tree = tmp_path / "kubernetes"
    shutil.copytree(DEPLOY / "kubernetes", tree)
    example = (tree / "secrets.env.example").read_text()
    (tree / "secrets.env").write_text(re.sub(r"^([A-Z_]+)=.*$", r"\1=not-a-real-value", example, flags=re.M))
    rendered = subprocess.run([kubectl, "kustomize", str(tree)], capture_output=True, text=True, check=True).stdout
    docs = [doc for doc in yaml.safe_load_all(rendered) if doc]
    assert {doc["metadata"].get("namespace") for doc in docs if doc["kind"] != "Namespace"} == {"leadbot"}
    secret = next(doc for doc in docs if doc["kind"] == "Secret")
    assert set(secret["data"]) == set(stack.SECRETS)
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSIONS[-1], strict=True)
    assert len(docs) == len(_manifests()) + 1  # and the Secret


def test_the_dockerfiles_pass_hadolint():
    hadolint = APP_BIN / "hadolint"
    files = [str(ROOT / path) for path in stack.DOCKERFILES.values()]
    run = subprocess.run([str(hadolint), "--no-color", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_haproxy_takes_both_configurations_and_the_cluster_gets_the_compose_one(tmp_path: Path):
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip("haproxy is not installed (scripts/test-deps.sh installs it)")
    local = tmp_path / "local.cfg"
    local.write_text(stack.haproxy_local(3, 5100, 5005))
    containers = DEPLOY / "compose" / "haproxy.cfg"
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LEADBOT_RASA_HOST": "rasa", "LEADBOT_BALANCER_COOKIE_KEY": "k"}
    for cfg in (local, containers):
        run = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True, env=env)
        assert run.returncode == 0, f"{cfg}: {run.stdout}{run.stderr}"
    assert _kind("ConfigMap")["haproxy"]["data"]["haproxy.cfg"] in containers.read_text()
    assert [f"server rasa-{i} 127.0.0.1:{5100 + i} check cookie rasa-{i}" in local.read_text() for i in (1, 2, 3)] \
        == [True] * 3


# ---------------------------------------------------------------- the images

@pytest.mark.parametrize("image", sorted(stack.DOCKERFILES))
def test_each_image_is_pinned_non_root_checked_and_installed_by_setup_sh(image: str):
    text = (ROOT / stack.DOCKERFILES[image]).read_text()
    python = (ROOT / ".python-version").read_text().strip()
    assert re.findall(r"^FROM (\S+)", text, re.M) == [f"python:{python}-slim-bookworm"]
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*deploy/docker/healthcheck.py", text, re.M)
    assert f"scripts/setup.sh {image}" in text, "the same install step as a developer's machine"
    assert 'ENTRYPOINT ["deploy/docker/entrypoint.sh"]' in text
    exposed = {int(port) for line in re.findall(r"^EXPOSE (.*)$", text, re.M) for port in line.split()}
    ports = {port for p in stack.PROCESSES if p.image == image for port in p.ports.values()}
    assert exposed == ports
    cmd = json.loads(re.search(r"^CMD (\[.*?\])$", text, re.M | re.S).group(1).replace("\\\n", ""))
    assert tuple(cmd) == stack.process("rasa" if image == "rasa" else "actions").command


def test_the_build_context_leaves_out_environments_runtime_files_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".venvs", ".git", "data/runtime", "**/secrets.env", "**/.env", "models/*.tar.gz"):
        assert entry in ignored
    for written in ("deploy/compose/.env", "deploy/kubernetes/secrets.env"):
        assert subprocess.run(["git", "check-ignore", "-q", written], cwd=ROOT).returncode == 0, written


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200 if self.path == "/health" else 503)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_images_health_check_is_healthy_only_on_an_answer_below_400(health_server: int):
    def check(url: str) -> int:
        return subprocess.run([sys.executable, str(DEPLOY / "docker" / "healthcheck.py"), url],
                              capture_output=True, timeout=30).returncode

    assert check(f"http://127.0.0.1:{health_server}/health") == 0
    assert check(f"http://127.0.0.1:{health_server}/other") == 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    closed = server.server_address[1]
    server.server_close()
    assert check(f"http://127.0.0.1:{closed}/health") == 1


# ---------------------------------------------------------------- in step with the local stack

def test_every_process_of_both_local_stacks_runs_in_compose_and_kubernetes():
    scaled, one_machine = _supervised("scaled/supervisord.conf"), _supervised("supervisord.conf")
    names = {p.name for p in stack.PROCESSES}
    assert names == set(scaled), "deploy/scaled/supervisord.conf and deploy/stack.py list the same processes"
    assert set(one_machine) <= names, "every process of `make run` is in the scaled stack too"
    assert set(_compose()["services"]) == names | {"migrate"}
    assert set(_workloads()) == names


def test_replicas_match_the_local_stack_and_the_scaled_ones_autoscale():
    scaled = _supervised("scaled/supervisord.conf")
    default_n = int(re.search(r'scale="\$\{1:-(\d+)\}"', (ROOT / "scripts" / "run-scaled.sh").read_text()).group(1))
    compose, workloads, autoscalers = _compose()["services"], _workloads(), _kind("HorizontalPodAutoscaler")
    for p in stack.PROCESSES:
        numprocs = scaled[p.name].get("numprocs", "1")
        if numprocs == "%(ENV_LEADBOT_SCALE)s":
            assert p.autoscale and p.replicas == default_n, p.name
            assert autoscalers[p.name]["spec"]["minReplicas"] == default_n
            assert autoscalers[p.name]["spec"]["scaleTargetRef"]["name"] == p.name
            assert "replicas" not in workloads[p.name]["spec"], "the autoscaler owns the count"
        else:
            assert not p.autoscale and p.replicas == int(numprocs), p.name
            assert workloads[p.name]["spec"]["replicas"] == p.replicas
        assert compose[p.name].get("deploy", {}).get("replicas", 1) == p.replicas
    assert set(autoscalers) == {"rasa", "actions"} == set(_kind("PodDisruptionBudget"))


def _tokens(command: str) -> list[str]:
    """A process.sh command as words: `$((...))` and `"$VAR..."` stand for a value of their own."""
    command = re.sub(r"\$\(\([^)]*\)\)", "$PORT", command.strip())
    words = shlex.split(command)
    words[0] = Path(words[0]).name  # "$APP_VENV/bin/leadbot" -> leadbot: the image's PATH has its venv
    return words


def test_each_process_runs_the_local_stacks_command_listening_beyond_loopback():
    arms = _process_sh()
    for p in OURS:
        local = _tokens(re.search(r"exec (.*)$", arms[p.name], re.M).group(1))
        ours = list(p.command)
        assert len(local) == len(ours), (p.name, local, ours)
        for mine, theirs in zip(ours, local):
            if "$" in theirs:  # a port or a path of the local stack's own
                continue
            if theirs == "127.0.0.1":  # the one intended change: containers listen on their network
                assert mine == "0.0.0.0", p.name
                continue
            assert mine == theirs, (p.name, mine, theirs)
        for container_command in (_compose()["services"][p.name]["command"], _container(p.name)["args"]):
            assert container_command == ours


def _given(p: Any) -> tuple[set[str], set[str]]:
    """The variables Compose and Kubernetes give the process: its environment and its secrets."""
    service, container = _compose()["services"][p.name], _container(p.name)
    compose_env = set(service.get("environment", {})) | (set(stack.SECRETS) if service.get("env_file") == [".env"] else set())
    k8s_env = {item["name"] for item in container.get("env", [])}
    if any("secretRef" in source for source in container.get("envFrom", [])):
        k8s_env |= set(stack.SECRETS)
    return compose_env, k8s_env


LOCAL_ONLY = {"LEADBOT_PG_PORT"}  # a port of the one machine; containers are given the URLs


def test_each_process_gets_every_variable_the_local_stack_gives_it():
    arms = _process_sh()
    exported = lambda text: set(re.findall(r"(?:export |\s)(LEADBOT_[A-Z_]+)=", text))  # noqa: E731
    everyone = exported(arms[""]) - LOCAL_ONLY
    tokens = set(re.findall(r"export (LEADBOT_[A-Z_]+TOKEN)=", (ROOT / "scripts" / "run-scaled.sh").read_text()))
    assert tokens == {"LEADBOT_ACTIONS_TOKEN", "LEADBOT_AUTH_TOKEN"}
    for p in OURS:
        wanted = everyone | exported(arms[p.name]) | tokens
        for given in _given(p):
            assert wanted <= given, (p.name, sorted(wanted - given))
        listens_beyond_loopback = {"actions": "SANIC_HOST", "dashboard": "LEADBOT_DASHBOARD_HOST"}
        if p.name in listens_beyond_loopback:
            assert p.env[listens_beyond_loopback[p.name]] == "0.0.0.0"
        if "LEADBOT_METRICS_PORT" in p.env:
            assert p.env["LEADBOT_METRICS_HOST"] == "0.0.0.0"
            assert p.ports[p.metrics] == int(p.env["LEADBOT_METRICS_PORT"])


def test_secrets_come_only_from_the_secret_files():
    required = {"LEADBOT_AUTH_TOKEN", "LEADBOT_ACTIONS_TOKEN", "LEADBOT_SESSION_SECRET", "LEADBOT_DASHBOARD_SECRET",
                "LEADBOT_DATABASE_URL", "LEADBOT_TRACKER_URL"}
    assert required <= set(stack.SECRETS)
    for where in ("compose", "kubernetes"):
        example = (DEPLOY / where / "secrets.env.example").read_text()
        assert set(re.findall(r"^([A-Z_]+)=", example, re.M)) == set(stack.SECRETS)
    for name, service in _compose()["services"].items():
        for variable, value in service.get("environment", {}).items():  # only from .env, by interpolation
            assert variable not in stack.SECRETS or value.startswith(f"${{{variable}:?"), (name, variable)
        if name not in stack.SERVICE_SECRETS:
            assert service.get("env_file", [".env"]) == [".env"], name
    for name, only in stack.SERVICE_SECRETS.items():  # PostgreSQL and HAProxy get no token of ours
        service = _compose()["services"][name]
        assert "env_file" not in service and set(service["environment"]) & set(stack.SECRETS) == set(only)
    for doc in _workloads().values():
        pod = doc["spec"]["template"]["spec"]
        for c in pod["containers"] + pod.get("initContainers", []):
            for item in c.get("env", []):
                if item["name"] in stack.SECRETS:
                    assert item["valueFrom"]["secretKeyRef"]["name"] == stack.SECRET_NAME
    assert "secretGenerator" in yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())


def _probe_target(probe: dict[str, Any], container: dict[str, Any]) -> tuple[str | None, int] | tuple[str, ...]:
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    if "httpGet" in probe:
        return probe["httpGet"]["path"], ports[probe["httpGet"]["port"]]
    if "tcpSocket" in probe:
        return None, ports[probe["tcpSocket"]["port"]]
    return tuple(probe["exec"]["command"])


def test_probes_agree_across_compose_and_kubernetes_and_rasa_uses_its_own_health_endpoint():
    from rasa_sdk_plugins.guard import OPEN_PATHS

    for p in stack.PROCESSES:
        container = _container(p.name)
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert kind in container, (p.name, kind)
        ready = _probe_target(container["readinessProbe"], container)
        check = _compose()["services"][p.name].get("healthcheck")
        if check is None:
            assert not p.ours and p.name == "balancer", "only HAProxy's image has nothing to check with"
            continue
        if check["test"][1] == "python":  # ours: the URL healthcheck.py asks
            match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)(/.*)", check["test"][-1])
            assert (match.group(2), int(match.group(1))) == ready, p.name
        else:
            assert tuple(check["test"][1:]) == ready, p.name
    rasa = _container("rasa")
    assert {_probe_target(rasa[kind], rasa) for kind in ("startupProbe", "readinessProbe", "livenessProbe")} \
        == {("/", 5005)}, "Rasa's own health endpoint"
    assert rasa["startupProbe"]["failureThreshold"] * rasa["startupProbe"]["periodSeconds"] >= 300, "model load"
    assert "/health" in OPEN_PATHS and _probe_target(_container("actions")["readinessProbe"], _container("actions")) \
        == ("/health", 5055)


def test_services_reach_the_ports_the_processes_listen_on():
    services = _kind("Service")
    for p in stack.PROCESSES:
        ports = {port["name"]: port["containerPort"] for port in _container(p.name).get("ports", [])}
        assert ports == p.ports, p.name
        if p.name in services:
            for port in services[p.name]["spec"]["ports"]:
                assert ports[port["targetPort"]] == port["port"], p.name
    assert services["rasa"]["spec"]["clusterIP"] == "None", "HAProxy resolves every Rasa pod"
    rasa_url = stack.process("rasa").env["LEADBOT_ACTION_ENDPOINT"]
    assert rasa_url == f"http://actions:{services['actions']['spec']['ports'][0]['port']}/webhook"
    assert stack.COMMON_ENV["LEADBOT_RASA_URL"] == f"http://balancer:{stack.process('balancer').ports['chat']}"


# ---------------------------------------------------------------- the commands, run as the images run them

def _container_env(p: Any, data: Path, ports: dict[int, int]) -> dict[str, str]:
    """The process's environment in a container, on this machine: loopback instead of every
    address, free ports instead of the containers' own, a SQLite store, tokens made up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADBOT_", "SANIC_"))}
    env["PATH"] = f"{APP_BIN}:{env.get('PATH', '/usr/bin:/bin')}"
    for name, value in p.env.items():
        value = "127.0.0.1" if value == "0.0.0.0" else value
        env[name] = str(ports.get(int(value), value)) if value.isdigit() else value
    for name in ("LEADBOT_AUTH_TOKEN", "LEADBOT_ACTIONS_TOKEN", "LEADBOT_SESSION_SECRET", "LEADBOT_DASHBOARD_SECRET",
                 "LEADBOT_MEETING_SECRET", "LEADBOT_NURTURE_SECRET"):
        env[name] = secrets.token_urlsafe(32)
    env.update(LEADBOT_DATA_DIR=str(data), LEADBOT_DATABASE_URL=f"sqlite:///{data / 'leadbot.db'}")
    return env


def _entrypoint(command: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen:
    return subprocess.Popen([str(DEPLOY / "docker" / "entrypoint.sh"), *command], cwd=ROOT, env=env, **kwargs)


@pytest.mark.parametrize("name", [p.name for p in OURS if p.image == "app"])
def test_each_app_process_starts_as_its_container_does_and_answers_its_probes(name: str, tmp_path: Path):
    p = stack.process(name)
    ports = {port: free_port() for port in p.ports.values()}
    env = _container_env(p, tmp_path, ports)
    migrate = _entrypoint(list(stack.MIGRATE), env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert migrate.wait(timeout=120) == 0, migrate.stderr.read() if migrate.stderr else ""
    command = [str(ports.get(int(word), word)) if word.isdigit() else word for word in p.command]
    log = tmp_path / f"{name}.log"
    proc = _entrypoint(command, env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        check = _compose()["services"][name]["healthcheck"]["test"]
        url = re.sub(r":(\d+)/", lambda m: f":{ports[int(m.group(1))]}/", check[-1])
        healthy = lambda: subprocess.run([*check[1:-1], url], cwd=ROOT, env=env, capture_output=True).returncode == 0  # noqa: E731
        wait_until(healthy, 90, f"{name}'s health check", proc, log)
        container = _container(name)
        for kind in ("readinessProbe", "livenessProbe"):
            target = _probe_target(container[kind], container)
            if target[0] is None:  # a TCP connect
                socket.create_connection(("127.0.0.1", ports[target[1]]), timeout=5).close()
            else:
                answer = requests.get(f"http://127.0.0.1:{ports[target[1]]}{target[0]}", timeout=10)
                assert answer.status_code == 200, (name, kind, answer.status_code)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_the_rasa_images_entrypoint_writes_the_credentials_rasa_is_started_with(tmp_path: Path):
    rasa = stack.process("rasa")
    env = _container_env(rasa, tmp_path, {})
    env["LEADBOT_TELEGRAM_TOKEN"] = "123:abc"  # a half-configured channel stops the start, with its reason
    entrypoint = [str(DEPLOY / "docker" / "entrypoint.sh"), "true"]
    failed = subprocess.run(entrypoint, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode != 0 and "LEADBOT_TELEGRAM" in failed.stderr
    del env["LEADBOT_TELEGRAM_TOKEN"]
    assert subprocess.run(entrypoint, cwd=ROOT, env=env, timeout=60).returncode == 0
    credentials = yaml.safe_load((tmp_path / "credentials.yml").read_text())
    assert "rasa_addons.channels.socketio.SocketIOChannel" in credentials
    assert rasa.command[rasa.command.index("--credentials") + 1] == f"{stack.DATA_DIR}/credentials.yml"
