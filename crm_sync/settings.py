"""Validated `settings/crm.yml`: which CRM, where it is, how patiently to retry.

Base URLs are settings (tests and users behind proxies point them elsewhere); secrets
are not: the file names the environment variable that holds each one.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.backoff import RetrySettings
from bot.settings import load_settings
from crm_sync.mapping import known_fields


class WebhookSettings(BaseModel):
    """A generic JSON webhook; the body is signed with HMAC-SHA256."""

    model_config = ConfigDict(extra="forbid")

    url: str = ""
    secret_env: str = Field("LEADBOT_WEBHOOK_SECRET", description="env variable holding the signing secret")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("url must be an http(s) URL")
        return value

    def secret(self) -> str:
        return _from_environment(self.secret_env, "the webhook signing secret")


class OAuthSettings(BaseModel):
    """What every OAuth flow leadbot runs needs (crm_sync/oauth.py): the app's client id and
    secret and a refresh token, as environment variables; how long a token lives when the CRM
    does not say; how early to refresh it. The tokens leadbot obtains are stored encrypted
    (LEADBOT_CRM_TOKEN_KEY)."""

    model_config = ConfigDict(extra="forbid")

    flow: str = "token"
    client_id_env: str
    client_secret_env: str
    refresh_token_env: str
    session_seconds: float = Field(7200, gt=60, description="a token's life when the CRM does not say")
    refresh_margin_seconds: float = Field(300, ge=0, description="refresh this long before the token expires")

    _secrets: ClassVar[dict[str, str]] = {"client_id_env": "the app's client id",
                                          "client_secret_env": "the app's client secret",
                                          "refresh_token_env": "a refresh token the app was given"}

    def secret(self, name: str) -> str:
        return _from_environment(getattr(self, name), self._secrets[name])


class SalesforceOAuth(OAuthSettings):
    """How leadbot gets Salesforce access tokens: `token` (one from the environment, renewed
    by you), `refresh_token` (a Connected App's refresh token, refreshed by leadbot before it
    expires and on a 401) or `jwt_bearer` (a certificate on the Connected App: no token to
    hand over at all). Client secrets, refresh tokens and the private key are environment
    variables."""

    flow: Literal["token", "refresh_token", "jwt_bearer"] = "token"
    login_url: str = Field("https://login.salesforce.com", description="or https://test.salesforce.com, a My Domain")
    client_id_env: str = "SALESFORCE_CLIENT_ID"
    client_secret_env: str = "SALESFORCE_CLIENT_SECRET"
    refresh_token_env: str = "SALESFORCE_REFRESH_TOKEN"
    private_key_env: str = Field("SALESFORCE_PRIVATE_KEY", description="env variable: the PEM private key (jwt_bearer)")
    username: str = Field("", description="the integration user (jwt_bearer)")
    session_seconds: float = Field(7200, gt=60, description="your org's session timeout: Salesforce does not say")

    _secrets: ClassVar[dict[str, str]] = {
        "client_id_env": "the Connected App's consumer key", "client_secret_env": "its consumer secret",
        "refresh_token_env": "a refresh token for the integration user",
        "private_key_env": "the Connected App certificate's PEM private key"}
    _http_url = field_validator("login_url")(lambda cls, v: _checked_base_url(v))

    @model_validator(mode="after")
    def _jwt_needs_a_user(self) -> "SalesforceOAuth":
        if self.flow == "jwt_bearer" and not self.username:
            raise ValueError("oauth.flow jwt_bearer needs oauth.username (the integration user)")
        return self

    @property
    def token_path(self) -> str:
        return "/services/oauth2/token"


class HubSpotOAuth(OAuthSettings):
    """How leadbot gets HubSpot access tokens: `token` (the private app's, from
    `hubspot.token_env`) or `refresh_token` (a public app's refresh token, exchanged at
    `<base_url>/oauth/v1/token` before each access token expires and on a 401). The client
    secret is the app's, the same one that signs its webhooks."""

    flow: Literal["token", "refresh_token"] = "token"
    client_id_env: str = "HUBSPOT_CLIENT_ID"
    client_secret_env: str = "HUBSPOT_CLIENT_SECRET"
    refresh_token_env: str = "HUBSPOT_REFRESH_TOKEN"
    session_seconds: float = Field(1800, gt=60, description="used only if HubSpot omits expires_in (it says 1800)")

    _secrets: ClassVar[dict[str, str]] = {
        "client_id_env": "the HubSpot app's client id", "client_secret_env": "the HubSpot app's client secret",
        "refresh_token_env": "the refresh token HubSpot gave when the app was installed"}

    @property
    def token_path(self) -> str:
        return "/oauth/v1/token"


def _default_hubspot_stages() -> dict[str, str]:
    # HubSpot's default sales pipeline stage ids, for settings/pipeline.yml's default stages.
    return {"new": "appointmentscheduled", "qualified": "qualifiedtobuy", "meeting": "presentationscheduled",
            "proposal": "decisionmakerboughtin", "negotiation": "contractsent", "won": "closedwon",
            "lost": "closedlost"}


class HubSpotSettings(BaseModel):
    """HubSpot CRM v3 with a private-app token, or OAuth (`oauth`). The deal property named `lead_id_property`
    (a number property you create once, see docs/crm.md) is how we find our deals again."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.hubapi.com"
    token_env: str = Field("HUBSPOT_ACCESS_TOKEN", description="env variable holding the private-app token")
    pipeline: str = "default"
    stages: dict[str, str] = Field(default_factory=_default_hubspot_stages, description="leadbot stage -> HubSpot stage id")
    lead_id_property: str = "leadbot_lead_id"
    contact_properties: dict[str, str] = Field(default_factory=lambda: {
        "email": "email", "first_name": "firstname", "last_name": "lastname", "company": "company",
        "authority.role": "jobtitle", "phone": "phone"}, description="export field -> HubSpot contact property")
    deal_properties: dict[str, str] = Field(default_factory=lambda: {"need.text": "description"},
                                            description="export field -> HubSpot deal property")
    owners: dict[str, str] = Field(default_factory=dict, description="rep e-mail -> HubSpot owner id")
    client_secret_env: str = Field("HUBSPOT_CLIENT_SECRET",
                                   description="env variable holding the app's client secret (webhook signatures)")
    webhook_url: str = Field("", description="the public URL HubSpot calls, as registered (signed with the body)")
    oauth: HubSpotOAuth = Field(default_factory=HubSpotOAuth)

    _known_fields = field_validator("contact_properties", "deal_properties")(lambda cls, v: known_fields(v))
    _http_url = field_validator("base_url")(lambda cls, v: _checked_base_url(v))

    def token(self) -> str:
        return _from_environment(self.token_env, "the HubSpot private-app access token")

    def client_secret(self) -> str | None:
        return os.environ.get(self.client_secret_env) or None


class PipedriveSettings(BaseModel):
    """Pipedrive API v1 with an API token (sent as the `x-api-token` header, never in a URL).
    `lead_id_field` is the key of a deal custom field (a 40-character hash Pipedrive shows
    under Data fields) that holds our lead id: how the worker finds its deals again."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.pipedrive.com/v1"
    token_env: str = Field("PIPEDRIVE_API_TOKEN", description="env variable holding the API token")
    lead_id_field: str = Field("", description="deal custom field key for the leadbot lead id (required)")
    stages: dict[str, int] = Field(default_factory=dict, description="leadbot stage -> Pipedrive stage_id")
    person_fields: dict[str, str] = Field(default_factory=lambda: {"phone": "phone"},
                                          description="export field -> person field key")
    deal_fields: dict[str, str] = Field(default_factory=dict, description="export field -> deal field key")
    owners: dict[str, int] = Field(default_factory=dict, description="rep e-mail -> Pipedrive user id")
    webhook_user_env: str = Field("PIPEDRIVE_WEBHOOK_USER", description="env variable: the webhooks' basic auth user")
    webhook_password_env: str = Field("PIPEDRIVE_WEBHOOK_PASSWORD",
                                      description="env variable: the webhooks' basic auth password")

    _known_fields = field_validator("person_fields", "deal_fields")(lambda cls, v: known_fields(v))
    _http_url = field_validator("base_url")(lambda cls, v: _checked_base_url(v))

    def token(self) -> str:
        return _from_environment(self.token_env, "the Pipedrive API token")

    def webhook_credentials(self) -> tuple[str, str] | None:
        user, password = os.environ.get(self.webhook_user_env), os.environ.get(self.webhook_password_env)
        return (user, password) if user and password else None


def _default_sf_statuses() -> dict[str, str]:
    # The standard Lead Status picklist values.
    working = "Working - Contacted"
    return {"new": "Open - Not Contacted", "qualified": working, "meeting": working, "proposal": working,
            "negotiation": working, "won": "Closed - Converted", "lost": "Closed - Not Converted"}


class SalesforceSettings(BaseModel):
    """Salesforce REST API with an OAuth access token. Leads are upserted by an external id
    field (`external_id_field` on Lead) and notes are Tasks upserted by `task_external_id_field`
    on Task: both custom fields you create once (docs/crm.md), both idempotent by design."""

    model_config = ConfigDict(extra="forbid")

    instance_url: str = Field("https://login.salesforce.com", description="your My Domain URL, or a proxy")
    api_version: str = Field("v59.0", pattern=r"^v\d+\.\d$")
    token_env: str = Field("SALESFORCE_ACCESS_TOKEN", description="env variable holding the access token")
    external_id_field: str = "Leadbot_Id__c"
    task_external_id_field: str = "Leadbot_Event_Id__c"
    lead_source: str = "Chat"
    statuses: dict[str, str] = Field(default_factory=_default_sf_statuses, description="leadbot stage -> Lead Status")
    lead_fields: dict[str, str] = Field(default_factory=lambda: {
        "first_name": "FirstName", "last_name": "LastName", "email": "Email", "company": "Company",
        "authority.role": "Title", "need.text": "Description", "phone": "Phone"}, description="export field -> Lead field")
    owners: dict[str, str] = Field(default_factory=dict, description="rep e-mail -> Salesforce user id")
    lost_reason_field: str = Field("", description="a Lead field holding why it was lost (read back), if you have one")
    oauth: SalesforceOAuth = Field(default_factory=SalesforceOAuth)

    _known_fields = field_validator("lead_fields")(lambda cls, v: known_fields(v))
    _http_url = field_validator("instance_url")(lambda cls, v: _checked_base_url(v))

    def token(self) -> str:
        return _from_environment(self.token_env, "a Salesforce access token")


def _checked_base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("base_url must be an http(s) URL")
    return value.rstrip("/")


class MissingSecret(RuntimeError):
    """A secret the configured CRM needs is not in the environment."""


def _from_environment(variable: str, what: str) -> str:
    """Secrets live only in the environment, so they never sit in a file or a commit."""
    value = os.environ.get(variable, "")
    if not value:
        raise MissingSecret(f"set {variable} to {what}")
    return value


class ReadBackSettings(BaseModel):
    """Reading back what reps change in the CRM (docs/crm.md "Read-back")."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    poll_seconds: float = Field(300, gt=0, description="`sync --follow`: poll the CRM's changes this often")
    max_pages: int = Field(20, ge=1, le=1000, description="pages read per stream and poll (then the next poll goes on)")
    unknown_lost_reason: str = Field("no_decision", description="lost reason key for a CRM reason we cannot map")


class CrmSettings(BaseModel):
    """The file's top level. `provider: none` keeps events queued (nothing is sent)."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["none", "webhook", "hubspot", "pipedrive", "salesforce"] = "none"
    timeout_seconds: float = Field(10, gt=0, le=300, description="every call gives up after this")
    lease_seconds: float = Field(120, gt=0, description="a worker's hold on an event it is sending")
    batch_size: int = Field(50, ge=1, le=1000)
    poll_seconds: float = Field(2, gt=0, le=600, description="`sync --follow`: pause when idle")
    retry: RetrySettings = Field(default_factory=RetrySettings)
    read_back: ReadBackSettings = Field(default_factory=ReadBackSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    hubspot: HubSpotSettings = Field(default_factory=HubSpotSettings)
    pipedrive: PipedriveSettings = Field(default_factory=PipedriveSettings)
    salesforce: SalesforceSettings = Field(default_factory=SalesforceSettings)

    @model_validator(mode="after")
    def _provider_is_configured(self) -> "CrmSettings":
        if self.provider == "webhook" and not self.webhook.url:
            raise ValueError("provider webhook needs webhook.url")
        if self.provider == "pipedrive" and not self.pipedrive.lead_id_field:
            raise ValueError("provider pipedrive needs pipedrive.lead_id_field (see docs/crm.md)")
        return self


def load_crm_settings(directory: Path | None = None) -> CrmSettings:
    return load_settings("crm.yml", CrmSettings, directory)
