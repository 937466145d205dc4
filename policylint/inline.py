"""Inline Markdown: plain text for comparing and searching, clause labels, facts.

Deliberately small: policies use emphasis, links and the odd escape. Everything
else passes through as text, which is what a reader sees anyway.
"""
from __future__ import annotations

import re

from .ast import NO_FACTS, Clause, Facts, Span

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()\[\]]*\)")
# Link text: no brackets, or one level of balanced ones; keeps a run of "[" linear.
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[^()\[\]\s<>]|\([^()\[\]\s<>]*\))*)>?"
                   r"(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
# Strong spans are capped at 1000 characters so that unclosed markers stay linear.
_STRONG_STAR = re.compile(r"\*\*(?=\S)([\s\S]{1,1000}?)(?<=\S)\*\*")
_STRONG_UNDER = re.compile(r"__(?=\S)([\s\S]{1,1000}?)(?<=\S)__")
# Emphasis cannot contain its own delimiter here, which keeps the scan short.
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]*?[^\s*])?\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w*_])_(?=[^\s_])([^_]*?[^\s_])?_(?![\w*_])")
# A code span opens and closes with equal, maximal backtick runs (CommonMark).
_CODE = re.compile(r"(?<!`)(`+)(?!`)([\s\S]+?)(?<!`)\1(?!`)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HARD_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\\\n")    # an odd run of '\' ends the line
# tags that end a line or a box when rendered: 'Services<br>For' reads as two words
_BREAK_TAG = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6])\b[^<>]*>", re.I)

_BOLD_LABEL = re.compile(r"(\*\*|__)(?P<label>[^*_\n]{1,80}?)(?:[ \t\u00a0]?:\1|\1[ \t\u00a0]*:)[ \t\u00a0]*(?P<body>[\s\S]*)")
_PLAIN_LABEL = re.compile(r"(?P<label>[^:\n]{1,60}?)[ \t\u00a0]?:[ \t\u00a0]+(?P<body>\S[\s\S]*)")
_LABEL_BAD = re.compile(r"[.!?;()\[\]<>`*_|]|https?$|^\d+$|^\W")


_RESTORE = re.compile(r"\x00(\d{1,7})\x01")
_PROTECT = {ord(c): f"\x00{ord(c)}\x01" for c in "\\*_[]<>&!`"}


def _code_span(m: re.Match) -> str:
    return m.group(2).strip().translate(_PROTECT)


def soft_breaks(raw: str) -> str:
    """Inline source with its backslash hard line breaks written as plain line ends."""
    return _HARD_BREAK.sub(r"\1\n", raw) if "\\\n" in raw else raw


def with_hard_break(line: str) -> str:
    """``line`` ending in a backslash hard break; unchanged if it ends in one already
    (an odd run of backslashes; an even run is escaped backslashes, the break follows)."""
    odd = (len(line) - len(line.rstrip("\\"))) % 2
    return line if odd else line + "\\"


def _group1(m: re.Match) -> str:
    return m.group(1) or ""


def plain(raw: str) -> str:
    """Markdown inline source to the text a reader sees, whitespace collapsed."""
    return _plain(raw)[0]


def _plain(raw: str) -> tuple[str, list[str]]:
    urls: list[str] = []
    s = raw.replace("\x00", "\ufffd") if "\x00" in raw else raw   # \x00 marks protected chars
    if "`" in s:                        # code spans first: nothing inside them is markup
        if "\\`" in s:
            s = s.replace("\\`", "\x0096\x01")
        s = _CODE.sub(_code_span, s)
    if "\\" in s:
        s = soft_breaks(s)              # a backslash hard line break is a line break
        s = _ESCAPE.sub(lambda m: "\x00" + str(ord(m.group(1))) + "\x01", s)
    if "[" in s:
        if "![" in s:
            s = _IMAGE.sub(r"\1", s)

        def link(m: re.Match) -> str:
            if m.group(2):
                urls.append(m.group(2))
            return m.group(1)
        s = _LINK.sub(link, s)
        s = _REF_LINK.sub(r"\1", s)
    if "<" in s:
        def auto(m: re.Match) -> str:
            target = m.group(1)
            urls.append(target)
            return target[7:] if target.startswith("mailto:") else target
        s = _AUTOLINK.sub(auto, s)
        s = _TAG.sub("", _BREAK_TAG.sub(" ", s))
    if "*" in s:
        for _ in range(3):                  # `****x****` is strong inside strong
            if "**" not in s or (t := _STRONG_STAR.sub(_group1, s)) == s:
                break
            s = t
        s = _EM_STAR.sub(_group1, s)
    if "_" in s:
        if "__" in s:
            s = _STRONG_UNDER.sub(_group1, s)
        s = _EM_UNDER.sub(_group1, s)
    if "&" in s:
        s = _unescape(s)
    if "\x00" in s:                     # protected characters back, after entities
        s = _RESTORE.sub(lambda m: chr(int(m.group(1))), s)
    return " ".join(s.split()), urls


def _unescape(s: str) -> str:
    import html
    return html.unescape(s)


_FIND: dict = {}     # fact kind -> extractor, filled on first use (extract loads the vocabularies)


def _fact(name: str, text: str, links: tuple[str, ...]) -> tuple:
    """One kind of fact of a text; ``links`` (link targets) add addresses the text hides."""
    if not _FIND:
        from . import extract
        _FIND.update(durations=extract.find_durations, phones=extract.find_phones,
                     emails=extract.find_emails, urls=extract.find_urls)
    found = _FIND[name](text)
    if not links or name in ("durations", "phones"):
        return found
    if name == "emails":
        return found + tuple(u[7:] for u in links if u.startswith("mailto:") and u[7:] not in found)
    return found + tuple(u for u in links if u.startswith(("http://", "https://", "www."))
                         and u not in found)


_FIELDS = ("durations", "emails", "urls", "phones")


def _field(name: str) -> property:
    def get(self: "LazyFacts") -> tuple:
        got = self._got
        v = got.get(name)
        if v is None:
            v = got[name] = _fact(name, self._text, self._links)
        return v
    return property(get, doc=f"Facts.{name}, extracted on first use")


class LazyFacts(Facts):
    """Facts extracted on first use, each kind on its own.

    Extraction (durations in eight languages, emails, phones) costs more than the
    rest of parsing, and most readers (fmt, render, `parse --format tree`) never
    look; a reader of one kind (the linter asking for phone numbers) does not pay for
    the others. It behaves as a Facts: equal to a Facts with the same values, hashable,
    and pickles as a plain Facts.
    """

    __slots__ = ("_text", "_links", "_got")

    def __init__(self, text: str, links: tuple[str, ...] = ()) -> None:  # noqa: D107
        object.__setattr__(self, "_text", text)
        object.__setattr__(self, "_links", links)
        object.__setattr__(self, "_got", {})

    def _real(self) -> Facts:
        v = Facts(*(getattr(self, f) for f in _FIELDS))
        return v if v else NO_FACTS

    durations = _field("durations")
    emails = _field("emails")
    urls = _field("urls")
    phones = _field("phones")

    def _key(self) -> tuple:
        v = self._real()
        return (v.durations, v.emails, v.urls, v.phones)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Facts):
            return self._key() == (other.durations, other.emails, other.urls, other.phones)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __bool__(self) -> bool:
        return bool(self._real())

    def __repr__(self) -> str:
        return repr(self._real())

    def __reduce__(self):
        return (Facts, self._key())


def lazy_facts(text: str, links: tuple[str, ...] | list[str] = ()) -> Facts:
    return LazyFacts(text, tuple(links)) if text else NO_FACTS


def text_and_facts(raw: str) -> tuple[str, Facts]:
    """Plain text and (lazily extracted) facts of a piece of inline Markdown."""
    text, link_urls = _plain(raw)
    return text, lazy_facts(text, link_urls)


def clause(raw: str, span: Span) -> Clause | None:
    """`**Label:** body`, `**Label**: body` or `Label: body` at the start of a block."""
    m = _BOLD_LABEL.match(raw)
    if not m:
        if ":" not in raw[:62]:
            return None
        m = _PLAIN_LABEL.match(raw)
        if not m:
            return None
        label = m.group("label").strip()
        if _LABEL_BAD.search(label) or len(label.split()) > 8:   # docs/dialect.md §3
            return None
    label = plain(m.group("label").strip().rstrip(":"))
    if not label or label.count(" ") > 11:
        return None
    body, facts = text_and_facts(m.group("body"))
    if not body:
        return None
    return Clause(label, body, facts, span)
