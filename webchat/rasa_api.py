"""The few calls the rep API makes to Rasa's HTTP API (enabled with `--enable-api`).

Rasa's API can rewrite any conversation, so it stays on loopback or a private network
(RASA_NOTES: its token does not protect the channel webhooks); only this server talks to
it, with the token from `LEADBOT_AUTH_TOKEN`. Every call has a timeout.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

TIMEOUT = 30.0  # an action run through Rasa may store a lead: seconds, not milliseconds


class RasaUnavailable(RuntimeError):
    """Rasa's API did not answer, or answered with an error; the message says which."""


@dataclass(frozen=True)
class RasaApi:
    """Rasa's HTTP API at `url`, with its token if it requires one."""

    url: str
    token: str | None = None

    def _call(self, method: str, path: str, *, params: dict[str, str] | None = None, json: Any = None) -> Any:
        query = dict(params or {})
        if self.token:
            query["token"] = self.token
        try:
            response = requests.request(method, f"{self.url.rstrip('/')}{path}", params=query, json=json,
                                        timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise RasaUnavailable(f"Rasa at {self.url} did not answer: {exc}") from exc
        if not response.ok:
            raise RasaUnavailable(f"Rasa answered {response.status_code} to {method} {path}: {response.text[:300]}")
        return response.json()

    @staticmethod
    def _conversation(conversation_id: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}"

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's state: events, slots, `paused`."""
        return self._call("GET", self._conversation(conversation_id) + "/tracker")

    def add_events(self, conversation_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Append events; bot messages among them are sent to the visitor's channel."""
        return self._call("POST", self._conversation(conversation_id) + "/tracker/events",
                          params={"execute_side_effects": "true", "output_channel": "latest"}, json=events)

    def run_action(self, conversation_id: str, action: str) -> dict[str, Any]:
        """Run one action (even while the bot is paused); its messages go to the visitor's channel.

        Rasa 3.6 marks this endpoint deprecated (it still works) and answers with the tracker
        as it was *before* the action: read `tracker()` afterwards for the new state.
        """
        return self._call("POST", self._conversation(conversation_id) + "/execute",
                          params={"output_channel": "latest"}, json={"name": action})
