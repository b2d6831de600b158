"""What the full model and the window model share: the CP-SAT model, the plant as
the constraint functions see it (:class:`~prodsched.jobshop.shop.Shop`), the
variable records (:class:`~prodsched.jobshop.variables.Variables`) and the
objective's stages."""

from __future__ import annotations

from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import StageExpression
from prodsched.jobshop import criteria
from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import (
    CriterionVars,
    GroupVars,
    IntOrVar,
    MachineSequence,
    ModelLot,
    Operation,
    Variables,
)
from prodsched.objective import Criterion, Objective, Stage, Term, stage_expression
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable


class ShopModel:
    """A CP-SAT job-shop model: ``model``, ``shop``, ``variables`` and ``objective``.

    Subclasses build it (:class:`~prodsched.jobshop.builder.JobShopModel`,
    :class:`~prodsched.jobshop.window.WindowModel`) from the same constraint
    functions.
    """

    def __init__(self, shop: Shop, objective: Objective):
        self.model = cp_model.CpModel()
        self.shop = shop
        self.objective = objective
        self.variables = Variables()
        # terms added to the first stage (the window's cost of pushing work on)
        self.extra_terms: list[Term] = []

    # -- the records, by their usual names ------------------------------------
    @property
    def plant(self) -> Plant:
        """The plant."""
        return self.shop.plant

    @property
    def setups(self) -> SetupTable:
        """The plant's changeover lookup."""
        return self.shop.setups

    @property
    def horizon(self) -> int:
        """An upper bound on every time in the model."""
        return self.shop.horizon

    @property
    def lots(self) -> list[ModelLot]:
        """Every lot of the model."""
        return self.variables.lots

    @property
    def groups(self) -> list[GroupVars]:
        """The slot groups (lots the model sizes)."""
        return self.variables.groups

    @property
    def ops(self) -> list[Operation]:
        """Every operation, free or fixed."""
        return self.variables.ops

    @property
    def sequences(self) -> dict[str, MachineSequence]:
        """The changeover circuit of each machine that has one."""
        return self.variables.sequences

    @property
    def restricted_machines(self) -> list[str]:
        """Machines whose circuit keeps only some arcs."""
        return self.variables.restricted_machines

    @property
    def setup_terms(self) -> dict[int, list[tuple[int, cp_model.IntVar]]]:
        """Per operation, ``(changeover time, arc literal)``."""
        return self.variables.setup_terms

    @property
    def cost_terms(self) -> list[tuple[Fraction, cp_model.IntVar]]:
        """``(changeover cost, arc literal)`` of every arc that costs something."""
        return self.variables.cost_terms

    @property
    def vars(self) -> CriterionVars:
        """The criteria's variables."""
        assert self.variables.criteria is not None
        return self.variables.criteria

    @property
    def deadline_literal(self) -> dict[str, cp_model.IntVar]:
        """Per order, the literal enforcing its deadline (``deadline_literals``)."""
        return self.variables.deadline_literal

    @property
    def downtime_literal(self) -> dict[int, cp_model.IntVar]:
        """Per calendar row, the literal enforcing its downtime (``deadline_literals``)."""
        return self.variables.downtime_literal

    def last_end(self, ml: ModelLot) -> IntOrVar:
        """End of the lot's last step (0 when the lot is not made)."""
        return self.variables.last_end(ml)

    def size(self) -> int:
        """Operations plus circuit arcs: a measure of how heavy the model is."""
        return len(self.ops) + sum(len(s.arcs) for s in self.sequences.values())

    # -- objective ----------------------------------------------------------
    def criterion_terms(self, criterion: Criterion) -> list[Term]:
        """The criterion as ``(coefficient, variable)`` terms (exact coefficients)."""
        return criteria.terms(self.shop, self.variables, criterion)

    def stage_expression(self, stage: Stage) -> tuple[cp_model.LinearExpr, int]:
        """A stage as an integer expression and the scale dividing it back (the
        first stage with :attr:`extra_terms`)."""
        first = stage == self.objective.stages[0]
        return stage_expression(stage, self.criterion_terms,
                                self.extra_terms if first else ())

    def stages(self) -> list[StageExpression]:
        """Each stage of the objective as ``(name, integer expression, scale)``, for
        :func:`~prodsched.cpsat_runner.run_stages`."""
        return [(str(s), *self.stage_expression(s)) for s in self.objective.stages]
