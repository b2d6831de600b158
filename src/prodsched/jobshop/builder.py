"""The CP-SAT job-shop model of a whole plant: lots as chains of operations over steps.

Built in three layers, as PyJobShop builds its models, from functions the
window model of the neighbourhood search (:mod:`prodsched.jobshop.window`)
calls too:

1. **variables**: the lots of the lot plan (:func:`add_plan_lots`: fixed lots,
   slot lots whose sizes the model decides, lots pinned by fixed.csv) and
   their operations (:func:`add_plan_operations`; fixed.csv's runs are
   constants, :mod:`prodsched.jobshop.operations`);
2. **constraints**, one function per family: lot chains — step precedence
   with lot streaming, longest waits — and release/deadline windows
   (:mod:`~prodsched.jobshop.timing`); slot groups
   (:mod:`~prodsched.jobshop.slots`); machines — no-overlap, calendar and
   pauses, changeover circuits with entry cuts
   (:mod:`~prodsched.jobshop.machines`, :mod:`~prodsched.jobshop.sequencing`);
   shared resources (:mod:`~prodsched.jobshop.resources`); then model
   extensions (benchmark formats);
3. **objective**: the criteria the objective uses
   (:mod:`~prodsched.jobshop.criteria`), each stage an integer expression
   (:func:`prodsched.objective.stage_expression`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from prodsched.jobshop.criteria import add_criteria
from prodsched.jobshop.machines import add_machines, link_setup_lengths
from prodsched.jobshop.model import ShopModel
from prodsched.jobshop.operations import add_fixed_operation, add_operation
from prodsched.jobshop.resources import add_resources
from prodsched.jobshop.sequencing import allowed_pairs
from prodsched.jobshop.shop import Shop
from prodsched.jobshop.slots import add_slot_group, add_slot_lots, slot_work, unit_positions
from prodsched.jobshop.timing import add_lot_chains, add_lot_windows, deadline_enforcement
from prodsched.jobshop.variables import GroupVars, ModelLot, Variables
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import Lot
from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import slot_prefix
from prodsched.objective import Objective, Term
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp

__all__ = ["DEFAULT_MAX_ARCS", "JobShopModel", "ModelExtension", "Term", "slot_lot_id"]

# A constraint added to a built model (e.g. one job order on every machine).
ModelExtension = Callable[["JobShopModel"], None]

DEFAULT_MAX_ARCS = 40_000


class JobShopModel(ShopModel):
    """CP-SAT model of a plant.

    Parameters
    ----------
    plant
        The plant.
    plan
        The lot plan: fixed lots, slot groups whose lots the model sizes, and
        the work fixed.csv pins (its runs are constants).
    setups
        Changeover lookup of the plant.
    objective
        What to minimise; criterion variables are created for it only.
    reference
        A schedule (e.g. from a dispatch rule) used to bound the horizon and,
        on very busy machines, to choose which circuit arcs to build.
    max_arcs_per_machine
        Above this many arcs, a machine's circuit keeps only arcs between
        operations near each other in ``reference`` (and ``reference``'s own).
    extensions
        Called with the built model (before the criteria) to add constraints.
    deadline_literals
        Enforce each order's deadline only when its literal
        ``deadline_literal[order_id]`` is true, and each calendar row's downtime
        only when ``downtime_literal[k]`` is true (``k`` indexes
        ``plant.downtimes``), so that solving under these literals as
        assumptions tells which deadlines and downtimes conflict. (A pausing
        run always stretches over its machine's downtime.)
    """

    def __init__(self, plant: Plant, plan: LotPlan, setups: SetupTable, objective: Objective,
                 *, reference: list[PlacedOp] | None = None,
                 max_arcs_per_machine: int = DEFAULT_MAX_ARCS,
                 extensions: Sequence[ModelExtension] = (),
                 deadline_literals: bool = False):
        super().__init__(Shop(plant, setups, literals=deadline_literals), objective)
        self.plan = plan
        self.reference = reference or []
        self.max_arcs = max_arcs_per_machine
        m, shop, v = self.model, self.shop, self.variables
        add_plan_lots(m, shop, v, plan)
        shop.horizon = self._horizon()
        add_plan_operations(m, shop, v, plan)
        add_lot_chains(m, shop, v)
        add_lot_windows(m, shop, v)
        for gv in v.groups:
            add_slot_group(m, shop, v, gv)
        add_machines(m, shop, v, plant.machines, arcs=self._pairs, entry_cuts=True)
        link_setup_lengths(m, v)
        add_resources(m, shop, v)
        for extend in extensions:
            extend(self)
        add_criteria(m, shop, v, objective)

    def deadline_enforcement(self, order_id: str) -> list[cp_model.IntVar]:
        """Literals enforcing an order's deadline (none unless ``deadline_literals``)."""
        return deadline_enforcement(self.model, self.shop, self.variables, order_id)

    def _horizon(self) -> int:
        """A safe upper bound on every time in an optimal schedule.

        Everything can start after the latest release and due date (and fixed
        work, and ``now``), then run one lot after another around every downtime.
        """
        plant, plan = self.plant, self.plan
        worst_setup = max((math.ceil(r.time) for r in plant.setup_rules), default=0)
        work = 0
        for lot in plan.fixed:
            for step in plant.routings[lot.product]:
                work += max(o.duration(lot.quantity) for o in step.options) + worst_setup
        for group in plan.groups:
            work += slot_work(group, plant.routings[group.product.name], worst_setup)
        for lot in plan.pinned.open_lots:
            for step in plant.routings[lot.product][plan.pinned.next_step[lot.lot_id]:]:
                work += max(o.duration(lot.quantity) for o in step.options) + worst_setup
        # lots may wait for their due dates (holding cost), so start after the latest
        latest = max([o.release for o in plant.orders]
                     + [math.ceil(o.due) for o in plant.orders if o.due is not None]
                     + [0])
        if plan.pinned or plant.now is not None:
            latest = max([latest, plant.earliest, *(op.end for op in plan.pinned.ops)])
        downtime = sum(d.end - max(d.start, 0) for d in plant.downtimes if d.end > 0)
        last_down = max((d.end for d in plant.downtimes), default=0)
        reference_end = max((op.end for op in self.reference), default=0)
        return max(latest + work + downtime, last_down + work, reference_end) + 1

    def _pairs(self, machine: str, node_ops: list[int]) -> set[tuple[int, int]] | None:
        """All arcs, or on a very busy machine those near each other in the reference."""
        n = len(node_ops)
        if n * (n - 1) <= self.max_arcs or not self.reference:
            return None
        self.restricted_machines.append(machine)
        index = {(self.lots[op.lot_index].name, op.step_number): op.index for op in self.ops}
        when: dict[int, tuple[int, int]] = {}
        on_this: list[tuple[int, int]] = []
        for ref in self.reference:
            k = index.get((ref.lot.lot_id, ref.step))
            if k is None:
                continue
            when[k] = (ref.start, ref.end)
            if ref.machine == machine:
                on_this.append((ref.start, k))
        on_this.sort()
        forced = {(a, b) for (_, a), (_, b) in itertools.pairwise(on_this)}
        order = sorted(node_ops, key=lambda k: when.get(k, (self.horizon, k)))
        window = max(2, self.max_arcs // (2 * n))
        return allowed_pairs(order, window, forced)


# -- variables: lots and their operations --------------------------------------
def _new_lot(v: Variables, name: str, product: str, mode: Mode,
             present: cp_model.IntVar | None, quantity: int | cp_model.IntVar,
             max_quantity: int, streaming: bool, lot: Lot | None = None,
             group: int | None = None) -> ModelLot:
    ml = ModelLot(len(v.lots), name, product, mode, present, quantity, max_quantity,
                  streaming, lot, group)
    v.lots.append(ml)
    return ml


def add_plan_lots(m: cp_model.CpModel, shop: Shop, v: Variables, plan: LotPlan) -> None:
    """The lots of the plan: fixed lots, the slots of each group (sizes as variables,
    :mod:`prodsched.jobshop.slots`), and the lots fixed.csv pins."""
    for lot in plan.fixed:
        _new_lot(v, lot.lot_id, lot.product, lot.mode, None, lot.quantity, lot.quantity,
                 lot.mode is Mode.MASS, lot=lot)
    for gi, group in enumerate(plan.groups):
        name = group.product.name
        gv = GroupVars(gi, group, [], [], unit_positions(group.orders))
        if group.one_off_option:
            gv.one_off = m.new_bool_var(f"one_off_{name}")
            for order in group.orders:
                for lot in order_lots(order, group.product, Mode.ONE_OFF):
                    ml = _new_lot(v, lot.lot_id, name, Mode.ONE_OFF, gv.one_off,
                                  lot.quantity, lot.quantity, False, lot=lot, group=gi)
                    gv.one_off_lots.append(ml.index)
        add_slot_lots(m, v, gv, [slot_lot_id(name, k) for k in range(group.slots)])
    for lot in plan.pinned.lots:
        _new_lot(v, lot.lot_id, lot.product, lot.mode, None, lot.quantity, lot.quantity,
                 lot.mode is Mode.MASS, lot=lot)


def add_plan_operations(m: cp_model.CpModel, shop: Shop, v: Variables, plan: LotPlan) -> None:
    """An operation per step of every lot: constants for fixed.csv's runs (with
    their setup rows), variables for everything else."""
    fixed = {(op.lot.lot_id, op.step): op for op in plan.pinned.ops}
    pinned = set(plan.pinned.lots)
    for ml in v.lots:
        for si, step in enumerate(shop.plant.routings[ml.product]):
            placed = fixed.get((ml.name, step.number)) if ml.lot in pinned else None
            if placed is None:
                add_operation(m, shop, v, ml, si, step)
            else:
                add_fixed_operation(m, shop, v, ml, si, placed, on_machine=True,
                                    fixed_setup=True)


def slot_lot_id(product: str, slot: int) -> str:
    """The lot id of a product's ``slot``-th lot (0-based slot)."""
    return f"{slot_prefix(product)}{slot + 1}"
