"""Nurture sequences: e-mails to leads that are not ready yet, until they are (docs/nurture.md)."""
