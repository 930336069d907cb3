"""The conversation's language: which of the languages we speak a visitor is answered in.

`codes` names them (ISO 639-1) and reads a page's or browser's language tag; `detect` reads the
language a message is written in; `requests` finds a request to switch ("can we continue in
English?"); `choice` keeps the conversation's language sticky. Plain Python: the action server
adapts it to Rasa's `language` slot (actions/language.py). docs/languages.md.
"""
