"""Writing output files (atomically)."""
