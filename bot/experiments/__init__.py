"""A/B tests of the bot's script: variants of the opening line, the pitch per need, the
order of the questions and their quick replies (docs/experiments.md)."""
