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
