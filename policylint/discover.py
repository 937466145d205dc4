"""Which files a command looks at: PATHS expanded through the config's include/exclude globs.

Globs are relative to the config file's folder (else the current folder). `**` spans
folders, `*` and `?` stay inside one name, and a pattern without `/` matches at any
depth (`drafts`, `*.draft.md`), as in .gitignore. A pattern that matches a folder
excludes everything under it. Named files skip `include` (you asked for them) but not
`exclude`, so a pre-commit hook passing every staged file still respects it.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .config import DEFAULT, Config
from .errors import PolicylintError

STDIN = "-"
#: Folders never walked into: tool state, dependencies, virtual environments.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


@lru_cache(maxsize=256)
def _glob_re(pattern: str) -> re.Pattern:
    p = pattern.strip().replace("\\", "/")
    anchored = p.startswith("/") or "/" in p.rstrip("/")
    p = p.lstrip("/").rstrip("/")
    if p.startswith("./"):
        p = p[2:]
    out, i = [], 0
    while i < len(p):
        c = p[i]
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = p.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = p[i + 1:j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out)
    if not anchored:
        body = "(?:.*/)?" + body
    return re.compile(body + r"\Z")


def matches(rel: str, patterns: Iterable[str]) -> bool:
    """Whether the forward-slash relative path ``rel`` matches any glob."""
    return any(_glob_re(p).match(rel) for p in patterns)


def excluded(rel: str, patterns: Sequence[str]) -> bool:
    """``rel`` or one of its parent folders matches an exclude glob."""
    if not patterns:
        return False
    parts = rel.split("/")
    return any(matches("/".join(parts[:n]), patterns) for n in range(1, len(parts) + 1))


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def project_root(start: Path | None = None) -> Path:
    """The repository root (the folder holding `.git`) at or above ``start``, else ``start``.

    SARIF and GitHub annotations need paths relative to the checkout, wherever the
    command runs from and wherever the config file sits.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def discover(paths: Sequence[str], config: Config = DEFAULT, cwd: Path | None = None) -> list[str]:
    """Files to lint, sorted and without duplicates, as paths relative to ``cwd`` where
    possible; ``-`` (stdin) comes first if given. No PATHS means the current folder."""
    cwd = (cwd or Path.cwd()).resolve()
    base = config.root or cwd
    include = config.include or DEFAULT.include
    exclude = config.exclude
    stdin = False
    found: dict[Path, str] = {}
    for arg in paths or ["."]:
        if arg == STDIN:
            stdin = True
            continue
        if not arg.strip():
            raise PolicylintError("an empty path was given",
                                  "name policy files or folders, or give no PATHS for the current folder")
        given = Path(arg)
        full = Path(os.path.normpath(given if given.is_absolute() else cwd / given))
        if not full.exists():
            hint = ("check the spelling, or give no PATHS to take every policy under the "
                    "current folder")
            if full.is_symlink():
                hint = "it is a broken symbolic link; fix or remove it"
            raise PolicylintError(f"{arg}: no such file or folder", hint)
        if full.is_file():
            if not excluded(_rel(full, base), exclude):
                found.setdefault(full.resolve(), _display(full, cwd))
            continue
        if not full.is_dir():
            raise PolicylintError(f"{arg} is not a regular file or folder",
                                  "give policy files or folders ('-' reads standard input)")
        for folder, dirs, files in os.walk(full):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs
                             if d not in SKIP_DIRS and not d.startswith(".")
                             and not excluded(_rel(here / d, base), exclude))
            for name in files:
                f = here / name
                rel = _rel(f, base)
                # A folder outside the config root: match globs relative to the folder named.
                rel_arg = _rel(f, full) if rel == f.as_posix().lstrip("/") else rel
                if matches(rel_arg, include) and not excluded(rel_arg, exclude) and f.is_file():
                    found.setdefault(f.resolve(), _display(f, cwd))
    ordered = sorted(set(found.values()), key=lambda s: (Path(s).parts, s))
    return ([STDIN] if stdin else []) + ordered


def lint_paths(files: Sequence[str], config: Config = DEFAULT, *,
               stdin_name: str = "<stdin>", stdin_data: bytes | None = None) -> list:
    """Lint each discovered file: ``[(path, Document, [Diagnostic])]`` in ``files`` order.

    ``-`` reads ``stdin_data`` (default: the process's stdin) and is reported as ``stdin_name``.
    """
    import sys

    from .lint import lint_document, lint_file
    from .parser import parse_bytes

    results = []
    for f in files:
        if f == STDIN:
            data = stdin_data if stdin_data is not None else sys.stdin.buffer.read()
            doc = parse_bytes(data, stdin_name)
            results.append((stdin_name, doc, list(lint_document(doc, config))))
            continue
        try:
            doc, diags = lint_file(f, config)
        except IsADirectoryError:
            continue
        except OSError as e:
            raise PolicylintError(f"cannot read {f}: {e.strerror or e}",
                                  "check that the file exists and is readable") from None
        results.append((f, doc, list(diags)))
    return results
