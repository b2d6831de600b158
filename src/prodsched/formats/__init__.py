"""Readers of standard benchmark files into the project's Plant."""

from prodsched.formats.registry import FORMATS, InstanceFormat, get_format, register

__all__ = ["FORMATS", "InstanceFormat", "get_format", "register"]
