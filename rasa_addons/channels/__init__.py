"""Messaging-app connectors: thin subclasses of Rasa's own Telegram, Slack, Facebook Messenger
and Twilio connectors that add `api_base_url` (self-hosted API servers, proxies, and the local
stand-ins the tests use), keep each platform's request verification, and render quick replies
the way each platform can show them. `credentials` writes the credentials file from the
environment, enabling only the channels whose variables are set."""
