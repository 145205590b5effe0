"""Durability harnesses: killed writers, injected crashes, full disks, read-only files, races."""
