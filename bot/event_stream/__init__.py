"""Conversation events streamed from Rasa through RabbitMQ to the analytics (docs/deploy.md).

When `LEADBOT_RABBITMQ_URL` is set, Rasa publishes every event of every conversation
(rasa_addons/event_broker.py: spooled to disk first, so a RabbitMQ outage loses nothing) and
`leadbot events consume --follow` (`consumer.py`) writes them to the conversation analytics
(`conversation_events`) and the bot funnel (`record.py`); the action server then leaves the
funnel to it (actions/funnel.py). Unset (`make run`), the action server records the funnel
itself, on SQLite, and no other server runs.
"""
from __future__ import annotations

import os

URL_VARIABLE = "LEADBOT_RABBITMQ_URL"  # amqp://user:password@host:port/vhost (a secret: never logged)
# The same names as rasa_addons/event_broker.py (the two environments share no code).
EXCHANGE = "leadbot-events"
QUEUE = "leadbot_conversation_events"


def streamed() -> bool:
    """Conversation events reach the analytics through the broker (not the action server)."""
    return bool(os.environ.get(URL_VARIABLE, "").strip())


def broker_url() -> str:
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        raise RuntimeError(f"{URL_VARIABLE} is not set: the RabbitMQ the events come through")
    return url
