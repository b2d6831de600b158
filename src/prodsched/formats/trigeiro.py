"""Trigeiro, Thomas & McClain (1989) capacitated lot-sizing files (``.dat``).

Format: ``N T``; unit production cost (ignored); capacity ``C`` per period;
``N`` lines ``a h st sc`` (capacity per unit, holding cost per unit and
period, setup time, setup cost); then the demand, one line per period with
the items' demands — when ``N > 15``, first ``T`` lines with items 1–15, then
``T`` lines with items 16–N; trailing legend lines are ignored.

As a plant: one machine ``M`` with ``C`` time units per period (period ``t``
is ``[t·C, (t+1)·C)``); item ``i`` takes ``a`` time units per unit and has
holding cost ``h / C`` per unit and time unit (``h`` per period); every lot
of an item needs its setup (time ``st``, cost ``sc``), also after a lot of the
same item and before the first lot (the machine starts idle), as in the
standard model without setup carry-over; the demand of item ``i`` in period
``t`` is an order due, and with a deadline, at ``(t+1)·C`` (no backlog).
Planned with buckets of one period.
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
from prodsched.plant.values import parse_number

ITEMS_PER_LINE = 15
IDLE = "IDLE"


def _number(file: str, token: Token, what: str) -> Fraction:
    try:
        value = parse_number(token.text)
    except ValueError:
        raise PlantError([Problem(file, token.line, token.column, None,
                                  f"expected {what} (a number), found {token.text!r}")]) from None
    if value < 0:
        raise PlantError([Problem(file, token.line, token.column, None,
                                  f"{what} must be >= 0, found {token.text}")])
    return value


def read_trigeiro_values(path: Path) -> tuple[int, int, Fraction, list[list[Fraction]],
                                              list[list[int]]]:
    """``(N, T, C, [a, h, st, sc] per item, demand[t][i])`` of a Trigeiro file."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PlantError([Problem(file, None, None, None,
                                  f"cannot read the file: {err}")]) from None
    by_line: dict[int, list[Token]] = {}
    for token in tokenize(text):
        by_line.setdefault(token.line, []).append(token)
    lines = [by_line[k] for k in sorted(by_line)]

    def line(k: int, what: str) -> list[Token]:
        if k >= len(lines):
            raise PlantError([Problem(file, None, None, None, f"the file ends before {what}")])
        return lines[k]

    head = line(0, "N and T")
    if len(head) < 2:
        raise PlantError([Problem(file, head[0].line, None, None, "expected N and T")])
    n, periods = (int(_number(file, t, "a count")) for t in head[:2])
    capacity = _number(file, line(2, "the capacity")[0], "the capacity")
    data = []
    for i in range(n):
        row = line(3 + i, f"item {i + 1}'s data")
        if len(row) < 4:
            raise PlantError([Problem(file, row[0].line, None, None,
                                      f"item {i + 1}: expected a h st sc, found "
                                      f"{len(row)} values")])
        data.append([_number(file, t, "an item value") for t in row[:4]])
    demand = [[0] * n for _ in range(periods)]
    first_demand = 3 + n
    blocks = (n + ITEMS_PER_LINE - 1) // ITEMS_PER_LINE if n > ITEMS_PER_LINE else 1
    width = ITEMS_PER_LINE if n > ITEMS_PER_LINE else n
    for block in range(blocks):
        items = range(block * width, min(n, (block + 1) * width))
        for t in range(periods):
            row = line(first_demand + block * periods + t, f"the demand of period {t + 1}")
            if len(row) < len(items):
                raise PlantError([Problem(file, row[0].line, None, None,
                                          f"period {t + 1}: expected {len(items)} demands, "
                                          f"found {len(row)}")])
            for i, token in zip(items, row, strict=False):
                value = _number(file, token, "a demand")
                if value.denominator != 1:
                    raise PlantError([Problem(file, token.line, token.column, None,
                                              f"a demand must be whole, found {token.text}")])
                demand[t][i] = int(value)
    return n, periods, capacity, data, demand


def read_trigeiro(path: Path) -> Plant:
    """A Trigeiro file as a plant (see the module docstring)."""
    n, periods, capacity, data, demand = read_trigeiro_values(path)
    if capacity.denominator != 1 or capacity <= 0:
        raise PlantError([Problem(str(path), 3, 1, None,
                                  f"the capacity must be a whole number > 0, found {capacity}")])
    cap = int(capacity)
    names = [f"item{i + 1}" for i in range(n)]
    products = {IDLE: Product(IDLE, IDLE, Mode.BATCH)}
    routings: dict[str, tuple[Step, ...]] = {}
    rules = []
    for name, (a, h, st, sc) in zip(names, data, strict=True):
        products[name] = Product(name, name, Mode.BATCH, holding_cost=h / cap)
        routings[name] = (Step(1, (RoutingOption("M", a),)),)
        rules += [SetupRule("M", "*", name, st, sc), SetupRule("M", name, name, st, sc)]
    orders = [Order(f"{names[i]}_t{t + 1}", names[i], demand[t][i], due=Fraction((t + 1) * cap),
                    deadline=(t + 1) * cap)
              for t in range(periods) for i in range(n) if demand[t][i] > 0]
    return Plant(orders=tuple(orders), products=products, routings=routings,
                 machines={"M": Machine("M", initial_state=IDLE)}, setup_rules=tuple(rules),
                 name=path.stem, source=path, bucket_length=cap)
