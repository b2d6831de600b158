"""Bundled example plants, written from code (the package holds no data files).

Each example is a module with a docstring that tells what the plant is and
which trade-off it shows, a one-line ``DESCRIPTION`` and a ``files()``
function that returns its CSV files. The output is the same, byte for byte,
every time; the copies in the repository's ``instances/`` folder are written
by ``python -m prodsched.examples instances`` and checked against the code by
the tests.

Examples
--------
>>> sorted(EXAMPLES)
['bakery', 'bottling', 'crews', 'furniture', 'morning', 'shifts', 'tiny']
>>> write_example("tiny", "plants/tiny")  # doctest: +SKIP
PosixPath('plants/tiny')
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from prodsched.atomic import write_files_atomically
from prodsched.errors import UsageError
from prodsched.examples import bakery, bottling, crews, furniture, morning, shifts, tiny
from prodsched.generate.csvtext import write_plant_folder

_MODULES: dict[str, ModuleType] = {
    "tiny": tiny,
    "bakery": bakery,
    "furniture": furniture,
    "bottling": bottling,
    "crews": crews,
    "shifts": shifts,
    "morning": morning,
}

EXAMPLES: dict[str, str] = {name: module.DESCRIPTION for name, module in _MODULES.items()}
"""Example name → one-line description."""


def _module(name: str) -> ModuleType:
    try:
        return _MODULES[name]
    except KeyError:
        known = ", ".join(EXAMPLES)
        raise UsageError(f"no example plant {name!r}; the examples are {known}") from None


def example_files(name: str) -> dict[str, str]:
    """The CSV files of one example plant.

    Parameters
    ----------
    name
        One of :data:`EXAMPLES`.

    Returns
    -------
    dict[str, str]
        File name (``orders.csv``, ...) → CSV text, ``\\n`` line ends.

    Raises
    ------
    UsageError
        When there is no example of that name.
    """
    make: Callable[[], dict[str, str]] = _module(name).files
    return make()


def example_docs(name: str) -> str:
    """The long description of one example (its module docstring)."""
    return inspect.cleandoc(_module(name).__doc__ or EXAMPLES[name])


def write_example(name: str, folder: str | Path) -> Path:
    """Write one example plant's files into ``folder`` (created if needed).

    Parameters
    ----------
    name
        One of :data:`EXAMPLES`.
    folder
        Where to write; the plant files there are replaced (and those this
        example does not have, like a calendar.csv, removed).

    Returns
    -------
    Path
        The folder, ready for :func:`prodsched.plant.load_plant`.
    """
    return write_plant_folder(folder, example_files(name))


def readme_text() -> str:
    """A README.md for a folder holding every example, one section each."""
    parts = [
        "# Example plants",
        "",
        "Written by `python -m prodsched.examples instances` (or `prodsched example NAME DIR`)",
        "from the modules in `src/prodsched/examples/`; do not edit these files by hand:",
        "the tests check that they equal what the code writes.",
        "",
        "| plant | what it shows |",
        "|---|---|",
    ]
    parts += [f"| [{name}]({name}/) | {text} |" for name, text in EXAMPLES.items()]
    for name in EXAMPLES:
        parts += ["", f"## {name}", "", _markdown(example_docs(name))]
    return "\n".join(parts) + "\n"


def _markdown(doc: str) -> str:
    """A module docstring as Markdown: inline code, and each ``Term`` followed by
    an indented paragraph as a paragraph that starts with the term in bold."""
    lines = doc.replace("``", "`").splitlines()
    title, _, rest = lines[0].partition(": ")
    out = [rest[:1].upper() + rest[1:] if rest and title.startswith("`") else lines[0]]
    term = None
    for i, line in enumerate(lines[1:], start=1):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.startswith("    "):
            out.append(f"**{term}.** {line.strip()}" if term else line.strip())
            term = None
        elif line and following.startswith("    "):
            term = line
        else:
            out.append(line)
    return "\n".join(out)


def write_all_examples(out_dir: str | Path) -> list[Path]:
    """Write every example into ``out_dir/<name>/`` and a ``README.md`` beside them.

    Returns
    -------
    list[Path]
        The example folders, in :data:`EXAMPLES` order.
    """
    root = Path(out_dir)
    folders = [write_example(name, root / name) for name in EXAMPLES]
    write_files_atomically(root, {"README.md": readme_text()})
    return folders


__all__ = [
    "EXAMPLES",
    "example_docs",
    "example_files",
    "readme_text",
    "write_all_examples",
    "write_example",
]
