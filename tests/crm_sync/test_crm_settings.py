"""settings/crm.yml mistakes stop `leadbot sync` at start-up with a message naming the
field, before anything is sent: a missing secret, an export field or a stage that does not
exist, a HubSpot stage left unmapped, an unknown key."""
from __future__ import annotations

from pathlib import Path

import pytest

from crm_sync.settings import load_crm_settings
from tests.crm_sync.sync_helpers import ROOT, cli, configure

CASES = [
    # (crm.yml provider part, secrets, words the error must contain)
    ("provider: hubspot\n", {}, "set HUBSPOT_ACCESS_TOKEN"),
    ("provider: pipedrive\npipedrive: {lead_id_field: abc}\n", {}, "set PIPEDRIVE_API_TOKEN"),
    ("provider: salesforce\n", {}, "set SALESFORCE_ACCESS_TOKEN"),
    ("provider: hubspot\nhubspot: {deal_properties: {budget.maximum: amount_max}}\n",
     {"HUBSPOT_ACCESS_TOKEN": "t"}, "unknown export field(s) ['budget.maximum']"),
    ("provider: salesforce\nsalesforce: {lead_fields: {need: Description}}\n",
     {"SALESFORCE_ACCESS_TOKEN": "t"}, "salesforce.lead_fields"),
    ("provider: pipedrive\npipedrive: {lead_id_field: abc, stages: {demo: 3}}\n",
     {"PIPEDRIVE_API_TOKEN": "t"}, "pipedrive.stages: ['demo'] are not stages of settings/pipeline.yml"),
    ("provider: hubspot\nhubspot: {stages: {new: appointmentscheduled}}\n",
     {"HUBSPOT_ACCESS_TOKEN": "t"}, "hubspot.stages: no CRM stage for leadbot stage(s) ['qualified'"),
    ("provider: salesforce\nsalesforce: {api_version: '59.0'}\n", {"SALESFORCE_ACCESS_TOKEN": "t"}, "api_version"),
    ("provider: hubspot\nhubspot: {token: pat-123}\n", {"HUBSPOT_ACCESS_TOKEN": "t"}, "hubspot.token"),
]


@pytest.mark.parametrize("crm_yml, secrets, words", CASES)
def test_a_settings_mistake_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             crm_yml: str, secrets: dict[str, str], words: str) -> None:
    for name in ("HUBSPOT_ACCESS_TOKEN", "PIPEDRIVE_API_TOKEN", "SALESFORCE_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    configure(tmp_path, monkeypatch, crm_yml, secrets)
    result = cli("sync")
    assert result.returncode == 1 and words in result.stderr, result.stderr


def test_the_shipped_file_is_valid_and_sends_nothing() -> None:
    assert load_crm_settings(ROOT / "settings").provider == "none"


def test_the_handoff_fields_of_the_export_can_be_mapped_to_crm_properties() -> None:
    from crm_sync.mapping import field_value, known_fields

    mapping = {"handoff_state": "leadbot_handoff_state", "handoff_at": "leadbot_handoff_at"}
    assert known_fields(mapping) == mapping
    lead = {"handoff_state": "waiting", "handoff_at": "2026-11-22T10:00:00+00:00"}
    assert [field_value(lead, path) for path in mapping] == ["waiting", "2026-11-22T10:00:00+00:00"]
