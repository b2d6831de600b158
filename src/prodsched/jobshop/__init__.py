"""The job-shop CP-SAT model of a plant: variables, constraint families, criteria."""
