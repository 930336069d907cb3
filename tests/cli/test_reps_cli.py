"""`leadbot teams` and `leadbot reps`, run as an operator would."""
from __future__ import annotations

import sqlite3


def test_a_sales_team_is_set_up_from_the_command_line(leadbot, store: str) -> None:
    assert leadbot("teams", "add", "EMEA Sales").returncode == 0
    added = leadbot("reps", "add", "Dana Ruiz", "Dana@Seller.example", "--team", "emea sales",
                    "--territories", "de, at,EMEA", "--capacity", "25", "--timezone", "Europe/Berlin",
                    "--hours", "mon-fri 9-17", "--slack-webhook-env", "SLACK_WEBHOOK_DANA")
    assert added.returncode == 0, added.stderr
    assert "Dana Ruiz <dana@seller.example> added" in added.stdout
    assert leadbot("reps", "add", "Lee", "lee@seller.example").returncode == 0

    listing = leadbot("reps", "list")
    assert listing.returncode == 0, listing.stderr
    header, _, *rows = listing.stdout.splitlines()
    assert header.split()[:4] == ["ID", "NAME", "EMAIL", "TEAM"]
    dana = next(r for r in rows if "Dana" in r)
    assert "EMEA Sales" in dana and "AT,DE,EMEA" in dana and "0/25" in dana and "mon-fri 09:00-17:00" in dana
    lee = next(r for r in rows if "Lee" in r)
    assert "always" in lee and "0/-" in lee

    shown = leadbot("reps", "show", "dana@seller.example")
    assert shown.returncode == 0, shown.stderr
    assert "Territories:  AT, DE, EMEA" in shown.stdout and "Open leads:   0 of 25" in shown.stdout
    assert "e-mail" in shown.stdout and "$SLACK_WEBHOOK_DANA" in shown.stdout
    assert "Last lead:    never" in shown.stdout

    assert leadbot("teams", "list").stdout.count("Dana Ruiz") == 1
    stored = sqlite3.connect(store.removeprefix("sqlite:///")).execute(
        "SELECT working_hours, timezone, capacity, notify FROM reps WHERE email = 'dana@seller.example'").fetchone()
    assert '"mon": ["09:00", "17:00"]' in stored[0] and stored[1] == "Europe/Berlin" and stored[2] == 25
    assert "SLACK_WEBHOOK_DANA" in stored[3] and "https://" not in stored[3], "the URL itself is never stored"


def test_update_deactivate_and_activate(leadbot) -> None:
    leadbot("reps", "add", "Lee", "lee@seller.example")
    updated = leadbot("reps", "update", "lee@seller.example", "--name", "Lee Park", "--hours", "always",
                      "--capacity", "0", "--no-email", "--territories", "US")
    assert updated.returncode == 0, updated.stderr
    shown = leadbot("reps", "show", "1").stdout
    assert "Lee Park" in shown and "Lead cards:   none" in shown and "(no limit)" in shown and "US" in shown
    assert "inactive" in leadbot("reps", "deactivate", "lee@seller.example").stdout
    assert "INACTIVE" in leadbot("reps", "show", "lee@seller.example").stdout
    assert leadbot("reps", "activate", "1").returncode == 0
    assert "INACTIVE" not in leadbot("reps", "show", "1").stdout


def test_mistakes_are_one_clear_line(leadbot) -> None:
    leadbot("reps", "add", "Lee", "lee@seller.example")
    cases = [
        (("reps", "add", "Lee", "lee@seller.example"), "already exists"),
        (("reps", "add", "X", "not-an-address"), "not an e-mail address"),
        (("reps", "add", "X", "x@seller.example", "--hours", "weekdays 9-5"), "--hours"),
        (("reps", "add", "X", "x@seller.example", "--timezone", "Berlin"), "unknown time zone"),
        (("reps", "add", "X", "x@seller.example", "--territories", "Germany"), "neither an ISO country code"),
        (("reps", "add", "X", "x@seller.example", "--team", "ghosts"), "no team named 'ghosts'"),
        (("reps", "add", "X", "x@seller.example", "--capacity", "-1"), "capacity"),
        (("reps", "add", "X", "x@seller.example", "--slack-webhook-env", "https://hooks.slack.com/T/B/x"),
         "NAME of an environment variable"),
        (("reps", "show", "nobody@seller.example"), "no rep"),
        (("teams", "remove", "ghosts"), "no team named"),
    ]
    for args, message in cases:
        result = leadbot(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert leadbot("reps", "list").stdout.count("seller.example") == 1, "nothing half-saved"


def test_a_team_with_reps_cannot_be_removed(leadbot) -> None:
    leadbot("teams", "add", "smb")
    leadbot("reps", "add", "Lee", "lee@seller.example", "--team", "smb")
    refused = leadbot("teams", "remove", "smb")
    assert refused.returncode == 1 and "still has 1 rep" in refused.stderr
    leadbot("reps", "update", "lee@seller.example", "--team", "")
    assert leadbot("teams", "remove", "smb").returncode == 0
    assert "No teams yet" in leadbot("teams", "list").stdout


def test_a_reps_phone_line_is_set_shown_and_refused_when_not_e164(leadbot) -> None:
    assert leadbot("reps", "add", "Lee", "lee@seller.example", "--phone", "+14155550177").returncode == 0
    assert "Phone line:   +14155550177" in leadbot("reps", "show", "1").stdout
    refused = leadbot("reps", "update", "1", "--phone", "415 555 0177")
    assert refused.returncode != 0 and "E.164" in refused.stderr
    assert leadbot("reps", "update", "1", "--phone", "").returncode == 0
    assert "Phone line:   -" in leadbot("reps", "show", "1").stdout
