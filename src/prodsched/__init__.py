"""prodsched: production scheduling on OR-Tools CP-SAT.

A plant (orders, products, routings, machines, changeovers, calendars) becomes
a validated, Gantt-ready :class:`Schedule`::

    import prodsched
    plant = prodsched.load_plant("instances/bakery")
    schedule = prodsched.solve(plant, objective="weighted-tardiness>setup-time", time_limit=10)
    schedule.to_dataframe()
    schedule.write("out/")
"""

from prodsched.errors import InfeasibleError, PlantError, Problem, UsageError
from prodsched.io.frames import (
    plant_from_frames,
    plant_to_frames,
    schedule_frame,
    schedule_from_frame,
)
from prodsched.io.plant_workbook import write_plant_workbook
from prodsched.io.read_schedule import ScheduleFileError, read_schedule
from prodsched.lots.lot import STOCK, Lot
from prodsched.objective import DEFAULT_OBJECTIVE, Criterion, Objective, parse_objective
from prodsched.pipeline import solve
from prodsched.plant.load import Limits, load_plant
from prodsched.plant.model import Machine, Mode, Order, Plant, Product, RoutingOption, Step
from prodsched.schedule.kpis import Kpis
from prodsched.schedule.schedule import Schedule, SolveInfo
from prodsched.schedule.stats import SolveStatus

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_OBJECTIVE",
    "STOCK",
    "Criterion",
    "InfeasibleError",
    "Kpis",
    "Limits",
    "Lot",
    "Machine",
    "Mode",
    "Objective",
    "Order",
    "Plant",
    "PlantError",
    "Problem",
    "Product",
    "RoutingOption",
    "Schedule",
    "ScheduleFileError",
    "SolveInfo",
    "SolveStatus",
    "Step",
    "UsageError",
    "load_plant",
    "parse_objective",
    "plant_from_frames",
    "plant_to_frames",
    "read_schedule",
    "schedule_frame",
    "schedule_from_frame",
    "solve",
    "write_plant_workbook",
]
