"""Action-server start-up hooks. rasa-sdk imports a package of exactly this name and calls
`init_hooks(manager)`; this is its documented extension point.

We use it to let only Rasa in (`guard`: loopback by default, a shared token, JSON bodies), to
validate every settings file before the server takes requests (a typo fails
at start, not mid-conversation) and to retry, in the background, leads kept in the spool
while the pipeline store was down, so they reach the store once it is back even if that
visitor never writes again; and to assign, on the same beat, qualified leads that were
waiting for a rep (none was available, or assignment failed); and to serve `/metrics` and
log one line per turn (`telemetry`).
"""
from __future__ import annotations

import asyncio
import logging

import pluggy
from sanic import Sanic

from actions import services
from actions.language import warm_up as load_language_detector
from actions.store_calls import in_the_background
from rasa_sdk_plugins import guard, telemetry

hookimpl = pluggy.HookimplMarker("rasa_sdk")
log = logging.getLogger(__name__)


class LeadbotPlugin:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        guard.attach(app)
        telemetry.attach(app)
        app.register_listener(_start, "before_server_start")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(LeadbotPlugin())


async def _start(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
    services.load_all()
    load_language_detector()
    app.add_task(_retry_pending_leads(services.conversation_settings().pending_retry_seconds))


async def _retry_pending_leads(interval: float) -> None:
    """Runs on the store's threads (actions/store_calls.py): a locked store stalls no conversation."""
    while True:
        await asyncio.sleep(interval)
        try:
            now = services.clock().now()
            stored = await in_the_background(lambda: services.intake().retry_pending(now=now))
        except Exception:  # keep retrying whatever happens; the spool is never touched here
            log.exception("retrying pending leads failed")
            continue
        if stored:
            log.info("stored %d lead(s) kept while the pipeline store was down", stored)
        try:
            now = services.clock().now()
            assigned = await in_the_background(lambda: services.intake().assign_waiting(now=now))
        except Exception:  # a bad rule or rep must not stop the retries above
            log.exception("assigning waiting leads failed")
            continue
        if assigned:
            log.info("assigned %d lead(s) that were waiting for a rep", assigned)
