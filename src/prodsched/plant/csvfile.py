"""Reading one CSV file of a plant with exact line and column positions.

UTF-8 (a BOM is tolerated), a header row, comma separated; names are matched
case-insensitively with surrounding spaces stripped. Blank lines are skipped.
Problems are appended to a list, never raised, so that loading reports all of
them at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from prodsched.errors import Problem
from prodsched.plant.limits import MAX_FILE_BYTES, MAX_ROWS, size_text

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS = "save it as CSV UTF-8"


@dataclass
class Row:
    """One data row: stripped cell texts by column name, and where it was."""

    file: str
    line: int
    cells: dict[str, str]
    positions: dict[str, int]

    def problem(self, column: str | None, message: str) -> Problem:
        """A problem located at this row (and column, when given)."""
        pos = self.positions.get(column) if column else None
        return Problem(self.file, self.line, pos, column, message)


@dataclass
class Table:
    """A read CSV file: its rows and the position of each known column."""

    file: str
    rows: list[Row] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)



def _decode(data: bytes, display: str, problems: list[Problem]) -> str | None:
    if data.startswith(_UTF16_BOMS) or _looks_utf16(data):
        problems.append(Problem(display, 1, 1, None,
                                f"the file is UTF-16 text, not UTF-8 ({_SAVE_AS})"))
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(display, line, None, None,
                                "the file contains NUL bytes: it is not CSV text (binary?)"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        byte = data[err.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        problems.append(Problem(
            display, line, col, None,
            f"the file is not UTF-8 text: byte 0x{byte:02X} ({guess!r} in Latin-1/Windows-1252) "
            f"cannot be read ({_SAVE_AS})"))
        return None
    return text.removeprefix("\ufeff")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    head = data[:200]
    if len(head) < 4:
        return False
    return head[1::2].count(0) > 0.8 * len(head[1::2]) or head[0::2].count(0) > 0.8 * len(
        head[0::2])


def read_table(
    path: Path,
    display: str,
    required: Iterable[str],
    optional: Iterable[str],
    problems: list[Problem],
    warnings: list[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table | None:
    """Read ``path`` into a :class:`Table`, appending every problem found.

    Returns ``None`` when the file cannot be read at all (missing, not text,
    no header, a required column missing).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(
                Problem(display, None, None, None,
                        f"the file is {size_text(size)}; the limit is {size_text(max_bytes)}")
            )
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(display, None, None, None, "file not found"))
        return None
    except OSError as err:
        problems.append(Problem(display, None, None, None, f"cannot read the file: {err.strerror}"))
        return None
    text = _decode(data, display, problems)
    if text is None:
        return None
    return parse_table(text, display, required, optional, problems, warnings, max_rows=max_rows)


def parse_table(
    text: str,
    display: str,
    required: Iterable[str],
    optional: Iterable[str],
    problems: list[Problem],
    warnings: list[str],
    *,
    max_rows: int = MAX_ROWS,
) -> Table | None:
    """Parse CSV text (already decoded) into a :class:`Table`."""
    required = list(required)
    known = set(required) | set(optional)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table = Table(display)
    header: list[str] | None = None
    last_line = 0
    try:
        for fields in reader:
            first_line = last_line + 1
            last_line = reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip().lower() for f in fields]
                if not _check_header(header, display, first_line, required, known,
                                     problems, warnings, table):
                    return None
                continue
            if len(table.rows) >= max_rows:
                problems.append(Problem(
                    display, first_line, None, None,
                    f"more than {max_rows:,} rows; the limit is {max_rows:,} "
                    f"row{'s' if max_rows != 1 else ''}"))
                return None
            if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
                problems.append(Problem(display, first_line, len(header) + 1, None,
                                        f"this row has {len(fields)} cells but the header has "
                                        f"{len(header)} columns"))
                continue
            cells = {}
            for name, pos in table.positions.items():
                cells[name] = fields[pos - 1].strip() if pos - 1 < len(fields) else ""
            table.rows.append(Row(display, first_line, cells, table.positions))
    except csv.Error as err:
        problems.append(Problem(display, reader.line_num, None, None, f"bad CSV: {err}"))
        return None
    if header is None:
        problems.append(Problem(display, 1, None, None, "the file is empty (no header row)"))
        return None
    return table


def _check_header(
    header: list[str],
    display: str,
    line: int,
    required: list[str],
    known: set[str],
    problems: list[Problem],
    warnings: list[str],
    table: Table,
) -> bool:
    ok = True
    for pos, name in enumerate(header, start=1):
        if name in table.positions:
            problems.append(Problem(display, line, pos, name, "the column appears twice"))
            ok = False
        elif name in known:
            table.positions[name] = pos
        elif name:
            warnings.append(f"{display}:{line}:{pos}: unknown column {name!r} is ignored")
    missing = [name for name in required if name not in table.positions]
    for name in missing:
        problems.append(Problem(display, line, None, name, "required column is missing"))
    if missing and len(header) == 1:
        for sep, what in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                problems.append(Problem(
                    display, line, 1, None,
                    f"the header {header[0]!r} is one column: the file is separated by {what}, "
                    "but plant files are comma separated (save it as CSV UTF-8, comma "
                    "delimited)"))
                break
    return ok and not missing
