"""Row schemas of the plant files (pydantic at the edge).

Each schema turns one row's cell texts into typed values; every cell that
fails becomes a :class:`~prodsched.errors.Problem` at its line and column.
Cross-row rules (unique keys, references) are checked by the loader.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from prodsched.errors import Problem
from prodsched.plant.csvfile import Row
from prodsched.plant.model import Mode, ResourceUse
from prodsched.plant.values import parse_integer, parse_number, parse_time_cell


def _text(value: Any) -> str:
    return str(value).strip()


def _number(value: Any) -> Fraction:
    return value if isinstance(value, Fraction) else parse_number(str(value))


def _non_negative(value: Any) -> Fraction:
    number = _number(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative; expected a number >= 0")
    return number


def _positive_integer(value: Any) -> int:
    number = value if isinstance(value, int) else parse_integer(str(value))
    if number < 1:
        raise ValueError(f"{value!r} is not a whole number >= 1")
    return number


def _time(value: Any) -> Fraction | datetime:
    if isinstance(value, Fraction | datetime):
        return value
    return parse_time_cell(str(value))


def _mode(value: Any) -> Mode:
    text = str(value).strip().lower()
    try:
        return Mode(text)
    except ValueError:
        choices = ", ".join(m.value for m in Mode)
        raise ValueError(f"{value!r} is not a production mode; expected one of {choices}") from None


def _machines(value: Any) -> tuple[str, ...]:
    names = [part.strip() for part in str(value).split("|")]
    if any(not n for n in names):
        raise ValueError(f"{value!r} has an empty machine name")
    if len(set(names)) != len(names):
        raise ValueError(f"{value!r} names a machine twice")
    return tuple(names)


YES = frozenset({"yes", "true", "1"})
NO = frozenset({"no", "false", "0"})


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"{value!r} is neither yes nor no; expected yes/no, true/false or 1/0")


def parse_resources(text: str) -> tuple[ResourceUse, ...]:
    """Read a ``resources`` cell: ``name`` or ``name:amount`` joined by ``;``.

    Spaces around names, colons and semicolons are tolerated; an amount is a
    whole number >= 1 (default 1).

    Raises
    ------
    ValueError
        With a message for the user: an empty entry, a bad amount, a name twice.
    """
    uses: list[ResourceUse] = []
    for part in str(text).split(";"):
        name, colon, amount_text = part.partition(":")
        name = name.strip()
        if not name:
            raise ValueError(f"{text!r} has an empty resource name; expected name or "
                             "name:amount joined by ';'")
        amount = 1
        if colon:
            try:
                amount = parse_integer(amount_text)
            except ValueError:
                amount = 0
            if amount < 1:
                raise ValueError(f"the amount {amount_text.strip()!r} of resource {name!r} "
                                 "is not a whole number >= 1")
        if any(use.resource == name for use in uses):
            raise ValueError(f"{text!r} names resource {name!r} twice")
        uses.append(ResourceUse(name, amount))
    return tuple(uses)


def _resources(value: Any) -> tuple[ResourceUse, ...]:
    if isinstance(value, tuple):
        return value
    return parse_resources(str(value))


def _kind(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in ("run", "setup"):
        raise ValueError(f"{value!r} is neither run nor setup")
    return text


Text = Annotated[str, BeforeValidator(_text)]
NonNegative = Annotated[Fraction, BeforeValidator(_non_negative)]
PositiveInt = Annotated[int, BeforeValidator(_positive_integer)]
TimeCell = Annotated[Fraction | datetime, BeforeValidator(_time)]
ModeCell = Annotated[Mode, BeforeValidator(_mode)]
MachineList = Annotated[tuple[str, ...], BeforeValidator(_machines)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
ResourceList = Annotated[tuple[ResourceUse, ...], BeforeValidator(_resources)]
KindCell = Annotated[str, BeforeValidator(_kind)]


class _RowSchema(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, populate_by_name=True)


class OrderRow(_RowSchema):
    """A row of orders.csv."""

    order_id: Text
    product: Text
    quantity: PositiveInt
    due: TimeCell | None = None
    release: TimeCell | None = None
    weight: NonNegative = Fraction(1)
    deadline: TimeCell | None = None


class ProductRow(_RowSchema):
    """A row of products.csv."""

    product: Text
    family: Text | None = None
    mode: ModeCell = Mode.AUTO
    min_lot: PositiveInt = 1
    max_lot: PositiveInt | None = None
    lot_multiple: PositiveInt = 1
    holding_cost: NonNegative = Fraction(0)
    unit_value: NonNegative | None = None


class RoutingRow(_RowSchema):
    """A row of routings.csv."""

    product: Text
    step: PositiveInt
    machine: MachineList
    time_per_unit: NonNegative
    fixed_time: NonNegative = Fraction(0)
    can_pause: YesNo = False
    resources: ResourceList = ()
    max_wait: NonNegative | None = None


class MachineRow(_RowSchema):
    """A row of machines.csv."""

    machine: Text
    initial_state: Text | None = None
    cost_per_hour: NonNegative = Fraction(0)


class SetupRow(_RowSchema):
    """A row of setups.csv."""

    machine: Text
    from_: Text = Field(alias="from")
    to: Text
    time: NonNegative
    cost: NonNegative = Fraction(0)
    resources: ResourceList = ()


class CalendarRow(_RowSchema):
    """A row of calendar.csv."""

    machine: Text
    start: TimeCell
    end: TimeCell


class ResourceRow(_RowSchema):
    """A row of resources.csv."""

    resource: Text
    capacity: PositiveInt = 1


class FixedFileRow(_RowSchema):
    """A row of fixed.csv (the columns of schedule.csv).

    ``mode``, ``step``, ``quantity`` and ``orders`` are required for run rows;
    the loader checks that, and reads ``orders``.
    """

    machine: Text
    kind: KindCell
    lot: Text
    product: Text
    mode: ModeCell | None = None
    step: PositiveInt | None = None
    quantity: PositiveInt | None = None
    orders: Text | None = None
    start: TimeCell
    end: TimeCell


class SettingsRow(_RowSchema):
    """The row of plant.csv."""

    now: TimeCell | None = None


SchemaT = TypeVar("SchemaT", bound=_RowSchema)


def columns_of(schema: type[_RowSchema]) -> tuple[list[str], list[str]]:
    """(required, optional) column names of a schema."""
    required: list[str] = []
    optional: list[str] = []
    for name, info in schema.model_fields.items():
        column = info.alias or name
        (required if info.is_required() else optional).append(column)
    return required, optional


def parse_row(schema: type[SchemaT], row: Row, problems: list[Problem]) -> SchemaT | None:
    """Validate one row; append a problem per bad cell and return ``None`` on any."""
    data = {k: v for k, v in row.cells.items() if v != ""}
    try:
        return schema.model_validate(data)
    except ValidationError as err:
        aliases = {name: (info.alias or name) for name, info in schema.model_fields.items()}
        for e in err.errors():
            field = str(e["loc"][0]) if e["loc"] else None
            column = aliases.get(field, field) if field else None
            if e["type"] == "missing":
                message = "required value is empty"
            else:
                message = str(e["msg"]).removeprefix("Value error, ")
            problems.append(row.problem(column, message))
        return None
