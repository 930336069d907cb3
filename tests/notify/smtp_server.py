"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Keep:
    """Accepts mail, except: `@refused.example` is unknown for good (550), and
    `@greylist.example` is turned away once with a temporary error (451), like greylisting."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.greylisted: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001, ANN201
        if address.endswith("@refused.example"):
            return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
        if address.endswith("@greylist.example") and address not in self.greylisted:
            self.greylisted.add(address)
            return "451 4.7.1 <" + address + ">: Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201 (aiosmtpd's hook)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.keep = _Keep()
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.keep.messages

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
