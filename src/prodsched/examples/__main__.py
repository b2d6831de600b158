"""``python -m prodsched.examples OUT_DIR``: write every example plant into OUT_DIR/<name>/."""

from __future__ import annotations

import sys

from prodsched.examples import write_all_examples


def main(argv: list[str] | None = None) -> int:
    """Write all examples; return the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m prodsched.examples OUT_DIR", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    for folder in write_all_examples(args[0]):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
