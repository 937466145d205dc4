"""Starter policies: one complete, tagged template per language, with `{{ placeholders }}`.

The templates are data files (``templates/init/<lang>.md``) so that translators edit
text, not code. Each one is itself a valid policy: untouched, the linter reports
only its placeholders; filled in, it lints clean (tests hold both).
"""
from __future__ import annotations

import re
from datetime import date

from . import resources
from .errors import PolicylintError

TEMPLATE_LANGS: tuple[str, ...] = resources.shipped_langs("templates/init", ".md")

_PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_EFFECTIVE = re.compile(r"(?m)^effective:[^\n]*$")


def template_text(lang: str) -> str:
    """The shipped template for ``lang``, as stored."""
    if lang not in TEMPLATE_LANGS:
        raise PolicylintError(f"no starter policy for language {lang!r}",
                              "choose one of " + ", ".join(TEMPLATE_LANGS))
    return resources.path("templates", "init", f"{lang}.md").read_text("utf-8")


def starter_policy(lang: str = "en", effective: str | date | None = None) -> str:
    """The template with its `effective` date set (today unless given).

    The date is a real one, not a placeholder, because the front matter schema
    requires an ISO date there; users change it when they publish.
    """
    if effective is None:
        effective = date.today()
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError:
            raise PolicylintError(f"--effective {effective!r} is not a date",
                                  "write it as YYYY-MM-DD") from None
    text = template_text(lang)
    front_end = text.find("\n---", 3)
    head, rest = text[:front_end], text[front_end:]
    return _EFFECTIVE.sub(f"effective: {effective.isoformat()}", head, count=1) + rest


def placeholders(text: str) -> list[str]:
    """Every `{{ … }}` in order, as its inner text (repeats included)."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]
