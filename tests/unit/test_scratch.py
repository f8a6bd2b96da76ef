"""The scratch folder is private to one process: made fresh, never shared, never trusted if others can write it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from analysis import scratch

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """A temporary folder of the test's own standing in for /tmp, and no scratch folder made yet."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    monkeypatch.setattr(scratch, "_scratch", None)
    return root


def test_the_scratch_folder_is_new_private_and_named_for_the_process(temp_root):
    folder = scratch.scratch_dir()
    info = folder.stat()
    assert folder.parent == temp_root
    assert folder.name.startswith(f"debrief-{os.getpid()}-")
    assert stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()
    assert scratch.scratch_dir() == folder  # one per process


def test_a_folder_someone_else_made_under_the_old_shared_name_is_not_used(temp_root):
    planted = temp_root / f"debrief-scratch-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    assert scratch.scratch_dir() != planted


def test_a_scratch_folder_others_may_write_is_refused(temp_root):
    folder = scratch.scratch_dir()
    folder.chmod(0o770)
    with pytest.raises(scratch.UnsafeScratch, match="not private"):
        scratch.scratch_dir()
    folder.chmod(0o700)


def test_a_scratch_folder_owned_by_another_user_is_refused(temp_root, monkeypatch):
    folder = scratch.scratch_dir()
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    with pytest.raises(scratch.UnsafeScratch):
        scratch.check_private(folder)


def test_a_scratch_folder_removed_under_the_process_is_made_again_privately(temp_root):
    folder = scratch.scratch_dir()
    folder.rmdir()
    assert scratch.scratch_dir() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def _aged(folder: Path, seconds: float) -> Path:
    folder.mkdir()
    (folder / "upload.bin").write_bytes(b"x")
    then = time.time() - seconds
    os.utime(folder, (then, then))
    return folder


def test_leftovers_of_crashed_processes_are_swept(temp_root):
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: no such process
    crashed = _aged(temp_root / f"debrief-{dead_pid}-abc", 2 * DAY)
    young = _aged(temp_root / f"debrief-{dead_pid}-def", 3600)
    running = _aged(temp_root / f"debrief-{os.getppid()}-ghi", 2 * DAY)
    unrelated = _aged(temp_root / "other-app-123", 2 * DAY)
    scratch.scratch_dir()
    assert not crashed.exists()
    assert young.exists() and running.exists() and unrelated.exists()


def test_two_processes_never_share_a_scratch_folder_and_each_removes_its_own(temp_root):
    mine = scratch.scratch_dir()
    (mine / "staged.csv").write_text("mine")
    code = "from analysis import scratch; print(scratch.scratch_dir())"
    env = dict(os.environ, TMPDIR=str(temp_root))
    theirs = Path(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                                 check=True, timeout=60).stdout.strip())  # fmt: skip
    assert theirs != mine and theirs.parent == temp_root
    assert not theirs.exists()  # removed when that process exited
    assert (mine / "staged.csv").read_text() == "mine"  # and it left ours alone
