"""Semantic diff of two versions of a policy: what changed, where, and how much it matters.

A line diff tells a reviewer that line 48 changed; this tells them that the retention
period for invoices went from 2 to 5 years, that this is material, and why. Sections are
matched by tag, kind, heading and content, so renaming or moving a section is one change,
not a removal plus an addition. Inside a section, clauses are matched by label and other
paragraphs and list items by similarity. Classification lives in :mod:`policylint.classify`.

Two entry points share one engine: :func:`diff_documents` for parsed documents and
:func:`diff_texts` for raw text, which splits at headings, hashes each section and parses
only the sections that changed (how ``policylint log`` stays fast on 100 versions).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Callable, Iterable

from . import classify as C
from .ast import (
    SECTION_KINDS, BlockQuote, CodeBlock, Document, FrontMatter, HtmlBlock, ListBlock,
    Paragraph, RawBlock, Section, Table,
)
from .classify import Evidence

__all__ = ["Evidence", "Change", "DocDiff", "DiffCache", "FileDiff", "diff_documents", "diff_texts",
           "diff_files", "redline", "with_override", "render_text", "to_json", "change_json",
           "redline_text", "CHANGE_KINDS"]

CHANGE_KINDS = ("added", "removed", "modified", "moved", "renamed")


@dataclass(frozen=True)
class Change:
    kind: str | None
    section: str
    change: str
    classification: str
    reason: str
    old: str | None
    new: str | None
    redline: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]
    old_line: int | None
    new_line: int | None


def _get_redline(self: Change) -> tuple[tuple[str, str], ...]:
    red = self.__dict__["redline"]
    if red is None:     # made on first read: `log` never shows a redline, `diff` does
        red = self.__dict__["redline"] = redline(self.old, self.new)
    return red


def _set_redline(self: Change, value) -> None:
    self.__dict__["redline"] = value


def _lazy_red(c: Change):
    """The redline as stored (None until read), to copy a Change without computing it."""
    return c.__dict__["redline"]


#: ``Change(..., redline=None, ...)`` computes the word redline of ``old``/``new`` when
#: first read; equality, hashing, repr and JSON see the computed value.
Change.redline = property(_get_redline, _set_redline, doc=(
    "Word-level edit script of old → new (see :func:`redline`), computed on first use."))


@dataclass(frozen=True)
class DocDiff:
    old: Document | None
    new: Document | None
    classification: str
    changes: tuple[Change, ...]
    override: str | None = None
    override_by: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# ------------------------------------------------------------------ redline

_TOKEN = re.compile(r"\S+")


def redline(old: str | None, new: str | None) -> tuple[tuple[str, str], ...]:
    """Word-level edit script: ("=", same), ("-", removed), ("+", added)."""
    ow = _TOKEN.findall(old or "")
    nw = _TOKEN.findall(new or "")
    if not ow and not nw:
        return ()
    if not ow:
        return (("+", " ".join(nw)),)
    if not nw:
        return (("-", " ".join(ow)),)
    sm = SequenceMatcher(None, [C.norm(w) or w for w in ow], [C.norm(w) or w for w in nw],
                         autojunk=False)
    out: list[tuple[str, str]] = []

    def put(op: str, words: list[str]) -> None:
        if not words:
            return
        text = " ".join(words)
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + " " + text)
        else:
            out.append((op, text))

    for tag, a, b, c, d in sm.get_opcodes():
        if tag == "equal":
            # Equal after normalising; show punctuation/case edits inside the run.
            for x, y in zip(ow[a:b], nw[c:d]):
                if x == y:
                    put("=", [x])
                else:
                    put("-", [x])
                    put("+", [y])
        else:
            put("-", ow[a:b])
            put("+", nw[c:d])
    return tuple(out)


# ------------------------------------------------------------------ units (paragraphs, items)

class _Unit:
    """A paragraph, list item, table row… of a section: its text and what matching needs.

    ``norm``, ``label_key`` and ``durations`` are computed on first use: a section that is
    only added or removed whole never needs them, and durations force fact extraction.
    """

    __slots__ = ("text", "raw", "label", "facts", "line", "_clause", "_norm", "_label_key",
                 "_durations")

    def __init__(self, text: str, raw: str, facts, clause, line: int) -> None:
        self.text = text
        self.raw = raw
        self.label = clause.label if clause else None     # clause label as written
        self.facts = facts
        self.line = line
        self._clause = clause
        self._norm = self._label_key = self._durations = None

    @property
    def norm(self) -> str:
        n = self._norm
        if n is None:
            n = self._norm = C.norm(self.text)
        return n

    @property
    def label_key(self) -> str | None:
        """The label normalised, for matching."""
        if not self.label:
            return None
        k = self._label_key
        if k is None:
            k = self._label_key = C.norm(self.label)
        return k

    def shifted(self, lines: int) -> "_Unit":
        """The same unit ``lines`` further down (a piece's units placed in its section)."""
        u = _Unit.__new__(_Unit)
        (u.text, u.raw, u.label, u.facts, u.line, u._clause, u._norm, u._label_key,
         u._durations) = (self.text, self.raw, self.label, self.facts, self.line + lines,
                          self._clause, self._norm, self._label_key, self._durations)
        return u

    @property
    def durations(self) -> tuple:
        d = self._durations
        if d is None:
            clause = self._clause
            durs = (clause.facts.durations if clause and clause.facts.durations
                    else getattr(self.facts, "durations", ()))
            d = self._durations = tuple(durs or ())
        return d


def _units(blocks: Iterable) -> list[_Unit]:
    out: list[_Unit] = []
    _walk(blocks, out)
    return out


def _walk(blocks: Iterable, out: list[_Unit]) -> None:
    """:func:`_units`, appending to ``out`` (a plain function: a nested one that calls
    itself would leave a reference cycle holding the units for the cycle collector)."""
    add = out.append
    for b in blocks:
        if isinstance(b, Paragraph):
            add(_Unit(b.text, b.raw, b.facts, b.clause, b.span.line))
        elif isinstance(b, ListBlock):
            for it in b.items:
                add(_Unit(it.text, it.raw, it.facts, it.clause, it.span.line))
                _walk(it.children, out)
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                t = " | ".join(row)
                add(_Unit(t, t, b.facts, None, b.span.line))
        elif isinstance(b, BlockQuote):
            add(_Unit(b.text, b.raw, b.facts, None, b.span.line))
        elif isinstance(b, CodeBlock):
            add(_Unit(b.code, b.raw, None, None, b.span.line))
        elif isinstance(b, RawBlock):
            add(_Unit(b.raw, b.raw, None, None, b.span.line))
        elif isinstance(b, HtmlBlock):
            from .inline import plain
            t = plain(b.raw)
            if t:
                add(_Unit(t, b.raw, None, None, b.span.line))
        # Directives and thematic breaks carry nothing a reader acts on.


# ------------------------------------------------------------------ sections

class _Sec:
    """One section's own text (heading plus blocks up to the next heading).

    ``head`` (heading, tag, kind, level…) and ``units`` are computed on first use, so a
    section whose text is unchanged is never parsed. Unit lines are relative to
    ``offset`` (0 for a parsed Document, the chunk's first line - 1 for raw text).
    A section of raw text gets both from ``cache`` (:class:`DiffCache`), the heading's
    kind in the language ``lang()`` says.
    """

    __slots__ = ("raw", "digest", "offset", "_head", "_body", "_extra", "_cache", "_lang")

    def __init__(self, raw: str, offset: int, head, body: Callable[[], list[_Unit]] | None,
                 cache: "DiffCache | None" = None, lang: Callable[[], str | None] | None = None,
                 extra: dict | None = None) -> None:
        self.raw = raw
        self.digest = raw        # str hashes are cached: the text is its own cheap key
        self.offset = offset
        self._head = head
        self._body = body
        self._extra: dict = {} if extra is None else extra
        self._cache = cache
        self._lang = lang

    @property
    def info(self) -> dict:
        h = self._head
        if h is None:
            h = self._head = self._cache.head(self.raw, self.digest, self._lang())
        elif callable(h):
            h = self._head = h()
        return h

    @property
    def units(self) -> list[_Unit]:
        b = self._body
        if b is None:
            b = self._body = self._cache.body(self.raw, self.digest)
        elif callable(b):
            b = self._body = b()
        return b

    @property
    def tag(self) -> str | None:
        """The heading's `{#tag}`; needs no language."""
        if self._head is None:
            return self._cache.bare(self.raw, self.digest)["tag"]
        return self.info["tag"]

    heading = property(lambda self: self.info["heading"])
    kind = property(lambda self: self.info["kind"])
    line = property(lambda self: self.info["line"] + self.offset)

    @property
    def heading_key(self) -> str:
        """The heading normalised; needs no language."""
        k = self._extra.get("heading_key")
        if k is None:
            head = self.info if self._head is not None else \
                self._cache.bare(self.raw, self.digest)
            k = self._extra["heading_key"] = C.norm(head["heading"])
        return k

    @property
    def body_key(self) -> tuple[str, ...]:
        k = self._extra.get("body_key")
        if k is None:
            k = self._extra["body_key"] = tuple(u.norm for u in self.units)
        return k

    @property
    def norm(self) -> str:
        """The source text normalised (for the policy's full text, see ``_View.padded``).

        Made from its pieces' norms (they are joined by newlines): a section that changed
        in one paragraph normalises that paragraph only."""
        k = self._extra.get("norm")
        if k is None:
            if self._cache is None:
                k = C.norm(self.raw)
            else:
                k = " ".join(n for n in (C.norm(p) for _, p in self._cache.cut(self.raw)) if n)
            self._extra["norm"] = k
        return k

    @property
    def words(self) -> frozenset[str]:
        """Words of the body, from the source text: matching must not force a parse."""
        k = self._extra.get("words")
        if k is None:
            words = self.norm.split()
            # Only a preamble has no heading line (and its info is there already).
            head = self._head
            if not (isinstance(head, dict) and not head["level"]):
                # norm() of the text is its first line's and the rest's, joined: drop the
                # first line's words rather than normalise the body again.
                del words[: len(C.norm(self.raw.partition("\n")[0]).split())]
            k = self._extra["words"] = frozenset(words)
        return k

    def text(self) -> str:
        """The body's plain text; its norm() is known from the units' (no second pass)."""
        k = self._extra.get("text")
        if k is None:
            units = self.units
            k = self._extra["text"] = "\n".join(u.text for u in units)
            C.remember_norm(k, " ".join(n for n in (u.norm for u in units) if n))
        return k

    def full(self) -> str:
        """Heading and body, as the verdicts on a whole section read them."""
        k = self._extra.get("full")
        if k is None:
            body = self.text()
            k = self._extra["full"] = self.heading + "\n" + body
            C.remember_norm(k, " ".join(n for n in (C.norm(self.heading), C.norm(body)) if n))
        return k


_NO_HEAD = {"heading": "", "heading_raw": "", "tag": None, "kind": None, "level": 0,
            "style": "", "line": 1}


def _section_info(s: Section) -> dict:
    return {"heading": s.heading, "heading_raw": s.heading_raw, "tag": s.tag,
            "kind": s.kind, "level": s.level, "style": s.style, "line": s.span.line}


@dataclass
class _View:
    """A document as the differ sees it: front matter, preamble, flat list of sections."""
    front: Callable[[], FrontMatter | None]
    preamble: _Sec | None
    sections: list[_Sec]
    title: Callable[[], str | None]
    full_text: Callable[[], str]
    found: dict = field(default_factory=dict)   # keyword table id -> stems in full_text
    layout: "_Layout | None" = None             # for views of text: to derive the next one
    #: For views of text: what ``C.found`` searches in ``full_text()``, made from the
    #: sections' normalised texts (each normalised once in a walk).
    padded: Callable[[], str] | None = None
    state: dict = field(default_factory=dict)   # for views of text: front matter, language


def _own_ranges(doc: Document) -> list[tuple[Section, int, int]]:
    """Each section with the line range of its own text (up to the next heading)."""
    secs = list(doc.walk())
    out = []
    for i, s in enumerate(secs):
        end = secs[i + 1].span.line - 1 if i + 1 < len(secs) else max(doc.line_count, s.span.end_line)
        out.append((s, s.span.line, end))
    return out


def _view_of_document(doc: Document) -> _View:
    lines = doc.lines
    ranges = _own_ranges(doc)
    first = ranges[0][1] if ranges else len(lines) + 1
    pre_raw = "\n".join(lines[: first - 1]) if lines else ""
    pre = _Sec(pre_raw, 0, dict(_NO_HEAD), lambda: _units(doc.blocks))
    secs = []
    for s, a, b in ranges:
        raw = "\n".join(lines[a - 1: b]) if lines else s.heading_raw + "\n" + repr(s.blocks)
        secs.append(_Sec(raw, 0, _section_info(s), (lambda s=s: _units(s.blocks))))
    return _View(lambda: doc.front_matter, pre, secs, lambda: doc.title,
                 lambda: "\n".join(lines))


# Heading lines for the text splitter (mirrors the parser's lexer on ordinary input).
_ATX_LINE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# Matched after a newline (a literal prefix lets the regex engine skip ahead fast).
_CANDIDATE = re.compile(r"\n {0,3}(?:#{1,6}(?:[ \t][^\n]*)?|=+[ \t]*|-{2,}[ \t]*|`{3,}[^\n]*|~{3,}[^\n]*)(?=\n)")
_NOT_PARA = re.compile(r"^\s*(?:$|#|>|[-*+•]\s|\d{1,9}[.)]\s|<|\||```|~~~|    )")
_TAG = re.compile(r"[ \t]*\{#([^}]*)\}[ \t]*$")
_ANCHOR = re.compile(r"[a-z0-9][a-z0-9_-]*$")


def _fm_end(lines: list[str]) -> tuple[int, bool]:
    """Line count of the front matter (0 if none) and whether it is left open."""
    if lines and lines[0].rstrip() == "---":
        for j in range(1, len(lines)):
            if lines[j].rstrip() in ("---", "..."):
                return j + 1, False
        return 0, True
    return 0, False


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix: block compares (a memcmp each), then halving.
    Only ``a`` is sliced; ``b`` is compared in place (startswith at an offset)."""
    n, lo, step = min(len(a), len(b)), 0, 4096
    while lo < n and b.startswith(a[lo: lo + step], lo):
        lo += step
    if lo >= n:
        return n
    hi = min(lo + step, n)
    if a[lo: hi] == b[lo: hi]:      # the block differed only in length
        return hi
    while hi - lo > 1:              # a[:lo] == b[:lo], a[:hi] != b[:hi]
        mid = (lo + hi) // 2
        if b.startswith(a[lo: mid], lo):
            lo = mid
        else:
            hi = mid
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit`` (``b`` compared in place)."""
    na, nb, lo, step = len(a), len(b), 0, 4096
    while lo < limit:
        size = min(step, limit - lo)
        if not b.endswith(a[na - lo - size: na - lo], 0, nb - lo):
            break
        lo += size
    else:
        return limit
    hi = lo + min(step, limit - lo)  # suffixes of length lo agree, of length hi do not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if b.endswith(a[na - mid: na - lo], 0, nb - lo):
            lo = mid
        else:
            hi = mid
    return lo


def _fm_end_of(text: str) -> tuple[int, bool]:
    """:func:`_fm_end` of a text, reading only as far as the front matter goes."""
    if not text.startswith("---"):
        return 0, False
    end = text.find("\n")
    if text[: end if end >= 0 else len(text)].rstrip() != "---":
        return 0, False
    return _fm_end(text.split("\n"))


def _scan(region: str, lines: list[str], first: int, total: int, fm_end: int,
          starts: list[int], emits: list[int], skip: int = 0) -> None:
    """Append to ``starts`` the 1-based line numbers where sections start in ``region``,
    and to ``emits`` the 0-based line on which each was found (a setext heading's start
    is found at its underline).

    ``region`` is the text from global line ``first`` (0-based) on, ``lines`` its lines,
    ``total`` the line count of the whole text. Its first ``skip`` lines are only read
    (a setext heading looks back); scanning resumes after a line where a section was
    found, where the scanner's state is just the starts found so far (no open fence).
    """
    fence: str | None = None
    i, last = 0, 0
    padded = "\n" + region + "\n"
    for m in _CANDIDATE.finditer(padded):
        i += padded.count("\n", last + 1, m.start() + 1)   # region line index of this match
        last = m.start()
        g = first + i
        if i < skip or g < fm_end or g >= total:
            continue
        s = lines[i].strip()
        if fence:
            if s.startswith(fence) and not s.strip(fence[0]):
                fence = None
            continue
        if s[:3] in ("```", "~~~"):
            fence = s[: len(s) - len(s.lstrip(s[0]))]
            continue
        if s[0] == "#":
            starts.append(g + 1)
            emits.append(g)
        elif i > 0 and lines[i - 1].strip() and not _NOT_PARA.match(lines[i - 1]) \
                and not _ATX.match(lines[i - 1]):
            j = i - 1
            while j + first > fm_end and lines[j - 1].strip() and not _NOT_PARA.match(lines[j - 1]) \
                    and not (starts and starts[-1] == j + first):
                j -= 1
            starts.append(j + first + 1)
            emits.append(g)


def _split(text: str) -> tuple[list[str], list[int]]:
    """Lines and the 1-based line numbers where sections start."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts: list[int] = []
    _scan(text, lines, 0, len(lines), _fm_end(lines)[0], starts, [])
    return lines, starts


class _Layout:
    """Where a text's sections start, and their text: what a version's view is made of.

    A layout is made from scratch (:meth:`of`) or from the layout of a similar text
    (:meth:`derive`: a policy's next version), re-scanning only around what changed and
    sharing the unchanged sections' strings, so comparing them is an identity check.
    """

    __slots__ = ("text", "total", "fm_end", "fm_open", "starts", "emits", "cstarts", "raws",
                 "pre", "same")

    def __init__(self, text, total, fm_end, fm_open, starts, emits, cstarts, raws, pre) -> None:
        self.text = text            # normalised: no BOM, \n line ends
        self.total = total          # line count (a final newline ends the last line)
        self.fm_end = fm_end
        self.fm_open = fm_open      # front matter never closed
        self.starts = starts        # 1-based line numbers where sections start
        self.emits = emits          # 0-based lines where the scan found them
        self.cstarts = cstarts      # offsets in text of the start lines
        self.raws = raws            # each section's text: its lines up to the next start
        self.pre = pre              # the lines before the first section
        self.same = 0               # length of the text shared with the one derived from

    @staticmethod
    def _end(text: str) -> int:
        return len(text) - 1 if text.endswith("\n") else len(text)

    @staticmethod
    def _offsets(lines: list[str], first: int, pos: int, starts: list[int]) -> list[int]:
        """Offsets of ``starts`` (all at or after global line ``first``, which is at
        ``pos``), ``lines`` being the lines from ``first`` on."""
        out, line = [], first
        for a in starts:
            k0, k1 = line - first, a - 1 - first
            if k1 > k0:
                pos += sum(map(len, lines[k0: k1])) + k1 - k0
            line = a - 1
            out.append(pos)
        return out

    @classmethod
    def of(cls, text: str) -> "_Layout":
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        fm_end, fm_open = _fm_end(lines)
        starts: list[int] = []
        emits: list[int] = []
        _scan(text, lines, 0, len(lines), fm_end, starts, emits)
        cstarts = cls._offsets(lines, 0, 0, starts)
        return cls(text, len(lines), fm_end, fm_open, starts, emits, cstarts,
                   cls._raws(text, cstarts, 0, len(cstarts)), cls._pre(text, cstarts))

    @classmethod
    def _raws(cls, text: str, cstarts: list[int], a: int, b: int) -> list[str]:
        """Texts of sections a..b-1."""
        end = cls._end(text)
        n = len(cstarts)
        return [text[cstarts[k]: (cstarts[k + 1] - 1 if k + 1 < n else end)] for k in range(a, b)]

    @classmethod
    def _pre(cls, text: str, cstarts: list[int]) -> str:
        if not cstarts:
            return text[: cls._end(text)]
        return text[: cstarts[0] - 1] if cstarts[0] else ""

    def derive(self, text: str) -> "_Layout":
        """The layout of ``text``, a version of this layout's text (any text works)."""
        cp = _common_prefix(self.text, text)
        if cp == len(self.text) == len(text):
            return self
        lay = self._derive(text, cp)
        lay.same = cp
        return lay

    def _derive(self, text: str, cp: int) -> "_Layout":
        old = self.text
        n_old, n_new = len(old), len(text)
        if self.fm_open:
            return _Layout.of(text)
        # Restart after the last section found on a line before the first that differs
        # (which also keeps the front matter as it was): the scan's state there is known.
        # If there is none, from the top.
        first_diff = text.count("\n", 0, cp)              # 0-based; earlier lines agree
        k0 = bisect_left(self.emits, first_diff) - 1
        if k0 >= 0:
            fm_end, c0, first = self.fm_end, self.cstarts[k0], self.starts[k0] - 1
            skip = self.emits[k0] - first + 1
        else:
            fm_end, fm_open = _fm_end_of(text)
            if fm_open:
                return _Layout.of(text)
            c0 = first = skip = 0
        # Common suffix, not overlapping the prefix.
        cs = _common_suffix(old, text, min(n_old, n_new) - cp)
        # Sync on the first later section whose lines (and the newline before them) are
        # in the common suffix, if the re-scan finds it where the old scan did: from
        # there on both texts split alike.
        k1 = bisect_left(self.cstarts, n_old - cs + 1, lo=k0 + 1)
        if k1 >= len(self.starts):
            if k0 < 0:
                return _Layout.of(text)
            total = text.count("\n") + (0 if text.endswith("\n") else 1)
            stop, region = -1, text[c0:]
        else:
            dchar = n_new - n_old
            dline = text.count("\n", cp, n_new - cs) - old.count("\n", cp, n_old - cs)
            total = self.total + dline
            stop = self.emits[k1] + dline
            # The region ends with the line on which the sync section is found.
            end = self._line_end(text, self.cstarts[k1] + dchar,
                                 self.emits[k1] - (self.starts[k1] - 1))
            region = text[c0: end]
        lines = region.split("\n")
        starts, emits = self.starts[: k0 + 1], self.emits[: k0 + 1]
        _scan(region, lines, first, total, fm_end, starts, emits, skip)
        if stop >= 0 and not (emits and emits[-1] == stop and starts[-1] == self.starts[k1] + dline):
            return _Layout.of(text)
        cstarts = self.cstarts[: k0 + 1] + self._offsets(lines, first, c0, starts[k0 + 1:])
        mid, keep = len(starts), max(k0, 0)
        if stop >= 0:       # starts[mid - 1] is the sync section: the old layout's k1
            starts += [a + dline for a in self.starts[k1 + 1:]]
            emits += [e + dline for e in self.emits[k1 + 1:]]
            cstarts += [c + dchar for c in self.cstarts[k1 + 1:]]
            raws = self.raws[:keep] + self._raws(text, cstarts, keep, mid - 1) + self.raws[k1:]
        else:
            raws = self.raws[:keep] + self._raws(text, cstarts, keep, mid)
        pre = self.pre if k0 >= 0 else self._pre(text, cstarts)
        return _Layout(text, total, fm_end, False, starts, emits, cstarts, raws, pre)

    @staticmethod
    def _line_end(text: str, pos: int, n: int) -> int:
        """Offset of the end of the line ``n`` lines after the one at ``pos``."""
        for _ in range(n + 1):
            e = text.find("\n", pos)
            if e < 0:
                return len(text)
            pos = e + 1
        return pos - 1


def _chunk_bare(chunk: str) -> dict:
    """Heading, tag and level from a chunk's first lines, without the parser."""
    from .inline import plain
    first, _, rest = chunk.partition("\n")
    m = _ATX_LINE.match(first)
    if m:
        text, level, style = m.group(2) or "", len(m.group(1)), "atx"
    else:
        head_lines = [first.strip()]
        level = 2
        pos = 0
        while pos <= len(rest):         # the heading's lines, up to the underline
            end = rest.find("\n", pos)
            if end < 0:
                end = len(rest)
            st = rest[pos:end].strip()
            pos = end + 1
            if st and st.strip("=") == "":
                level = 1
                break
            if st and st.strip("-") == "":
                break
            head_lines.append(st)
        text, style = " ".join(head_lines), "setext"
    tag = None
    t = _TAG.search(text)
    if t:
        tag = t.group(1).strip()
        text = text[: t.start()]
        if not (_ANCHOR.match(tag) or tag in SECTION_KINDS):
            tag = None
    raw = text.strip()
    return {"heading": plain(raw), "heading_raw": raw, "tag": tag, "level": level,
            "style": style, "line": 1}


def _heading_lines(chunk: str) -> str:
    """The start of a section's text that :func:`_chunk_bare` reads: the first line, or
    a setext heading's line and underline; the whole text in any other case."""
    end = chunk.find("\n")
    if end < 0:
        return chunk
    first = chunk[:end]
    if _ATX_LINE.match(first):
        return first
    end2 = chunk.find("\n", end + 1)
    second = chunk[end + 1: end2 if end2 >= 0 else len(chunk)].strip()
    if second and (not second.strip("=") or not second.strip("-")):
        return chunk[: end2 if end2 >= 0 else len(chunk)]
    return chunk


def _chunk_head(chunk: str, lang: str | None, bare: dict | None = None) -> dict:
    """Heading, tag, kind and level from a chunk's first lines, without the parser."""
    info = dict(bare or _chunk_bare(chunk))
    tag = info["tag"]
    kind = tag if tag in SECTION_KINDS else None
    if kind is None:
        from .vocab import classify_heading
        kind = classify_heading(info["heading"], lang)
    info["kind"] = kind
    return info


def _chunk_units(chunk: str) -> list[_Unit]:
    """The units of a section's text, or of a piece of one (see :func:`_pieces`).

    Only the parser's blocks, in document order: a diff reads no language, front
    matter or nesting of a piece, and detecting its language costs a quarter of
    parsing it. On a parser failure, what :func:`~policylint.parser.parse` makes of it.
    """
    from .parser import parse_blocks
    try:
        blocks = parse_blocks(chunk)
    except Exception:       # parse() keeps the text as a raw block; so do we
        return _parsed_units(chunk)
    return _units(blocks)


def _parsed_units(chunk: str) -> list[_Unit]:
    """:func:`_chunk_units` the long way, through a whole parsed Document."""
    from .parser import parse
    doc = parse(chunk, classify_headings=False, validate=False)
    units = _units(doc.blocks)
    for sub in doc.walk():
        units += _units(sub.blocks)
    return units


# A section is parsed in pieces, cut before a line that can only start a paragraph
# (letter, digit not opening a list item, link, quote, bold) right after a blank line: no
# block of the section runs across such a line, so each piece parses as it does in the
# whole. Not in a section with a fence or an HTML block, which may hold blank lines.
# Versions of a section mostly differ in a paragraph or two: the other pieces are
# already parsed. tests/test_diff*.py check pieces against whole sections on the corpus.
_NO_CUT = re.compile(r"^ {0,3}<|^[ \t]*(?:```|~~~)", re.M)
_PIECE = re.compile(r"(?:[^\W\d_]|\d(?!\d{0,8}[.)](?:[ \t]|$))|[\[(“\"'‘]|\*\*[^\s*])")


def _pieces(chunk: str) -> list[tuple[int, str]]:
    """(first line, text) of each piece of a section's text."""
    if "\n\n" not in chunk or _NO_CUT.search(chunk):
        return [(0, chunk)]
    lines = chunk.split("\n")
    out: list[tuple[int, str]] = []
    a = 0
    for k in range(2, len(lines)):
        if not lines[k - 1].strip() and a < k - 1 and _PIECE.match(lines[k]):
            out.append((a, "\n".join(lines[a:k])))
            a = k
    out.append((a, "\n".join(lines[a:]) if a else chunk))
    return out


def _lines(text: str) -> Iterable[str]:
    """The lines of ``text``, one at a time: the language is decided by the first few."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        yield text[pos:end]
        pos = end + 1


def _detect_lang(lines: Iterable[str], fm: FrontMatter | None,
                 memo: dict | None = None, plains: dict | None = None) -> tuple[str | None, int]:
    """The language, and how many characters of the text decided it (-1: all of it or
    the front matter). ``memo``: language by sample, for versions that share one;
    ``plains``: plain text by line, for versions that share lines."""
    from . import vocab
    fm_lang = fm.get("lang") if fm else None
    if isinstance(fm_lang, str) and fm_lang.strip():
        return vocab.normalise_lang(fm_lang) or fm_lang, -1
    from .inline import plain
    if plains is None:
        plains = {}
    sample, size, used = [], 0, -1
    pos = 0
    for ln in lines:
        pos += len(ln) + 1
        st = ln.strip()
        if st and st.strip("-=") and not st.startswith("<"):
            t = plains.get(st)
            if t is None:
                t = plains[st] = plain(st.lstrip("#>*-+ \t"))
            sample.append(t)
            size += len(t)
            if size > 4000:
                used = pos
                break
    text = "\n".join(sample)
    if memo is None:
        return vocab.detect_language(text), used
    if text not in memo:
        memo[text] = vocab.detect_language(text)
    return memo[text], used


class DiffCache:
    """Split texts and parsed sections shared across :func:`diff_texts` calls.

    A history walk sees each blob twice (as new, then as old) and most sections in
    every version; this makes each blob split once and each distinct section (each
    distinct piece of one, see :func:`_pieces`) parsed once.
    """

    def __init__(self) -> None:
        self.views: dict = {}
        self.bares: dict = {}
        self.heads: dict = {}
        self.bodies: dict = {}
        self.cuts: dict = {}        # section text -> its pieces
        self.pieces: dict = {}      # (piece of a section's text, its first line) -> units
        self.extras: dict = {}      # section text -> keys for matching (see _Sec)
        self.langs: dict = {}       # language sample -> language
        self.ratios: dict = {}      # (heading key, heading key, need) -> similarity
        self.plains: dict = {}      # line of a language sample -> its plain text
        self.lang_heads: dict = {}  # first lines that decided a language -> (language, length)

    def lang_of_head(self, text: str) -> tuple[str | None, int] | None:
        """The language of a text (without front matter) that begins with the very lines
        that decided another's: a version going back to an earlier beginning."""
        for head, found in self.lang_heads.items():
            if text.startswith(head):
                return found
        return None

    def clear(self) -> None:
        """Forget everything (views and sections refer back to the cache)."""
        for memo in vars(self).values():
            memo.clear()

    def bare(self, sec_raw: str, digest) -> dict:
        b = self.bares.get(digest)
        if b is None:
            key = _heading_lines(sec_raw)     # a section edited below its heading: known
            b = self.bares.get(key)
            if b is None:
                b = self.bares[key] = _chunk_bare(key)
            self.bares[digest] = b
        return b

    def head(self, sec_raw: str, digest, lang: str | None) -> dict:
        h = self.heads.get((digest, lang))
        if h is None:
            key = (_heading_lines(sec_raw), lang)
            h = self.heads.get(key)
            if h is None:
                h = self.heads[key] = _chunk_head(key[0], lang, self.bare(sec_raw, digest))
            self.heads[(digest, lang)] = h
        return h

    def cut(self, sec_raw: str) -> list[tuple[int, str]]:
        """:func:`_pieces` of a section's text, once."""
        c = self.cuts.get(sec_raw)
        if c is None:
            c = self.cuts[sec_raw] = _pieces(sec_raw)
        return c

    def body(self, sec_raw: str, digest: bytes) -> list[_Unit]:
        b = self.bodies.get(digest)
        if b is None:
            b = []
            for first, piece in self.cut(sec_raw):
                units = self.pieces.get((piece, first))
                if units is None:
                    units = self.pieces.get((piece, 0))
                    if units is None:
                        units = self.pieces[(piece, 0)] = _chunk_units(piece)
                    if first:
                        units = self.pieces[(piece, first)] = [u.shifted(first) for u in units]
                b += units
            self.bodies[digest] = b
        return b


def _view_of_text(text: str, cache: DiffCache, base: _View | None = None) -> _View:
    """The view of a text; ``base``, the view of a similar text, saves re-splitting."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lay = base.layout.derive(text) if base is not None and base.layout is not None \
        else _Layout.of(text)
    pre_raw = lay.pre
    has_fm = pre_raw.startswith("---")
    state: dict = {}

    def pre_doc() -> Document:
        if "pre" not in state:
            from .parser import parse
            state["pre"] = parse(pre_raw, classify_headings=False, validate=False)
        return state["pre"]

    def front() -> FrontMatter | None:
        return pre_doc().front_matter if has_fm else None

    def lang() -> str | None:
        if "lang" not in state:
            # The version this one was derived from decided on text they share?
            was = base.state if base is not None else {}
            if "lang" in was and 0 <= was["lang_used"] <= lay.same and not has_fm:
                state["lang"], state["lang_used"] = was["lang"], was["lang_used"]
            elif not has_fm and (known := cache.lang_of_head(text)):
                state["lang"], state["lang_used"] = known
            else:
                found = _detect_lang(_lines(text), front(), cache.langs, cache.plains)
                state["lang"], state["lang_used"] = found
                if not has_fm and 0 < found[1] <= len(text):
                    cache.lang_heads[text[: found[1]]] = found
        return state["lang"]

    pre = _Sec(pre_raw, 0, dict(_NO_HEAD), lambda: _units(pre_doc().blocks))
    secs: list[_Sec] = []
    extras = cache.extras
    for a, chunk in zip(lay.starts, lay.raws):
        extra = extras.get(chunk)       # keys that do not depend on the language
        if extra is None:
            extra = extras[chunk] = {}
        secs.append(_Sec(chunk, a - 1, None, None, cache, lang, extra))

    def title() -> str | None:
        fm = front()
        if fm and fm.get("title"):
            return str(fm.get("title"))
        for s in secs:
            if s.info["level"] == 1:
                return s.heading
        return None
    def padded() -> str:
        # norm() turns every run of non-word characters, the newline between two sections
        # included, into one space (NFKC and casefold work per character, and nothing
        # composes with a newline): the text's norm is its parts' norms joined by spaces.
        if "padded" not in state:
            parts = [C.norm(pre_raw)]
            for sec in secs:
                parts.append(sec.norm)
            state["padded"] = " " + " ".join(x for x in parts if x) + " "
        return state["padded"]
    return _View(front, pre, secs, title, lambda: text, layout=lay, state=state, padded=padded)


# ------------------------------------------------------------------ matching

def _lis(seq: list[int]) -> set[int]:
    """Indices (into seq) of one longest increasing subsequence."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[k] = v
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    out: set[int] = set()
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


def _pair_unique(old_idx: list[int], new_idx: list[int], key_old, key_new) -> list[tuple[int, int]]:
    """Pairs whose key is present exactly once among the unmatched on each side."""
    ko: dict = {}
    for i in old_idx:
        k = key_old(i)
        if k:
            ko.setdefault(k, []).append(i)
    kn: dict = {}
    for j in new_idx:
        k = key_new(j)
        if k:
            kn.setdefault(k, []).append(j)
    return [(v[0], kn[k][0]) for k, v in ko.items() if len(v) == 1 and len(kn.get(k, ())) == 1]


def _ratio(a, b, need: float = 0.0, sm: SequenceMatcher | None = None) -> float:
    """SequenceMatcher's ratio, or 0.0 when it is below 0.3 or below ``need``.

    ``sm``: a matcher whose second sequence is ``b`` already, to compare many ``a`` with
    one ``b`` without indexing ``b`` again each time."""
    if sm is None:
        sm = SequenceMatcher(None, a, b, autojunk=False)
    else:
        sm.set_seq1(a)
    floor = max(need, 0.3)
    if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
        return 0.0
    return sm.ratio()


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _trim(O: list[_Sec], N: list[_Sec]) -> tuple[int, int]:
    """Leading and trailing sections the same in both, when matching may skip them.

    With P the common leading run, S the trailing one and M the rest of either side:
    if no section in M has the text of one in P or S, every equal pair lies in P×P, S×S
    or M×M, no matching block crosses between them, and P's and S's diagonals are each
    the longest block in their corner. So SequenceMatcher (and the longest increasing
    subsequence) give P and S matched in place and M exactly as when run on M alone,
    and the later steps only ever look at the unmatched, all in M. Otherwise (0, 0).
    """
    n = min(len(O), len(N))
    p = 0
    while p < n and (O[p].raw is N[p].raw or O[p].digest == N[p].digest):
        p += 1
    s = 0
    while s < n - p and (O[-1 - s].raw is N[-1 - s].raw or O[-1 - s].digest == N[-1 - s].digest):
        s += 1
    if not p and not s:
        return 0, 0
    mid = {x.digest for x in O[p: len(O) - s]}
    mid.update(x.digest for x in N[p: len(N) - s])
    if any(x.digest in mid for x in O[:p]) or any(x.digest in mid for x in O[len(O) - s:]):
        return 0, 0
    return p, s


def _match_sections(O: list[_Sec], N: list[_Sec], p: int = 0, s: int = 0,
                    ratios: dict | None = None) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of matched sections, among O[p:-s] and N[p:-s].

    ``ratios``: heading similarities worked out before (the same headings meet again and
    again in a history, and 'Highlights' twenty times in one policy)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    o_end, n_end = len(O) - s, len(N) - s

    def take(i: int, j: int) -> None:
        pairs[i] = j
        taken.add(j)

    sm = SequenceMatcher(None, [x.digest for x in O[p:o_end]], [x.digest for x in N[p:n_end]],
                         autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            take(p + a + k, p + b + k)

    def rest() -> tuple[list[int], list[int]]:
        return ([i for i in range(p, o_end) if i not in pairs],
                [j for j in range(p, n_end) if j not in taken])

    uo, un = rest()
    if not uo or not un:
        return sorted(pairs.items())
    by: dict[bytes, list[int]] = {}
    for j in un:
        by.setdefault(N[j].digest, []).append(j)
    for i in uo:
        if by.get(O[i].digest):
            take(i, by[O[i].digest].pop(0))
    steps = (
        lambda x: x.tag,
        lambda x: x.kind,
        lambda x: x.heading_key,
    )
    for key in steps:
        uo, un = rest()
        if not uo or not un:
            break
        for i, j in _pair_unique(uo, un, lambda i: key(O[i]), lambda j: key(N[j])):
            take(i, j)
    uo, un = rest()
    if uo and un:
        scored = []
        hw = {j: frozenset(N[j].heading_key.split()) for j in un}
        nw = {j: N[j].words for j in un}
        hm: dict[int, SequenceMatcher] = {}     # j -> matcher indexing N[j]'s heading
        ratios = {} if ratios is None else ratios
        for i in uo:
            ow = frozenset(O[i].heading_key.split())
            words = O[i].words
            size = len(words)
            for j in un:
                shared = ow & hw[j]
                other = len(nw[j])
                if not shared and (not size or not other
                                   or 10 * min(size, other) < 3 * max(size, other)):
                    continue        # Jaccard below 0.3 and no heading word in common
                c = _jaccard(words, nw[j])
                # Heading similarity only where it can matter (shared word or similar body),
                # and only as precisely as the test below needs.
                if shared or c >= 0.3:
                    key = (O[i].heading_key, N[j].heading_key,
                           0.0 if c >= 0.6 else 0.5 if c >= 0.4 else 0.75)
                    h = ratios.get(key)
                    if h is None:
                        sm = hm.get(j)
                        if sm is None:
                            sm = hm[j] = SequenceMatcher(None, "", key[1], autojunk=False)
                        h = ratios[key] = _ratio(*key, sm)
                else:
                    h = 0.0
                if h >= 0.75 or c >= 0.6 or (h >= 0.5 and c >= 0.4):
                    scored.append((h + c, i, j))
        scored.sort(reverse=True)
        for _, i, j in scored:
            if i not in pairs and j not in taken:
                take(i, j)
    return sorted(pairs.items())


def _match_units(ou: list[_Unit], nu: list[_Unit]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of matched units.

    Units the same (normalised) at both ends are paired in place and only the rest is
    matched, when none of the rest repeats one of them: then matching everything would
    pair them so too (the argument of :func:`_trim`, for sections)."""
    n = min(len(ou), len(nu))
    p = 0
    while p < n and ou[p].norm == nu[p].norm:
        p += 1
    s = 0
    while s < n - p and ou[-1 - s].norm == nu[-1 - s].norm:
        s += 1
    if p or s:
        mid = {u.norm for u in ou[p: len(ou) - s]}
        mid.update(u.norm for u in nu[p: len(nu) - s])
        if any(u.norm in mid for u in ou[:p]) or any(u.norm in mid for u in ou[len(ou) - s:]):
            p = s = 0
    if not (p or s):
        return _match_all_units(ou, nu)
    inner = _match_all_units(ou[p: len(ou) - s], nu[p: len(nu) - s])
    return ([(k, k) for k in range(p)] + [(i + p, j + p) for i, j in inner]
            + [(len(ou) - s + k, len(nu) - s + k) for k in range(s)])


def _match_all_units(ou: list[_Unit], nu: list[_Unit]) -> list[tuple[int, int]]:
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    sm = SequenceMatcher(None, [u.norm for u in ou], [u.norm for u in nu], autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            pairs[a + k] = b + k
            taken.add(b + k)
    uo = [i for i in range(len(ou)) if i not in pairs]
    un = [j for j in range(len(nu)) if j not in taken]
    if uo and un:
        by: dict[str, list[int]] = {}
        for j in un:
            by.setdefault(nu[j].norm, []).append(j)
        for i in uo:
            if by.get(ou[i].norm):
                j = by[ou[i].norm].pop(0)
                pairs[i] = j
                taken.add(j)
        uo = [i for i in uo if i not in pairs]
        un = [j for j in un if j not in taken]
        for i, j in _pair_unique(uo, un, lambda i: ou[i].label_key, lambda j: nu[j].label_key):
            pairs[i] = j
            taken.add(j)
        uo = [i for i in uo if i not in pairs]
        un = [j for j in un if j not in taken]
    if uo and un:
        ow = {i: ou[i].norm.split() for i in uo}
        nw = {j: nu[j].norm.split() for j in un}
        scored = []
        for i in uo:
            si = frozenset(ow[i])
            for j in un:
                if ou[i].label_key and nu[j].label_key and ou[i].label_key != nu[j].label_key \
                        and _ratio(ou[i].label_key, nu[j].label_key) < 0.8:
                    continue   # two different clauses
                if _jaccard(si, frozenset(nw[j])) < 0.25:
                    continue
                r = _ratio(ow[i], nw[j])
                if r >= 0.5:
                    scored.append((r, i, j))
        scored.sort(reverse=True)
        for _, i, j in scored:
            if i not in pairs and j not in taken:
                pairs[i] = j
                taken.add(j)
    return sorted(pairs.items())


# ------------------------------------------------------------------ the engine

def _settings(config) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    kinds = tuple(getattr(config, "material_kinds", None) or C.DEFAULT_MATERIAL_KINDS)
    threshold = int(getattr(config, "retention_threshold_days", 0) or 0)
    required = getattr(config, "required_sections", None) or C.DEFAULT_REQUIRED
    return kinds, threshold, tuple(required)


class _Engine:
    def __init__(self, config, cache: "DiffCache | None" = None) -> None:
        self.kinds, self.threshold, self.required = _settings(config)
        self.changes: list[Change] = []
        self.old_view: _View | None = None
        self.ratios = cache.ratios if cache is not None else None

    def ctx(self, kind: str | None, heading: str) -> C.Context:
        return C.Context(kind, heading, self.kinds, self.threshold, self.prior)

    def prior(self, stems: tuple[str, ...]) -> set[str]:
        """Which of ``stems`` the old version mentions anywhere (once per version and table)."""
        if self.old_view is None:
            return set()
        cache = self.old_view.found
        if stems not in cache:
            padded = self.old_view.padded
            cache[stems] = C.found(stems, self.old_view.full_text()) if padded is None \
                else C.found_padded(stems, padded())
        return cache[stems]

    def emit(self, kind, section, change, verdict: C.Verdict, old, new, old_line, new_line,
             red=None) -> None:
        self.changes.append(Change(kind, section, change, verdict.classification, verdict.reason,
                                   old, new, red, verdict.evidence, old_line, new_line))

    # -- front matter
    def front(self, old: FrontMatter | None, new: FrontMatter | None) -> None:
        od = old.as_dict() if old else {}
        nd = new.as_dict() if new else {}
        for key in list(dict.fromkeys([*od, *nd])):
            o, n = od.get(key), nd.get(key)
            if o == n:
                continue
            v = C.front_matter(key, o, n, self.kinds)
            oe = old.entry(key) if old else None
            ne = new.entry(key) if new else None
            kind = "controller" if key == "controller" else None
            self.emit(kind, "front matter", "modified" if (oe and ne) else ("added" if ne else "removed"),
                      v, f"{key}: {oe.raw}" if oe else None, f"{key}: {ne.raw}" if ne else None,
                      oe.line if oe else None, ne.line if ne else None)

    # -- one section present in both versions
    def section_pair(self, o: _Sec, n: _Sec, moved: bool) -> None:
        oi, ni = o.info, n.info
        kind = ni["kind"] or oi["kind"]
        heading = ni["heading"] or oi["heading"]
        if o.heading_key != n.heading_key:
            ow, nw = tuple(o.heading_key.split()), tuple(n.heading_key.split())
            if C.typo_only(ow, nw) is not None:
                v = C.Verdict(C.EDITORIAL, f"editorial: heading spelling '{oi['heading']}' → '{ni['heading']}'")
            elif C.date_only(ow, nw):
                v = C.Verdict(C.EDITORIAL, f"editorial: date in heading '{oi['heading']}' → '{ni['heading']}'")
            elif oi["kind"] == ni["kind"] and ni["kind"] is not None:
                v = C.Verdict(C.EDITORIAL, f"editorial: heading reworded '{oi['heading']}' → "
                                           f"'{ni['heading']}' (still {ni['kind']})")
            else:
                v = C.Verdict(C.MINOR, f"renamed '{oi['heading']}' → '{ni['heading']}'",
                              (Evidence("text-changed", oi["heading"], oi["heading"], ni["heading"]),))
            if moved:
                v = C.Verdict(v.classification, v.reason + " and moved", v.evidence)
            self.emit(kind, heading, "renamed", v, oi["heading"], ni["heading"], o.line, n.line)
        elif moved:
            self.emit(kind, heading, "moved", C.Verdict(C.EDITORIAL, "editorial: section moved"),
                      oi["heading"], ni["heading"], o.line, n.line,
                      red=(("=", ni["heading"]),))
        elif (oi["level"], oi["style"], oi["heading_raw"], oi["tag"]) != \
                (ni["level"], ni["style"], ni["heading_raw"], ni["tag"]):
            what = []
            if oi["level"] != ni["level"]:
                what.append(f"level {oi['level']} → {ni['level']}")
            if oi["style"] != ni["style"]:
                what.append(f"{oi['style']} → {ni['style']}")
            if oi["heading_raw"] != ni["heading_raw"] and oi["heading"] != ni["heading"]:
                what.append("wording format")
            elif oi["heading_raw"] != ni["heading_raw"]:
                what.append("markup")
            if oi["tag"] != ni["tag"]:
                what.append(f"tag {oi['tag'] or '—'} → {ni['tag'] or '—'}")
            self.emit(kind, heading, "modified",
                      C.Verdict(C.EDITORIAL, "editorial: heading " + ", ".join(what or ["formatting"])),
                      oi["heading"], ni["heading"], o.line, n.line)
        if o.digest == n.digest or (o.body_key == n.body_key
                                     and [u.raw for u in o.units] == [u.raw for u in n.units]):
            return
        self.units(o, n, kind, heading)

    def units(self, o: _Sec, n: _Sec, kind: str | None, heading: str) -> None:
        start = len(self.changes)
        ou, nu = o.units, n.units
        pairs = _match_units(ou, nu)
        in_order = _lis([j for _, j in pairs])
        ctx = self.ctx(kind, heading)
        section_new = None
        if kind in C.RIGHTS_KINDS:
            section_new = n.full()
        mo = {i for i, _ in pairs}
        mn = {j for _, j in pairs}
        for k, (i, j) in enumerate(pairs):
            a, b = ou[i], nu[j]
            moved = k not in in_order
            if a.raw == b.raw and not moved:
                continue
            if a.norm == b.norm and moved and a.text == b.text:
                self.emit(kind, heading, "moved", C.Verdict(C.EDITORIAL, "editorial: moved within the section"),
                          a.text, b.text, a.line + o.offset, b.line + n.offset,
                          red=(("=", b.text),))
                continue
            v = C.modified(a.text, b.text, ctx, label=b.label or a.label,
                           old_durations=a.durations, new_durations=b.durations,
                           old_facts=a.facts, new_facts=b.facts, section_new=section_new,
                           old_raw=a.raw, new_raw=b.raw)
            self.emit(kind, heading, "moved" if moved and v.classification == C.EDITORIAL else "modified",
                      v, a.text, b.text, a.line + o.offset, b.line + n.offset)
        for i, a in enumerate(ou):
            if i not in mo:
                v = C.removed(a.text, ctx, label=a.label, facts=a.facts, section_new=section_new)
                self.emit(kind, heading, "removed", v, a.text, None, a.line + o.offset, None)
        for j, b in enumerate(nu):
            if j not in mn:
                v = C.added(b.text, ctx, label=b.label, facts=b.facts)
                self.emit(kind, heading, "added", v, None, b.text, None, b.line + n.offset)
        self._section_facts(start, kind, o, n)

    def _section_facts(self, start: int, kind: str | None, o: _Sec, n: _Sec) -> None:
        """Say what a rewritten legal-basis or controller section now names, when no single
        paragraph pair showed it (the text was replaced rather than edited)."""
        if kind not in ("legal-basis", "controller") or kind not in self.kinds:
            return
        mine = self.changes[start:]
        if not mine or any("→" in c.reason and c.reason.startswith(kind) for c in mine):
            return
        ot, nt = o.full(), n.full()
        if kind == "legal-basis":
            ob, nb = sorted(C.bases_in(ot)), sorted(C.bases_in(nt))
            typ = "legal-basis-changed"
        else:
            ob, nb = C.orgs_in(ot), C.orgs_in(nt)
            if not ob or not nb:
                return
            typ = "controller-changed"
        if {C.norm(x) for x in ob} == {C.norm(x) for x in nb}:
            return
        target = next((k for k, c in enumerate(mine) if c.classification != C.EDITORIAL), 0)
        c = mine[target]
        ev = Evidence(typ, n.heading or o.heading, ", ".join(ob) or None, ", ".join(nb) or None)
        reason = f"{kind}: {', '.join(ob) or '—'} → {', '.join(nb) or '—'}; {c.reason}"
        self.changes[start + target] = Change(c.kind, c.section, c.change, C.MATERIAL, reason,
                                              c.old, c.new, _lazy_red(c), (ev, *c.evidence),
                                              c.old_line, c.new_line)

    def run(self, old: _View, new: _View) -> None:
        self.old_view = old
        if old.preamble is None or new.preamble is None or old.preamble.digest != new.preamble.digest:
            self.front(old.front(), new.front())
            if old.preamble and new.preamble:
                self.units(old.preamble, new.preamble, None, "(preamble)")
        O, N = old.sections, new.sections
        p, s = _trim(O, N)          # the same leading and trailing sections: nothing to do
        pairs = _match_sections(O, N, p, s, self.ratios)
        in_order = _lis([j for _, j in pairs])
        for k, (i, j) in enumerate(pairs):
            o, n = O[i], N[j]
            moved = k not in in_order
            if o.digest == n.digest and not moved:
                continue
            self.section_pair(o, n, moved)
        mo = {i for i, _ in pairs}
        mn = {j for _, j in pairs}
        new_kinds: set | None = None
        for i in range(p, len(O) - s):
            o = O[i]
            if i in mo:
                continue
            kind_left = True    # only asked of a mandatory kind (every heading classified)
            if o.kind and o.kind in self.required:
                if new_kinds is None:
                    new_kinds = {x.kind for x in N}
                kind_left = o.kind in new_kinds
            ctx = self.ctx(o.kind, o.heading)
            v = C.section_removed(o.heading, o.text(), ctx, kind_left=kind_left,
                                  required=self.required)
            body = o.text()
            self.emit(o.kind, o.heading, "removed", v, (o.heading + "\n" + body).strip(), None,
                      o.line, None)
        for j in range(p, len(N) - s):
            n = N[j]
            if j in mn:
                continue
            ctx = self.ctx(n.kind, n.heading)
            body = n.text()
            v = C.section_added(n.heading, body, ctx)
            self.emit(n.kind, n.heading, "added", v, None, (n.heading + "\n" + body).strip(),
                      None, n.line)

    def result(self, old_doc, new_doc) -> DocDiff:
        changes = tuple(sorted(self.changes, key=lambda c: (
            c.new_line if c.new_line is not None else (c.old_line or 0), c.old_line or 0)))
        return DocDiff(old_doc, new_doc, C.worst(c.classification for c in changes), changes)


def _whole(doc_title: str | None, added: bool, line_count: int) -> Change:
    name = doc_title or "policy"
    ev = Evidence("section-added" if added else "section-removed", name,
                  None if added else name, name if added else None)
    reason = f"new policy '{name}'" if added else f"policy '{name}' deleted"
    return Change(None, name, "added" if added else "removed", C.MATERIAL, reason,
                  None if added else name, name if added else None,
                  (("+" if added else "-", name),), (ev,), None if added else 1, 1 if added else None)


def diff_documents(old: Document | None, new: Document | None, config=None) -> DocDiff:
    """Every change between two parsed versions, classified; ``None`` means absent."""
    if old is None and new is None:
        return DocDiff(None, None, C.EDITORIAL, ())
    if old is None or new is None:
        doc = new or old
        ch = _whole(doc.title, new is not None, doc.line_count)
        return DocDiff(old, new, C.MATERIAL, (ch,))
    eng = _Engine(config)
    eng.run(_view_of_document(old), _view_of_document(new))
    return eng.result(old, new)


def diff_texts(old: str | None, new: str | None, config=None, *,
               cache: DiffCache | None = None, old_key=None, new_key=None) -> DocDiff:
    """Like :func:`diff_documents` on source text, parsing only the sections that changed.

    The result carries no :class:`Document` (``old``/``new`` are None even when the text
    exists: not parsing whole versions is the point); callers wanting one parse it.
    ``cache`` with ``old_key``/``new_key`` (e.g. blob ids) lets a history walk split each
    blob and parse each distinct section once.
    """
    if old is None and new is None:
        return DocDiff(None, None, C.EDITORIAL, ())
    cache = cache or DiffCache()

    def view(text: str, key, base: _View | None = None) -> _View:
        v = cache.views.get(key) if key is not None else None
        if v is None:
            v = _view_of_text(text, cache, base)
            if key is not None:
                cache.views[key] = v
        return v
    if old is None or new is None:
        v = view(new if new is not None else old, new_key if new is not None else old_key)
        return DocDiff(None, None, C.MATERIAL, (_whole(v.title(), new is not None, 0),))
    if old == new:
        return DocDiff(None, None, C.EDITORIAL, ())
    # One side is split from scratch (or was, earlier in a walk); the other is derived.
    if new_key is not None and new_key in cache.views:
        nv = view(new, new_key)
        ov = view(old, old_key, nv)
    else:
        ov = view(old, old_key)
        nv = view(new, new_key, ov)
    eng = _Engine(config, cache)
    eng.run(ov, nv)
    return eng.result(None, None)


def with_override(d: DocDiff, value: str, by: str | None) -> DocDiff:
    """Apply a `Policy-Change:` trailer: the committer's word beats the heuristics."""
    note = f" (overridden to {value} by {by})" if by else f" (overridden to {value})"
    changes = tuple(Change(c.kind, c.section, c.change, value,
                           c.reason + (note if c.classification != value else ""),
                           c.old, c.new, _lazy_red(c), c.evidence, c.old_line, c.new_line)
                    for c in d.changes)
    return DocDiff(d.old, d.new, value, changes, value, by)


# ------------------------------------------------------------------ files and output

@dataclass(frozen=True)
class FileDiff:
    """One file's semantic diff between two sides (revisions, index, working tree or files)."""
    path: str
    old_path: str | None
    from_: str          # "HEAD", "v1.0", "index", "working tree" or a file path
    to: str
    status: str         # added | removed | modified | renamed
    diff: DocDiff


def diff_files(old: str, new: str, config=None) -> FileDiff:
    """`policylint diff --files OLD NEW`: two files on disk, no git involved."""
    from pathlib import Path

    from .errors import PolicylintError
    from .parser import read_policy
    for p in (old, new):
        if not Path(p).is_file():
            raise PolicylintError(f"no such file: {p}", "give two policy files: --files OLD NEW")
    d = diff_documents(read_policy(old), read_policy(new), config)
    return FileDiff(new, old, old, new, "modified", d)


_STYLE = {"material": {"fg": "red", "bold": True}, "minor": {"fg": "yellow"},
          "editorial": {"fg": "green"}}


def _style(text: str, cls: str, color: bool) -> str:
    if not color:
        return text
    import click
    return click.style(text, **_STYLE.get(cls, {}))


def redline_text(red: tuple[tuple[str, str], ...], color: bool = False, context: int = 8) -> str:
    """`[-old-]{+new+}` (or red/green on a terminal); long unchanged runs are elided."""
    out = []
    if len(red) == 1 and red[0][0] == "=":      # moved, or an edit invisible in plain text
        words = red[0][1].split(" ")
        return " ".join(words[:2 * context]) + (" …" if len(words) > 2 * context else "")
    for i, (op, text) in enumerate(red):
        if op == "=":
            words = text.split(" ")
            first, last = i == 0, i == len(red) - 1
            if len(words) > 2 * context + 1 and len(red) > 1:
                if first:
                    text = "… " + " ".join(words[-context:])
                elif last:
                    text = " ".join(words[:context]) + " …"
                else:
                    text = " ".join(words[:context]) + " … " + " ".join(words[-context:])
            out.append(text)
        elif color:
            import click
            out.append(click.style(text, fg="red", strikethrough=True) if op == "-"
                       else click.style(text, fg="green", underline=True))
        else:
            out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return " ".join(out)


def _change_line(c: Change, color: bool) -> str:
    where = f"{c.kind} › {c.section}" if c.kind else c.section
    tag = _style(f"[{c.classification}]", c.classification, color)
    return f"  {tag} {where}: {c.change} — {c.reason}"


def render_text(files, color: bool = False) -> str:
    """The text report: per file the classification first, then each change and its redline."""
    out: list[str] = []
    if not files:
        return "no policy changes\n"
    for f in files:
        d = f.diff
        head = _style(d.classification, d.classification, color)
        name = f.path if not f.old_path or f.old_path == f.path or f.from_ == f.old_path \
            else f"{f.old_path} → {f.path}"
        line = f"{head}: {name} ({f.from_} → {f.to})"
        if d.override:
            line += f" — classification set to {d.override} by {d.override_by or 'commit trailer'}"
        out.append(line)
        if not d.changes:
            out.append("  no changes in content")
        for c in d.changes:
            out.append(_change_line(c, color))
            red = redline_text(c.redline, color)
            if red:
                out.append("      " + red)
        out.append("")
    return "\n".join(out)


def evidence_json(e: Evidence) -> dict:
    return {"type": e.type, "label": e.label, "old": e.old, "new": e.new,
            "old_days": e.old_days, "new_days": e.new_days}


def change_json(c: Change) -> dict:
    return {"kind": c.kind, "section": c.section, "change": c.change,
            "classification": c.classification, "reason": c.reason, "old": c.old, "new": c.new,
            "old_line": c.old_line, "new_line": c.new_line,
            "redline": [list(p) for p in c.redline],
            "evidence": [evidence_json(e) for e in c.evidence]}


def override_json(d: DocDiff) -> dict | None:
    return {"classification": d.override, "by": d.override_by} if d.override else None


def to_json(files) -> dict:
    """`policylint diff --format json`, as described by schemas/diff.json."""
    return {"files": [{"path": f.path, "old_path": f.old_path, "from": f.from_, "to": f.to,
                       "status": f.status, "classification": f.diff.classification,
                       "override": override_json(f.diff),
                       "changes": [change_json(c) for c in f.diff.changes]} for f in files]}
