"""Parsers that turn a visitor's free text into normalised qualification answers."""
