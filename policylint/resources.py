"""Package data (schemas, language files, templates), found the same way from a
wheel, an editable install or a bare checkout."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return _ROOT.joinpath(*parts)


@lru_cache(maxsize=None)
def shipped_langs(folder: str = "lang", suffix: str = ".toml") -> tuple[str, ...]:
    """Language codes with a file in a package folder: ``lang/*.toml`` (the vocabularies),
    ``templates/notice/*.toml``, ``templates/init/*.md``. Adding a language is adding its
    files; no list in the code names the languages."""
    return tuple(sorted(p.name[:-len(suffix)] for p in path(*folder.split("/")).iterdir()
                        if p.name.endswith(suffix) and not p.name.startswith((".", "_"))))


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A shipped JSON Schema by file stem, e.g. ``schema("front-matter")``."""
    return json.loads(path("schemas", f"{name}.json").read_text("utf-8"))
