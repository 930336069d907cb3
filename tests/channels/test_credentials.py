"""The credentials generator (run by scripts/run.sh in the Rasa environment) and the numbered
choices, as plain functions."""
from __future__ import annotations

import os
import stat
import subprocess

import pytest
import yaml

from tests.channels.config import channel_env, write_credentials
from tests.e2e.servers import ROOT

BUILT_IN = {"rasa_addons.channels.rest.RestChannel", "rasa_addons.channels.socketio.SocketIOChannel"}
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"


def _generate(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_PYTHON), "-m", "rasa_addons.channels.credentials", "credentials.yml",
                           str(tmp_path / "out.yml")], cwd=ROOT, env=env, capture_output=True, text=True)


def test_no_tokens_means_rest_and_socketio_only(tmp_path):
    env = {"PATH": "/usr/bin:/bin"}
    result = _generate(tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert set(yaml.safe_load((tmp_path / "out.yml").read_text())) == BUILT_IN
    assert "channels: rest, socketio" in result.stderr
    assert "socket.io pages from http://127.0.0.1:8080, http://localhost:8080" in result.stderr


def test_a_wrong_allowed_origin_stops_the_start_with_its_reason(tmp_path):
    result = _generate(tmp_path, {"PATH": "/usr/bin:/bin", "LEADBOT_ALLOWED_ORIGINS": "https://shop.example.com/chat"})
    assert result.returncode == 1
    assert "LEADBOT_ALLOWED_ORIGINS: 'https://shop.example.com/chat' is not an origin" in result.stderr
    assert not (tmp_path / "out.yml").exists()


def test_all_channels_from_the_environment(tmp_path):
    out = write_credentials(tmp_path / "c.yml", {"PATH": "/usr/bin:/bin", **channel_env("http://x", "http://r")})
    creds = yaml.safe_load(out.read_text())
    tg = creds["rasa_addons.channels.telegram.TelegramChannel"]
    assert tg["api_base_url"] == "http://x/telegram" and tg["secret_token"]
    assert creds["rasa_addons.channels.slack.SlackChannel"]["slack_signing_secret"]
    assert creds["rasa_addons.channels.facebook.FacebookChannel"]["page-access-token"] == "fb-page-token"
    assert creds["rasa_addons.channels.twilio.TwilioChannel"]["webhook_url"] == "http://r/webhooks/twilio/webhook"
    voice = creds["rasa_addons.channels.twilio_voice.TwilioVoiceChannel"]
    assert voice == {"auth_token": "twilio-voice-auth-token-123", "webhook_url": "http://r/webhooks/twilio_voice/webhook"}


def test_phone_calls_alone_need_their_token_and_public_url(tmp_path):
    result = _generate(tmp_path, {"PATH": "/usr/bin:/bin", "LEADBOT_TWILIO_VOICE_AUTH_TOKEN": "t"})
    assert result.returncode == 1 and "twilio_voice: set LEADBOT_TWILIO_VOICE_WEBHOOK_URL too" in result.stderr
    result = _generate(tmp_path, {"PATH": "/usr/bin:/bin", "LEADBOT_TWILIO_VOICE_AUTH_TOKEN": "t",
                                  "LEADBOT_TWILIO_VOICE_WEBHOOK_URL": "https://bot.example.com/webhooks/twilio_voice/webhook",
                                  "LEADBOT_TWILIO_VOICE_VOICE": "Polly.Amy"})
    assert result.returncode == 0, result.stderr
    assert "channels: rest, socketio, twilio_voice" in result.stderr
    creds = yaml.safe_load((tmp_path / "out.yml").read_text())
    assert creds["rasa_addons.channels.twilio_voice.TwilioVoiceChannel"]["assistant_voice"] == "Polly.Amy"


def test_a_half_configured_channel_is_an_error_naming_what_is_missing(tmp_path):
    result = _generate(tmp_path, {"PATH": "/usr/bin:/bin", "LEADBOT_SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 1
    assert "LEADBOT_SLACK_SIGNING_SECRET" in result.stderr


@pytest.mark.parametrize("reply,expected", [
    ("2", "within 3 months"), ("2.", "within 3 months"), (" option 2 ", "within 3 months"), ("#1", "right away"),
    ("7", "7"), ("0", "0"), ("2 people", "2 people"), ("the second", "the second"),
])
def test_numbered_reply_maps_to_the_offered_payload(reply, expected):
    code = ("from rasa.shared.core.events import BotUttered, UserUttered\n"
            "from rasa_addons.channels.choices import offered_payloads as offered, resolve_choice as r\n"
            "ask = BotUttered('When?', {'buttons': [{'title': 'Right away', 'payload': 'right away'},"
            " {'title': 'Within 3 months', 'payload': 'within 3 months'}]})\n"
            "plain = BotUttered('Thanks!', {})\n"
            f"print(r(offered([UserUttered('hi'), ask]), {reply!r}))\n"
            "print(r(offered([ask, UserUttered('soon')]), '2'))\n"
            "print(r(offered([ask, plain]), '2'))\n"
            "print(r(offered([]), '2'))")
    out = subprocess.run([str(RASA_PYTHON), "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [expected, "2", "2", "2"], \
        "an offer counts until the visitor replies or the bot says something without choices"


def test_the_file_is_readable_by_its_owner_only_even_over_an_old_one(tmp_path):
    out = tmp_path / "out.yml"
    out.write_text("old: world-readable\n")
    out.chmod(0o644)
    result = subprocess.run([str(RASA_PYTHON), "-m", "rasa_addons.channels.credentials", "credentials.yml", str(out)],
                            cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                            preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert set(yaml.safe_load(out.read_text())) == BUILT_IN
