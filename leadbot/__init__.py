"""leadbot's composition root: the command line and the web site, put together from the floors below.

`bot/` is the domain and knows nothing above it; `crm_sync/`, `web/` and `webchat/` build on
it. Only this package joins them: `leadbot.cli` (the `leadbot` command) registers every
package's commands, and `leadbot.site` mounts the chat widget, the rep API and the CRM's
webhooks on the dashboard, so no lower package loads another by name.
"""
