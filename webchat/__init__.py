"""The website side of the bot: the embeddable chat widget, its demo page, and the rep API
that lets a person answer in a handed-off conversation (docs/widget.md, docs/handoff.md).

Starlette routes (`webchat.app.routes`) served by the dashboard server (`leadbot
dashboard`, started by `make run`). The widget talks to Rasa's socket.io channel directly;
this server only serves its files and the rep API, which reaches Rasa's HTTP API on the
private side.
"""
