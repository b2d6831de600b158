"""Benchmarks: best-known-solution harness, changeover strategies, run metadata."""
