"""Meetings booked in the chat (docs/meetings.md): a rep's free slots (`slots`, `calendar`),
the visitor's choice read from a button, a number or words (`choice`, `timezones`), the
booking kept to one visitor per slot by the store (`booking`), and the invitations with
their signed reschedule and cancel links (`invite`, `links`, `worker`). No Rasa here."""
