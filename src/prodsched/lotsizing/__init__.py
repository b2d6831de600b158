"""The lot-sizing (bucket) CP-SAT model and its expansion into a schedule."""
