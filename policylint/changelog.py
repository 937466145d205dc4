"""A policy's change history as a CHANGELOG-style Markdown file, newest version first.

Entries come from a :class:`~policylint.notice.Notice`, so the history says in the
reader's language what the notices said. Each entry is keyed by its version: writing
the same version again replaces that entry in place instead of adding a second one,
which makes re-running a release step harmless.

Layout::

    # Changelog: Privacy Policy of Northwind Books Ltd

    ## 3.3 (2027-01-01)

    - We now keep invoices for 5 years instead of 2 years.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .notice import Notice, load_templates, md_escape

_ENTRY = re.compile(r"^## +(\S+)")


@dataclass(frozen=True)
class Entry:
    version: str                 # the entry's key; the effective date when a policy has no version
    date: date | None            # effective date, else updated, else the day it was written
    changes: tuple[str, ...]     # plain sentences, escaped when rendered
    title: str = ""
    lang: str = "en"
    minor_only: bool = False     # never replaces an existing entry of the same version


def entry_from_notice(notice: Notice, config: Any = None) -> Entry:
    """Material changes (and listed minor ones), or the one-line 'only smaller changes'."""
    changes = tuple(notice.changes) + tuple(notice.minor) if notice.material else tuple(notice.minor)
    if not changes:
        tpl = load_templates(notice.lang, config)
        changes = (str(tpl.get("changelog-minor") or "Only smaller changes."),)
    when = notice.effective or notice.updated or notice.today
    version = notice.version or when.isoformat()
    return Entry(version, when, changes, notice.title, notice.lang, minor_only=not notice.material)


def render_entry(entry: Entry) -> str:
    when = f" ({entry.date.isoformat()})" if entry.date else ""
    lines = [f"## {md_escape(entry.version, line_start=False)}{when}", ""]
    lines += [f"- {md_escape(c)}" for c in entry.changes]
    return "\n".join(lines) + "\n"


def _header(entry: Entry, config: Any = None) -> str:
    try:
        tpl = load_templates(entry.lang, config)
        title = str(tpl.get("changelog-title") or "Changelog: {title}").format(title=entry.title)
    except Exception:   # a broken override must not stop the history being written
        title = f"Changelog: {entry.title}"
    return f"# {md_escape(title)}\n"


def update_text(existing: str | None, entry: Entry, config: Any = None) -> str:
    """``existing`` with ``entry`` at the top, or replacing the entry of the same version."""
    block = render_entry(entry)
    if not existing or not existing.strip():
        return _header(entry, config) + "\n" + block
    lines = existing.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if _ENTRY.match(l)]
    key = md_escape(entry.version, line_start=False)
    for n, i in enumerate(starts):
        if _ENTRY.match(lines[i]).group(1) == key:        # type: ignore[union-attr]
            if entry.minor_only:      # a typo fix without a new version keeps what was said
                return existing
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            tail = "".join(lines[end:])
            return "".join(lines[:i]) + block + ("\n" + tail if tail else "")
    if starts:
        i = starts[0]
        return "".join(lines[:i]) + block + "\n" + "".join(lines[i:])
    head = existing if existing.endswith("\n") else existing + "\n"
    return head + "\n" + block


def update_file(path: str | Path, entry: Entry, config: Any = None) -> bool:
    """Write the changelog atomically; False when the file already said exactly this."""
    from .fsutil import write_atomic

    from .errors import PolicylintError

    p = Path(path)
    try:
        old = p.read_text("utf-8") if p.is_file() else None
    except UnicodeDecodeError as exc:
        raise PolicylintError(f"{p}: the changelog is not UTF-8 text (byte {exc.start})",
                              "convert it to UTF-8 or give another --changelog file") from None
    new = update_text(old, entry, config)
    if new == old:
        return False
    write_atomic(p, new, overwrite=True)
    return True
