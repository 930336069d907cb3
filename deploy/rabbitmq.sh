#!/usr/bin/env bash
# A private RabbitMQ node (Debian's rabbitmq-server package) in DIR, listening on 127.0.0.1:PORT
# for AMQP and on DIST_PORT for Erlang's distribution (rabbitmqctl): the event broker of the
# scaled stack (deploy/scaled/process.sh) and of the tests (tests/rabbitmq.py). Its queues and
# persistent messages live in DIR/mnesia and survive a restart. Node name leadbot-PORT@localhost;
# user guest/guest, which RabbitMQ accepts from loopback only. As root it runs as the rabbitmq
# account (exec, no fork: SIGTERM reaches it and stops it cleanly).
#   deploy/rabbitmq.sh DIR PORT DIST_PORT
set -euo pipefail
dir="$1" port="$2" dist_port="$3"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "rabbitmq-server is not installed (apt-get install rabbitmq-server)" >&2; exit 1; }
as=()
if [ "$(id -u)" = 0 ]; then
  install -d -m 0700 -o rabbitmq -g rabbitmq "$dir"
  as=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups)
else
  install -d -m 0700 "$dir"
fi
[ -f "$dir/enabled_plugins" ] || { echo '[].' > "$dir/enabled_plugins"; [ "$(id -u)" = 0 ] && chown rabbitmq "$dir/enabled_plugins"; }
export HOME="$dir"  # its Erlang cookie
export RABBITMQ_NODENAME="leadbot-$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
  RABBITMQ_DIST_PORT="$dist_port" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=- \
  RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
  RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
  RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
exec "${as[@]}" "$server"
