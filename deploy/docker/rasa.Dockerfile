# syntax=docker/dockerfile:1
# The Rasa image: rasa 3.6.21 from requirements/rasa.lock, rasa_addons/ and the model trained from
# this tree, installed and trained by the project's own scripts/setup.sh and scripts/train.sh.
#   docker build -f deploy/docker/rasa.Dockerfile -t leadbot/rasa:0.1.0 .
# Runs as `leadbot` (10001); LEADBOT_DATA_DIR (/data) holds the credentials file it writes at start.
# docs/deploy.md "Containers and Kubernetes"; never built here (no registry to pull the base from).
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 LEADBOT_DATA_DIR=/data
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /app

# The environment first (its own layer, rebuilt only when the pins change).
COPY .python-version ./
COPY requirements/ requirements/
COPY scripts/env.sh scripts/setup.sh scripts/
RUN scripts/setup.sh rasa

COPY . .
RUN scripts/train.sh && rm -rf .rasa /root/.cache \
 && groupadd --system --gid 10001 leadbot \
 && useradd --system --uid 10001 --gid leadbot --create-home --home-dir /home/leadbot leadbot \
 && install -d -o leadbot -g leadbot -m 0700 /data

ENV PATH=/app/.venvs/rasa/bin:$PATH
USER 10001:10001
EXPOSE 5005
# Rasa opens its port once the model is loaded: `/` answers only then.
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 \
  CMD ["python", "deploy/docker/healthcheck.py", "http://127.0.0.1:5005/"]
ENTRYPOINT ["deploy/docker/entrypoint.sh"]
CMD ["python", "-m", "rasa_addons.serve", "run", "--model", "models/leadbot.tar.gz", "--enable-api", \
     "--interface", "0.0.0.0", "--port", "5005", "--endpoints", "deploy/scaled/endpoints.yml", \
     "--credentials", "/data/credentials.yml"]
