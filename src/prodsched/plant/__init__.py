"""The plant: data model, loading with collected errors, time axis, setup lookup."""

from prodsched.plant.load import Limits, build_plant, load_plant
from prodsched.plant.model import (
    Downtime,
    Machine,
    Mode,
    Order,
    Plant,
    Product,
    RoutingOption,
    SetupRule,
    Step,
)
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.plant.values import TimeAxis

__all__ = [
    "Changeover",
    "Downtime",
    "Limits",
    "Machine",
    "Mode",
    "Order",
    "Plant",
    "Product",
    "RoutingOption",
    "SetupRule",
    "SetupTable",
    "Step",
    "TimeAxis",
    "build_plant",
    "load_plant",
]
