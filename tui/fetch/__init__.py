"""Fetching a note's source page and reading it as clean Markdown (headless)."""
