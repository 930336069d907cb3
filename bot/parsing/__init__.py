"""Parsers that turn a visitor's free text into normalised qualification answers.

One module per concept: `text` (cleaning; `scripts` folds digits of every script and
Arabic-keyboard Persian), `numbers` (digits and number words), `budget`,
`timeline`, `authority`, `need`, `contact` (e-mail, name, company) and `replies` (skip /
not sure / why). Russian, Norwegian, Malay, Chinese and Persian: a table module beside
each concept (`time_words` writes their times the way `timeline` reads them; `authority_words`,
`contact_words`, `reply_words`). Each parser takes raw text, cleans it itself, and returns
a value type from `bot.answers` (or None when there is nothing recognisable);
`answering=True` means the bot just asked for that field. `bot.extraction.extract` runs them all on a message.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

# Imported on first use (PEP 562): `from bot.parsing import parse_budget` works as before,
# while a module that needs one parser ("bot.parsing.company_size" for the win-probability
# features, and through them every `leadbot` command) no longer loads them all, whose tables
# and patterns take seconds to build.
_EXPORTS = {
    "EmailCheck": "contact",
    "clean_text": "text",
    "find_amounts": "numbers",
    "match_category": "need",
    "meta_reply": "replies",
    "parse_authority": "authority",
    "parse_budget": "budget",
    "parse_company": "contact",
    "parse_email": "contact",
    "parse_name": "contact",
    "parse_need": "need",
    "parse_number": "numbers",
    "parse_timeline": "timeline",
}

if TYPE_CHECKING:
    from bot.parsing.authority import parse_authority
    from bot.parsing.budget import parse_budget
    from bot.parsing.contact import EmailCheck, parse_company, parse_email, parse_name
    from bot.parsing.need import match_category, parse_need
    from bot.parsing.numbers import find_amounts, parse_number
    from bot.parsing.replies import meta_reply
    from bot.parsing.text import clean_text
    from bot.parsing.timeline import parse_timeline

__all__ = [
    "EmailCheck",
    "clean_text",
    "find_amounts",
    "match_category",
    "meta_reply",
    "parse_authority",
    "parse_budget",
    "parse_company",
    "parse_email",
    "parse_name",
    "parse_need",
    "parse_number",
    "parse_timeline",
]


def __getattr__(name: str) -> Any:
    """A parser named above, or a submodule (`bot.parsing.budget`), imported when first asked for."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    if not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
