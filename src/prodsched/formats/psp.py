"""Pigment Sequencing Problem files (``.psp``) as a plant.

Format (asbestian/lot-sizing): ``T``, ``N``, then ``N`` lines of ``T`` 0/1
values (1 at period ``p``: one unit of the item is due at period ``p``), the
stocking cost ``h``, ``N`` lines of changeover costs ``q[i][j]`` (a file may
give a larger matrix: its leading ``N × N`` block is used), and a last line
with the optimum or ``LB UB``.

As a plant: one machine ``M`` making one unit per period (period ``p`` is the
time units ``[p-1, p)``); item ``i`` is product ``item<i>`` with holding cost
``h`` per unit and period; each unit due at period ``p`` is an order with due
date and deadline ``p`` (no backlog); changeovers cost ``q[i][j]`` and take no
time; the first production needs no changeover. Planned with buckets of one
period.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from prodsched.errors import PlantError, Problem
from prodsched.formats.tokens import Token, tokenize
from prodsched.plant.model import (
    Machine,
    Mode,
    Order,
    Plant,
    Product,
    RoutingOption,
    SetupRule,
    Step,
)


def _lines(path: Path) -> list[list[Token]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PlantError([Problem(str(path), None, None, None,
                                  f"cannot read the file: {err}")]) from None
    by_line: dict[int, list[Token]] = {}
    for token in tokenize(text):
        by_line.setdefault(token.line, []).append(token)
    return [by_line[n] for n in sorted(by_line)]


def _int(file: str, token: Token, what: str, low: int = 0) -> int:
    try:
        value = int(token.text)
    except ValueError:
        raise PlantError([Problem(file, token.line, token.column, None,
                                  f"expected {what} (a whole number), found {token.text!r}")]
                         ) from None
    if value < low:
        raise PlantError([Problem(file, token.line, token.column, None,
                                  f"{what} must be >= {low}, found {value}")])
    return value


def read_psp_values(path: Path) -> tuple[int, int, list[list[int]], int, list[list[int]],
                                         list[int]]:
    """``(T, N, due flags per item, h, changeover costs, best values)`` of a .psp file."""
    file = str(path)
    lines = _lines(path)

    def need(k: int, what: str) -> list[Token]:
        if k >= len(lines):
            raise PlantError([Problem(file, None, None, None,
                                      f"the file ends before {what}")])
        return lines[k]

    periods = _int(file, need(0, "the number of periods")[0], "the number of periods", 1)
    n = _int(file, need(1, "the number of items")[0], "the number of items", 1)
    demand = []
    for i in range(n):
        row = need(2 + i, f"the demand of item {i}")
        if len(row) < periods:
            raise PlantError([Problem(file, row[0].line, None, None,
                                      f"item {i} has {len(row)} periods; expected {periods}")])
        demand.append([_int(file, t, "a 0/1 demand", 0) for t in row[:periods]])
    cost_line = need(2 + n, "the stocking cost")
    stocking = _int(file, cost_line[0], "the stocking cost")
    rest = lines[3 + n:]
    if len(rest) < n + 1:
        raise PlantError([Problem(file, None, None, None,
                                  "the file ends before the changeover costs and best values")])
    changeover = []
    for i in range(n):
        row = rest[i]
        if len(row) < n:
            raise PlantError([Problem(file, row[0].line, None, None,
                                      f"changeover row {i} has {len(row)} values; expected {n}")])
        changeover.append([_int(file, t, "a changeover cost") for t in row[:n]])
    best = [_int(file, t, "a best value") for t in rest[-1]]
    return periods, n, demand, stocking, changeover, best


def read_psp(path: Path) -> Plant:
    """A .psp file as a plant (see the module docstring)."""
    periods, n, demand, stocking, changeover, _ = read_psp_values(path)
    names = [f"item{i}" for i in range(n)]
    orders = []
    for i, flags in enumerate(demand):
        for p, flag in enumerate(flags, start=1):
            if flag > 1:
                raise PlantError([Problem(str(path), 3 + i, p, None,
                                          f"demand must be 0 or 1, found {flag}")])
            if flag:
                orders.append(Order(f"{names[i]}_p{p}", names[i], 1, due=Fraction(p),
                                    deadline=p))
    products = {name: Product(name, name, Mode.BATCH, holding_cost=Fraction(stocking))
                for name in names}
    routings: dict[str, tuple[Step, ...]] = {
        name: (Step(1, (RoutingOption("M", Fraction(1)),)),) for name in names}
    rules = tuple(SetupRule("M", names[i], names[j], Fraction(0), Fraction(changeover[i][j]))
                  for i in range(n) for j in range(n) if i != j and changeover[i][j])
    del periods
    return Plant(orders=tuple(orders), products=products, routings=routings,
                 machines={"M": Machine("M")}, setup_rules=rules, name=path.stem,
                 source=path, bucket_length=1)
