"""Registers the built-in benchmark formats (imported for its side effect)."""
