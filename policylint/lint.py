"""The lint engine: parse, run the rules over one shared index, apply config and suppressions.

Rules never walk the document themselves for text: :class:`Context` builds, once per
document, the plain text of every block ("units") and joins them into one string, on
which a single vocabulary pass finds every element and hygiene phrase. Hits map back to
units, and units to source lines, only when a rule reports one.
So adding a rule adds its own small cost, never another scan of the vocabulary.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .ast import (
    SECTION_KINDS, BlockQuote, Directive, Document, ListBlock, ListItem, Paragraph, RawBlock,
    Section, Table, block_text, front_value,
)
from .diagnostic import Diagnostic
from .rules import Finding, Rule, all_rules

if TYPE_CHECKING:   # pragma: no cover
    from .config import Config

#: Kinds every policy must cover under the "gdpr" profile (Art. 13(1)(a),(c), 13(2)(a),(b),(d)).
PROFILE_REQUIRED: dict[str, tuple[str, ...]] = {
    "gdpr": ("controller", "contact", "purposes", "legal-basis", "retention", "rights", "complaint"),
}

#: Body elements the rules need only in some documents (what a policy uses data for,
#: when it has no purposes section): looked for when asked, not in the main pass.
ON_DEMAND = frozenset({"purposes"})

#: Front matter keys that supply an element on their own.
FRONT_MATTER_ELEMENTS = {"controller": "controller", "contact": "contact", "dpo": "dpo",
                         "authority": "complaint"}


# ------------------------------------------------------------------ text units

class Unit:
    """A piece of plain text with its place: a heading, paragraph, list item, table…

    ``block`` is None for a heading unit and for a front matter value. (A plain class
    with slots: a document has thousands of units and hits, and a frozen dataclass
    costs three times as much to make.)
    """
    __slots__ = ("text", "line", "end_line", "section", "block", "heading", "front_key")

    def __init__(self, text: str, line: int, end_line: int, section: Section | None,
                 block: object | None, heading: bool = False, front_key: str | None = None) -> None:
        self.text, self.line, self.end_line = text, line, end_line
        self.section, self.block, self.heading, self.front_key = section, block, heading, front_key

    def __repr__(self) -> str:
        return f"Unit(line={self.line}, text={self.text[:40]!r})"


class Hit:
    """A match inside a unit's text (offsets into ``unit.text``)."""
    __slots__ = ("unit", "start", "end", "message")

    def __init__(self, unit: Unit, start: int, end: int, message: str = "") -> None:
        self.unit, self.start, self.end, self.message = unit, start, end, message

    @property
    def text(self) -> str:
        return self.unit.text[self.start:self.end]

    def __repr__(self) -> str:
        return f"Hit(line={self.unit.line}, text={self.text!r})"


@dataclass(frozen=True, eq=False)
class _Chunk:
    """Units joined into one string for a single vocabulary pass; maps offsets back."""
    units: tuple[Unit, ...]
    starts: tuple[int, ...]
    text: str

    def locate(self, start: int, end: int) -> tuple[Unit, int, int] | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        u = self.units[i]
        s = start - self.starts[i]
        e = min(end - self.starts[i], len(u.text))
        if s >= len(u.text):
            return None
        return u, s, e


def _chunk(units: Iterable[Unit]) -> _Chunk:
    """Units joined into one string. The separator holds a full stop, so phrases never
    reach across units."""
    units = tuple(units)
    starts, pos = [], 0
    for u in units:
        starts.append(pos)
        pos += len(u.text) + len(_SEP)
    return _Chunk(units, tuple(starts), _SEP.join(u.text for u in units))


def _item_units(item: ListItem, section: Section | None) -> Iterator[Unit]:
    yield Unit(item.text, item.span.line, item.span.end_line, section, item)
    yield from _block_units(item.children, section)


def _block_units(blocks: Iterable, section: Section | None) -> Iterator[Unit]:
    for b in blocks:
        if isinstance(b, (Paragraph, BlockQuote)):
            if b.text:
                yield Unit(b.text, b.span.line, b.span.end_line, section, b)
        elif isinstance(b, ListBlock):
            for it in b.items:
                yield from _item_units(it, section)
        elif isinstance(b, (Table, RawBlock)):
            t = block_text(b)
            if t.strip():
                yield Unit(t, b.span.line, b.span.end_line, section, b)
        # code, HTML, directives and breaks carry no policy text


def _directives(blocks: Iterable) -> Iterator[Directive]:
    for b in blocks:
        if isinstance(b, Directive):
            yield b
        elif isinstance(b, ListBlock):
            for it in b.items:
                yield from _directives(it.children)


# ------------------------------------------------------------------ context

@dataclass(frozen=True, eq=False)
class Context:
    """Everything a rule reads, computed once per document and shared by all rules."""
    doc: Document
    lang: str | None
    config: "Config | None" = None
    _cache: dict = field(default_factory=dict, repr=False)

    # -- structure
    @cached_property
    def sections(self) -> tuple[Section, ...]:
        return tuple(self.doc.walk())

    @cached_property
    def parents(self) -> dict[int, Section | None]:
        """id(section) -> the section it is nested in (None at the top)."""
        out: dict[int, Section | None] = {}

        def visit(secs, parent):
            for sec in secs:
                out[id(sec)] = parent
                visit(sec.sections, sec)
        visit(self.doc.sections, None)
        return out

    def of_kind(self, kind: str) -> list[Section]:
        """Sections of a kind: tagged, recognised, or one of the kinds of a combined heading."""
        return self._by_kind.get(kind, [])

    @cached_property
    def _by_kind(self) -> dict[str, list[Section]]:
        out: dict[str, list[Section]] = {}
        for s in self.sections:
            for k in self.kinds_of(s):
                out.setdefault(k, []).append(s)
        return out

    def kinds_of(self, section: Section) -> tuple[str, ...]:
        """A section's kinds. A heading the vocabulary leaves unclassified because it names
        two kinds ('Ändamål och rättslig grund', 'Zwecke und Rechtsgrundlagen') has both."""
        if section.kind:
            return (section.kind,)
        return self._combined.get(id(section), ())

    @cached_property
    def _combined(self) -> dict[int, tuple[str, ...]]:
        from . import vocab
        out: dict[int, tuple[str, ...]] = {}
        for s in self.sections:
            if s.kind or s.tag in SECTION_KINDS:
                continue
            if len(s.heading.split()) > 12 or not _JOINERS.search(s.heading):
                continue
            parts = [p for p in _JOINERS.split(s.heading) if p.strip()]
            if len(parts) < 2:
                continue
            kinds = tuple(dict.fromkeys(k for k in (vocab.classify_heading(p, self.lang)
                                                     for p in parts) if k))
            if kinds:
                out[id(s)] = kinds
        return out

    def fm(self, key: str) -> object:
        v = front_value(self.doc, key)
        return v if v not in ("", None, []) else None

    # -- text units
    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Front matter values, the preamble, then each section's heading and blocks."""
        out: list[Unit] = []
        if self.doc.front_matter:
            for e in self.doc.front_matter.entries:
                if isinstance(e.value, str) and e.value:
                    out.append(Unit(e.value, e.line, e.line, None, None, front_key=e.key))
        out.extend(_block_units(self.doc.blocks, None))
        for s in self.sections:
            out.append(Unit(s.heading, s.span.line, s.span.end_line, s, None, heading=True))
            out.extend(_block_units(s.blocks, s))
        return tuple(out)

    @cached_property
    def text(self) -> _Chunk:
        """Every unit joined into one string, for one vocabulary pass over the document."""
        return _chunk(self.units)

    @cached_property
    def _unit_pos(self) -> dict[int, int]:
        return {id(u): i for i, u in enumerate(self.units)}

    def unit_index(self, unit: Unit) -> int:
        return self._unit_pos[id(unit)]

    @cached_property
    def _own_units(self) -> dict[int, list[Unit]]:
        out: dict[int, list[Unit]] = {}
        for u in self.units:
            if u.section is not None and not u.heading:
                out.setdefault(id(u.section), []).append(u)
        return out

    def body_units(self) -> Iterator[Unit]:
        """Units of policy text: not headings, not front matter values."""
        return (u for u in self.units if not u.heading and u.front_key is None)

    def section_units(self, section: Section, deep: bool = True) -> list[Unit]:
        """Body units of a section, with its subsections' when ``deep``."""
        if not deep:
            return self._own_units.get(id(section), [])
        out: list[Unit] = []
        for s in section.walk():
            out.extend(self._own_units.get(id(s), ()))
        return out

    # -- vocabulary passes
    @cached_property
    def _scan(self):
        """The document's text cut into words once, for every vocabulary pass over it."""
        from . import vocab
        return vocab.TextScan(self.text.text)

    def _element_hits(self, names: Iterable[str] | None) -> dict[str, list[Hit]]:
        from . import vocab
        out: dict[str, list[Hit]] = {}
        c = self.text
        for el, spans in vocab.find_elements(self._scan, self.lang, names).items():
            for start, end in spans:
                loc = c.locate(start, end)
                if loc is None or loc[0].heading or loc[0].front_key:
                    continue
                out.setdefault(el, []).append(Hit(loc[0], loc[1], loc[2]))
        return out

    @cached_property
    def elements(self) -> dict[str, list[Hit]]:
        """element -> hits in body text (headings and front matter excluded), one pass
        for all but the elements looked for only on demand (:data:`ON_DEMAND`)."""
        from . import vocab
        return self._element_hits(n for n in vocab.element_names() if n not in ON_DEMAND)

    def hits(self, element: str) -> list[Hit]:
        if element in ON_DEMAND:
            key = ("element", element)
            if key not in self._cache:
                self._cache[key] = self._element_hits((element,)).get(element, [])
            return self._cache[key]
        return self.elements.get(element, [])

    def hygiene(self, group: str, kinds: tuple[str, ...] | None = None) -> list[Hit]:
        """find_hygiene over the document (headings and front matter included).

        With ``kinds``, only hits in the body of sections of those kinds: a group that
        matters in one place (vague wording in purposes) is not reported elsewhere."""
        key = ("hygiene", group, kinds)
        if key not in self._cache:
            from . import vocab
            inside = None if kinds is None else \
                {id(u) for k in kinds for s in self.of_kind(k) for u in self.section_units(s)}
            c = self.text
            out: list[Hit] = []
            if inside is None or inside:
                for start, end, message in vocab.find_hygiene(self._scan, self.lang, group):
                    loc = c.locate(start, end)
                    if loc is not None and (inside is None or id(loc[0]) in inside):
                        out.append(Hit(loc[0], loc[1], loc[2], message))
            self._cache[key] = out
        return self._cache[key]

    def has(self, element: str) -> bool:
        """Present as a section (tag or recognised heading), in body text, or in front matter."""
        if self.of_kind(element):
            return True
        if self.hits(element):
            return True
        return any(el == element and self.fm(key) for key, el in FRONT_MATTER_ELEMENTS.items())

    def required(self) -> tuple[str, ...]:
        req = getattr(self.config, "required_sections", None) if self.config else None
        if req is not None:
            return tuple(req)
        profile = getattr(self.config, "profile", "gdpr") if self.config else "gdpr"
        return PROFILE_REQUIRED.get(profile or "gdpr", PROFILE_REQUIRED["gdpr"])

    # -- positions
    def locate(self, hit: Hit) -> tuple[int, int, int, int]:
        """Source position (line, col, end_line, end_col) of a hit in plain text.

        Plain text drops markup and joins wrapped lines, so the matched words are
        searched again in the unit's source lines, tolerating markup between them
        (:class:`_SourceMap`).
        """
        u = hit.unit
        matched = hit.text
        if u.front_key is not None:
            src = self.doc.lines[u.line - 1] if u.line <= len(self.doc.lines) else ""
            col = src.lower().find(matched.lower())
            if col >= 0:
                return u.line, col + 1, u.line, col + 1 + len(matched)
            return u.line, 1, u.line, len(src) + 1
        key = ("map", id(u))
        sm = self._cache.get(key)
        if sm is None:
            sm = self._cache[key] = _SourceMap(u.text, self.doc.lines[u.line - 1:u.end_line])
        pattern = _loose_pattern(matched)
        if pattern is not None:
            m = sm.find(pattern, hit.start, hit.end)
            if m is not None:
                return (*sm.pos(u.line, m.start()), *sm.pos(u.line, m.end()))
        first = sm.lines[0] if sm.lines else ""
        col = len(first) - len(first.lstrip()) + 1
        return u.line, col, u.line, len(first) + 1

    def finding(self, hit: Hit, message: str, **kw) -> Finding:
        line, col, end_line, end_col = self.locate(hit)
        return Finding(message, line, col, end_line, end_col, **kw)

    def at_unit(self, unit: Unit, message: str, **kw) -> Finding:
        src = self.doc.lines[unit.line - 1] if 0 < unit.line <= len(self.doc.lines) else ""
        col = len(src) - len(src.lstrip()) + 1
        return Finding(message, unit.line, col, unit.line, len(src) + 1, **kw)

    def at_heading(self, section: Section, message: str, **kw) -> Finding:
        sp = section.span
        return Finding(message, sp.line, sp.column, sp.line, len(self.doc.lines[sp.line - 1]) + 1
                       if sp.line <= len(self.doc.lines) else sp.end_column, **kw)


_MARKUP_GAP = r"[\s*_`~\\]+"
_SEP = "\n.\n"
#: Words joining two topics in one heading, in the eight languages.
_JOINERS = re.compile(r"\s+(?:and|och|samt|og|und|et|en|ja|sekä|&|\+)\s+|\s*/\s*", re.I)


_WORDS = re.compile(r"\w+")
#: how many source words may stand between two aligned words (entities, glued words)
_LOOKAHEAD = 64
#: hits of a unit located by counting copies before the unit's words are aligned
_DIRECT = 4


class _SourceMap:
    """Where the words of a unit's plain text are in its Markdown source.

    A unit's first few hits are found as the nth match in the source of the nth copy
    of their text in the plain text (a scan of the unit each, in C). Past that, plain
    words are matched once, in order, against source words, each looked for among the
    next ``_LOOKAHEAD`` source words (a word the source spells otherwise, such as an
    entity, is skipped), and each hit is searched in a short window from where its
    first word is: re-finding every hit from the start of its unit was quadratic (8000
    malformed addresses in a paragraph took 10-25 s). Link targets and HTML tags, which
    plain text drops, are blanked in the source first."""
    __slots__ = ("text", "lines", "src", "ends", "located", "pstarts", "at", "claimed")

    def __init__(self, text: str, lines: tuple[str, ...] | list[str]) -> None:
        self.text = text
        self.lines = lines
        src = "\n".join(lines)
        self.src = _HIDDEN.sub(_blank, src) if "](" in src or "<" in src else src
        self.ends = list(accumulate(len(ln) + (i > 0) for i, ln in enumerate(lines)))
        self.located = 0
        self.at: list[int] | None = None
        self.claimed: dict[tuple[str, int], int] = {}

    def find(self, pattern: re.Pattern, start: int, end: int) -> re.Match | None:
        """The source match of the plain-text hit [start, end); a match another hit of
        the same text already took is passed over."""
        self.located += 1
        if self.located <= _DIRECT:
            copy = re.escape(self.text[start:end])
            nth = len(re.findall(copy, self.text[:start], re.I))
            for i, m in enumerate(pattern.finditer(self.src)):
                if i == nth:
                    self.claimed.setdefault((pattern.pattern, m.start()), start)
                    return m
            return None
        if self.at is None:
            self._align()
        i = bisect.bisect_left(self.pstarts, start)
        ahead = self.pstarts[i] - start if i < len(self.pstarts) else 0
        k = min(i, len(self.at) - 1)
        while k >= 0 and self.at[k] < 0:
            k -= 1
        if k < 0:
            lo = 0
        elif k == i:
            lo = max(self.at[k] - 2 * ahead, 0)    # punctuation before the word may be escaped
        else:
            lo = self.at[k]
        hi = min(len(self.src), lo + 4 * (end - start) + 256)
        while True:
            m = pattern.search(self.src, lo, hi)
            if m is None:
                return None
            owner = self.claimed.setdefault((pattern.pattern, m.start()), start)
            if owner == start:
                return m
            lo = m.start() + 1

    def _align(self) -> None:
        """``at``: per plain word, where it starts in the source (or -1)."""
        self.pstarts = [m.start() for m in _WORDS.finditer(self.text)]
        words = _WORDS.findall(self.text)
        found = _WORDS.findall(self.src)
        starts = [m.start() for m in _WORDS.finditer(self.src)]
        n, ns = len(words), len(found)
        at: list[int] = []
        i = j = 0
        while i < n:
            # runs of the same words are compared 32 at a time, in C
            if i + 32 <= n and j + 32 <= ns and words[i:i + 32] == found[j:j + 32]:
                at += starts[j:j + 32]
                i, j = i + 32, j + 32
                continue
            for w in words[i:i + 32]:       # after a difference: word by word for a while
                if j < ns and found[j] == w:
                    k = j
                else:
                    try:
                        k = found.index(w, j, min(j + _LOOKAHEAD, ns))
                    except ValueError:
                        at.append(-1)
                        continue
                at.append(starts[k])
                j = k + 1
            i += 32
        self.at = at

    def pos(self, first_line: int, offset: int) -> tuple[int, int]:
        """(line, column) of a source offset."""
        ends = self.ends
        i = bisect.bisect_left(ends, offset)
        if i >= len(ends):
            return first_line + max(len(ends) - 1, 0), len(self.lines[-1]) + 1 if self.lines else 1
        start = ends[i - 1] + 1 if i else 0
        return first_line + i, offset - start + 1


_HIDDEN = re.compile(r"\]\([^()\s]*\)|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _blank(m: re.Match) -> str:
    return " " * len(m.group())


def _loose_pattern(matched: str) -> re.Pattern | None:
    """Regex finding ``matched`` (plain text) in Markdown source: escapes and emphasis may intervene."""
    words = matched.split()
    if not words:
        return None
    parts = []
    for w in words:
        parts.append("".join(re.escape(ch) if ch.isalnum() else r"\\?" + re.escape(ch) for ch in w))
    try:
        return re.compile(_MARKUP_GAP.join(parts), re.I)
    except re.error:   # pragma: no cover - everything is escaped
        return None


def quote(text: str, limit: int = 80) -> str:
    """A phrase for a message: one line, shortened in the middle of nothing important."""
    t = " ".join(text.split())
    if len(t) > limit:
        t = t[: limit - 1].rstrip() + "…"
    return "'" + t.replace("'", "’") + "'"


# ------------------------------------------------------------------ config

def _matches(patterns: Iterable[str] | None, code: str, name: str) -> bool:
    """A pattern is a code, a name, or a code prefix such as ``PL3``."""
    for p in patterns or ():
        p = str(p).strip()
        if not p:
            continue
        if p.upper() == code or p.lower() == name:
            return True
        if p.upper().startswith("PL") and code.startswith(p.upper()):
            return True
    return False


def _severity_for(config: "Config | None", code: str, name: str, default: str) -> str:
    """Severity after config: ``off`` drops the rule; ``select``/``ignore`` too."""
    if config is None:
        return default
    select = getattr(config, "select", None)
    if select is not None and not _matches(select, code, name):
        return "off"
    if _matches(getattr(config, "ignore", ()) or (), code, name):
        return "off"
    sev = getattr(config, "severity", None) or {}
    for key in (code, name, code.lower()):
        if key in sev:
            return str(sev[key])
    return default


# ------------------------------------------------------------------ suppressions

@dataclass
class _Suppression:
    """One code (``*`` = every rule) silenced by one directive over a line range."""
    directive: Directive
    code: str
    first: int
    last: int
    reenabled: list = field(default_factory=list)   # (line, codes) from `enable X` inside `disable`
    used: bool = False

    def covers(self, d: Diagnostic) -> bool:
        if not (self.first <= d.line <= self.last):
            return False
        if self.code != "*":
            return d.rule == self.code
        return not any(d.line >= line and d.rule in codes for line, codes in self.reenabled)


def _suppressions(doc: Document) -> list[_Suppression]:
    """Turn directive blocks into line ranges.

    ``disable`` runs until an ``enable`` naming its code (or naming none) or the end of
    the file; a ``disable`` before the first heading also covers line 1, where
    document-level findings (missing sections) are anchored. ``disable-next-line``
    covers the next non-blank line.
    """
    directives = list(_directives(doc.blocks))
    for s in doc.walk():
        directives.extend(_directives(s.blocks))
    directives.sort(key=lambda d: d.span.line)
    first_heading = next((s.span.line for s in doc.walk()), doc.line_count + 1)
    last_line = max(doc.line_count, 1)
    out: list[_Suppression] = []
    open_: list[_Suppression] = []
    for d in directives:
        line = d.span.line
        codes = d.rules or ("*",)
        if d.action == "disable-next-line":
            nxt = line + 1
            while nxt <= len(doc.lines) and not doc.lines[nxt - 1].strip():
                nxt += 1
            out.extend(_Suppression(d, c, nxt, nxt) for c in codes)
        elif d.action == "disable":
            start = 1 if line < first_heading else line
            new = [_Suppression(d, c, start, last_line) for c in codes]
            out.extend(new)
            open_.extend(new)
        elif d.action == "enable":
            still = []
            for sup in open_:
                if not d.rules or sup.code in d.rules:
                    sup.last = line
                    continue
                if sup.code == "*":
                    sup.reenabled.append((line, set(d.rules)))
                still.append(sup)
            open_ = still
    return out


# ------------------------------------------------------------------ engine

def active_rules(config: "Config | None" = None) -> list[tuple[Rule, str]]:
    """(rule, effective severity) for every rule the config leaves on."""
    out = []
    for r in all_rules():
        sev = _severity_for(config, r.code, r.name, r.severity)
        if sev != "off":
            out.append((r, sev))
    return out


def lint_document(doc: Document, config: "Config | None" = None) -> list[Diagnostic]:
    """Parse diagnostics plus rule findings; severity per config, suppressions applied,
    unused suppressions reported (PL901), sorted by position."""
    rules = {r.code: (r, sev) for r, sev in active_rules(config)}
    ctx = Context(doc, doc.lang, config)
    found: list[Diagnostic] = []
    for d in doc.diagnostics:
        r = rules.get(d.rule)
        if r is None and d.rule in _known_codes():
            continue          # a registered rule the config switched off
        sev = r[1] if r else d.severity
        found.append(d.with_(severity=sev, path=d.path or doc.path, name=d.name or (r[0].name if r else "")))
    # An undecodable file has no text to check: its one finding is PL002, not a
    # page of 'missing section' errors burying it.
    unreadable = any(d.rule == "PL002" for d in doc.diagnostics)
    for code, (r, sev) in rules.items():
        if code == "PL901" or unreadable:
            continue
        for f in r.check(ctx):
            found.append(Diagnostic(
                code, f.message, f.line, f.column, f.end_line, f.end_column, sev, r.name,
                f.element if f.element is not None else r.element,
                f.fix if f.fix is not None else (r.fix or None), doc.path))

    sups = _suppressions(doc)
    kept: list[Diagnostic] = []
    for d in found:
        covering = [s for s in sups if s.covers(d)]
        for s in covering:
            s.used = True
        if not covering:
            kept.append(d)
    if "PL901" in rules:
        r, sev = rules["PL901"]
        kept.extend(_unused(sups, rules, doc, r, sev))
    kept = _dedupe(kept)
    kept.sort(key=lambda d: (d.line, d.column, d.rule, d.message))
    return kept


_KNOWN: set[str] = set()


def _known_codes() -> set[str]:
    if not _KNOWN:
        _KNOWN.update(r.code for r in all_rules())
    return _KNOWN


def _unused(sups: list[_Suppression], rules: dict, doc: Document, rule: Rule,
            sev: str) -> Iterator[Diagnostic]:
    """PL901 for every directive code that silenced nothing.

    Codes of rules the configuration switched off are not reported: the directive
    may be needed where the rule is on.
    """
    known = _known_codes()
    for s in sups:
        if s.used or (s.code != "*" and s.code in known and s.code not in rules):
            continue
        d = s.directive
        line = d.span.line
        src = doc.lines[line - 1] if line <= len(doc.lines) else ""
        col, end = len(src) - len(src.lstrip()) + 1, len(src) + 1
        where = "on the next line" if d.action == "disable-next-line" else "in its range"
        if s.code == "*":
            msg = f"suppression {quote(d.raw)} suppresses nothing"
        elif s.code not in known:
            msg = f"suppression names unknown rule {s.code}"
        else:
            msg = f"suppression of {s.code} is unused: no {s.code} finding {where}"
        yield Diagnostic(rule.code, msg, line, col, line, end, sev, rule.name, None,
                         rule.fix, doc.path)


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diags:
        key = (d.rule, d.line, d.column, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def lint_text(text: str, path: str = "<string>", config: "Config | None" = None
              ) -> tuple[Document, list[Diagnostic]]:
    from .parser import parse
    doc = parse(text, path)
    return doc, lint_document(doc, config)


def lint_file(path: str | Path, config: "Config | None" = None) -> tuple[Document, list[Diagnostic]]:
    from .parser import parse_file
    doc = parse_file(path)
    return doc, lint_document(doc, config)


def effective_date_pair(doc: Document) -> tuple[date | None, date | None]:
    """(effective, updated) from front matter when both are real dates."""
    eff, upd = front_value(doc, "effective"), front_value(doc, "updated")
    return (eff if isinstance(eff, date) else None, upd if isinstance(upd, date) else None)


__all__ = ["Context", "Unit", "Hit", "PROFILE_REQUIRED", "lint_document", "lint_text",
           "lint_file", "active_rules", "quote"]
