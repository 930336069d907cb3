"""The three CRMs as test cases: how to start each fake, configure leadbot for it, and read
back what it holds, so that the guarantees every CRM target owes (tests/crm_sync/
test_crm_guarantees.py) are written once and run against each."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.crm_sync.fake_crm import FakeCrm
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.fake_pipedrive import FakePipedrive
from tests.crm_sync.fake_receiver import Fault
from tests.crm_sync.fake_salesforce import FakeSalesforce

REP = "dana@seller.example"  # mapped to an owner in every case's crm.yml
PD_FIELD = "9f3a1c2e4b5d6f7a8b9c0d1e2f3a4b5c6d7e8f90"


@dataclass(frozen=True)
class CrmCase:
    name: str
    start: Callable[[], FakeCrm]
    crm_yml: Callable[[str], str]  # the fake's URL -> crm.yml's provider part
    secrets: dict[str, str]
    records: Callable[[Any], dict[Any, dict[str, Any]]]  # the one record per lead: a deal, or a Lead
    lead_id: Callable[[dict[str, Any]], str]  # which leadbot lead a record is
    closed_as_merged: Callable[[dict[str, Any]], bool]
    owner: Callable[[dict[str, Any]], Any]  # the CRM owner of a record
    owner_id: Any  # REP's id in this CRM
    created: Callable[[Any], int]  # how many objects the fake holds, of every kind
    first_create: tuple[Fault, ...]  # faults that let the first object-creating call through, answer late

    def __str__(self) -> str:
        return self.name


HUBSPOT = CrmCase(
    name="hubspot",
    start=lambda: FakeHubSpot("pat-test-token"),
    crm_yml=lambda url: f"provider: hubspot\nhubspot: {{base_url: '{url}', owners: {{'{REP}': '77'}}}}\n",
    secrets={"HUBSPOT_ACCESS_TOKEN": "pat-test-token"},
    records=lambda fake: fake.objects["deals"],
    lead_id=lambda deal: deal["leadbot_lead_id"],
    closed_as_merged=lambda deal: deal["dealstage"] == "closedlost" and "merged into" in deal["closed_lost_reason"],
    owner=lambda deal: deal.get("hubspot_owner_id"),
    owner_id="77",
    created=lambda fake: sum(len(o) for o in fake.objects.values()),
    first_create=(Fault("apply_then_sleep", seconds=0), Fault("apply_then_sleep", seconds=30)),  # search, contact
)

PIPEDRIVE = CrmCase(
    name="pipedrive",
    start=lambda: FakePipedrive("pd-test-token", PD_FIELD),
    crm_yml=lambda url: (f"provider: pipedrive\npipedrive: {{base_url: '{url}/v1', lead_id_field: '{PD_FIELD}', "
                         f"stages: {{qualified: 2, lost: 5}}, owners: {{'{REP}': 12}}}}\n"),
    secrets={"PIPEDRIVE_API_TOKEN": "pd-test-token"},
    records=lambda fake: fake.objects["deals"],
    lead_id=lambda deal: deal[PD_FIELD],
    closed_as_merged=lambda deal: deal["status"] == "lost" and "merged into" in deal["lost_reason"],
    owner=lambda deal: deal.get("user_id"),
    owner_id=12,
    created=lambda fake: sum(len(o) for o in fake.objects.values()),
    first_create=(Fault("apply_then_sleep", seconds=0), Fault("apply_then_sleep", seconds=30)),  # search, org
)

SALESFORCE = CrmCase(
    name="salesforce",
    start=lambda: FakeSalesforce("00Dxx!sf-test-token"),
    crm_yml=lambda url: f"provider: salesforce\nsalesforce: {{instance_url: '{url}', owners: {{'{REP}': '005xx0000012345'}}}}\n",
    secrets={"SALESFORCE_ACCESS_TOKEN": "00Dxx!sf-test-token"},
    records=lambda fake: fake.records["Lead"],
    lead_id=lambda lead: lead["Leadbot_Id__c"],
    closed_as_merged=lambda lead: lead["Status"] == "Closed - Not Converted" and "Merged into" in lead["Description"],
    owner=lambda lead: lead.get("OwnerId"),
    owner_id="005xx0000012345",
    created=lambda fake: sum(len(r) for r in fake.records.values()),
    first_create=(Fault("apply_then_sleep", seconds=30),),  # the Lead upsert
)

CASES = [HUBSPOT, PIPEDRIVE, SALESFORCE]
