"""A lead's transcript only grows: each submission and each later message adds the lines
it does not have yet (bot/store/repository.py merged_transcript, add_transcript_lines)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.leads import TranscriptLine
from bot.store.repository import add_transcript_lines, get_lead, merged_transcript, save_lead
from bot.store.pipeline import PipelineSettings
from tests.store.builders import NOW, submission


def line(sender: str, text: str, seconds: float) -> TranscriptLine:
    return TranscriptLine(sender, text, NOW + timedelta(seconds=seconds))


def texts(rows: list[dict]) -> list[str]:
    return [r["text"] for r in rows]


def test_a_later_part_of_the_conversation_is_appended_not_substituted() -> None:
    first = merged_transcript([], [line("user", "hi", 0), line("bot", "Hello!", 0.2)])
    # A new session (an hour of silence, or a bounded session) only shows its own lines.
    later = merged_transcript(first, [line("user", "still there?", 4000), line("bot", "Yes!", 4000.1)])
    assert texts(later) == ["hi", "Hello!", "still there?", "Yes!"]


def test_the_same_words_twice_within_a_second_are_kept_twice() -> None:
    lines = [line("user", "yes", 1.1), line("user", "yes", 1.6), line("bot", "Noted.", 1.7)]
    once = merged_transcript([], lines[:1])
    assert texts(merged_transcript(once, lines)) == ["yes", "yes", "Noted."]
    assert merged_transcript(merged_transcript(once, lines), lines) == merged_transcript(once, lines)


def test_resubmitting_what_is_stored_changes_nothing_and_times_keep_milliseconds() -> None:
    lines = [line("user", "hi", 0.25), line("bot", "Hello!", 0.5)]
    stored = merged_transcript([], lines)
    assert merged_transcript(stored, lines) == stored
    assert stored[0]["at"].endswith(".250+00:00")


def test_lines_stored_to_the_second_before_milliseconds_are_matched() -> None:
    legacy = [{"sender": "user", "text": "hi", "at": (NOW + timedelta(seconds=3)).isoformat(timespec="seconds")}]
    merged = merged_transcript(legacy, [line("user", "hi", 3.4), line("bot", "Hello!", 3.5)])
    assert texts(merged) == ["hi", "Hello!"]


def test_a_second_conversation_with_the_same_email_keeps_its_lines_beside_the_lead(
        sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        lead_id = save_lead(session, submission("conv-a"), now=NOW, pipeline=PipelineSettings()).lead_id
    later = replace(submission("conv-b"), transcript=(line("user", "Back again, same company", 86400),))
    with sessions.begin() as session:
        assert save_lead(session, later, now=NOW, pipeline=PipelineSettings()).lead_id == lead_id
    with sessions.begin() as session:  # what it says next reaches its linked conversation
        assert add_transcript_lines(session, "conv-b", [line("user", "Still here", 86500)], now=NOW) is None
    with sessions() as session:
        lead = get_lead(session, lead_id)
        assert texts(lead.transcript) == ["Hi! This chat is recorded.", "We need a chatbot to book consultations"]
        assert texts(lead.linked_conversations[0].transcript) == ["Back again, same company", "Still here"]


def test_messages_after_the_lead_is_stored_reach_it(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        lead_id = save_lead(session, submission("conv-a"), now=NOW, pipeline=PipelineSettings()).lead_id
    with sessions.begin() as session:
        assert add_transcript_lines(session, "conv-a", [line("user", "what do you cost?", 600)], now=NOW) == lead_id
        assert add_transcript_lines(session, "no-such-conversation", [line("user", "hi", 1)], now=NOW) is None
    with sessions() as session:
        assert texts(get_lead(session, lead_id).transcript)[-1] == "what do you cost?"


def test_a_new_sessions_carried_turn_is_read_once() -> None:
    from bot.transcript import PREVIOUS_TURN_KEY, transcript_from_events
    turn = [{"event": "user", "text": "what do you cost?", "timestamp": 100.0},
            {"event": "bot", "text": "From 99 a month.", "timestamp": 100.2}]
    start = {"event": "session_started", "timestamp": 101.0, "metadata": {PREVIOUS_TURN_KEY: turn}}
    after = [{"event": "user", "text": "ok", "timestamp": 150.0}]
    # What the action server sees: the new session only.
    assert [t.text for t in transcript_from_events([start, *after])] == ["what do you cost?", "From 99 a month.", "ok"]
    # What Rasa's HTTP API returns for the rep: every session.
    assert [t.text for t in transcript_from_events([*turn, start, *after])] == [
        "what do you cost?", "From 99 a month.", "ok"]
