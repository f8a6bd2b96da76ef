"""This process's private scratch folder: where uploads, exports and backups are written before they move on.

A restricted connection (``store.restrict_file_access``) may touch no folder but this one
besides the database's own file.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

from analysis.store import StoreError

SCRATCH_PREFIX = "debrief-"
# A scratch folder left by a process that died without cleaning up is removed
# once it is this old; a younger one may belong to a Debrief still starting.
LEFTOVER_AGE_S = 24 * 3600
_scratch: Path | None = None
_scratch_lock = threading.Lock()


class UnsafeScratch(StoreError):
    """The scratch folder is not private: another user owns it, or others may write in it."""


def scratch_dir() -> Path:
    """This process's private scratch folder: the only folder, besides the database file, a restricted
    connection may touch.

    Uploads are staged here before DuckDB reads them, and exports and backups are
    written here before they are handed over. Made by ``tempfile.mkdtemp`` (mode
    0700, owned by the user, a new name per process, so no other process or user
    shares it) on first use, which also sweeps folders that crashed Debrief
    processes left; removed when the process exits.

    An upload's own folder inside it goes when the import finishes or is
    cancelled (``importing.discard``), or when nothing holds the staged file any
    more (its finalizer): the Import page dropping it, or Streamlit dropping the
    state of a session whose tab closed mid-import (a couple of minutes later).
    Streamlit has no session-end hook, so that is the earliest; exit is the latest.
    """
    global _scratch
    with _scratch_lock:
        if _scratch is None:
            sweep_leftover_scratch()
            _scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
            atexit.register(shutil.rmtree, _scratch, True)
        elif not _scratch.is_dir():
            # Removed under us (a temp cleaner): make it again under the same name, which the
            # restricted connections were allowed; check_private refuses it if someone else made it.
            with contextlib.suppress(FileExistsError):
                _scratch.mkdir(mode=0o700)
        check_private(_scratch)
        return _scratch


def check_private(folder: Path) -> None:
    """Raise ``UnsafeScratch`` unless ``folder`` is a real folder owned by this user that no one else may write."""
    info = folder.lstat()
    foreign = hasattr(os, "getuid") and info.st_uid != os.getuid()
    if not stat.S_ISDIR(info.st_mode) or foreign or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeScratch(
            f"Debrief's temporary folder {folder} is not private (another user owns it, it is not a folder, or "
            "others may write in it), so Debrief will not put your data there. Remove it, or set TMPDIR to a "
            "folder only you can write, and start Debrief again."
        )


def sweep_leftover_scratch(now: float | None = None) -> list[Path]:
    """Remove the scratch folders of Debrief processes that ended without cleaning up; return them.

    Only folders in the temporary folder named ``debrief-<pid>-…``, owned by this
    user, older than a day and whose process is no longer running.
    """
    now = time.time() if now is None else now
    swept = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        if now - info.st_mtime < LEFTOVER_AGE_S or _process_alive(folder.name):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        swept.append(folder)
    return swept


def _process_alive(name: str) -> bool:
    """Whether the process that named its folder ``debrief-<pid>-…`` still runs (unknown counts as not)."""
    match = re.match(rf"{SCRATCH_PREFIX}(\d+)-", name)
    if match is None:
        return False
    pid = int(match[1])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, run by someone else
    return True
