"""Source text to :class:`policylint.ast.Document`.

Three stages, each small: ``LineLexer`` gives every line one terminal (the only
code that looks inside a line), the LALR grammar in ``grammar/policy.lark`` groups
terminals into blocks, and ``_Builder`` turns blocks into AST nodes and nests
sections by heading level. The grammar accepts every terminal sequence, so a
document always comes back; what had to be repaired comes back as diagnostics.
"""
from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

from lark import Lark, Token
from lark.lexer import Lexer

from . import inline
from .ast import (
    SECTION_KINDS, BlockQuote, Clause, CodeBlock, Directive, Document, FrontMatter,
    FrontMatterEntry, HtmlBlock, ListBlock, ListItem, Paragraph, RawBlock, Section, Span,
    Table, ThematicBreak,
)
from .diagnostic import Diagnostic

# ---------------------------------------------------------------- line classes

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_EQ = re.compile(r" {0,3}=+[ \t]*$")
_DASHES = re.compile(r" {0,3}-{2,}[ \t]*$")
_HRULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
_ITEM = re.compile(r"([ \t]*)([-*+•·▪‣◦]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$")
_QUOTE = re.compile(r" {0,3}>")
_DIRECTIVE = re.compile(
    r"\s*<!--\s*policylint-(disable-next-line|disable|enable)\b(.*?)-->\s*$")
_HTML_START = re.compile(r" {0,3}<(?:!--|![A-Za-z]|\?|/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))")
_TABLE_DELIM = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_FM_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_TAG = re.compile(r"[ \t]*\{#([^}]*)\}[ \t]*$")
_ANCHOR = re.compile(r"[a-z0-9][a-z0-9_-]*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"-?\d+$")
_CODES = re.compile(r"[A-Z]{2,}\d{3}")


def _indent(line: str) -> int:
    n = 0
    for ch in line:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4 - n % 4
        else:
            break
    return n


class _Lines:
    """The lexer's output: terminals plus the repairs it made."""

    __slots__ = ("tokens", "diagnostics")

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.diagnostics: list[Diagnostic] = []


def tokenize(lines: list[str]) -> _Lines:
    """Classify each line. Lookahead here is what keeps the grammar LALR(1)."""
    out = _Lines()
    toks = out.tokens
    n = len(lines)

    def emit(kind: str, i: int) -> None:
        toks.append(Token(kind, lines[i], line=i + 1, column=1, end_line=i + 1,
                          end_column=len(lines[i]) + 1))

    i = 0
    # Front matter: `---` on the very first line.
    if n and lines[0].rstrip() == "---":
        close = next((j for j in range(1, n) if lines[j].rstrip() in ("---", "...")), None)
        if close is None:
            # Repair: the front matter is the run of `key: value` lines that follows.
            close = 1
            while close < n and (_FM_KEY.match(lines[close]) or lines[close].lstrip().startswith("#")):
                close += 1
            out.diagnostics.append(Diagnostic(
                "PL001", "front matter opened on line 1 is never closed",
                1, 1, 1, 4, name="syntax",
                fix=f"add a line '---' after line {close} to end the front matter"))
            emit("FM_OPEN", 0)
            for j in range(1, close):
                emit("FM_LINE", j)
            toks.append(Token("FM_CLOSE", "", line=close, column=1, end_line=close, end_column=1))
            i = close
        else:
            emit("FM_OPEN", 0)
            for j in range(1, close):
                emit("FM_LINE", j)
            emit("FM_CLOSE", close)
            i = close + 1

    in_list = False       # the previous non-blank line belonged to a list item
    prev = "_BLANK"       # terminal of the previous line
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            # A run of blank lines: inside a list it may separate items or continue one.
            j = i
            while j < n and not lines[j].strip():
                j += 1
            kind = "_BLANK"
            if in_list and j < n:
                nxt = lines[j]
                m = _ITEM.match(nxt)
                if m and not _HRULE.match(nxt):
                    kind = "ITEM_GAP"
                elif _indent(nxt) >= 2 and not _FENCE.match(nxt):
                    kind = "CONT_GAP"
            if kind == "_BLANK":
                in_list = False
            for k in range(i, j):
                emit(kind, k)
            prev = kind
            i = j
            continue

        ind = _indent(line)
        m_dir = _DIRECTIVE.match(line) if "<!--" in line else None
        if m_dir:
            emit("DIRECTIVE", i)
            prev, in_list = "DIRECTIVE", False
            i += 1
            continue

        m_fence = _FENCE.match(line) if ind < 4 and ("`" in line or "~" in line) else None
        if m_fence and not (m_fence.group(1)[0] == "`" and "`" in m_fence.group(2)):
            fence = m_fence.group(1)
            emit("FENCE_OPEN", i)
            j = i + 1
            while j < n:
                s = lines[j].strip()
                if s.startswith(fence[0] * len(fence)) and not s.strip(fence[0]):
                    break
                emit("CODE_LINE", j)
                j += 1
            if j < n:
                emit("FENCE_CLOSE", j)
                i = j + 1
            else:
                out.diagnostics.append(Diagnostic(
                    "PL001", f"code fence opened on line {i + 1} is never closed",
                    i + 1, ind + 1, i + 1, len(line) + 1, name="syntax",
                    fix=f"add a closing '{fence}' line where the code ends"))
                toks.append(Token("FENCE_CLOSE", "", line=n, column=1, end_line=n, end_column=1))
                i = n
            prev, in_list = "FENCE_CLOSE", False
            continue

        # Inside a list item: indented lines and lazy continuation lines.
        if in_list:
            m_item = _ITEM.match(line)
            if m_item and not _HRULE.match(line):
                emit("ITEM", i)
                prev = "ITEM"
                i += 1
                continue
            if prev in ("ITEM", "CONT") and not (
                    ind < 2 and (_ATX.match(line) or _DASHES.match(line) or _HRULE.match(line)
                                 or _QUOTE.match(line) or _HTML_START.match(line))):
                emit("CONT", i)      # indented or lazy continuation
                prev = "CONT"
                i += 1
                continue
            if prev == "CONT_GAP" and ind >= 2:
                emit("CONT", i)
                prev = "CONT"
                i += 1
                continue
            in_list = False

        if ind >= 4 and prev in ("_BLANK", "INDENT_CODE", "ATX", "SETEXT", "FENCE_CLOSE",
                                 "HRULE", "DIRECTIVE", "TABLE_ROW"):
            emit("INDENT_CODE", i)
            prev = "INDENT_CODE"
            i += 1
            continue

        first = stripped[0]
        if first == "#" and _ATX.match(line):
            emit("ATX", i)
            prev = "ATX"
        elif first == "=" and prev == "TEXT" and _SETEXT_EQ.match(line):
            emit("SETEXT_EQ", i)
            prev = "SETEXT"
        elif first == "-" and _DASHES.match(line):
            emit("DASHES", i)
            prev = "SETEXT" if prev == "TEXT" else "HRULE"
        elif first in "*_-" and _HRULE.match(line):
            emit("HRULE", i)
            prev = "HRULE"
        elif (m_item := _ITEM.match(line)) and (
                prev != "TEXT" or not m_item.group(2)[0].isdigit()
                or m_item.group(2)[:-1] == "1") and (m_item.group(3) or prev != "TEXT"):
            emit("ITEM", i)
            prev, in_list = "ITEM", True
        elif first == ">" and _QUOTE.match(line):
            while i < n and lines[i].strip() and (_QUOTE.match(lines[i]) or prev == "QUOTE"):
                if not _QUOTE.match(lines[i]) and (_ATX.match(lines[i]) or _ITEM.match(lines[i])):
                    break
                emit("QUOTE", i)
                prev = "QUOTE"
                i += 1
            continue
        elif first == "<" and _HTML_START.match(line):
            comment = stripped.startswith("<!--")
            while i < n:
                emit("HTML_LINE", i)
                done = ("-->" in lines[i]) if comment else False
                i += 1
                if done or (not comment and (i >= n or not lines[i].strip())):
                    break
            if comment and i >= n and "-->" not in lines[i - 1]:
                out.diagnostics.append(Diagnostic(
                    "PL001", "HTML comment is never closed", i, 1, i, 1, name="syntax",
                    fix="add '-->' where the comment ends"))
            prev = "HTML_LINE"
            continue
        elif "|" in line and i + 1 < n and "-" in lines[i + 1] and _TABLE_DELIM.match(lines[i + 1]) \
                and prev != "TEXT":
            emit("TABLE_HEAD", i)
            emit("TABLE_DELIM", i + 1)
            i += 2
            while i < n and lines[i].strip() and "|" in lines[i] and not _ATX.match(lines[i]):
                emit("TABLE_ROW", i)
                i += 1
            prev = "TABLE_ROW"
            continue
        else:
            emit("TEXT", i)
            prev = "TEXT"
        i += 1
    return out


# --------------------------------------------------------------------- grammar

class _PreLexed(Lexer):
    """Hands Lark the terminals LineLexer produced."""

    def __init__(self, lexer_conf) -> None:  # noqa: D401 - Lark's interface
        pass

    def lex(self, data):  # type: ignore[override]
        return iter(data)


def _grammar_text() -> str:
    try:
        from importlib.resources import files
        return files("policylint.grammar").joinpath("policy.lark").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):   # running from a bare checkout
        return (Path(__file__).resolve().parent.parent / "grammar" / "policy.lark").read_text("utf-8")


_LARK: Lark | None = None
_LOCK = threading.Lock()


def _lark() -> Lark:
    """One LALR parser per process (a few ms to build). Never Lark's cache=True."""
    global _LARK
    if _LARK is None:
        _LARK = Lark(_grammar_text(), parser="lalr", lexer=_PreLexed)
    return _LARK


# ----------------------------------------------------------------- AST building

def _span(first: Token, last: Token) -> Span:
    return Span(first.line, 1, last.end_line, max(last.end_column, 1))


def _scalar(raw: str) -> object:
    v = raw.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    if v.startswith("[") and v.endswith("]"):
        inner = v[1:-1].strip()
        return [str(_scalar(x)) for x in _split_list(inner)] if inner else []
    if _DATE.match(v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v          # the schema reports the malformed date
    if _INT.match(v):
        return int(v)
    return v


def _split_list(s: str) -> list[str]:
    parts, cur, quote = [], [], ""
    for ch in s:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            cur.append(ch)
        elif ch == ",":
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


class _Builder:
    """Turns grammar rules into AST blocks; one instance per parse."""

    def __init__(self, lines: list[str], diagnostics: list[Diagnostic]) -> None:
        self.lines = lines
        self.diagnostics = diagnostics
        self.fm: FrontMatter | None = None

    # Each method takes the children of a rule of the same name.
    def front_matter(self, ch: list[Token]) -> None:
        entries = []
        for t in ch[1:-1]:
            s = t.value.strip()
            if not s or s.startswith("#"):
                continue
            m = _FM_KEY.match(t.value)
            if not m:
                self.diagnostics.append(Diagnostic(
                    "PL001", f"front matter line is not 'key: value': {s!r}", t.line, 1,
                    t.line, len(t.value) + 1, name="syntax",
                    fix="write one 'key: value' per line, or end the front matter with '---'"))
                continue
            entries.append(FrontMatterEntry(m.group(1), _scalar(m.group(2)), m.group(2), t.line))
        self.fm = FrontMatter(tuple(entries), _span(ch[0], ch[-1]))

    def heading(self, text: str, level: int, style: str, first: Token, last: Token) -> dict:
        tag = None
        m = _TAG.search(text)
        if m:
            tag = m.group(1).strip()
            text = text[:m.start()]
            if not (_ANCHOR.match(tag) or tag in SECTION_KINDS):
                col = first.value.find("{#") + 1
                self.diagnostics.append(Diagnostic(
                    "PL001", f"heading tag '{{#{tag}}}' is neither a section kind nor a valid anchor",
                    first.line, max(col, 1), first.line, len(first.value) + 1, name="syntax",
                    fix="use one of: " + ", ".join(SECTION_KINDS)
                        + " — or a lowercase anchor such as {#my-section}"))
                tag = None
        raw = text.strip()
        return {"heading_raw": raw, "heading": inline.plain(raw), "level": level,
                "style": style, "tag": tag, "span": _span(first, last)}

    def atx_heading(self, ch: list[Token]) -> dict:
        t = ch[0]
        m = _ATX.match(t.value)
        return self.heading(m.group(2) or "", len(m.group(1)), "atx", t, t)

    def setext_heading(self, ch: list[Token]) -> dict:
        text = " ".join(t.value.strip() for t in ch[:-1])
        level = 1 if ch[-1].type == "SETEXT_EQ" else 2
        return self.heading(text, level, "setext", ch[0], ch[-1])

    def paragraph(self, ch: list[Token]) -> Paragraph:
        raw = "\n".join(t.value.strip() for t in ch)
        text, facts = inline.text_and_facts(raw)
        span = _span(ch[0], ch[-1])
        return Paragraph(raw, text, facts, inline.clause(raw, span), span)

    def list(self, ch: list) -> ListBlock:
        items: list[tuple[int, list[Token]]] = [it for it in ch if not isinstance(it, Token)]
        return self._nest(items, 0, len(items))[0]

    def list_item(self, ch: list[Token]) -> tuple[int, list[Token]]:
        return (_indent(ch[0].value), ch)

    def _nest(self, items: list, lo: int, hi: int) -> tuple[ListBlock, int]:
        """Items with deeper indentation than the first nest under the item before them."""
        base = items[lo][0]
        out: list[ListItem] = []
        i = lo
        while i < hi and items[i][0] >= base:
            ind, toks = items[i]
            j = i + 1
            while j < hi and items[j][0] > base:
                j += 1
            children = []
            k = i + 1
            while k < j:
                sub, k = self._nest(items, k, j)
                children.append(sub)
            out.append(self._item(toks, tuple(children)))
            i = j
        ordered = out[0].marker[0].isdigit()
        last = out[-1]
        end = last.children[-1].span if last.children else last.span
        span = Span(out[0].span.line, out[0].span.column, end.end_line, end.end_column)
        return ListBlock(ordered, tuple(out), span), i

    def _item(self, toks: list[Token], children: tuple) -> ListItem:
        m = _ITEM.match(toks[0].value)
        marker = m.group(2)
        col = len(m.group(1)) + 1
        content_lines = [m.group(3) or ""]
        for t in toks[1:]:
            if t.type == "CONT":
                content_lines.append(t.value.strip())
            elif t.type == "CONT_GAP":
                content_lines.append("")
        raw = "\n".join(content_lines).strip("\n")
        text, facts = inline.text_and_facts(raw)
        last = toks[-1]
        span = Span(toks[0].line, col, last.end_line, max(last.end_column, 1))
        return ListItem(raw, text, marker, facts, inline.clause(raw, span), children, span)

    def table(self, ch: list[Token]) -> Table:
        def cells(line: str) -> tuple[str, ...]:
            s = line.strip()
            if s.startswith("|"):
                s = s[1:]
            if s.endswith("|") and not s.endswith("\\|"):
                s = s[:-1]
            return tuple(inline.plain(c.strip()) for c in re.split(r"(?<!\\)\|", s))
        raw = "\n".join(t.value for t in ch)
        header = cells(ch[0].value)
        rows = tuple(cells(t.value) for t in ch[2:])
        _, facts = inline.text_and_facts("\n".join(" ".join(r) for r in (header, *rows)))
        return Table(header, rows, raw, facts, _span(ch[0], ch[-1]))

    def quote(self, ch: list[Token]) -> BlockQuote:
        raw = "\n".join(t.value for t in ch)
        body = "\n".join(re.sub(r"^ {0,3}> ?", "", t.value) for t in ch)
        text, facts = inline.text_and_facts(body)
        return BlockQuote(raw, text, facts, _span(ch[0], ch[-1]))

    def fence(self, ch: list[Token]) -> CodeBlock:
        m = _FENCE.match(ch[0].value)
        code = "\n".join(t.value for t in ch[1:-1])
        raw = "\n".join(t.value for t in ch if t.value or t is not ch[-1])
        return CodeBlock(m.group(2) if m else "", code, raw, _span(ch[0], ch[-1]))

    def indented_code(self, ch: list[Token]) -> CodeBlock:
        raw = "\n".join(t.value for t in ch)
        code = "\n".join(t.value[4:] if t.value.startswith("    ") else t.value.lstrip("\t")
                         for t in ch)
        return CodeBlock("", code, raw, _span(ch[0], ch[-1]))

    def html_block(self, ch: list[Token]) -> HtmlBlock:
        return HtmlBlock("\n".join(t.value for t in ch), _span(ch[0], ch[-1]))

    def directive(self, ch: list[Token]) -> Directive:
        t = ch[0]
        m = _DIRECTIVE.match(t.value)
        rest = m.group(2).strip()
        codes = tuple(_CODES.findall(rest))
        leftover = _CODES.sub("", rest).replace(",", " ").strip()
        if leftover:
            self.diagnostics.append(Diagnostic(
                "PL001", f"directive has text that is not a rule code: {leftover!r}",
                t.line, 1, t.line, len(t.value) + 1, name="syntax",
                fix="list rule codes such as PL204, separated by spaces"))
        return Directive(m.group(1), codes, t.value.strip(), _span(t, t))

    def thematic_break(self, ch: list[Token]) -> ThematicBreak:
        return ThematicBreak(ch[0].value.strip(), _span(ch[0], ch[0]))


def _build(tree, builder: _Builder) -> list:
    """Walk the (flat) parse tree once, building blocks in order."""
    blocks: list = []
    for node in tree.children:
        rule = node.data
        if rule == "front_matter":
            builder.front_matter(node.children)
        elif rule == "list":
            blocks.append(builder.list([builder.list_item(c.children) if not isinstance(c, Token)
                                        else c for c in node.children]))
        else:
            blocks.append(getattr(builder, rule)(node.children))
    return blocks


def _sections(blocks: list, lang: str | None, last_line: int, classify) -> tuple[tuple, tuple]:
    """Nest headings by level; attach each section's kind."""
    preamble: list = []
    root: list = []
    stack: list[tuple[dict, list, list]] = []   # (heading, blocks, subsections)

    def close(upto_level: int, end_line: int) -> None:
        while stack and stack[-1][0]["level"] >= upto_level:
            h, bl, subs = stack.pop()
            kind, source = None, None
            tag = h["tag"]
            if tag in SECTION_KINDS:
                kind, source = tag, "tag"
            elif classify is not None:
                kind = classify(h["heading"], lang)
                source = "heading" if kind else None
            sec = Section(h["heading"], h["heading_raw"], h["level"], h["style"], tag, kind,
                          source, tuple(bl), tuple(subs), h["span"], end_line)
            (stack[-1][2] if stack else root).append(sec)

    for b in blocks:
        if isinstance(b, dict):
            close(b["level"], b["span"].line - 1)
            stack.append((b, [], []))
        elif stack:
            stack[-1][1].append(b)
        else:
            preamble.append(b)
    close(0, last_line)
    return tuple(preamble), tuple(root)


def _trim_end(lines: list[str], first_line: int, last_line: int) -> int:
    while last_line > first_line and not lines[last_line - 1].strip():
        last_line -= 1
    return last_line


def split_lines(text: str) -> list[str]:
    """CRLF, CR and a BOM are accepted; tabs are kept (indentation expands them)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse(text: str, path: str = "<string>", *, classify_headings: bool = True,
          validate: bool = True) -> Document:
    """Parse policy source text. Never raises on any input string."""
    lines = split_lines(text)
    lexed = tokenize(lines)
    diagnostics = list(lexed.diagnostics)
    builder = _Builder(lines, diagnostics)
    with _LOCK:
        tree = _lark().parse(lexed.tokens)
    blocks = _build(tree, builder)
    fm = builder.fm

    from . import vocab
    lang, lang_source = None, None
    fm_lang = fm.get("lang") if fm else None
    if isinstance(fm_lang, str) and fm_lang.strip():
        lang, lang_source = vocab.normalise_lang(fm_lang) or fm_lang, "front-matter"
    else:
        sample = []
        size = 0
        for b in blocks:
            t = getattr(b, "text", None) or (b.get("heading") if isinstance(b, dict) else None)
            if t:
                sample.append(t)
                size += len(t)
                if size > 4000:
                    break
        lang = vocab.detect_language("\n".join(sample))
        lang_source = "detected" if lang else None

    preamble, sections = _sections(blocks, lang, _trim_end(lines, 1, len(lines)),
                                   vocab.classify_heading if classify_headings else None)
    if fm is not None and validate:
        from .frontmatter import validate_front_matter
        diagnostics.extend(validate_front_matter(fm))
    for i, d in enumerate(diagnostics):
        if not d.path:
            diagnostics[i] = d.with_(path=path)
    diagnostics.sort(key=lambda d: (d.line, d.column))
    return Document(path, fm, preamble, sections, lang, lang_source, tuple(diagnostics),
                    len(lines), tuple(lines))


def parse_bytes(data: bytes, path: str = "<bytes>", **kw) -> Document:
    """Decode strictly: invalid UTF-8, a NUL byte or a binary file is one diagnostic."""
    problem = None
    if b"\x00" in data:
        off = data.index(b"\x00")
        line = data.count(b"\n", 0, off) + 1
        problem = (f"not a text file: NUL byte at line {line}", line)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            problem = (f"not valid UTF-8: byte 0x{data[e.start]:02x} at line {line}", line)
    if problem:
        d = Diagnostic("PL002", problem[0], problem[1], 1, problem[1], 1, name="encoding",
                       fix="save the file as UTF-8 text", path=path)
        return Document(path, None, (), (), None, None, (d,), 0, ())
    return parse(text, path, **kw)


def parse_file(path: str | Path, **kw) -> Document:
    p = Path(path)
    return parse_bytes(p.read_bytes(), str(path), **kw)
