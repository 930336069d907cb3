"""LEADBOT_ALLOWED_ORIGINS read and checked (rasa_addons/channels/origins.py, in the Rasa
environment: all cases in one process, each case one line)."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"
NOT_AN_ORIGIN = "is not an origin"

CASES = [
    # (LEADBOT_ALLOWED_ORIGINS, LEADBOT_DASHBOARD_PORT, the origins allowed or the error's words)
    # unset: the dashboard's own origin only, never every site
    (None, None, ["http://127.0.0.1:8080", "http://localhost:8080"]),
    ("", "9000", ["http://127.0.0.1:9000", "http://localhost:9000"]),
    ("  ", None, ["http://127.0.0.1:8080", "http://localhost:8080"]),
    (None, "eighty", "LEADBOT_DASHBOARD_PORT: 'eighty' is not a port number"),
    # lists: commas and/or spaces; written as browsers send an Origin header
    ("https://www.example.com", None, ["https://www.example.com"]),
    ("https://www.example.com, https://shop.example.com", None, ["https://www.example.com", "https://shop.example.com"]),
    ("https://a.example  http://b.example:8000\n", None, ["https://a.example", "http://b.example:8000"]),
    ("HTTPS://WWW.Example.COM/", None, ["https://www.example.com"]),
    ("https://example.com:443, http://example.com:80", None, ["https://example.com", "http://example.com"]),
    ("https://example.com, https://example.com/", None, ["https://example.com"]),
    ("http://[::1]:9000", None, ["http://[::1]:9000"]),
    ("http://127.0.0.1:5173", "9000", ["http://127.0.0.1:5173"]),  # a list replaces the default
    # every site: only when asked for, as the whole value
    ("*", None, "*"),
    ("https://example.com, *", None, "must be the whole value"),
    # not origins
    ("www.example.com", None, NOT_AN_ORIGIN),
    ("https://example.com/chat", None, NOT_AN_ORIGIN),
    ("https://example.com?x=1", None, NOT_AN_ORIGIN),
    ("https://example.com#top", None, NOT_AN_ORIGIN),
    ("https://user:pw@example.com", None, NOT_AN_ORIGIN),
    ("ftp://example.com", None, NOT_AN_ORIGIN),
    ("file:///var/www", None, NOT_AN_ORIGIN),
    ("https://example.com:99999", None, NOT_AN_ORIGIN),
    ("https://example.com:port", None, NOT_AN_ORIGIN),
    ("https://", None, NOT_AN_ORIGIN),
]

_PROGRAM = """
import json, sys
from rasa_addons.channels.origins import OriginsError, allowed_origins
results = []
for value, port in json.loads(sys.stdin.read()):
    env = {k: v for k, v in (("LEADBOT_ALLOWED_ORIGINS", value), ("LEADBOT_DASHBOARD_PORT", port)) if v is not None}
    try:
        results.append(allowed_origins(env))
    except OriginsError as exc:
        results.append({"error": str(exc)})
print("RESULTS " + json.dumps(results))
"""


@pytest.fixture(scope="module")
def results() -> list:
    done = subprocess.run([str(RASA_PYTHON), "-c", _PROGRAM], cwd=ROOT, capture_output=True, text=True,
                          input=json.dumps([[value, port] for value, port, _ in CASES]), timeout=300)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULTS ")), None)
    assert line, done.stderr[-3000:]
    return json.loads(line.removeprefix("RESULTS "))


@pytest.mark.parametrize("case", range(len(CASES)), ids=[repr(c[0]) for c in CASES])
def test_allowed_origins(results, case: int) -> None:
    value, port, expected = CASES[case]
    got = results[case]
    if isinstance(got, dict):
        assert isinstance(expected, str) and expected != "*" and expected in got["error"], got["error"]
        assert value is None or port is not None or "LEADBOT_ALLOWED_ORIGINS" in got["error"]
    else:
        assert got == expected
