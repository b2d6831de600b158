"""The re-timer, by its former name: :func:`prodsched.timeline.retime.retime`."""

from prodsched.timeline.retime import retime

__all__ = ["retime"]
