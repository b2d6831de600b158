"""Whitespace-separated numbers with their exact place in the file.

Benchmark files are streams of numbers in which line breaks carry no meaning;
the readers take the numbers one by one from a :class:`TokenStream`, which
knows each number's 1-based line and column so that every problem names its
exact place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from prodsched.errors import PlantError, Problem
from prodsched.plant.values import parse_integer, parse_number


@dataclass(frozen=True)
class Token:
    """One whitespace-separated word of a file and where it starts (1-based)."""

    text: str
    line: int
    column: int


def tokenize(text: str) -> list[Token]:
    """Every whitespace-separated word of ``text`` with its line and column."""
    tokens: list[Token] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        col, n = 0, len(line)
        while col < n:
            if line[col].isspace():
                col += 1
                continue
            start = col
            while col < n and not line[col].isspace():
                col += 1
            tokens.append(Token(line[start:col], line_no, start + 1))
    return tokens


class TokenStream:
    """Reads numbers in order; records range problems, stops at unreadable ones.

    Parameters
    ----------
    file
        The file's name as shown in problems.
    text
        The file's content.

    Notes
    -----
    A missing or non-numeric value raises :class:`PlantError` at once (the
    rest of the file cannot be read in step). A value of the right kind but
    out of range is recorded with :meth:`problem` and reading goes on, so one
    error report lists all of them; :meth:`finish` raises it.
    """

    def __init__(self, file: str, text: str):
        self.file = file
        self.tokens = tokenize(text)
        self.position = 0
        self.problems: list[Problem] = []
        lines = text.splitlines()
        self._end = (max(1, len(lines)), len(lines[-1]) + 1 if lines else 1)

    @classmethod
    def from_path(cls, path: Path) -> TokenStream:
        """A stream over the file at ``path``; an unreadable file is a :class:`PlantError`."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise PlantError([Problem(str(path), None, None, None,
                                      f"cannot read the file: {err}")]) from None
        return cls(str(path), text)

    def _next(self, what: str) -> Token:
        if self.position >= len(self.tokens):
            line, column = self._end
            self.fail(line, column, f"expected {what}, found the end of the file")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def integer(self, what: str, minimum: int | None = None,
                maximum: int | None = None) -> tuple[int, Token]:
        """The next whole number and its token; out of ``[minimum, maximum]`` is a problem.

        A value out of range is recorded (and returned as read); reading goes on.
        """
        token = self._next(what)
        try:
            text = token.text
            value = int(text) if text.isascii() and text.isdigit() else parse_integer(text)
        except ValueError:
            self.fail(token.line, token.column,
                      f"expected {what} (a whole number), found {token.text!r}")
        too_low = minimum is not None and value < minimum
        too_high = maximum is not None and value > maximum
        if too_low or too_high:
            low = "" if minimum is None else f" >= {minimum}"
            high = "" if maximum is None else f" <= {maximum}"
            join = " and" if low and high else ""
            self.problem(token, f"{what} must be{low}{join}{high}, found {value}")
        return value, token

    def number(self, what: str) -> tuple[float, Token]:
        """The next number (whole or decimal) and its token."""
        token = self._next(what)
        try:
            value = parse_number(token.text)
        except ValueError:
            self.fail(token.line, token.column, f"expected {what} (a number), found {token.text!r}")
        return float(value), token

    def problem(self, token: Token, message: str) -> None:
        """Record a problem at ``token``; reading goes on."""
        self.problems.append(Problem(self.file, token.line, token.column, None, message))

    def fail(self, line: int, column: int, message: str) -> NoReturn:
        """Raise every problem so far plus this one."""
        raise PlantError([*self.problems, Problem(self.file, line, column, None, message)])

    def finish(self) -> None:
        """Raise the recorded problems, and one for any value left over after the data."""
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.problem(token, f"unexpected value {token.text!r} after the end of the data "
                         f"({len(self.tokens) - self.position} value(s) left over)")
        if self.problems:
            raise PlantError(self.problems)
