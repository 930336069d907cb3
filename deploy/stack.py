"""The scaled stack in containers, described once: every process of `make run-scaled`
(deploy/scaled/supervisord.conf, deploy/scaled/process.sh) with its image, command, ports,
health probe, settings and secrets. The Compose file, the Kubernetes manifests and HAProxy's
configuration for both are written from this description, so they cannot disagree; the tests
(tests/deploy/) check the description against the local stack's own files.

    .venvs/app/bin/python deploy/stack.py            # write deploy/compose/ and deploy/kubernetes/
    .venvs/app/bin/python deploy/stack.py --check    # exit 1 naming each written file that is stale
    .venvs/app/bin/python deploy/stack.py haproxy-local N BASE PORT   # scripts/run-scaled.sh's haproxy.cfg

Nothing here is run in a container or a cluster on our machines (no registry to pull base
images from, no cluster): docs/deploy.md "Containers and Kubernetes" says what was checked.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
COMPOSE_DIR = DEPLOY / "compose"
KUBERNETES_DIR = DEPLOY / "kubernetes"
HAPROXY_TEMPLATE = DEPLOY / "haproxy.cfg"
GENERATED = "# Written by deploy/stack.py from its description: edit that and run it, not this file.\n"

VERSION = "0.1.0"  # pyproject.toml's; the images' tag
IMAGES = {"rasa": f"leadbot/rasa:{VERSION}", "app": f"leadbot/app:{VERSION}"}
DOCKERFILES = {"rasa": "deploy/docker/rasa.Dockerfile", "app": "deploy/docker/app.Dockerfile"}
# Debian bookworm's versions, as the stack on one machine runs them (Debian 12 packages).
POSTGRES_IMAGE = "postgres:15.10-bookworm"
REDIS_IMAGE = "redis:7.0.15-bookworm"
HAPROXY_IMAGE = "haproxy:2.6.12"
RABBITMQ_IMAGE = "rabbitmq:3.10.8"

SCALE = 2  # N: Rasa processes and action servers, as `make run-scaled` defaults to
MAX_SCALE = 20  # server slots HAProxy keeps for Rasa processes (server-template)
DATA_DIR = "/data"  # LEADBOT_DATA_DIR in the containers: the spool, keys, the win model
METRICS_PORT = 9100  # LEADBOT_METRICS_PORT of the workers and the dashboard
DATABASES = ("leadbot", "rasa_tracker")  # the pipeline store, Rasa's trackers: one PostgreSQL

# Secrets: never in these files. Compose reads deploy/compose/.env (our processes take it whole as
# env_file; PostgreSQL and HAProxy only their own, interpolated), Kubernetes a Secret made by
# kustomize from deploy/kubernetes/secrets.env (both gitignored; secrets.env.example lists them).
COMPOSE_SECRETS_FILE = ".env"
SECRET_NAME = "leadbot-secrets"
SECRETS = {
    "LEADBOT_AUTH_TOKEN": "Rasa's HTTP API token (the dashboard's rep replies use it)",
    "LEADBOT_ACTIONS_TOKEN": "the action server answers only Rasa calls carrying it",
    "LEADBOT_SESSION_SECRET": "signs socket.io session ids: one for every Rasa process",
    "LEADBOT_DASHBOARD_SECRET": "signs the dashboard's forms and sessions",
    "LEADBOT_MEETING_SECRET": "signs meeting reschedule/cancel links",
    "LEADBOT_NURTURE_SECRET": "signs nurture e-mail links",
    "LEADBOT_DATABASE_URL": "the pipeline store: postgresql+psycopg://leadbot:PASSWORD@postgres:5432/leadbot",
    "LEADBOT_TRACKER_URL": "Rasa's tracker store: postgresql://leadbot:PASSWORD@postgres:5432/rasa_tracker",
    "POSTGRES_PASSWORD": "the bundled PostgreSQL's password (the same as in the two URLs)",
    "LEADBOT_BALANCER_COOKIE_KEY": "HAProxy's key for the cookie that keeps a socket.io session on one Rasa process",
    "LEADBOT_RABBITMQ_URL": "the event broker: amqp://leadbot:PASSWORD@rabbitmq:5672/%2F",
    "RABBITMQ_DEFAULT_PASS": "the bundled RabbitMQ's password (the same as in LEADBOT_RABBITMQ_URL)",
}
# Every leadbot process gets them all, as run-scaled.sh's processes inherit its tokens; the
# bundled PostgreSQL and HAProxy only their own.
SERVICE_SECRETS = {"postgres": ("POSTGRES_PASSWORD",), "balancer": ("LEADBOT_BALANCER_COOKIE_KEY",),
                   "rabbitmq": ("RABBITMQ_DEFAULT_PASS",)}
# The public images that keep files (a volume each; a StatefulSet in Kubernetes): where, and the
# volume's sub-folder (PostgreSQL wants an empty directory, a volume's root has lost+found).
STATEFUL = {"postgres": ("/var/lib/postgresql/data", "pgdata"), "rabbitmq": ("/var/lib/rabbitmq", None)}


@dataclass(frozen=True)
class Probe:
    """How a process says it is up: an HTTP GET of `path` on the port named `port`, or a TCP
    connect (`path` None), or a command (`command`). Rasa's model load is the slow start."""

    port: str = ""
    path: str | None = None
    command: tuple[str, ...] = ()
    start_seconds: int = 30  # longest start before liveness counts

    def url(self, ports: dict[str, int]) -> str:
        return f"http://127.0.0.1:{ports[self.port]}{self.path}"


@dataclass(frozen=True)
class Process:
    """One program of deploy/scaled/supervisord.conf (same name) as a container."""

    name: str
    image: str  # "rasa" or "app" (ours), else a public image
    command: tuple[str, ...]
    replicas: int  # as in the local stack; `autoscale` ones start at SCALE
    ports: dict[str, int] = field(default_factory=dict)  # name -> container port
    probe: Probe | None = None
    ready: Probe | None = None  # readiness when it differs from liveness (a store check)
    env: dict[str, str] = field(default_factory=dict)
    autoscale: bool = False  # a HorizontalPodAutoscaler (CPU)
    data: bool = False  # mounts the shared data volume at DATA_DIR
    needs_store: bool = False  # starts after the pipeline store is migrated
    cpu: str = "100m"  # requested
    memory: str = "256Mi"  # requested; the limit is twice this
    public: bool = False  # published by Compose; a Service users expose (Ingress, LoadBalancer)
    metrics: str | None = None  # the port that serves Prometheus's /metrics

    @property
    def ours(self) -> bool:
        return self.image in IMAGES

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(SECRETS) if self.ours else SERVICE_SECRETS.get(self.name, ())

    @property
    def image_ref(self) -> str:
        return IMAGES.get(self.image, self.image)


# What every process of ours reads (process.sh exports the same for the local stack).
COMMON_ENV = {
    "LEADBOT_DATA_DIR": DATA_DIR,
    "LEADBOT_RASA_URL": "http://balancer:5005",  # Rasa's HTTP API, through the balancer
    "LEADBOT_WIDGET_SOCKET_URL": "http://localhost:5005",  # Rasa as visitors' browsers reach it: set yours
    "LEADBOT_REDIS_HOST": "redis",  # Rasa's lock store
    "LEADBOT_REDIS_PORT": "6379",
}
WORKER_ENV = {"LEADBOT_METRICS_PORT": str(METRICS_PORT), "LEADBOT_METRICS_HOST": "0.0.0.0"}


def leadbot(*args: str) -> tuple[str, ...]:
    return ("leadbot", *args)


def worker(name: str, *args: str, memory: str = "256Mi") -> Process:
    """A delivery worker: two of each, as in the local stack (leases keep them from sending a row twice)."""
    return Process(name, "app", leadbot(*args), 2, ports={"metrics": METRICS_PORT},
                   probe=Probe("metrics", "/metrics"), env={**COMMON_ENV, **WORKER_ENV},
                   data=True, needs_store=True, memory=memory, metrics="metrics")


PROCESSES: tuple[Process, ...] = (
    Process("postgres", POSTGRES_IMAGE, (), 1, ports={"postgres": 5432},
            probe=Probe(command=("pg_isready", "-q", "-U", "leadbot", "-d", "leadbot")),
            env={"POSTGRES_USER": "leadbot", "POSTGRES_DB": "leadbot"}, cpu="250m", memory="512Mi"),
    Process("redis", REDIS_IMAGE, ("redis-server", "--save", "", "--appendonly", "no"), 1,
            ports={"redis": 6379}, probe=Probe(command=("redis-cli", "ping")), memory="128Mi"),
    Process("balancer", HAPROXY_IMAGE, (), 1, ports={"chat": 5005, "metrics": 8404},
            probe=Probe("metrics", "/metrics"), env={"LEADBOT_RASA_HOST": "rasa"}, public=True,
            metrics="metrics"),
    Process("rasa", "rasa",
            ("python", "-m", "rasa_addons.serve", "run", "--model", "models/leadbot.tar.gz", "--enable-api",
             "--interface", "0.0.0.0", "--port", "5005", "--endpoints", "deploy/scaled/endpoints.yml",
             "--credentials", f"{DATA_DIR}/credentials.yml"),
            SCALE, ports={"http": 5005}, probe=Probe("http", "/", start_seconds=300),
            # the spool of events not yet in RabbitMQ: kept across restarts of the container, not
            # of the pod (an emptyDir; docs/deploy.md)
            env={**COMMON_ENV, "LEADBOT_ACTION_ENDPOINT": "http://actions:5055/webhook",
                 "LEADBOT_EVENT_SPOOL": f"{DATA_DIR}/event-spool.sqlite"},
            autoscale=True, cpu="1", memory="1536Mi"),
    Process("actions", "app", ("python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"),
            SCALE, ports={"http": 5055}, probe=Probe("http", "/health"),
            env={**COMMON_ENV, "SANIC_HOST": "0.0.0.0"}, autoscale=True, data=True, needs_store=True,
            cpu="500m", memory="512Mi", metrics="http"),
    worker("sync", "sync", "--follow"),
    worker("notify", "notifications", "send", "--follow"),
    worker("nurture", "nurture", "send", "--follow"),
    # Rasa's conversation events (deploy/scaled/endpoints.yml's event_broker) and their consumers
    Process("rabbitmq", RABBITMQ_IMAGE, (), 1, ports={"amqp": 5672},
            probe=Probe(command=("rabbitmq-diagnostics", "-q", "ping"), start_seconds=60),
            env={"RABBITMQ_DEFAULT_USER": "leadbot"}, memory="256Mi"),
    worker("events", "events", "consume", "--follow"),
    Process("dashboard", "app", leadbot("dashboard", "--port", "8080"), 1,
            ports={"http": 8080, "metrics": METRICS_PORT}, probe=Probe("http"),
            ready=Probe("http", "/login"),  # opens a store transaction
            env={**COMMON_ENV, **WORKER_ENV, "LEADBOT_DASHBOARD_HOST": "0.0.0.0"},
            data=True, needs_store=True, cpu="250m", memory="512Mi", public=True, metrics="metrics"),
)
MIGRATE = leadbot("db", "upgrade")  # before anything reads the pipeline store (run-scaled.sh does it too)


def process(name: str) -> Process:
    return next(p for p in PROCESSES if p.name == name)


# ---------------------------------------------------------------- HAProxy

def haproxy_config(chat_bind: str, metrics_bind: str, servers: list[str], tail: str = "") -> str:
    text = HAPROXY_TEMPLATE.read_text()
    for marker, value in (("@CHAT_BIND@", chat_bind), ("@METRICS_BIND@", metrics_bind),
                          ("@RASA_SERVERS@", "\n".join(f"    {line}" for line in servers))):
        assert text.count(marker) == 1, marker
        text = text.replace(marker, value)
    return text + tail


def haproxy_local(scale: int, base: int, port: int) -> str:
    """The stack on one machine: Rasa N on BASE+N, HAProxy's metrics on BASE+50 (process.sh)."""
    servers = ["cookie leadbot_rasa insert indirect nocache httponly"]
    servers += [f"server rasa-{i} 127.0.0.1:{base + i} check cookie rasa-{i}" for i in range(1, scale + 1)]
    return haproxy_config(f"127.0.0.1:{port}", f"127.0.0.1:{base + 50}", servers)


def haproxy_containers() -> str:
    """Containers: every address the `rasa` name has (Compose's replicas, a headless Service's
    pods), looked up again every few seconds; the cookie names a server by a hash of its address."""
    balancer, rasa = process("balancer"), process("rasa")
    servers = ["cookie leadbot_rasa insert indirect nocache httponly dynamic",
               'dynamic-cookie-key "${LEADBOT_BALANCER_COOKIE_KEY}"',
               f'server-template rasa- 1-{MAX_SCALE} "${{LEADBOT_RASA_HOST}}:{rasa.ports["http"]}" '
               f"check resolvers dns init-addr none"]
    tail = ("\n# The resolver of the container (Docker's, or the cluster's DNS).\n"
            "resolvers dns\n    parse-resolv-conf\n    hold valid 5s\n    accepted_payload_size 8192\n")
    return haproxy_config(f":{balancer.ports['chat']}", f":{balancer.ports['metrics']}", servers, tail)


def postgres_init() -> str:
    """The databases besides POSTGRES_DB, made on the first start of an empty data volume."""
    return "".join(f"CREATE DATABASE {name} OWNER leadbot;\n" for name in DATABASES if name != "leadbot")


# ---------------------------------------------------------------- Compose

def compose_healthcheck(p: Process) -> dict[str, Any] | None:
    if p.probe is None:
        return None
    probe = p.ready or p.probe
    if probe.command:
        test = ["CMD", *probe.command]
    elif p.ours and probe.path is not None:
        test = ["CMD", "python", "deploy/docker/healthcheck.py", probe.url(p.ports)]
    else:  # HAProxy's image has neither an HTTP client nor a shell that connects: restarts only
        return None
    return {"test": test, "interval": "10s", "timeout": "5s", "retries": 3,
            "start_period": f"{probe.start_seconds}s"}


def compose_service(p: Process) -> dict[str, Any]:
    service: dict[str, Any] = {"image": p.image_ref}
    if p.name == "rabbitmq":  # its node name, and so its data's folder, follow the host name
        service["hostname"] = "rabbitmq"
    if p.ours:
        service["build"] = {"context": "../..", "dockerfile": DOCKERFILES[p.image]}
    if p.command:
        service["command"] = list(p.command)
    if p.replicas != 1:
        service["deploy"] = {"replicas": p.replicas}
    if p.env:
        service["environment"] = dict(p.env)
    if p.ours:
        service["env_file"] = [COMPOSE_SECRETS_FILE]
    for name in p.secrets if not p.ours else ():  # only its own, from the same file
        service.setdefault("environment", {})[name] = f"${{{name}:?set {name} in deploy/compose/.env}}"
    depends: dict[str, dict[str, str]] = {}
    if p.name == "rasa":
        depends = {"postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    if p.needs_store:
        depends = {"migrate": {"condition": "service_completed_successfully"}}
    if p.name == "balancer":
        depends = {"rasa": {"condition": "service_started"}}
    if depends:
        service["depends_on"] = depends
    volumes = []
    if p.data:
        volumes.append(f"data:{DATA_DIR}")
    if p.name in STATEFUL:
        volumes.append(f"{p.name}:{STATEFUL[p.name][0]}")
    if p.name == "postgres":
        volumes.append("./postgres-init.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro")
    if p.name == "balancer":
        volumes.append("./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro")
    if volumes:
        service["volumes"] = volumes
    if p.public:
        name = "chat" if p.name == "balancer" else "http"
        variable = "LEADBOT_BALANCER_PORT" if p.name == "balancer" else "LEADBOT_DASHBOARD_PORT"
        service["ports"] = [f"${{{variable}:-{p.ports[name]}}}:{p.ports[name]}"]
    check = compose_healthcheck(p)
    if check:
        service["healthcheck"] = check
    service["restart"] = "unless-stopped"
    return service


def compose() -> dict[str, Any]:
    services: dict[str, Any] = {}
    for p in PROCESSES:
        services[p.name] = compose_service(p)
        if p.name == "postgres":  # the app processes wait for it, as run-scaled.sh runs it once PostgreSQL answers
            services["migrate"] = {"image": IMAGES["app"], "build": {"context": "../..", "dockerfile": DOCKERFILES["app"]},
                                   "command": list(MIGRATE),
                                   "environment": dict(COMMON_ENV), "env_file": [COMPOSE_SECRETS_FILE],
                                   "volumes": [f"data:{DATA_DIR}"],
                                   "depends_on": {"postgres": {"condition": "service_healthy"}},
                                   "restart": "on-failure"}
    return {"name": "leadbot", "services": services, "volumes": {"data": {}, **{name: {} for name in STATEFUL}}}


# ---------------------------------------------------------------- Kubernetes

LABEL = "app.kubernetes.io/component"


def labels(p: Process) -> dict[str, str]:
    return {"app.kubernetes.io/name": "leadbot", LABEL: p.name}


def k8s_probe(p: Process, probe: Probe, kind: str) -> dict[str, Any]:
    if probe.command:
        action: dict[str, Any] = {"exec": {"command": list(probe.command)}}
    elif probe.path is None:
        action = {"tcpSocket": {"port": probe.port}}
    else:
        action = {"httpGet": {"path": probe.path, "port": probe.port}}
    # Patient: Rasa busy with NLU under load answers its `/` late (bench/README.md); HAProxy's own
    # TCP check takes a dead process out within 2 s, these only a hung or unready one.
    timing = {"readiness": {"periodSeconds": 5, "timeoutSeconds": 10, "failureThreshold": 3},
              "liveness": {"periodSeconds": 15, "timeoutSeconds": 10, "failureThreshold": 4},
              "startup": {"periodSeconds": 5, "timeoutSeconds": 5,
                          "failureThreshold": max(1, probe.start_seconds // 5)}}[kind]
    return {**action, **timing}


def k8s_env(p: Process) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = []
    if p.name == "balancer":  # HAProxy resolves names without the search list: the full one
        env.append({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}})
    for name, value in p.env.items():
        if name == "LEADBOT_RASA_HOST":
            value = "rasa.$(POD_NAMESPACE).svc.cluster.local"
        env.append({"name": name, "value": value})
    for name in p.secrets if not p.ours else ():
        env.append({"name": name, "valueFrom": {"secretKeyRef": {"name": SECRET_NAME, "key": name}}})
    return env


def container(p: Process) -> dict[str, Any]:
    c: dict[str, Any] = {"name": p.name, "image": p.image_ref}
    if p.command:  # args: the image's entrypoint stays (ours writes Rasa's credentials file)
        c["args"] = list(p.command)
    if p.ports:
        c["ports"] = [{"name": name, "containerPort": port} for name, port in p.ports.items()]
    env = k8s_env(p)
    if env:
        c["env"] = env
    if p.ours:
        c["envFrom"] = [{"secretRef": {"name": SECRET_NAME}}]
    if p.probe:
        c["startupProbe"] = k8s_probe(p, p.probe, "startup")
        c["readinessProbe"] = k8s_probe(p, p.ready or p.probe, "readiness")
        c["livenessProbe"] = k8s_probe(p, p.probe, "liveness")
    memory_limit = f"{int(p.memory[:-2]) * 2}Mi"
    c["resources"] = {"requests": {"cpu": p.cpu, "memory": p.memory}, "limits": {"memory": memory_limit}}
    mounts = []
    if p.data:
        mounts.append({"name": "data", "mountPath": DATA_DIR})
    if p.name == "rasa":
        mounts.append({"name": "scratch", "mountPath": DATA_DIR})
    if p.name == "balancer":
        mounts.append({"name": "haproxy", "mountPath": "/usr/local/etc/haproxy", "readOnly": True})
    if p.name in STATEFUL:
        path, sub_path = STATEFUL[p.name]
        mounts.append({"name": p.name, "mountPath": path, **({"subPath": sub_path} if sub_path else {})})
    if p.name == "postgres":
        mounts.append({"name": "initdb", "mountPath": "/docker-entrypoint-initdb.d", "readOnly": True})
    if mounts:
        c["volumeMounts"] = mounts
    if p.ours:
        c["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    return c


def pod_spec(p: Process) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if p.ours:  # the images' own user (deploy/docker/*.Dockerfile); the data volume writable by it
        spec["securityContext"] = {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001}
    if p.needs_store:
        migrate = {"name": "migrate", "image": IMAGES["app"], "args": list(MIGRATE),
                   "env": [{"name": k, "value": v} for k, v in COMMON_ENV.items()],
                   "envFrom": [{"secretRef": {"name": SECRET_NAME}}],
                   "volumeMounts": [{"name": "data", "mountPath": DATA_DIR}],
                   "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}
        spec["initContainers"] = [migrate]  # safe to repeat: a pod that loses a race retries
    spec["containers"] = [container(p)]
    volumes: list[dict[str, Any]] = []
    if p.data:
        volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": "leadbot-data"}})
    if p.name == "rasa":
        volumes.append({"name": "scratch", "emptyDir": {}})
    if p.name == "balancer":
        volumes.append({"name": "haproxy", "configMap": {"name": "haproxy"}})
    if p.name == "postgres":
        volumes.append({"name": "initdb", "configMap": {"name": "postgres-init"}})
    if volumes:
        spec["volumes"] = volumes
    return spec


def workload(p: Process) -> dict[str, Any]:
    template = {"metadata": {"labels": labels(p)}, "spec": pod_spec(p)}
    if p.metrics:
        template["metadata"]["annotations"] = {"prometheus.io/scrape": "true",
                                               "prometheus.io/port": str(p.ports[p.metrics])}
    if p.name in STATEFUL:  # one primary with its own volume
        return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": p.name, "labels": labels(p)},
                "spec": {"serviceName": p.name, "replicas": 1, "selector": {"matchLabels": labels(p)},
                         "template": template,
                         "volumeClaimTemplates": [{"metadata": {"name": p.name},
                                                   "spec": {"accessModes": ["ReadWriteOnce"],
                                                            "resources": {"requests": {"storage": "10Gi"}}}}]}}
    spec: dict[str, Any] = {"replicas": p.replicas, "selector": {"matchLabels": labels(p)}, "template": template}
    if p.autoscale:
        del spec["replicas"]  # the autoscaler's
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": p.name, "labels": labels(p)},
            "spec": spec}


def service(p: Process) -> dict[str, Any] | None:
    ports = {name: port for name, port in p.ports.items() if name != "metrics" or p.name == "balancer"}
    if not ports:
        return None
    spec: dict[str, Any] = {"selector": labels(p),
                            "ports": [{"name": name, "port": port, "targetPort": name} for name, port in ports.items()]}
    if p.name in ("rasa", *STATEFUL):  # rasa: every pod's address for HAProxy; the StatefulSets' own
        spec["clusterIP"] = "None"
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": p.name, "labels": labels(p)}, "spec": spec}


def autoscaler(p: Process) -> dict[str, Any]:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": p.name, "labels": labels(p)},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": p.name},
                     "minReplicas": p.replicas, "maxReplicas": MAX_SCALE,
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                                                   "target": {"type": "Utilization",
                                                                              "averageUtilization": 70}}}]}}


def disruption_budget(p: Process) -> dict[str, Any]:
    """A node drained for maintenance never takes every pod of a scaled process at once."""
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": p.name, "labels": labels(p)},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": labels(p)}}}


def config_map(name: str, key: str, text: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {key: text}}


def kubernetes() -> dict[str, list[dict[str, Any]]]:
    """File name -> its documents."""
    files: dict[str, list[dict[str, Any]]] = {}
    for p in PROCESSES:
        documents = [workload(p)]
        if (s := service(p)) is not None:
            documents.append(s)
        if p.autoscale:
            documents += [autoscaler(p), disruption_budget(p)]
        if p.name == "balancer":
            documents.append(config_map("haproxy", "haproxy.cfg", haproxy_containers()))
        if p.name == "postgres":
            documents.append(config_map("postgres-init", "10-databases.sql", postgres_init()))
        files[f"{p.name}.yaml"] = documents
    files["data.yaml"] = [{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "leadbot-data"},
                           "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "5Gi"}}}}]
    return files


def kustomization(files: list[str]) -> dict[str, Any]:
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "namespace": "leadbot", "resources": ["namespace.yaml", *files],
            "secretGenerator": [{"name": SECRET_NAME, "envs": ["secrets.env"]}],
            "generatorOptions": {"disableNameSuffixHash": True},
            "images": [{"name": ref.split(":")[0], "newTag": ref.split(":")[1]} for ref in IMAGES.values()]}


# ---------------------------------------------------------------- files

def dump(*documents: Any) -> str:
    return GENERATED + "---\n".join(yaml.safe_dump(d, sort_keys=False, width=120) for d in documents)


def secrets_example() -> str:
    lines = ["# Copy to secrets.env (Kubernetes) or .env (Compose), both gitignored, and fill in; never commit it.",
             "# Make a value with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"]
    for name, why in SECRETS.items():
        example = why.split(": ", 1)[1] if why.startswith("the pipeline") or why.startswith("Rasa's tracker") else ""
        lines += [f"# {why}", f"{name}={example}"]
    lines += ["# Optional, read when set (docs/security.md, docs/crm.md, docs/channels.md):",
              "# LEADBOT_CRM_TOKEN_KEY=", "# LEADBOT_WEBHOOK_SECRET=", "# LEADBOT_SMTP_PASSWORD="]
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    """Every file this module writes, with its text."""
    out = {COMPOSE_DIR / "compose.yaml": dump(compose()),
           COMPOSE_DIR / "haproxy.cfg": GENERATED + haproxy_containers(),
           COMPOSE_DIR / "postgres-init.sql": GENERATED.replace("#", "--", 1) + postgres_init(),
           COMPOSE_DIR / "secrets.env.example": GENERATED + secrets_example(),
           KUBERNETES_DIR / "secrets.env.example": GENERATED + secrets_example(),
           KUBERNETES_DIR / "namespace.yaml": dump({"apiVersion": "v1", "kind": "Namespace",
                                                    "metadata": {"name": "leadbot"}})}
    files = kubernetes()
    for name, documents in files.items():
        out[KUBERNETES_DIR / name] = dump(*documents)
    out[KUBERNETES_DIR / "kustomization.yaml"] = dump(kustomization(sorted(files)))
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["haproxy-local"]:
        scale, base, port = (int(value) for value in argv[1:4])
        sys.stdout.write(haproxy_local(scale, base, port))
        return 0
    stale = []
    for path, text in outputs().items():
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for name in stale:
        print(f"stale: {name} (run .venvs/app/bin/python deploy/stack.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
