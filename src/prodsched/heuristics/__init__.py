"""Heuristics: warm starts, the benchmark formats' special searches (tabu, flow shop)."""
