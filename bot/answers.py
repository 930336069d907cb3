"""Normalised answers to the qualification questions: the values every module agrees on.

Each answer keeps the visitor's own words (`text`) beside the normalised value, and a
`status` that separates "they told us" (stated) from "they have none" (none) from "we do
not know" (unknown: not sure, skipped, unparseable). Scoring treats unknown as unknown,
never as zero. `to_dict`/`from_dict` give the JSON form used in Rasa slots, the store
and the export contract (docs/export-contract.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal, TypeVar

AnswerStatus = Literal["stated", "none", "unknown"]
STATUSES: tuple[str, ...] = ("stated", "none", "unknown")

BudgetPeriod = Literal["one_off", "monthly", "quarterly", "yearly"]
PERIODS: tuple[str, ...] = ("one_off", "monthly", "quarterly", "yearly")
# How a budget whose visitor gave no currency shows its currency (Budget.currency_shown).
CURRENCY_NOT_STATED = "(currency not stated)"

AuthorityLevel = Literal["decision_maker", "shared", "influencer", "unknown"]
AUTHORITY_LEVELS: tuple[str, ...] = ("decision_maker", "shared", "influencer", "unknown")

NeedLevel = Literal["specific", "exploring"]
NEED_LEVELS: tuple[str, ...] = ("specific", "exploring")

T = TypeVar("T", bound="_Answer")


@dataclass(frozen=True)
class _Answer:
    """Shared JSON round-trip for the answer types."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any] | None) -> T | None:
        """Rebuild from JSON; unknown keys are ignored so old slots stay readable."""
        if not data:
            return None
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Budget(_Answer):
    """Money the prospect can spend, in the currency they stated (None = not stated).

    A single figure has min == max; "no more than 9k" has min None, max 9000;
    "north of 300k" has min 300000, max None.
    """

    status: AnswerStatus
    text: str
    min: float | None = None
    max: float | None = None
    currency: str | None = None  # ISO 4217 code, only when the visitor made it explicit
    period: BudgetPeriod | None = None  # only when stated
    # A symbol several countries write ("$", "kr", "Rs"): every currency it can mean, `currency`
    # (the common reading) first; () when the written currency means one or was settled.
    currency_options: tuple[str, ...] = ()

    # A budget read as one figure has two rules, named here so no reader re-derives them:

    def midpoint(self) -> float | None:
        """The figure scoring compares with its bands: the middle of a range, else whichever
        bound is known (the visitor is as likely to spend anywhere in the range)."""
        if self.min is not None and self.max is not None:
            return (self.min + self.max) / 2
        return self.min if self.min is not None else self.max

    def deal_value(self) -> tuple[float, str | None] | None:
        """What a deal from this budget is worth: the top of the range (else its floor: what
        the visitor said they can spend) in the visitor's own currency, never converted or
        guessed; None unless a figure was stated."""
        if self.status != "stated":
            return None
        amount = self.max if self.max is not None else self.min
        return None if amount is None else (amount, self.currency)

    def currency_shown(self) -> str:
        """The currency as a person reads it: the code the visitor made explicit, else
        "(currency not stated)" (a figure without one is never shown as the base currency)."""
        return self.currency or CURRENCY_NOT_STATED


@dataclass(frozen=True)
class Timeline(_Answer):
    """When the prospect plans to buy, resolved against the conversation's date."""

    status: AnswerStatus
    text: str
    target_date: str | None = None  # ISO date (YYYY-MM-DD) of the latest intended start
    months: float | None = None  # months from the conversation's date to target_date


@dataclass(frozen=True)
class Authority(_Answer):
    """The prospect's part in the buying decision, and their job title when given."""

    level: AuthorityLevel
    text: str
    role: str | None = None  # the title in the visitor's words ("коммерческий директор", "VP of Sales")
    # The same title in the base language (English) when said in another ("Commercial Director"):
    # the rep reads both; None when the title was said in English.
    role_en: str | None = None

    def role_shown(self) -> str | None:
        """The title as a rep reads it: "коммерческий директор (Commercial Director)", "CFO"."""
        if not self.role:
            return None
        return f"{self.role} ({self.role_en})" if self.role_en and self.role_en != self.role else self.role


@dataclass(frozen=True)
class Need(_Answer):
    """What the prospect wants, in their words, and whether it is concrete yet."""

    text: str = ""  # "" when no words were kept (a stored "none" or a category alone)
    level: NeedLevel = "specific"
    category: str | None = None  # a key of settings/content.yml `needs`, when one matches
    status: AnswerStatus = "stated"  # unknown when skipped or "not sure"


@dataclass(frozen=True)
class Contact(_Answer):
    """Who the prospect is. Any field may be missing until they tell us."""

    name: str | None = None
    email: str | None = None
    company: str | None = None
    phone: str | None = None  # E.164 ("+14155550132"); not asked, taken when given


@dataclass(frozen=True)
class Qualification:
    """Everything learned so far; the input to scoring."""

    need: Need | None = None
    budget: Budget | None = None
    authority: Authority | None = None
    timeline: Timeline | None = None
    contact: Contact = field(default_factory=Contact)


def months_between(start: date, end: date) -> float:
    """Months from `start` to `end` as a decimal (30.44 days a month), one decimal place."""
    return round((end - start).days / 30.4375, 1)
