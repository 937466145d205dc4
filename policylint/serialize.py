"""The AST as plain JSON-able data (`policylint parse`, golden files, other tools).

One function per node family, so the JSON shape is written down in one place and
``schemas/ast.json`` can describe it exactly. Dates become ISO strings; facts are
read here, so this is where lazily extracted facts get computed.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from .ast import (
    BlockQuote, Clause, CodeBlock, Directive, Document, Facts, HtmlBlock, ListBlock, ListItem,
    Paragraph, RawBlock, Section, Table, ThematicBreak, block_text,
)

#: Version of the JSON shape; bumped when a consumer would have to change.
AST_FORMAT = 1


def _value(v: object) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    return v


def facts_to_dict(f: Facts) -> dict:
    return {
        "durations": [{"text": d.text, "days": d.days, "criterion": d.criterion}
                      for d in f.durations],
        "emails": list(f.emails),
        "urls": list(f.urls),
        "phones": list(f.phones),
    }


def clause_to_dict(c: Clause | None) -> dict | None:
    if c is None:
        return None
    return {"label": c.label, "body": c.body, **facts_to_dict(c.facts)}


_TYPES = {
    Paragraph: "paragraph", ListBlock: "list", Table: "table", BlockQuote: "quote",
    CodeBlock: "code", HtmlBlock: "html", ThematicBreak: "thematic_break",
    Directive: "directive", RawBlock: "raw",
}


def _item(it: ListItem) -> dict:
    return {
        "marker": it.marker, "line": it.span.line, "end_line": it.span.end_line,
        "text": it.text, "clause": clause_to_dict(it.clause), "facts": facts_to_dict(it.facts),
        "blocks": [block_to_dict(b) for b in it.children],
    }


def block_to_dict(b) -> dict:
    kind = _TYPES.get(type(b), "raw")
    out: dict[str, Any] = {"type": kind, "line": b.span.line, "end_line": b.span.end_line}
    if isinstance(b, (Paragraph, BlockQuote, Table)):
        out["text"] = block_text(b)
    elif isinstance(b, CodeBlock):
        out["text"] = b.code
        out["info"] = b.info
    elif isinstance(b, ListBlock):
        out["text"] = block_text(b)
    else:
        out["text"] = getattr(b, "raw", "")
    out["clause"] = clause_to_dict(getattr(b, "clause", None))
    facts = getattr(b, "facts", None)
    out["facts"] = facts_to_dict(facts) if facts is not None else None
    if isinstance(b, ListBlock):
        out["ordered"] = b.ordered
        out["items"] = [_item(it) for it in b.items]
    elif isinstance(b, Table):
        out["header"] = list(b.header)
        out["rows"] = [list(r) for r in b.rows]
    elif isinstance(b, Directive):
        out["action"] = b.action
        out["rules"] = list(b.rules)
    elif isinstance(b, RawBlock):
        out["reason"] = b.reason
    return out


def section_to_dict(s: Section) -> dict:
    return {
        "heading": s.heading, "level": s.level, "kind": s.kind, "kind_source": s.kind_source,
        "tag": s.tag, "line": s.span.line, "end_line": s.end_line,
        "blocks": [block_to_dict(b) for b in s.blocks],
        "sections": [section_to_dict(x) for x in s.sections],
    }


def diagnostic_to_dict(d) -> dict:
    return {
        "rule": d.rule, "name": d.name, "severity": d.severity, "message": d.message,
        "line": d.line, "column": d.column, "end_line": d.end_line,
        "end_column": d.end_column, "fix": d.fix,
    }


def document_to_dict(doc: Document) -> dict:
    """The whole document; validates against ``schemas/ast.json``."""
    fm = None
    if doc.front_matter is not None:
        fm = {e.key: _value(e.value) for e in doc.front_matter.entries}
    return {
        "path": doc.path,
        "lang": doc.lang,
        "lang_source": doc.lang_source,
        "front_matter": fm,
        "sections": [section_to_dict(s) for s in doc.sections],
        "blocks": [block_to_dict(b) for b in doc.blocks],
        "diagnostics": [diagnostic_to_dict(d) for d in doc.diagnostics],
    }


def tree_lines(doc: Document) -> list[str]:
    """An indented outline for people (`policylint parse --format tree`)."""
    out = [f"document {doc.path} lang={doc.lang or '?'}"
           + (f" ({doc.lang_source})" if doc.lang_source else "")]
    if doc.front_matter is not None:
        out.append("  front matter: " + ", ".join(
            f"{e.key}={_value(e.value)!r}" for e in doc.front_matter.entries))

    def short(text: str, width: int = 60) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[:width - 1] + "…"

    def blocks(bs, depth: int) -> None:
        pad = "  " * depth
        for b in bs:
            # No block_to_dict here: it would extract facts the outline never shows.
            line, end = b.span.line, b.span.end_line
            d = {"type": _TYPES.get(type(b), "raw"),
                 "text": block_text(b) if not isinstance(b, (HtmlBlock, Directive, ThematicBreak))
                 else b.raw}
            where = f"{line}-{end}" if end != line else str(line)
            label = f" [{b.clause.label}]" if getattr(b, "clause", None) else ""
            if isinstance(b, ListBlock):
                out.append(f"{pad}list{' ordered' if b.ordered else ''} {where}")
                for it in b.items:
                    lab = f" [{it.clause.label}]" if it.clause else ""
                    out.append(f"{pad}  {it.marker} {it.span.line}{lab} {short(it.text)}")
                    blocks(it.children, depth + 2)
            else:
                out.append(f"{pad}{d['type']} {where}{label} {short(d['text'])}".rstrip())

    blocks(doc.blocks, 1)

    def sections(ss, depth: int) -> None:
        for s in ss:
            pad = "  " * depth
            kind = f" <{s.kind}:{s.kind_source}>" if s.kind else ""
            tag = f" {{#{s.tag}}}" if s.tag else ""
            out.append(f"{pad}{'#' * s.level} {s.heading}{tag}{kind} {s.span.line}-{s.end_line}")
            blocks(s.blocks, depth + 1)
            sections(s.sections, depth + 1)

    sections(doc.sections, 1)
    return out


def _printable(text: str) -> str:
    """Control and format characters (terminal escapes, bidi overrides) shown as U+FFFD,
    one for one, so a caret under a column still lines up."""
    if text.isprintable():
        return text
    import unicodedata
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else "\ufffd"
                   for ch in text)


def diagnostic_text(d, lines) -> str:
    """`path:line:col: CODE message`, the source line and a caret under the column."""
    out = [_printable(f"{d.path}:{d.line}:{d.column}: {d.rule} {d.message}")]
    if lines and 1 <= d.line <= len(lines):
        src = _printable(lines[d.line - 1].replace("\t", " "))
        col = max(1, min(d.column, len(src) + 1))
        end = d.end_column if d.end_line in (None, d.line) and d.end_column else col + 1
        width = max(1, min(end, len(src) + 1) - col)
        out.append(f"    {src}")
        out.append("    " + " " * (col - 1) + "^" * width)
    if d.fix:
        out.append(_printable(f"    help: {d.fix}"))
    return "\n".join(out)
