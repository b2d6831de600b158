"""Atomic writes: all files or none, no temporary files left, the permissions a planner
expects (not the owner-only mode of a temporary file)."""

from __future__ import annotations

import os
import stat

import pytest

from prodsched.atomic import write_files_atomically


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_get_the_mode_open_gives_and_replaced_files_keep_theirs(tmp_path):
    umask = os.umask(0o022)
    try:
        write_files_atomically(tmp_path, {"a.csv": "x\n", "b.json": b"{}"})
        assert _mode(tmp_path / "a.csv") == _mode(tmp_path / "b.json") == 0o644
        (tmp_path / "a.csv").chmod(0o640)
        write_files_atomically(tmp_path, {"a.csv": "y\n"})
        assert _mode(tmp_path / "a.csv") == 0o640
        assert (tmp_path / "a.csv").read_text() == "y\n"
    finally:
        os.umask(umask)


def test_a_failure_while_writing_leaves_the_old_files_and_no_temporary_file(tmp_path,
                                                                            monkeypatch):
    write_files_atomically(tmp_path, {"a.csv": "old\n"})
    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:  # the second file hits a full disk
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space"):
        write_files_atomically(tmp_path, {"a.csv": "new\n", "b.csv": "new\n"})
    assert (tmp_path / "a.csv").read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
