"""Writing files so that nothing is lost: atomic replace, no silent overwrite."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import PolicylintError


def write_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    An interrupted run leaves either the old file or the new one, never half of
    one. Refuses to replace an existing file unless ``overwrite`` is true.
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise PolicylintError(f"{p} already exists", "pass --force to overwrite it")
    if p.is_dir():
        raise PolicylintError(f"{p} is a directory", "give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise PolicylintError(f"folder {parent} does not exist", "create it first")
    mode = None
    if p.exists():
        mode = p.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
