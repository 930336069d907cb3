"""Deliver the pipeline store's outbox to the configured CRM, exactly once per change.

Plain Python, no Rasa: `worker.run_once` claims due outbox events, sends each through the
configured target (`targets`), and records the outcome in the store. Settings live in
`settings/crm.yml` (`crm_sync/settings.py`); secrets only in the environment.
"""
