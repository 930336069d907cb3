# syntax=docker/dockerfile:1
# The application image: the action server, the dashboard, the delivery workers and the `leadbot`
# CLI, in the app environment that scripts/setup.sh builds (pyproject.toml, with PostgreSQL's
# driver instead of the test tools). One image, the process chosen by the command:
#   docker build -f deploy/docker/app.Dockerfile -t leadbot/app:0.1.0 .
#   (default) python -m rasa_sdk --actions actions --port 5055      the action server
#   leadbot dashboard --port 8080 | leadbot sync --follow | leadbot notifications send --follow | ...
# Runs as `leadbot` (10001); LEADBOT_DATA_DIR (/data) is the volume the processes share (spool,
# keys, the win model). docs/deploy.md "Containers and Kubernetes"; never built here.
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 LEADBOT_DATA_DIR=/data \
    LEADBOT_APP_EXTRAS=postgres
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /app

# Our code is installed editable (as on a developer's machine), so the tree comes first.
COPY . .
RUN scripts/setup.sh app && rm -rf /root/.cache \
 && groupadd --system --gid 10001 leadbot \
 && useradd --system --uid 10001 --gid leadbot --create-home --home-dir /home/leadbot leadbot \
 && install -d -o leadbot -g leadbot -m 0700 /data

ENV PATH=/app/.venvs/app/bin:$PATH LEADBOT_HEALTHCHECK_URL=http://127.0.0.1:5055/health
USER 10001:10001
EXPOSE 5055 8080 9100
# The action server's /health; another process sets LEADBOT_HEALTHCHECK_URL (Compose does).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "deploy/docker/healthcheck.py"]
ENTRYPOINT ["deploy/docker/entrypoint.sh"]
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
