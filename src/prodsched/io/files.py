"""Atomic output: every file is written to a temporary name beside its target,
flushed to disk, then renamed over it, so a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_files_atomically(out_dir: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write ``files`` (name → content) into ``out_dir``.

    All contents are first written to temporary files; only when every one is
    on disk are they renamed into place, so an error while writing leaves the
    old files untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            target = out_dir / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((Path(tmp), target))
        for tmp_path, target in staged:
            os.replace(tmp_path, target)
    finally:
        for tmp_path, _ in staged:
            if tmp_path.exists():
                tmp_path.unlink()
    return [target for _, target in staged]
