#!/usr/bin/env bash
# One process of the scaled stack (deploy/scaled/supervisord.conf): KIND NUMBER -> its ports,
# settings and command, then exec. Started only by scripts/run-scaled.sh's supervisord, which
# exports ROOT, the venvs, LEADBOT_SCALED_DIR, LEADBOT_SCALED_PORT and the tokens.
# Ports (docs/deploy.md): from LEADBOT_SCALED_PORT (P): Rasa N at P+N, its action server at
# P+20+N, PostgreSQL P+40, Redis P+41, RabbitMQ P+42 (P+43 its Erlang distribution), metrics:
# HAProxy P+50, dashboard P+51, sync N P+60+N, card sender N P+70+N, nurture sender N P+80+N,
# event consumer N P+90+N; the balancer on LEADBOT_BALANCER_PORT, the dashboard on LEADBOT_DASHBOARD_PORT.
set -euo pipefail
kind="$1" number="$2"
base="$LEADBOT_SCALED_PORT"
export LEADBOT_PG_PORT=$((base + 40)) LEADBOT_REDIS_HOST=127.0.0.1 LEADBOT_REDIS_PORT=$((base + 41))
export LEADBOT_TRACKER_URL="postgresql://leadbot@127.0.0.1:$LEADBOT_PG_PORT/rasa_tracker"
export LEADBOT_DATABASE_URL="postgresql+psycopg://leadbot@127.0.0.1:$LEADBOT_PG_PORT/leadbot"
# Rasa's HTTP API and socket.io as the dashboard and browsers reach them: through the balancer.
export LEADBOT_RASA_URL="http://127.0.0.1:$LEADBOT_BALANCER_PORT"
export LEADBOT_WIDGET_SOCKET_URL="${LEADBOT_WIDGET_SOCKET_URL:-$LEADBOT_RASA_URL}"

case "$kind" in
  postgres)
    bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n1)")"
    as=(); [ "$(id -u)" = 0 ] && as=(setpriv --reuid=postgres --regid=postgres --clear-groups)  # exec, no fork: signals reach it
    exec "${as[@]}" "$bin/postgres" -D "$LEADBOT_PG_DIR/data" -p "$LEADBOT_PG_PORT" -k "$LEADBOT_PG_DIR" \
      -c listen_addresses=127.0.0.1 -c max_connections=200 ;;
  redis)
    exec redis-server --port "$LEADBOT_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --dir "$LEADBOT_SCALED_DIR" ;;
  balancer)
    exec haproxy -W -db -f "$LEADBOT_SCALED_DIR/haproxy.cfg" ;;
  rabbitmq)
    exec "$ROOT/deploy/rabbitmq.sh" "$LEADBOT_RABBITMQ_DIR" $((base + 42)) $((base + 43)) ;;
  rasa)
    export LEADBOT_ACTION_ENDPOINT="http://127.0.0.1:$((base + 20 + number))/webhook"
    # its own spool of conversation events not yet in RabbitMQ (rasa_addons/event_broker.py)
    export LEADBOT_EVENT_SPOOL="$LEADBOT_SCALED_DIR/event-spool-rasa-$number.sqlite"
    exec "$RASA_VENV/bin/python" -m rasa_addons.serve run --model models/leadbot.tar.gz --enable-api \
      --interface 127.0.0.1 --port $((base + number)) --endpoints deploy/scaled/endpoints.yml \
      --credentials "$LEADBOT_SCALED_DIR/credentials.yml" ;;
  actions)
    exec "$APP_VENV/bin/python" -m rasa_sdk --actions actions --port $((base + 20 + number)) ;;
  sync)
    export LEADBOT_METRICS_PORT=$((base + 60 + number))
    exec "$APP_VENV/bin/leadbot" sync --follow ;;
  notify)
    export LEADBOT_METRICS_PORT=$((base + 70 + number))
    exec "$APP_VENV/bin/leadbot" notifications send --follow ;;
  nurture)
    export LEADBOT_METRICS_PORT=$((base + 80 + number))
    exec "$APP_VENV/bin/leadbot" nurture send --follow ;;
  events)
    export LEADBOT_METRICS_PORT=$((base + 90 + number))
    exec "$APP_VENV/bin/leadbot" events consume --follow ;;
  dashboard)
    export LEADBOT_METRICS_PORT=$((base + 51))
    exec "$APP_VENV/bin/leadbot" dashboard --port "$LEADBOT_DASHBOARD_PORT" ;;
  *)
    echo "unknown process kind: $kind" >&2; exit 2 ;;
esac
