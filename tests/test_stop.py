"""A stop that also ends on a signal of its own keeps the caller's deadline, budget,
hook and stop flag."""

from __future__ import annotations

from prodsched.stop import Stop


def test_or_when_is_requested_by_either_flag_and_keeps_the_rest():
    asked, own = [False], [False]

    def hook(solver) -> None:
        return None

    stop = Stop.make(100.0, requested=lambda: asked[0], solver_hook=hook,
                     deterministic_seconds=3.0)
    both = stop.or_when(lambda: own[0])
    assert not both()
    own[0] = True
    assert both() and not stop()
    own[0], asked[0] = False, True
    assert both()
    assert (both.deadline, both.deterministic_seconds, both.solver_hook) == (100.0, 3.0, hook)
