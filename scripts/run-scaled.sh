#!/usr/bin/env bash
# The scaled-out deployment on one machine (docs/deploy.md):
#   scripts/run-scaled.sh [N]        (make run-scaled N=2)
# N Rasa processes, each with its action server, behind HAProxy (round robin; socket.io's
# sessions sticky by cookie, WebSocket upgraded), PostgreSQL for the tracker and pipeline
# stores, Redis for Rasa's lock store, RabbitMQ for Rasa's conversation events and two
# consumers of them (the funnel and the conversation analytics), two CRM sync workers, two card
# senders and the dashboard, all under supervisord (deploy/scaled/supervisord.conf): a process
# that dies is started again; Ctrl-C or SIGTERM to this script stops them all. PostgreSQL,
# Redis, HAProxy and RabbitMQ are Debian's packages, installed here with apt-get when missing.
#   LEADBOT_BALANCER_PORT (5005): chat (REST, socket.io) and Rasa's HTTP API, through HAProxy
#   LEADBOT_DASHBOARD_PORT (8080)   LEADBOT_SCALED_PORT (5100): every other port from it
#     (deploy/scaled/process.sh, docs/deploy.md)
#   LEADBOT_AUTH_TOKEN, LEADBOT_ACTIONS_TOKEN: made afresh per run when unset (docs/security.md)
#   LEADBOT_PG_DIR: PostgreSQL's files, kept between runs (default data/runtime/scaled/pg, or
#     /var/lib/postgresql/leadbot-scaled-<hash> as root: PostgreSQL runs as the postgres account)
#   LEADBOT_RABBITMQ_DIR: RabbitMQ's files, kept between runs (default data/runtime/scaled/rabbitmq,
#     or /var/lib/rabbitmq/leadbot-scaled-<hash> as root: RabbitMQ runs as the rabbitmq account)
set -euo pipefail
umask 077
source "$(dirname "$0")/env.sh"
cd "$ROOT"
scale="${1:-2}"
[[ "$scale" =~ ^([1-9]|1[0-9])$ ]] || { log "N must be a number from 1 to 19"; exit 2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || missing+=(haproxy)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
apt_install "${missing[@]}"

export ROOT APP_VENV RASA_VENV  # read by deploy/scaled/supervisord.conf and process.sh
export LEADBOT_SCALE="$scale"
export LEADBOT_BALANCER_PORT="${LEADBOT_BALANCER_PORT:-5005}"
export LEADBOT_DASHBOARD_PORT="${LEADBOT_DASHBOARD_PORT:-8080}"
export LEADBOT_SCALED_PORT="${LEADBOT_SCALED_PORT:-5100}"
base="$LEADBOT_SCALED_PORT" pg_port=$((LEADBOT_SCALED_PORT + 40))
mkdir -p "$LEADBOT_DATA_DIR"
chmod go-rwx "$LEADBOT_DATA_DIR"
export LEADBOT_SCALED_DIR="$LEADBOT_DATA_DIR/scaled"
mkdir -p "$LEADBOT_SCALED_DIR"

# PostgreSQL's cluster, made once (trust on 127.0.0.1: the stack is local; docs/deploy.md).
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(runuser -u postgres --)
  default_pg="/var/lib/postgresql/leadbot-scaled-$(echo "$LEADBOT_DATA_DIR" | sha256sum | cut -c1-12)"
else
  default_pg="$LEADBOT_SCALED_DIR/pg"
fi
export LEADBOT_PG_DIR="${LEADBOT_PG_DIR:-$default_pg}"
[ -d "$(dirname "$LEADBOT_PG_DIR")" ] || install -d -m 0755 "$(dirname "$LEADBOT_PG_DIR")"
install -d -m 0700 "$LEADBOT_PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$LEADBOT_PG_DIR"
if [ ! -f "$LEADBOT_PG_DIR/data/PG_VERSION" ]; then
  log "creating the PostgreSQL cluster in $LEADBOT_PG_DIR"
  "${as_postgres[@]}" "$(pg_bin)/initdb" -D "$LEADBOT_PG_DIR/data" -U leadbot -A trust -E UTF8 --no-locale >/dev/null
fi

# Tokens live in the environment the processes inherit, never on a command line (`ps`).
new_token() { "$APP_VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'; }
export LEADBOT_ACTIONS_TOKEN="${LEADBOT_ACTIONS_TOKEN:-$(new_token)}"
export LEADBOT_AUTH_TOKEN="${LEADBOT_AUTH_TOKEN:-$(new_token)}"
# RabbitMQ (deploy/rabbitmq.sh): its files kept between runs, so events not yet consumed
# wait for the next run; guest, which it accepts from loopback only.
default_rabbitmq="$LEADBOT_SCALED_DIR/rabbitmq"
[ "$(id -u)" = 0 ] && default_rabbitmq="/var/lib/rabbitmq/leadbot-scaled-$(echo "$LEADBOT_DATA_DIR" | sha256sum | cut -c1-12)"
export LEADBOT_RABBITMQ_DIR="${LEADBOT_RABBITMQ_DIR:-$default_rabbitmq}"
export LEADBOT_RABBITMQ_URL="${LEADBOT_RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:$((LEADBOT_SCALED_PORT + 42))/%2F}"
"$RASA_VENV/bin/python" -m rasa_addons.channels.credentials credentials.yml "$LEADBOT_SCALED_DIR/credentials.yml"

# HAProxy: deploy/haproxy.cfg, the one configuration the containers use too (its comments say
# why each setting), with a server line per Rasa process.
"$APP_VENV/bin/python" deploy/stack.py haproxy-local "$scale" "$base" "$LEADBOT_BALANCER_PORT" \
  > "$LEADBOT_SCALED_DIR/haproxy.cfg"
haproxy -c -q -f "$LEADBOT_SCALED_DIR/haproxy.cfg"

conf="$ROOT/deploy/scaled/supervisord.conf"
ctl() { "$APP_VENV/bin/supervisorctl" -s "unix://$LEADBOT_SCALED_DIR/supervisor.sock" "$@"; }
"$APP_VENV/bin/supervisord" -c "$conf" &
supervisor=$!
trap 'kill -TERM "$supervisor" 2>/dev/null || true' TERM INT

# Once PostgreSQL answers: its two databases, the pipeline store migrated; then the bot.
for _ in $(seq 1 240); do
  kill -0 "$supervisor" 2>/dev/null || { log "supervisord exited"; exit 1; }
  "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break
  sleep 0.5
done
"$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { log "PostgreSQL did not start (see $LEADBOT_SCALED_DIR/postgres.log)"; kill -TERM "$supervisor"; wait; exit 1; }
for database in rasa_tracker leadbot; do
  "$(pg_bin)/psql" -q -h 127.0.0.1 -p "$pg_port" -U leadbot -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || "$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U leadbot "$database"
done
LEADBOT_DATABASE_URL="postgresql+psycopg://leadbot@127.0.0.1:$pg_port/leadbot" "$APP_VENV/bin/leadbot" db upgrade
ctl start "leadbot:*" >/dev/null

log "Chat and Rasa's HTTP API on http://127.0.0.1:$LEADBOT_BALANCER_PORT (HAProxy over $scale Rasa processes)"
log "Dashboard on http://127.0.0.1:$LEADBOT_DASHBOARD_PORT; processes: .venvs/app/bin/supervisorctl -s unix://$LEADBOT_SCALED_DIR/supervisor.sock status"
while kill -0 "$supervisor" 2>/dev/null; do
  wait "$supervisor" || true
done
