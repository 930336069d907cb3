"""Validate action server responses with a schema checked once, not on every call.

Rasa 3.6.21 validates each action server response with `jsonschema.validate`, which
first checks the response *schema* against JSON Schema's meta-schema, on every call.
With jsonschema 4.17 (Rasa's pin) that meta-schema check is the most expensive thing a
turn does: measured under load, 46% of the Rasa process's CPU went to it (py-spy, see
bench/README.md "Where a turn's time goes"). The schema never changes, so this checks
it once, keeps one compiled validator, and validates each response exactly as
`jsonschema.validate` does (the same error is raised, with Rasa's own hint appended).
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    """One validator for Rasa's action response schema (meta-schema checked here, once)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`: same verdicts, same errors."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace Rasa's per-call validation (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


__all__ = ["ValidationError", "install", "response_validator", "validate_action_result"]
