"""Obsidian Flavored Markdown, headless: the parser the article renders from, and the cheap
scans (links outside code, outline, heading keys) the vault index uses.
"""

from tui.text.markdown.scan import Heading, find_links, heading_key, local_target, outline

__all__ = ["Heading", "find_links", "heading_key", "local_target", "outline"]
