"""Validate action server responses with a schema checked once, not on every call.

Rasa 3.6.21 validates each action server response with `jsonschema.validate`, which
first checks the response *schema* against JSON Schema's meta-schema, on every call.
With jsonschema 4.17 (Rasa's pin) that meta-schema check is the most expensive thing a
turn does: measured under load, 46% of the Rasa process's CPU went to it (py-spy, see
bench/README.md "Where a turn's time goes"). The schema never changes, so this checks
it once, keeps one compiled validator, and validates each response exactly as
`jsonschema.validate` does (the same error is raised, with Rasa's own hint appended).

Even compiled, the check costs: each event is tried against all 23 kinds of Rasa's
`oneOf` (6% of the Rasa process under load, bench/README.md "Fifth round"). Every kind
fixes the `event` name (`const`) and the name is required, so an event can only be valid
as the kind it names: a response whose events each pass their own kind's schema (with
the common part) is valid, and only the others go through the full check, which decides
and words the error.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Mapping, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.utils.schemas.events import EVENT_SCHEMA


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    """One validator for Rasa's action response schema (meta-schema checked here, once)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def event_validators() -> Mapping[Text, Any]:
    """One validator per event kind: the common part of Rasa's event schema and that kind's."""
    common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    validators = {}
    for kind in EVENT_SCHEMA["oneOf"]:
        schema = {"allOf": [common, kind]}
        validator_class = validator_for(schema)
        validator_class.check_schema(schema)
        validators[kind["properties"]["event"]["const"]] = validator_class(schema)
    return validators


def plainly_valid(result: Any) -> bool:
    """True only for a response the full schema accepts; False means "check it fully"."""
    if not isinstance(result, dict):
        return False
    responses = result.get("responses", [])
    if not (isinstance(responses, list) and all(isinstance(item, dict) for item in responses)):
        return False
    events = result.get("events", [])
    if not isinstance(events, list):
        return False
    validators = event_validators()
    for event in events:
        name = event.get("event") if isinstance(event, dict) else None
        validator = validators.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`: same verdicts, same errors."""
    if plainly_valid(result):
        return True
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


__all__ = ["ValidationError", "event_validators", "install", "plainly_valid", "response_validator",
           "validate_action_result"]
