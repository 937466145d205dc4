"""Writing files so that nothing is lost: atomic replace, no silent overwrite."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import PolicylintError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    An interrupted run leaves either the old file or the new one, never half of
    one. Refuses to replace an existing file unless ``overwrite`` is true. A new
    file gets the usual permissions (0666 less the umask), a replaced one keeps its own.
    """
    import tempfile     # only commands that write pay for it

    p = Path(path)
    if p.is_symlink() and p.exists():     # replace the file it points to, keep the link
        p = p.resolve()
    if p.is_dir():
        raise PolicylintError(f"{p} is a directory", "give a file name")
    if p.exists() and not overwrite:
        raise PolicylintError(f"{p} already exists", "pass --force to overwrite it")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        up = next((a for a in (parent, *parent.parents) if a.exists()), None)
        if up is not None and not up.is_dir():
            raise PolicylintError(f"cannot write {p}: {up} is a file, not a folder",
                                  "choose another output path")
        raise PolicylintError(f"folder {parent} does not exist", "create it first")
    try:
        mode = (p.stat().st_mode & 0o7777) if p.exists() else (0o666 & ~_umask())
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise PolicylintError(f"cannot write {p}: {exc.strerror or exc}",
                              "check the folder's permissions and free space") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise PolicylintError(f"cannot write {p}: {exc.strerror or exc}",
                                  "check the folder's permissions and free space") from None
        raise
