"""The real dashboard app (which mounts the CRM webhook routes) served by uvicorn in a thread
on 127.0.0.1, for the fake CRMs to push their webhooks to."""
from __future__ import annotations

import threading
import time

import uvicorn

from leadbot.site import create_site
from tests.ports import free_port


class WebhookServer:
    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_site(database_url=database_url), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on", ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def url(self, crm: str) -> str:
        return f"http://127.0.0.1:{self.port}/crm/webhooks/{crm}"

    def __enter__(self) -> "WebhookServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the webhook server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
