"""The one violation record every stage emits (parser, front matter, rules, config)."""
from __future__ import annotations

from dataclasses import dataclass, replace

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str                   # stable code, e.g. "PL001"
    message: str
    line: int = 1               # 1-based
    column: int = 1             # 1-based
    end_line: int | None = None
    end_column: int | None = None
    severity: str = "error"
    name: str = ""              # kebab-case rule name
    element: str | None = None  # GDPR element concerned, None for pure hygiene
    fix: str | None = None      # how to fix it, one sentence
    path: str = ""

    def with_(self, **changes) -> "Diagnostic":
        return replace(self, **changes)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule)
