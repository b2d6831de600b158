"""A window of the lot-sizing model as a model of its own buckets.

Fix-and-optimise re-plans a few consecutive buckets with the plan around them
fixed. Fixing the variables outside the window in a copy of the whole model
works, but CP-SAT then presolves the whole model at every window, and that is
most of a window's time on long horizons (PSP_200_1: 0.2 s of presolve against
0.02 s of search, for a window of 11 buckets). A window model holds only the
window's buckets; what the fixed plan around it decides comes in as a
:class:`~prodsched.lotsizing.model.Frame`:

- each machine's set-up state entering the window (the last lot before it);
- each item's units made before the window, and made by its end (the plan
  after the window is fixed, and so is what it leaves to make);
- the first lot after the window on each machine: the changeover into it
  depends on the window's last set-up state, so its cost counts in the window
  and its time must fit what that lot's bucket leaves.

The window model's objective is the whole model's less what the window cannot
change, so two plans that differ only inside the window compare the same way
in both. Its decisions map one to one onto the whole model's.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from prodsched.lotsizing.grid import capacity
from prodsched.lotsizing.model import BucketModel, BucketSequence, Frame


def window_model(bm: BucketModel, values: list[int], buckets: range) -> BucketModel:
    """The model of ``buckets`` with the plan ``values`` (the whole model's variable
    values; only decisions are read, see :func:`decision_pairs`) fixed around them."""
    window = BucketModel(bm.plant, bm.items, bm.grid, bm.setups, bm.criteria,
                         frame_of(bm, values, buckets))
    window.add_deadline_cuts()  # a window is solved to a proof
    return window


def frame_of(bm: BucketModel, values: list[int], buckets: range) -> Frame:
    """What the plan ``values`` fixes around ``buckets`` (read from its decisions)."""
    before, by_end = [0] * len(bm.items), [0] * len(bm.items)
    for lot in bm.lots:
        units = values[lot.quantity.index]
        before[lot.item] += units if lot.bucket < buckets.start else 0
        by_end[lot.item] += units if lot.bucket < buckets.stop else 0
    by_machine: dict[str, list[BucketSequence]] = defaultdict(list)
    for seq in sorted(bm.sequences, key=lambda s: s.bucket):
        by_machine[seq.machine].append(seq)
    start: dict[str, str] = {}
    next_lot: dict[str, tuple[str, int]] = {}
    for machine, seqs in by_machine.items():
        start[machine] = bm.start_state(machine)
        for seq in seqs:
            if seq.bucket < buckets.start:
                start[machine] = _product_set(bm, seq.last, values) or start[machine]
            elif seq.bucket >= buckets.stop and (found := _product_set(bm, seq.first, values)):
                room = capacity(bm.plant, machine, bm.grid)[seq.bucket] - _load(bm, seq, values)
                next_lot[machine] = (found, room)
                break
    last = None if buckets.stop >= bm.grid.count else by_end
    return Frame(buckets, start, before, last, next_lot, dict(bm.state_names))


def _product_set(bm: BucketModel, lits: dict[int, cp_model.IntVar], values: list[int]
                 ) -> str | None:
    """The product of the lot whose literal is set among ``lits`` (a bucket's first or
    last lots); ``None``: none is (an empty bucket, or a machine whose changeovers do
    not depend on the sequence, which has no such literals)."""
    return next((bm.product_of(k) for k, lit in lits.items() if values[lit.index]), None)


def _load(bm: BucketModel, seq: BucketSequence, values: list[int]) -> int:
    """Run times and changeovers between the bucket's lots (not the one into its first)."""
    load = sum(values[bm.lots[k].duration.index] for k in seq.lots)
    for k, j, lit in seq.arcs:
        if values[lit.index]:
            load += int(bm.setups.between(seq.machine, bm.product_of(k), bm.product_of(j)).time)
    return load


def decision_pairs(bm: BucketModel, window: BucketModel) -> list[tuple[int, int]]:
    """``(window model's variable index, whole model's variable index)`` of every
    decision of the window's buckets: lots made, their quantities and run times, and
    their order inside each bucket."""
    lot_of = {(lot.item, lot.machine, lot.bucket): k for k, lot in enumerate(bm.lots)}
    to_whole = {k: lot_of[(lot.item, lot.machine, lot.bucket)]
                for k, lot in enumerate(window.lots)}
    pairs: list[tuple[int, int]] = []
    for k, lot in enumerate(window.lots):
        whole = bm.lots[to_whole[k]]
        pairs += [(lot.made.index, whole.made.index), (lot.quantity.index, whole.quantity.index),
                  (lot.duration.index, whole.duration.index)]
    sequence_of = {(seq.machine, seq.bucket): seq for seq in bm.sequences}
    for seq in window.sequences:
        whole_seq = sequence_of[(seq.machine, seq.bucket)]
        for k, lit in seq.first.items():
            pairs.append((lit.index, whole_seq.first[to_whole[k]].index))
        for k, lit in seq.last.items():
            pairs.append((lit.index, whole_seq.last[to_whole[k]].index))
        whole_arcs = {(k, j): lit for k, j, lit in whole_seq.arcs}
        pairs += [(lit.index, whole_arcs[(to_whole[k], to_whole[j])].index)
                  for k, j, lit in seq.arcs]
        if seq.busy is not None and whole_seq.busy is not None:
            pairs.append((seq.busy.index, whole_seq.busy.index))
    return pairs
