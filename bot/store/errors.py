"""Errors the store raises for things a user can fix; messages say what to do.

They share `StoreError`, so the CLI (and the action server) can report them cleanly and
leave tracebacks to real bugs.
"""
from __future__ import annotations


class StoreError(Exception):
    """Base class: a request the store cannot carry out as asked."""


class LeadNotFound(StoreError, LookupError):
    """No lead matches the id or email given."""


class LeadErased(StoreError):
    """A submission from a conversation whose lead was erased: dropped, never stored again."""


class DealNotFound(StoreError, LookupError):
    """No deal has the id given."""


class UnknownStage(StoreError, ValueError):
    """A stage key that `settings/pipeline.yml` does not define."""


class UnknownLostReason(StoreError, ValueError):
    """A lost reason that `settings/pipeline.yml` does not define (or none where one is needed)."""


class InvalidTransition(StoreError, ValueError):
    """A stage move the pipeline does not allow (same stage, merged deal, second open deal...)."""


class InvalidFilter(StoreError, ValueError):
    """A query filter with a value the store does not know (e.g. an unknown lead status)."""


class InvalidMoney(StoreError, ValueError):
    """An amount that is not a number from 0 to `schema.MAX_MONEY`."""


class InvalidNote(StoreError, ValueError):
    """A note that is empty or too long."""


class RepNotFound(StoreError, LookupError):
    """No rep matches the id or e-mail given."""


class TeamNotFound(StoreError, LookupError):
    """No team has the name given."""


class InvalidRep(StoreError, ValueError):
    """A rep or team that cannot be saved as given (duplicate e-mail, bad hours...)."""
