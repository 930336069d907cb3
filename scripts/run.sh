#!/usr/bin/env bash
# Start the bot on localhost under supervisord (deploy/supervisord.conf): the action server,
# the CRM sync worker (`leadbot sync --follow`, idle while settings/crm.yml says provider:
# none), the lead-card sender (`leadbot notifications send --follow`), the reps' dashboard
# (`leadbot dashboard`) and the Rasa server (REST + socket.io + HTTP API), on the SQLite
# pipeline store. A process that dies is started again while the others keep serving;
# Ctrl-C or SIGTERM to this script stops them all within 10 s.
#   LEADBOT_RASA_PORT (5005)  LEADBOT_ACTIONS_PORT (5055)  LEADBOT_DASHBOARD_PORT (8080)
#   LEADBOT_AUTH_TOKEN (Rasa's HTTP API token)  LEADBOT_ACTIONS_TOKEN (the action server's):
#     each made afresh per run when unset, never printed (docs/security.md)
#   LEADBOT_ADMIN_EMAIL/LEADBOT_ADMIN_PASSWORD (first manager account)
#   LEADBOT_WIDGET_SOCKET_URL (Rasa as browsers see it)
#   LEADBOT_ALLOWED_ORIGINS (the sites whose pages may open the chat; default the dashboard's, docs/widget.md)
#   LEADBOT_DATABASE_URL (default sqlite under data/runtime)
#   LEADBOT_TELEGRAM_* / LEADBOT_SLACK_* / LEADBOT_FACEBOOK_* / LEADBOT_TWILIO_* (messaging apps, docs/channels.md)
set -euo pipefail
umask 077  # the stores, the spool and the credentials file: readable by this user only
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export ROOT APP_VENV RASA_VENV  # read by deploy/supervisord.conf
export LEADBOT_RASA_PORT="${LEADBOT_RASA_PORT:-5005}"
export LEADBOT_ACTIONS_PORT="${LEADBOT_ACTIONS_PORT:-5055}"
export LEADBOT_DASHBOARD_PORT="${LEADBOT_DASHBOARD_PORT:-8080}"
mkdir -p "$LEADBOT_DATA_DIR"
chmod -R go-rwx "$LEADBOT_DATA_DIR"  # also what an earlier version left readable to all
export LEADBOT_ACTION_ENDPOINT="http://127.0.0.1:$LEADBOT_ACTIONS_PORT/webhook"
export LEADBOT_TRACKER_DB="${LEADBOT_TRACKER_DB:-$LEADBOT_DATA_DIR/tracker.db}"
# The dashboard server also serves the chat widget, its demo page and the rep API (webchat/).
export LEADBOT_RASA_URL="http://127.0.0.1:$LEADBOT_RASA_PORT"

# Tokens live in the environment the processes inherit, never on a command line (`ps`).
new_token() { "$APP_VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'; }
export LEADBOT_ACTIONS_TOKEN="${LEADBOT_ACTIONS_TOKEN:-$(new_token)}"
export LEADBOT_AUTH_TOKEN="${LEADBOT_AUTH_TOKEN:-$(new_token)}"

"$APP_VENV/bin/leadbot" db upgrade

# Messaging apps (Telegram, Slack, Messenger, WhatsApp via Twilio) join REST + socket.io when
# their LEADBOT_* variables are set (docs/channels.md).
"$RASA_VENV/bin/python" -m rasa_addons.channels.credentials credentials.yml "$LEADBOT_DATA_DIR/credentials.yml"

log "Rasa on http://127.0.0.1:$LEADBOT_RASA_PORT (REST: /webhooks/rest/webhook), actions on 127.0.0.1:$LEADBOT_ACTIONS_PORT"
log "Dashboard on http://127.0.0.1:$LEADBOT_DASHBOARD_PORT (first account: .venvs/app/bin/leadbot users add you@example.com --role manager)"
log "Chat widget demo on http://127.0.0.1:$LEADBOT_DASHBOARD_PORT/demo/ (reps answer hand-offs on the lead page or the rep API, docs/handoff.md)"
exec "$APP_VENV/bin/supervisord" -c "$ROOT/deploy/supervisord.conf"
