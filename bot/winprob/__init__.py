"""A win probability learned from the store's own closed deals (docs/win-probability.md)."""
