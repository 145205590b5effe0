"""readerly: a keyboard-first terminal reader for a vault of clipped Markdown notes."""

__version__ = "0.1.0"
