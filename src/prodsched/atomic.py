"""Atomic output: every file is written to a temporary name beside its target,
flushed to disk, then renamed over it, so a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

# The process's umask, read once at import (reading it means setting it, which is not
# safe once other threads may create files).
_UMASK = os.umask(0)
os.umask(_UMASK)


def _mode_for(target: Path) -> int:
    """The permissions ``target`` keeps (when it exists) or a new file gets from ``open``."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def write_files_atomically(out_dir: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write ``files`` (name → content) into ``out_dir``.

    All contents are first written to temporary files; only when every one is
    on disk are they renamed into place, so an error while writing leaves the
    old files untouched and no temporary file behind. A replaced file keeps its
    permissions; a new one gets those ``open`` would give it (``0666`` less the
    umask), not the owner-only mode of a temporary file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            target = out_dir / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
                fh.flush()
                os.fchmod(fh.fileno(), _mode_for(target))
                os.fsync(fh.fileno())
        for tmp_path, target in staged:
            os.replace(tmp_path, target)
    finally:
        for tmp_path, _ in staged:
            if tmp_path.exists():
                tmp_path.unlink()
    return [target for _, target in staged]
