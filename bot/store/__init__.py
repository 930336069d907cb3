"""The pipeline store: leads, their deals, append-only stage history and an outbox.

Modelled on Odoo CRM: stages and lost reasons are data (`settings/pipeline.yml`), every
stage change is a row in `stage_history` from which metrics are derived, and every change
a CRM must hear about is written to `outbox` in the same transaction as the change
itself, so a sync worker can deliver it later, at least once, without ever missing one.

Modules: `db` (URL, engine, sessions), `schema` (tables), `migrate` (Alembic),
`pipeline` (the pipeline settings), `errors`, `repository` (the operations),
`outbox` (what a delivery worker needs). Nothing here connects at import time.
"""
