"""A policy as one standalone, accessible HTML page.

The page makes no request of its own: CSS is inline, images are not rendered and
a Content-Security-Policy forbids scripts and remote loads, so a published policy
cannot track its readers. Policy text is never trusted as HTML: markdown-it runs
with ``html=False`` and front matter values go through ``html.escape``.

Headings are rendered here rather than by markdown-it, from the parser's own
sections, so anchors always match the sections the linter and differ see.
"""
from __future__ import annotations

import html
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date

from . import resources
from .ast import Directive, Document, HtmlBlock, ListBlock, Section

#: Words the page itself adds, per language (policy text is never translated).
LABELS: dict[str, dict[str, str]] = {
    "en": {"toc": "Contents", "effective": "Effective", "updated": "Last updated",
           "version": "Version", "skip": "Skip to the policy text"},
    "sv": {"toc": "Innehåll", "effective": "Gäller från", "updated": "Senast ändrad",
           "version": "Version", "skip": "Hoppa till policyns text"},
    "da": {"toc": "Indhold", "effective": "Gældende fra", "updated": "Senest ændret",
           "version": "Version", "skip": "Spring til politikkens tekst"},
    "nb": {"toc": "Innhold", "effective": "Gjelder fra", "updated": "Sist endret",
           "version": "Versjon", "skip": "Hopp til erklæringens tekst"},
    "fi": {"toc": "Sisällys", "effective": "Voimassa alkaen", "updated": "Päivitetty",
           "version": "Versio", "skip": "Siirry selosteen tekstiin"},
    "de": {"toc": "Inhalt", "effective": "Gültig ab", "updated": "Zuletzt geändert",
           "version": "Version", "skip": "Zum Text der Erklärung springen"},
    "fr": {"toc": "Sommaire", "effective": "En vigueur le", "updated": "Mise à jour",
           "version": "Version", "skip": "Aller au texte de la politique"},
    "nl": {"toc": "Inhoud", "effective": "Geldig vanaf", "updated": "Laatst gewijzigd",
           "version": "Versie", "skip": "Naar de tekst van de verklaring"},
}

_COMMENT_ONLY = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)
_PLACEHOLDER = re.compile(r"\{\{[^{}<>]*\}\}")


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    html: str       # heading text, already escaped/rendered inline


def slug(text: str) -> str:
    """A readable anchor from heading text: `Hur länge sparas uppgifterna?` -> `hur-länge-sparas-uppgifterna`."""
    s = unicodedata.normalize("NFC", text).lower()
    s = re.sub(r"[^\w\s-]", "", s)
    s = re.sub(r"[\s_-]+", "-", s).strip("-")
    return s or "section"


def _markdown():
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")       # an image would be a request to somebody's server
    return md


def _dropped_lines(doc: Document) -> set[int]:
    """Front matter, directives and comment-only HTML blocks: not part of the page (1-based)."""
    drop: set[int] = set()
    if doc.front_matter is not None:
        drop.update(range(doc.front_matter.span.line, doc.front_matter.span.end_line + 1))

    def visit(blocks) -> None:
        for b in blocks:
            if isinstance(b, Directive) or (isinstance(b, HtmlBlock)
                                            and _COMMENT_ONLY.fullmatch(b.raw)):
                drop.update(range(b.span.line, b.span.end_line + 1))
            elif isinstance(b, ListBlock):
                for it in b.items:
                    visit(it.children)

    visit(doc.blocks)
    for s in doc.walk():
        visit(s.blocks)
    return drop


#: Ids the page template uses itself; a heading must not take them.
_RESERVED_IDS = ("policy",)


def _anchors(sections: list[Section]) -> list[str]:
    seen: dict[str, int] = {r: 1 for r in _RESERVED_IDS}
    out = []
    for s in sections:
        base = s.tag or slug(s.heading)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


def _meta_value(doc: Document, key: str) -> str | None:
    if doc.front_matter is None:
        return None
    v = doc.front_matter.get(key)
    if v is None or v == "":
        return None
    return v.isoformat() if isinstance(v, date) else str(v)


def _mark_placeholders(fragment: str) -> str:
    return _PLACEHOLDER.sub(lambda m: f'<mark class="placeholder">{m.group(0)}</mark>', fragment)


def render_html(doc_or_text: Document | str, path: str = "<string>") -> str:
    """The whole page for a parsed policy (or its source text)."""
    if isinstance(doc_or_text, str):
        from .parser import parse
        doc = parse(doc_or_text, path)
    else:
        doc = doc_or_text
    md = _markdown()
    lang = (doc.lang or "und").split("-")[0].lower() if doc.lang else "und"
    labels = LABELS.get(lang, LABELS["en"])
    lines = list(doc.lines)
    drop = _dropped_lines(doc)
    sections = list(doc.walk())
    anchors = _anchors(sections)

    def chunk(first: int, last: int) -> str:
        """Render source lines first..last (1-based, inclusive) as Markdown."""
        keep = [lines[i - 1] if i not in drop else "" for i in range(first, last + 1)]
        src = "\n".join(keep).strip("\n")
        return md.render(src) if src.strip() else ""

    start = doc.front_matter.span.end_line + 1 if doc.front_matter else 1
    title = doc.title or ""
    meta_html = _meta_html(doc, labels)
    toc = [TocEntry(s.level, a, md.renderInline(s.heading_raw) or html.escape(s.heading))
           for s, a in zip(sections, anchors) if s.level > 1]
    toc_html = _toc_html(toc, labels["toc"])

    # Order: title, dates, introduction, table of contents, then the sections.
    parts: list[str] = []
    if not any(s.level == 1 for s in sections):
        parts.append(f"<h1>{html.escape(title or 'Privacy policy')}</h1>\n{meta_html}")
        meta_html = ""
    cursor = start
    for sec, anchor in zip(sections, anchors):
        parts.append(chunk(cursor, sec.span.line - 1))
        if sec.level > 1 and toc_html:
            parts.append(toc_html)
            toc_html = ""
        inner = md.renderInline(sec.heading_raw) or html.escape(sec.heading)
        level = min(max(sec.level, 1), 6)
        parts.append(f'<h{level} id="{html.escape(anchor, quote=True)}">{inner}</h{level}>\n')
        if sec.level == 1 and meta_html:
            parts.append(meta_html)
            meta_html = ""
        cursor = sec.span.end_line + 1
    parts.append(chunk(cursor, len(lines)))
    parts.append(toc_html)

    page = string.Template(resources.path("templates", "render", "page.html").read_text("utf-8"))
    return page.substitute(
        lang=html.escape(lang, quote=True),
        title=html.escape(title or "Privacy policy"),
        skip=html.escape(labels["skip"]),
        content=_mark_placeholders("".join(parts)),
    )


def _meta_html(doc: Document, labels: dict[str, str]) -> str:
    """Effective date, last update and version under the title."""
    meta = []
    for key in ("effective", "updated", "version"):
        value = _meta_value(doc, key)
        if value is None:
            continue
        shown = html.escape(value)
        if key in ("effective", "updated") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            shown = f'<time datetime="{shown}">{shown}</time>'
        meta.append(f"<div><dt>{html.escape(labels[key])}</dt><dd>{shown}</dd></div>")
    return f'<dl class="meta">{"".join(meta)}</dl>\n' if meta else ""


def _toc_html(entries: list[TocEntry], label: str) -> str:
    """Nested list of level-2 and level-3 headings; deeper ones would only add noise.

    Unnumbered: numbers the page invented would clash with numbered headings.
    """
    entries = [e for e in entries if e.level <= 3]
    if not entries:
        return ""
    top = min(e.level for e in entries)
    out = [f'<nav class="toc" aria-label="{html.escape(label, quote=True)}">',
           f"<h2 class=\"toc-title\">{html.escape(label)}</h2>", "<ul>"]
    depth = top
    open_item = False
    for e in entries:
        lvl = max(top, min(e.level, top + 1))
        if lvl > depth:
            out.append("<ul>")
            depth = lvl
            open_item = False
        elif lvl < depth:
            out.append("</li></ul>")
            depth = lvl
        if open_item:
            out.append("</li>")
        # Links inside headings must not become links inside links.
        text = re.sub(r"</?a\b[^>]*>", "", e.html)
        out.append(f'<li><a href="#{html.escape(e.anchor, quote=True)}">{text}</a>')
        open_item = True
    if depth > top:
        out.append("</li></ul>")
    out.append("</li></ul></nav>")
    return "\n".join(out)
