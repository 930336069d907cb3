"""The trigger a chat was opened from is kept with the lead's source, first touch, checked."""
from __future__ import annotations

import pytest

from bot.source import lead_source

GREET = {"page_url": "https://www.example.com/pricing", "proactive_trigger": "pricing-page",
         "proactive_site": "default"}


def test_the_first_messages_trigger_is_the_leads() -> None:
    later = {"page_url": "https://www.example.com/", "proactive_trigger": "leaving"}
    source = lead_source([GREET, {"page_url": "https://www.example.com/pricing"}, later])
    assert source["proactive_trigger"] == "pricing-page"
    assert "proactive_site" not in source  # only what the rep reads: the trigger's name


@pytest.mark.parametrize("value", ["Pricing Page", "x" * 65, "", "  ", "<script>", 3, None, ["a"]])
def test_a_trigger_that_is_no_trigger_name_is_not_kept(value: object) -> None:
    assert "proactive_trigger" not in lead_source([{**GREET, "proactive_trigger": value}])


def test_a_chat_opened_by_the_visitor_has_no_trigger() -> None:
    assert "proactive_trigger" not in lead_source([{"page_url": "https://www.example.com/"}])
