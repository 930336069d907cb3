"""The messaging channels' test configuration: the LEADBOT_* variables a deployment would set,
pointed at the platform stand-in, and the credentials file written by the same generator
`scripts/run.sh` uses."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.channels.platforms import TELEGRAM_BOT_USERNAME
from tests.e2e.servers import ROOT

TELEGRAM_SECRET = "tg-secret-123"
SLACK_SIGNING_SECRET = "slack-signing-secret-123"
FACEBOOK_APP_SECRET = "fb-app-secret-123"
FACEBOOK_VERIFY = "fb-verify-123"
TWILIO_SID = "AC" + "0" * 32
TWILIO_AUTH_TOKEN = "twilio-auth-token-123"
TWILIO_NUMBER = "whatsapp:+14155238886"


TWILIO_VOICE_AUTH_TOKEN = "twilio-voice-auth-token-123"
VOICE_NUMBER = "+14155550100"  # the business's Twilio number callers dial


def voice_webhook_url(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/twilio_voice/webhook"


def twilio_webhook_url(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/twilio/webhook"


def channel_env(platforms_url: str, rasa_url: str) -> dict[str, str]:
    return {
        "LEADBOT_TELEGRAM_TOKEN": "123456:TEST-token",
        "LEADBOT_TELEGRAM_BOT_USERNAME": TELEGRAM_BOT_USERNAME,
        "LEADBOT_TELEGRAM_WEBHOOK_URL": f"{rasa_url}/webhooks/telegram/webhook",
        "LEADBOT_TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "LEADBOT_TELEGRAM_API_BASE_URL": f"{platforms_url}/telegram",
        "LEADBOT_SLACK_BOT_TOKEN": "xoxb-test-token",
        "LEADBOT_SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "LEADBOT_SLACK_API_BASE_URL": f"{platforms_url}/slack/api/",
        "LEADBOT_FACEBOOK_VERIFY_TOKEN": FACEBOOK_VERIFY,
        "LEADBOT_FACEBOOK_APP_SECRET": FACEBOOK_APP_SECRET,
        "LEADBOT_FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
        "LEADBOT_FACEBOOK_API_BASE_URL": f"{platforms_url}/graph",
        "LEADBOT_TWILIO_ACCOUNT_SID": TWILIO_SID,
        "LEADBOT_TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "LEADBOT_TWILIO_NUMBER": TWILIO_NUMBER,
        "LEADBOT_TWILIO_WEBHOOK_URL": twilio_webhook_url(rasa_url),
        "LEADBOT_TWILIO_API_BASE_URL": f"{platforms_url}/twilio",
        "LEADBOT_TWILIO_VOICE_AUTH_TOKEN": TWILIO_VOICE_AUTH_TOKEN,
        "LEADBOT_TWILIO_VOICE_WEBHOOK_URL": voice_webhook_url(rasa_url),
    }


def write_credentials(out: Path, env: dict[str, str]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(ROOT / ".venvs" / "rasa" / "bin" / "python"), "-m", "rasa_addons.channels.credentials",
                    "credentials.yml", str(out)], cwd=ROOT, env=env, check=True, capture_output=True)
    return out
