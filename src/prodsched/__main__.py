"""``python -m prodsched`` runs the command line."""

from prodsched.cli import main

main()
