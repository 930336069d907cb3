"""Write the Rasa credentials file: the repository's credentials.yml (REST, socket.io) plus each
messaging channel whose environment variables are set.

Rasa expands `${VAR}` in credentials but fails on an unset variable, so a channel block with
placeholders would stop `make run` on a machine without tokens. Here a channel is enabled
only when all its required variables are set; a channel with some but not all of them is an
error naming the missing ones (a half-configured channel must not be silently off).
`LEADBOT_ALLOWED_ORIGINS` (rasa_addons/channels/origins.py) is checked here too, so a wrong
value stops the start with its reason instead of Rasa failing again and again.

    python -m rasa_addons.channels.credentials credentials.yml OUT.yml
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Mapping

import yaml

from rasa_addons.channels.origins import ANY, OriginsError, allowed_origins


@dataclass(frozen=True)
class ChannelEnv:
    """One connector: its credentials key and which variable fills which credential."""

    connector: str
    required: Dict[str, str]
    optional: Dict[str, str] = field(default_factory=dict)


CHANNELS: Dict[str, ChannelEnv] = {
    "telegram": ChannelEnv(
        "rasa_addons.channels.telegram.TelegramChannel",
        {"access_token": "LEADBOT_TELEGRAM_TOKEN", "verify": "LEADBOT_TELEGRAM_BOT_USERNAME",
         "webhook_url": "LEADBOT_TELEGRAM_WEBHOOK_URL"},
        {"secret_token": "LEADBOT_TELEGRAM_SECRET_TOKEN", "api_base_url": "LEADBOT_TELEGRAM_API_BASE_URL"}),
    "slack": ChannelEnv(
        "rasa_addons.channels.slack.SlackChannel",
        {"slack_token": "LEADBOT_SLACK_BOT_TOKEN", "slack_signing_secret": "LEADBOT_SLACK_SIGNING_SECRET"},
        {"slack_channel": "LEADBOT_SLACK_CHANNEL", "api_base_url": "LEADBOT_SLACK_API_BASE_URL"}),
    "facebook": ChannelEnv(
        "rasa_addons.channels.facebook.FacebookChannel",
        {"verify": "LEADBOT_FACEBOOK_VERIFY_TOKEN", "secret": "LEADBOT_FACEBOOK_APP_SECRET",
         "page-access-token": "LEADBOT_FACEBOOK_PAGE_ACCESS_TOKEN"},
        {"api_base_url": "LEADBOT_FACEBOOK_API_BASE_URL"}),
    "twilio": ChannelEnv(
        "rasa_addons.channels.twilio.TwilioChannel",
        {"account_sid": "LEADBOT_TWILIO_ACCOUNT_SID", "auth_token": "LEADBOT_TWILIO_AUTH_TOKEN",
         "twilio_number": "LEADBOT_TWILIO_NUMBER", "webhook_url": "LEADBOT_TWILIO_WEBHOOK_URL"},
        {"api_base_url": "LEADBOT_TWILIO_API_BASE_URL"}),
    "twilio_voice": ChannelEnv(
        "rasa_addons.channels.twilio_voice.TwilioVoiceChannel",
        {"auth_token": "LEADBOT_TWILIO_VOICE_AUTH_TOKEN", "webhook_url": "LEADBOT_TWILIO_VOICE_WEBHOOK_URL"},
        {"assistant_voice": "LEADBOT_TWILIO_VOICE_VOICE", "language": "LEADBOT_TWILIO_VOICE_LANGUAGE"}),
}


class ChannelConfigError(ValueError):
    pass


# The channels credentials.yml always has (our REST and socket.io, with input limits), by name.
BUILT_IN = {"rasa_addons.channels.rest.RestChannel": "rest", "rasa_addons.channels.socketio.SocketIOChannel": "socketio"}


def channel_credentials(env: Mapping[str, str]) -> Dict[str, Dict[str, str]]:
    """The credentials blocks of the channels configured in `env`."""
    blocks: Dict[str, Dict[str, str]] = {}
    for name, spec in CHANNELS.items():
        present = {key: env[var] for key, var in spec.required.items() if env.get(var)}
        if not present:
            continue
        missing: List[str] = [var for key, var in spec.required.items() if key not in present]
        if missing:
            raise ChannelConfigError(f"{name}: set {', '.join(missing)} too, or unset the other "
                                     f"{name} variables (docs/channels.md)")
        present.update({key: env[var] for key, var in spec.optional.items() if env.get(var)})
        blocks[spec.connector] = present
    return blocks


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        base = yaml.safe_load(f) or {}
    try:
        extra = channel_credentials(os.environ)
        origins = allowed_origins(os.environ)  # checked here too: a wrong value stops the start
    except (ChannelConfigError, OriginsError) as exc:
        print(f"credentials: {exc}", file=sys.stderr)
        return 1
    base.update(extra)
    # Every channel's secrets: readable by this user only, also when an earlier run left it 0644.
    fd = os.open(argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(base, f, sort_keys=False)
    short = {**{spec.connector: name for name, spec in CHANNELS.items()}, **BUILT_IN}
    print(f"channels: {', '.join(short.get(key, key) for key in base)}; socket.io pages from "
          f"{origins if origins == ANY else ', '.join(origins)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
