"""Inline Markdown: plain text for comparing and searching, clause labels, facts.

Deliberately small: policies use emphasis, links and the odd escape. Everything
else passes through as text, which is what a reader sees anyway.
"""
from __future__ import annotations

import re

from .ast import Clause, Facts, Span

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+|[^>\s@]+@[^>\s@]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"(`+)(.+?)\1")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")

_BOLD_LABEL = re.compile(r"(\*\*|__)(?P<label>[^*_\n]{1,80}?)(?:[ \t\u00a0]?:\1|\1[ \t\u00a0]*:)[ \t\u00a0]*(?P<body>[\s\S]*)")
_PLAIN_LABEL = re.compile(r"(?P<label>[^:\n]{1,80}?)[ \t\u00a0]?:[ \t\u00a0]+(?P<body>\S[\s\S]*)")
_LABEL_BAD = re.compile(r"[.!?;()\[\]<>`*_|]|https?$|^\d+$|^\W")


def plain(raw: str) -> str:
    """Markdown inline source to the text a reader sees, whitespace collapsed."""
    return _plain(raw)[0]


def _plain(raw: str) -> tuple[str, list[str]]:
    urls: list[str] = []
    s = raw
    if "\\" in s:
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
        s = _TAG.sub("", s)
    if "`" in s:
        s = _CODE.sub(lambda m: m.group(2).strip(), s)
    if "*" in s or "_" in s:
        s = _STRONG.sub(r"\2", s)
        s = _EM.sub(r"\2", s)
    if "\x00" in s:
        s = re.sub(r"\x00(\d+)\x01", lambda m: chr(int(m.group(1))), s)
    if "&" in s:
        import html
        s = html.unescape(s)
    return _SPACE.sub(" ", s).strip(), urls


def text_and_facts(raw: str) -> tuple[str, Facts]:
    from .extract import extract_facts
    text, link_urls = _plain(raw)
    facts = extract_facts(text)
    if link_urls:
        extra = [u for u in link_urls if u.startswith(("http://", "https://", "www."))
                 and u not in facts.urls]
        mails = [u[7:] for u in link_urls if u.startswith("mailto:") and u[7:] not in facts.emails]
        if extra or mails:
            facts = Facts(facts.durations, facts.emails + tuple(mails),
                          facts.urls + tuple(extra), facts.phones)
    return text, facts


def clause(raw: str, span: Span) -> Clause | None:
    """`**Label:** body`, `**Label**: body` or `Label: body` at the start of a block."""
    m = _BOLD_LABEL.match(raw)
    if not m:
        if ":" not in raw[:82]:
            return None
        m = _PLAIN_LABEL.match(raw)
        if not m:
            return None
        label = m.group("label").strip()
        if _LABEL_BAD.search(label) or label.count(" ") > 9:
            return None
    label = plain(m.group("label").strip().rstrip(":"))
    if not label or label.count(" ") > 11:
        return None
    body, facts = text_and_facts(m.group("body"))
    if not body:
        return None
    return Clause(label, body, facts, span)
