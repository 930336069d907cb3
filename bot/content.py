"""Validated `settings/content.yml`: what the bot says about the product.

Sales and marketing edit this file without a release. Only the `needs` section is modelled
here (categories with keywords and a one-sentence pitch); other sections (booking link,
resources, FAQ) are allowed through untouched until they get a model of their own, so
adding one never breaks start-up.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.settings import load_settings

__all__ = ["Content", "NeedCategory", "load_content"]


class NeedCategory(BaseModel):
    """One need category: the words that signal it and the sentence that answers it."""

    model_config = ConfigDict(extra="forbid")

    keywords: list[str] = Field(default_factory=list)
    pitch: str | None = None

    @field_validator("keywords")
    @classmethod
    def _no_blank_keywords(cls, value: list[str]) -> list[str]:
        cleaned = [str(k).strip() for k in value]
        if any(not k for k in cleaned):
            raise ValueError("keywords must not be blank")
        return cleaned


class Content(BaseModel):
    """The content file; unknown top-level sections are kept as extra attributes."""

    model_config = ConfigDict(extra="allow")

    needs: dict[str, NeedCategory] = Field(default_factory=dict)

    def need_keywords(self) -> dict[str, list[str]]:
        """Category -> keywords, in file order (the first matching category wins)."""
        return {name: list(category.keywords) for name, category in self.needs.items()}

    def pitch_for(self, category: str | None) -> str | None:
        """The pitch for a category, or None for no category or no pitch."""
        if category is None or category not in self.needs:
            return None
        return self.needs[category].pitch or None


def load_content(directory: Path | None = None) -> Content:
    return load_settings("content.yml", Content, directory)
