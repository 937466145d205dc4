"""The rule registry: every check policylint runs, with the law behind it.

One module per rule family (``parse``, ``missing``, ``content``, ``hygiene``,
``structure``, ``meta``), each rule a small function registered with :func:`rule`.
A rule only *finds* things; :mod:`policylint.lint` turns findings into diagnostics,
applies the configuration and the suppression comments. Keeping the two apart lets
``policylint rules`` list the catalogue without parsing anything.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:   # pragma: no cover - typing only; lint imports this package
    from ..lint import Context

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. The engine adds code, name, severity and path.

    ``element`` and ``fix`` override the rule's own when one rule reports several
    elements (each missing right is its own finding) or needs a specific hint.
    """
    message: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    element: str | None = None
    fix: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str            # "PL101"
    name: str            # kebab-case "missing-retention"
    severity: str        # default: "error" | "warning" | "info"
    element: str | None  # GDPR element (section kind or right-*), None for hygiene
    summary: str         # one line
    rationale: str       # one paragraph citing the GDPR article / WP260 paragraph
    fix: str             # fix hint
    check: Callable[["Context"], Iterable[Finding]]


_REGISTRY: dict[str, Rule] = {}
_LOADED = False


def rule(code: str, name: str, severity: str, element: str | None, *, summary: str,
         rationale: str, fix: str) -> Callable:
    """Register the decorated ``check(ctx)`` as rule ``code``. Codes and names are unique."""
    assert severity in SEVERITIES, severity

    def deco(check: Callable[["Context"], Iterable[Finding]]) -> Callable:
        for other in _REGISTRY.values():   # re-registering the same rule (a reload) is fine
            if (other.code == code) != (other.name == name):
                raise ValueError(f"rule {code} {name} clashes with {other.code} {other.name}")
        _REGISTRY[code] = Rule(code, name, severity, element, " ".join(summary.split()),
                               " ".join(rationale.split()), " ".join(fix.split()), check)
        return check
    return deco


def _no_findings(ctx: "Context") -> Iterable[Finding]:
    """For rules whose findings come from elsewhere (the parser, the engine)."""
    return ()


def _load() -> None:
    """Import every rule module in this package once (they register on import)."""
    global _LOADED
    if _LOADED:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _LOADED = True


def all_rules() -> list[Rule]:
    """Every rule, ordered by code."""
    _load()
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def get_rule(code_or_name: str) -> Rule | None:
    """A rule by code (``PL105``, any case) or kebab-case name (``missing-retention``)."""
    _load()
    key = code_or_name.strip()
    found = _REGISTRY.get(key.upper())
    if found:
        return found
    low = key.lower()
    return next((r for r in _REGISTRY.values() if r.name == low), None)


__all__ = ["Finding", "Rule", "SEVERITIES", "rule", "all_rules", "get_rule"]
