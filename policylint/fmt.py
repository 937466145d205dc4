"""`policylint fmt`: one canonical spelling of the dialect, never a changed document.

Canonical form: front matter keys in schema order (unknown keys last, comments kept
with the key below them), ATX headings, `-` bullets, ordered lists numbered on from
their first number, nested blocks at their parent's content column, one blank line
between blocks, no trailing whitespace, one final newline, LF line ends. Tables get
`| a | b |` rows with every cell's text kept exactly; code, HTML, raw blocks and
directives are copied verbatim.

Safety: the output is parsed again and its :func:`structure` must equal the
input's, and formatting the output again must change nothing. Otherwise the file
is left alone and the first difference is reported: a formatter bug costs a
warning, never a policy's wording.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .ast import (
    BlockQuote, CodeBlock, Directive, Document, HtmlBlock, ListBlock, ListItem, Paragraph,
    RawBlock, Section, Table, ThematicBreak,
)
from .inline import soft_breaks, with_hard_break
from .parser import (
    _ATX, _FM_KEY, _HRULE, _SETEXT_DASH, _SETEXT_EQ, _cells, _indent, logical_lines, parse,
)

_MAX_NUMBER = 999_999_999          # CommonMark: at most nine digits


@dataclass(frozen=True)
class FormatResult:
    """What formatting one file gives. ``formatted`` is None when it was refused."""
    path: str
    original: str
    formatted: str | None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


# ------------------------------------------------------------------- rendering

def _front_matter(doc: Document) -> list[str]:
    from .frontmatter import schema_keys

    fm = doc.front_matter
    if fm is None:
        return []
    lines = doc.lines
    closed = fm.span.end_line > 1 and lines[fm.span.end_line - 1].rstrip(" \t") in ("---", "...")
    body = lines[1:fm.span.end_line - 1] if closed else lines[1:fm.span.end_line]
    order = {k: i for i, k in enumerate(schema_keys())}
    groups: list[tuple[int, list[str]]] = []
    pending: list[str] = []
    for line in body:
        s = line.rstrip(" \t")
        if not s.strip(" \t"):
            continue
        m = _FM_KEY.match(s) if s[0] not in " \t#" else None
        if m:
            value = m.group(2)
            pending.append(f"{m.group(1)}: {value}" if value else f"{m.group(1)}:")
            groups.append((order.get(m.group(1), len(order)), pending))
            pending = []
        else:
            pending.append(s)           # comments and stray lines travel with the next key
    groups.sort(key=lambda g: g[0])
    out = ["---"]
    for _, g in groups:
        out.extend(g)
    out.extend(pending)
    if closed:
        out.append("---")
    return out


def _heading(s: Section, lines: tuple[str, ...]) -> str:
    if s.style == "atx":
        m = _ATX.match(lines[s.span.line - 1].lstrip(" \t"))
        content = (m.group(2) or "") if m else s.heading_raw
    else:
        content = s.heading_raw + (f" {{#{s.tag}}}" if s.tag else "")
    line = "#" * s.level + (" " + content if content else "")
    m = _ATX.match(line)
    if (m.group(2) or "") != content:
        line += " #"                   # a closing sequence, so a trailing '#' stays text
    return line


def _text_lines(lines: list[str], pad: str) -> list[str]:
    """Text inside a list item, at the content column ``pad``. A line the parser would
    read there as a heading (or, within a paragraph, as an underline) sat deeper in
    the source, else it would have become a heading; it goes four columns deeper."""
    out = []
    first = True
    for x in lines:
        if not x:
            out.append("")
            first = True
            continue
        c = x[0]
        deep = (c == "#" and _ATX.match(x)) or (not first and c in "=-" and (
            _SETEXT_EQ if c == "=" else _SETEXT_DASH).match(x))
        out.append(pad + "    " + x if deep else pad + x)
        first = False
    return out


def _src(block, lines: tuple[str, ...]) -> list[str]:
    return list(lines[block.span.line - 1:block.span.end_line])


def _table(t: Table, lines: tuple[str, ...]) -> list[str]:
    src = _src(t, lines)
    out = ["| " + " | ".join(_cells(src[0])) + " |"]
    delim = []
    for c in _cells(src[1]):
        left, right = c.startswith(":"), c.endswith(":") and len(c) > 1
        delim.append({(False, False): "---", (True, False): ":--", (False, True): "--:",
                      (True, True): ":-:"}[(left, right)])
    out.append("| " + " | ".join(delim) + " |")
    out.extend("| " + " | ".join(_cells(r)) + " |" for r in src[2:])
    return out


def _hard_breaks(src: list[str]) -> list[str]:
    """Two trailing spaces are an invisible hard line break (an address's lines); they
    become the visible backslash, so stripping trailing spaces keeps the break."""
    return [with_hard_break(x.rstrip(" ")) if x.endswith("  ") and x.strip() else x
            for x in src[:-1]] + src[-1:]


def _item_breaks(it: ListItem, lines: tuple[str, ...]) -> list[str]:
    """An item's text lines with their hard breaks: its raw text has lost its trailing
    spaces, so they are read from the source line each text line came from."""
    text = it.raw.split("\n")
    first = it.span.line - 1
    for i, t in enumerate(text[:-1]):
        src = lines[first + i] if first + i < len(lines) else ""
        if src.endswith("  ") and t.strip() and src.rstrip(" ").endswith(t.rstrip(" ")):
            text[i] = with_hard_break(t.rstrip(" "))
    return text


def _paragraph(p: Paragraph, lines: tuple[str, ...], nested: bool) -> list[str]:
    if nested:
        return _hard_breaks(p.raw.split("\n"))
    src = _hard_breaks(_src(p, lines))
    # Continuation lines keep their indentation: a de-indented `    # x` would be a heading.
    return [src[0].strip(" \t")] + [x.rstrip(" \t") for x in src[1:]]


def _block(b, lines: tuple[str, ...], nested: bool = False, after_list: bool = False) -> list[str]:
    """Lines of one block, relative to its container's content column."""
    if isinstance(b, Paragraph):
        return _paragraph(b, lines, nested)
    if isinstance(b, ListBlock):
        return _list(b, lines)
    if isinstance(b, Table):
        return _table(b, lines)
    if isinstance(b, BlockQuote):
        # Quote markers to column 0, so the quote cannot fall into a list above it.
        return [x.strip(" \t") if x.lstrip(" \t")[:1] == ">" else x.rstrip(" \t")
                for x in _src(b, lines)]
    if isinstance(b, CodeBlock):
        if nested or _indent(lines[b.span.line - 1]) < 4:     # a fence
            return _nested_code(b, lines)
        return _fenced(b) if nested or after_list else _src(b, lines)
    if isinstance(b, Directive):
        return [b.raw]
    if isinstance(b, ThematicBreak):
        return [b.raw]
    if isinstance(b, HtmlBlock):
        first, *rest = b.raw.split("\n")
        return [first.lstrip(" \t"), *rest]
    if isinstance(b, RawBlock):
        return b.raw.split("\n")
    return _src(b, lines)


def _fenced(b: CodeBlock) -> list[str]:
    """Indented code as a fenced block (after a list, indentation would join the list)."""
    longest = max((len(x) - len(x.lstrip("`")) for x in b.code.split("\n")), default=0)
    mark = "`" * max(3, longest + 1)
    return [mark, *b.code.split("\n"), mark]


def _nested_code(b: CodeBlock, lines: tuple[str, ...]) -> list[str]:
    """A fence inside a list item: fences at the content column, code re-indented to it."""
    src = _src(b, lines)
    opener = src[0].strip(" \t")
    mark = opener[:len(opener) - len(opener.lstrip(opener[0]))]
    out = [opener]
    out.extend(b.code.split("\n") if b.code or len(src) > 2 else [])
    closed = len(src) >= 2 and src[-1].strip(" \t").startswith(mark) \
        and not src[-1].strip(" \t").strip(mark[0])
    if closed:
        out.append(src[-1].strip(" \t"))
    return out


def _loose(lst: ListBlock) -> bool:
    """Did the source put blank lines between the items?"""
    for a, b in zip(lst.items, lst.items[1:]):
        end = a.span.end_line
        for c in a.children:
            end = max(end, c.span.end_line)
        if b.span.line > end + 1:
            return True
    return False


def _markers(lst: ListBlock) -> list[str]:
    if not lst.ordered:
        return ["-"] * len(lst.items)
    first = lst.items[0].marker
    start, delim = int(first[:-1]), first[-1]
    if start + len(lst.items) - 1 > _MAX_NUMBER:
        return [it.marker for it in lst.items]
    return [f"{start + k}{delim}" for k in range(len(lst.items))]


def _item(it: ListItem, marker: str, lines: tuple[str, ...]) -> list[str]:
    text = _item_breaks(it, lines) if it.raw else [""]
    first = f"{marker} {text[0]}" if text[0] else marker
    if marker == "-" and _HRULE.match(first):
        marker = "*"                           # `* - -` must not become the rule `- - -`
        first = f"{marker} {text[0]}"
    pad = " " * (len(marker) + 1)
    out = [first]
    tail = _text_lines(text, pad)[1:]
    if text[0] == "" and tail and tail[0]:
        tail = _text_lines([""] + text[1:], pad)[1:]   # the item line was empty
    out.extend(tail)
    for k, child in enumerate(it.children):
        if not (k == 0 and isinstance(child, ListBlock) and it.raw):
            out.append("")
        if isinstance(child, Paragraph):
            out.extend(_text_lines(_hard_breaks(child.raw.split("\n")), pad))
        else:
            out.extend(pad + x if x else "" for x in _block(child, lines, nested=True))
    return out


def _list(lst: ListBlock, lines: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    loose = _loose(lst)
    for k, (it, marker) in enumerate(zip(lst.items, _markers(lst))):
        if k and loose:
            out.append("")
        out.extend(_item(it, marker, lines))
    return out


def render(doc: Document) -> str:
    """The canonical text of a parsed document (not yet checked: see format_source)."""
    chunks: list[list[str]] = []
    fm = _front_matter(doc)
    if fm:
        chunks.append(fm)
    lines = tuple(logical_lines(list(doc.lines)))

    def blocks(bs) -> None:
        prev = None
        for b in bs:
            chunks.append(_block(b, lines, after_list=isinstance(prev, ListBlock)))
            prev = b

    blocks(doc.blocks)

    def section(s: Section) -> None:
        chunks.append([_heading(s, lines)])
        blocks(s.blocks)
        for sub in s.sections:
            section(sub)

    for s in doc.sections:
        section(s)
    out: list[str] = []
    glue = False
    for chunk in chunks:
        if out and not glue:
            out.append("")
        out.extend(chunk)
        # `disable-next-line` stays on the line above the text it covers.
        glue = len(chunk) == 1 and chunk[0].startswith("<!--") and "disable-next-line" in chunk[0]
    if doc.front_matter is None and out and out[0] == "---":
        out[0] = "***"                 # a leading '---' would open front matter
    if fm and fm[-1] != "---":
        # Unclosed front matter stays unclosed: no later line may read as its end.
        for k in range(len(fm), len(out)):
            if out[k] in ("---", "..."):
                out[k] = "***" if out[k] == "---" else " ..."
    text = "\n".join(out)
    if text.startswith("\ufeff"):
        text = "\ufeff" + text        # the parser drops one leading BOM; keep the text's own
    return text + "\n" if text else ""


# ------------------------------------------------------------------- structure

def _struct_block(b, pad: str, out: list[str]) -> None:
    if isinstance(b, Paragraph):
        # The parser keeps no trailing spaces, so a two-space break and the backslash
        # `fmt` writes for it compare as one.
        out.append(f"{pad}paragraph {soft_breaks(b.raw)!r}")
    elif isinstance(b, ListBlock):
        start = f" from {int(b.items[0].marker[:-1])}" if b.ordered else ""
        out.append(f"{pad}list{' ordered' if b.ordered else ''}{start}")
        for it in b.items:
            out.append(f"{pad}  item {soft_breaks(it.raw)!r}")
            for c in it.children:
                _struct_block(c, pad + "    ", out)
    elif isinstance(b, Table):
        out.append(f"{pad}table {b.header!r} {b.rows!r}")
    elif isinstance(b, BlockQuote):
        out.append(f"{pad}quote {b.text!r}")
    elif isinstance(b, CodeBlock):
        out.append(f"{pad}code {b.info!r} {b.code!r}")
    elif isinstance(b, Directive):
        out.append(f"{pad}directive {b.action} {' '.join(b.rules)}")
    elif isinstance(b, ThematicBreak):
        out.append(f"{pad}thematic-break")
    elif isinstance(b, HtmlBlock):
        first, _, rest = b.raw.partition("\n")
        out.append(f"{pad}html {first.lstrip(' ' + chr(9))!r} {rest!r}")
    else:
        out.append(f"{pad}raw {getattr(b, 'raw', '')!r}")


def structure(doc: Document) -> tuple[str, ...]:
    """What formatting must keep: everything but positions, heading style, bullet
    characters, item numbers after the first, front matter key order and blank lines."""
    out: list[str] = []
    if doc.front_matter is not None:
        entries = sorted(((e.key, e.raw.strip()) for e in doc.front_matter.entries),
                         key=lambda kv: kv[0])
        out.append("front matter " + ", ".join(f"{k}={v}" for k, v in entries))
    for b in doc.blocks:
        _struct_block(b, "", out)
    for s in doc.walk():
        out.append(f"{'#' * s.level} {s.heading_raw!r} tag={s.tag} kind={s.kind}")
        for b in s.blocks:
            _struct_block(b, "  ", out)
    out.append("diagnostics " + " ".join(sorted(d.rule for d in doc.diagnostics)))
    return tuple(out)


def first_difference(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"{_clip(x)} became {_clip(y)}"
    if len(a) > len(b):
        return f"{_clip(a[len(b)])} would be lost"
    return f"{_clip(b[len(a)])} would appear"


def _clip(s: str, width: int = 90) -> str:
    s = s.strip()
    return s if len(s) <= width else s[:width - 1] + "…"


# ------------------------------------------------------------------- entry points

def format_source(text: str, path: str = "<string>") -> FormatResult:
    """Format policy text; refuse (formatted=None) rather than change the document."""
    doc = parse(text, path, classify_headings=False, validate=False)
    if any(d.rule == "PL002" for d in doc.diagnostics):
        return FormatResult(path, text, None, doc.diagnostics[0].message)
    try:
        out = render(doc)
    except Exception as exc:   # a formatter bug: leave the file alone, say so
        return FormatResult(path, text, None, f"internal formatter error ({type(exc).__name__}: {exc})")
    if out == text:
        return FormatResult(path, text, out)
    again = parse(out, path, classify_headings=False, validate=False)
    before, after = structure(doc), structure(again)
    if before != after:
        return FormatResult(path, text, None, "formatting would change the document ("
                            + first_difference(before, after) + ")")
    try:
        stable = render(again) == out
    except Exception:
        stable = False
    if not stable:
        return FormatResult(path, text, None, "formatting is not stable on this file "
                            "(a second pass would change it again)")
    return FormatResult(path, text, out)


def format_bytes(data: bytes, path: str) -> FormatResult:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return FormatResult(path, "", None, f"not valid UTF-8 (byte 0x{data[e.start]:02x} at line {line})")
    if "\x00" in text:
        return FormatResult(path, text, None, "not a text file (NUL byte)")
    return format_source(text, path)


def unified_diff(result: FormatResult) -> str:
    if not result.changed:
        return ""
    return "".join(difflib.unified_diff(
        result.original.splitlines(keepends=True), result.formatted.splitlines(keepends=True),
        fromfile=f"{result.path} (original)", tofile=f"{result.path} (formatted)"))
