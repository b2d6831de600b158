"""Writing benchmark results: tidy CSV rows, replaced atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prodsched.atomic import write_files_atomically


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """Write ``rows``; the columns are every key of the rows, in first-seen order
    (a row without a key leaves its cell empty)."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (written,) = write_files_atomically(path.parent, {path.name: buf.getvalue()})
    return written
