"""Source text to :class:`policylint.ast.Document`.

Three stages, each small: ``tokenize`` gives every run of lines one terminal (the
only code that looks inside a line), the LALR grammar in ``grammar/policy.lark``
groups terminals into blocks, and ``_Builder`` turns blocks into AST nodes, nests
list items by content column and sections by heading level. The grammar accepts
every terminal sequence the lexer makes, so a document always comes back; what had
to be repaired comes back as diagnostics.

Speed matters (pre-commit hooks, whole git histories): the lexer dispatches on a
line's first character, hands Lark one token per run of lines rather than per line,
and facts are extracted only when something reads them (``inline.LazyFacts``).
"""
from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

from lark import Lark, Token, Tree
from lark.lexer import Lexer

from . import inline
from .ast import (
    SECTION_KINDS, Block, BlockQuote, CodeBlock, Directive, Document, FrontMatter,
    FrontMatterEntry, HtmlBlock, ListBlock, ListItem, Paragraph, RawBlock, Section, Span, Table,
    ThematicBreak, block_text,
)
from .diagnostic import Diagnostic

# ---------------------------------------------------------------- line classes
# Patterns below are matched against a line with its indentation removed ("s"),
# unless their name says otherwise.

_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_SETEXT_EQ = re.compile(r"=+[ \t]*$")
_SETEXT_DASH = re.compile(r"-+[ \t]*$")
_HRULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
#: Whole line: indentation, marker, spacing, content.
_ITEM_LINE = re.compile(r"([ \t]*)([-*+•·▪‣◦]|[0-9]{1,9}[.)])(?:([ \t]+)(.*)|[ \t]*$)")
_BULLETS = frozenset("-*+•·▪‣◦")
_DIGITS = frozenset("0123456789")
_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(.*?)[ \t]*$")
#: Whole line, any indentation.
_DIRECTIVE = re.compile(
    r"[ \t]*<!--\s*policylint-(disable-next-line|disable|enable)\b(.*?)-->[ \t]*$")
_TABLE_DELIM = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_FM_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_TAG = re.compile(r"[ \t]*\{#([^}]*)\}[ \t]*$")
_ANCHOR = re.compile(r"[a-z0-9][a-z0-9_-]*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"-?\d+$")
_CODES = re.compile(r"[A-Z]{2,}\d{3}")
_QUOTE_MARK = re.compile(r"[ \t]*> ?")

# HTML blocks, CommonMark §4.6: kinds 1-5 end at a marker, 6-7 at a blank line.
_HTML_RAW = re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I)
_HTML_RAW_END = re.compile(r"</(?:script|pre|style|textarea)>", re.I)
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|"
    r"dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    r"h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|"
    r"optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|"
    r"track|ul)(?:[ \t]|/?>|$)", re.I)
_HTML_LONE_TAG = re.compile(
    r"(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$")

#: Deeper list nesting than this is read as siblings (keeps every recursion shallow).
MAX_LIST_DEPTH = 32


def _indent(line: str) -> int:
    """Indentation width, tabs to the next multiple of four."""
    n = 0
    for ch in line:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4 - n % 4
        else:
            break
    return n


def _strip_indent(line: str, width: int) -> str:
    """Remove up to ``width`` columns of indentation (tabs expanded)."""
    col = 0
    for k, ch in enumerate(line):
        if col >= width or ch not in " \t":
            return line[k:]
        col += 1 if ch == " " else 4 - col % 4
    return ""


def _html_kind(s: str, in_paragraph: bool) -> str | None:
    """End marker of the HTML block ``s`` starts ("" = ends at a blank line), else None."""
    if len(s) < 2:
        return None
    c = s[1]
    if c == "!":
        if s.startswith("<!--"):
            return "-->"
        if s.startswith("<![CDATA["):
            return "]]>"
        return ">" if len(s) > 2 and s[2].isalpha() else None
    if c == "?":
        return "?>"
    if not (c.isalpha() or c == "/"):
        return None
    if _HTML_RAW.match(s):
        return "</"
    if _HTML_BLOCK_TAG.match(s):
        return ""
    if not in_paragraph and _HTML_LONE_TAG.match(s):
        return ""
    return None


def _fence(s: str):
    """The fence match for a stripped line, or None (a backtick fence has no ` in its info)."""
    m = _FENCE.match(s)
    if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
        return m
    return None


def _cells(line: str) -> list[str]:
    """Table cells as written (stripped), outer pipes removed."""
    s = line.strip(" \t")
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip(" \t") for c in _CELL_SPLIT.split(s)]


def _item_col(m: re.Match, ind: int) -> int:
    """Content column of a list item (CommonMark: 1-4 spaces after the marker)."""
    width = ind + len(m.group(2))
    sp = m.group(3)
    if not sp or not m.group(4):
        return width + 1
    if "\t" in sp:
        col = width
        for ch in sp:
            col += 1 if ch == " " else 4 - col % 4
        w = col - width
    else:
        w = len(sp)
    return width + (w if w <= 4 else 1)


class _Lines:
    """The lexer's output: terminals plus the repairs it made."""

    __slots__ = ("tokens", "diagnostics", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []     # the lines as read (see ``hoist``)
        self.tokens: list[Token] = []
        self.diagnostics: list[Diagnostic] = []


def _syntax(message: str, line: int, col: int, end_col: int, fix: str) -> Diagnostic:
    return Diagnostic("PL001", message, line, col, line, end_col, name="syntax", fix=fix)


def _front_matter(lines: list[str], emit, diags: list[Diagnostic]) -> int:
    """Lex front matter opened by '---' on line 1; return the first line after it."""
    n = len(lines)
    close = None
    for j in range(1, n):
        if lines[j].rstrip(" \t") in ("---", "..."):
            close = j
            break
    stop = close if close is not None else n
    k, last_key, keys = 1, 0, 0
    while k < stop:
        line = lines[k]
        s = line.strip(" \t")
        if s and s[0] != "#" and line[0] not in " \t":
            if not _FM_KEY.match(line):
                break
            last_key = k
            keys += 1
        elif s and line[0] in " \t":
            last_key = k          # an indented continuation, reported by the builder
        k += 1
    if not keys:
        last_key = 0
    if close is not None and (k >= stop or (last_key and lines[k - 1].strip(" \t"))):
        # Closed; a stray line directly among the keys is reported, not a reason to guess.
        emit("FM_OPEN", 0, 1)
        for j in range(1, close):
            emit("FM_LINE", j, j + 1)
        emit("FM_CLOSE", close, close + 1)
        return close + 1
    if last_key == 0:
        return 0                  # '---' then prose: a thematic break, not front matter
    end = last_key + 1
    diags.append(_syntax("front matter opened on line 1 is never closed", 1, 1, 4,
                         f"add a line '---' after line {end} to end the front matter"))
    emit("FM_OPEN", 0, 1)
    for j in range(1, end):
        emit("FM_LINE", j, j + 1)
    emit("FM_CLOSE", end - 1, end, synthetic=True)
    return end


def tokenize(lines: list[str]) -> _Lines:
    """Classify runs of lines into the grammar's terminals."""
    out = _Lines()
    lines = list(lines)          # headings hoisted out of list items rewrite indentation
    out.lines = lines
    toks = out.tokens
    diags = out.diagnostics
    n = len(lines)
    new_token = Token

    def emit(kind: str, a: int, b: int, synthetic: bool = False) -> None:
        """Lines a..b-1 (0-based) as one terminal; its value is the first line."""
        last = lines[b - 1]
        toks.append(new_token(kind, "" if synthetic else lines[a], line=a + 1, column=1,
                              end_line=b, end_column=1 if synthetic else len(last) + 1))

    def interrupts(line: str, s: str, ind: int, c: str) -> bool:
        """Does this line (indent < 4) start a block that ends a paragraph?"""
        if c == "#":
            return _ATX.match(s) is not None
        if c == ">":
            return True
        if c in "`~":
            return _fence(s) is not None
        if c == "<":
            return _html_kind(s, True) is not None or _DIRECTIVE.match(line) is not None
        if c in "*_-" and _HRULE.match(s):
            return True
        if c in _BULLETS:
            m = _ITEM_LINE.match(line)
            return bool(m and m.group(4))
        if c in _DIGITS:
            m = _ITEM_LINE.match(line)
            return bool(m and m.group(4) and m.group(2)[:-1] == "1")
        return False

    def item_like(line: str, s: str, c: str) -> re.Match | None:
        if c in _BULLETS or c in _DIGITS:
            m = _ITEM_LINE.match(line)
            if m and not (c in "*-" and _HRULE.match(s)):
                return m
        return None

    def item_body_end(j: int, col: int) -> tuple[int, str | None]:
        """First line after the paragraph that continues a list item at ``col``, and
        "setext"/"atx" when a heading inside the item ends it there."""
        while j < n:
            line = lines[j]
            s = line.lstrip(" \t")
            if not s:
                break
            c = s[0]
            if c in "`~" and _fence(s):
                break
            if c == "<" and "policylint-" in s and _DIRECTIVE.match(line):
                break
            if item_like(line, s, c):
                break
            ind = len(line) - len(s)
            if "\t" in line[:ind]:
                ind = _indent(line)
            if col <= ind < col + 4 and c in "=-#":
                if c == "#":
                    if _ATX.match(s):
                        return j, "atx"
                elif (_SETEXT_EQ if c == "=" else _SETEXT_DASH).match(s):
                    return j, "setext"
            if ind < col and ind < 4 and c in "#>*_-<" and interrupts(line, s, ind, c):
                break
            j += 1
        return j, None

    def hoist(after: int, col: int) -> None:
        """A heading inside a list item (HTML converted to Markdown does this: `<li><h2>`)
        becomes a section heading; the item's content after it, indented to ``col``,
        is read as the section's blocks, so the indentation is taken off those lines."""
        stack.clear()
        j = after
        while j < n:
            t = lines[j]
            if t.strip(" \t"):
                if _indent(t) < col:
                    break
                lines[j] = _strip_indent(t, col)
            j += 1

    def item_run(i: int, kind: str, col: int) -> int:
        """Emit an ITEM or CONT_PARA starting at line i; return the next line."""
        j, ends = item_body_end(i + 1, col)
        if ends == "setext":
            emit("TEXT", i, j)
            emit("SETEXT_EQ" if lines[j].lstrip(" \t")[0] == "=" else "SETEXT_DASH", j, j + 1)
            hoist(j + 1, col)
            return j + 1
        emit(kind, i, j)
        if ends == "atx":
            emit("ATX", j, j + 1)
            hoist(j + 1, col)
            return j + 1
        return j

    def fence(i: int, kind: str, m: re.Match, ind: int) -> int:
        emit(kind, i, i + 1)
        mark = m.group(1)
        ch = mark[0]
        j = i + 1
        while j < n:
            s = lines[j].strip(" \t")
            if s.startswith(mark) and not s.strip(ch):
                break
            j += 1
        if j > i + 1:
            emit("CODE", i + 1, j)
        if j < n:
            emit("FENCE_CLOSE", j, j + 1)
            return j + 1
        diags.append(_syntax(f"code fence opened on line {i + 1} is never closed", i + 1,
                             ind + 1, len(lines[i]) + 1,
                             f"add a closing '{mark}' line where the code ends"))
        emit("FENCE_CLOSE", n - 1, n, synthetic=True)
        return n

    i = 0
    if n and lines[0].rstrip(" \t") == "---":
        i = _front_matter(lines, emit, diags)

    stack: list[int] = []      # content columns of the open list items
    while i < n:
        line = lines[i]
        s = line.lstrip(" \t")
        if not s:
            i += 1
            continue
        ind = len(line) - len(s)
        if "\t" in line[:ind]:
            ind = _indent(line)
        c = s[0]

        if stack:
            # Inside a list, at the start of a block: a new item, a block that
            # continues an item (indented to its content column), or the list's end.
            if c == "<" and "policylint-" in s and _DIRECTIVE.match(line):
                stack.clear()
            elif c in "`~" and (fm := _fence(s)):
                if ind < 4 and ind < stack[0]:
                    stack.clear()
                else:
                    while len(stack) > 1 and stack[-1] > ind:
                        stack.pop()
                    i = fence(i, "ITEM_FENCE_OPEN", fm, ind)
                    continue
            elif m := item_like(line, s, c):
                while stack and stack[-1] > ind:
                    stack.pop()
                if len(stack) >= MAX_LIST_DEPTH:
                    stack.pop()
                col = _item_col(m, ind)
                stack.append(col)
                i = item_run(i, "ITEM", col)
                continue
            elif ind >= stack[0]:
                while len(stack) > 1 and stack[-1] > ind:
                    stack.pop()
                col = stack[-1]
                if c == "#" and ind < col + 4 and _ATX.match(s):
                    emit("ATX", i, i + 1)
                    hoist(i + 1, col)
                    i += 1
                else:
                    i = item_run(i, "CONT_PARA", col)
                continue
            else:
                stack.clear()

        if c == "<" and "policylint-" in s and _DIRECTIVE.match(line):
            emit("DIRECTIVE", i, i + 1)
            i += 1
            continue
        if ind >= 4:
            # Indented code, with the blank lines inside it.
            last = j = i
            while j < n:
                t = lines[j]
                if t.strip(" \t"):
                    if _indent(t) < 4:
                        break
                    last = j
                j += 1
            emit("INDENT_CODE", i, last + 1)
            i = last + 1
            continue

        if c == "#" and _ATX.match(s):
            emit("ATX", i, i + 1)
            i += 1
            continue
        if c in "*_-" and _HRULE.match(s):
            emit("HRULE", i, i + 1)
            i += 1
            continue
        if c in "`~" and (fm := _fence(s)):
            i = fence(i, "FENCE_OPEN", fm, ind)
            continue
        if (c in _BULLETS or c in _DIGITS) and (m := _ITEM_LINE.match(line)):
            col = _item_col(m, ind)
            stack.append(col)
            i = item_run(i, "ITEM", col)
            continue
        if c == ">":
            j = i + 1
            while j < n:
                t = lines[j]
                s2 = t.lstrip(" \t")
                if not s2:
                    break
                ind2 = len(t) - len(s2)
                if ind2 < 4 and s2[0] != ">" and interrupts(t, s2, ind2, s2[0]):
                    break
                j += 1
            emit("QUOTE", i, j)
            i = j
            continue
        if c == "<":
            end = _html_kind(s, False)
            if end is not None:
                j = i
                if end:
                    found = False
                    while j < n:
                        t = lines[j][ind + 4:] if j == i and end == "-->" else lines[j]
                        hit = _HTML_RAW_END.search(t) if end == "</" else (end in t)
                        j += 1
                        if hit:
                            found = True
                            break
                    if not found:
                        what = "HTML comment" if end == "-->" else "HTML block"
                        diags.append(_syntax(f"{what} opened on line {i + 1} is never closed",
                                             i + 1, ind + 1, len(line) + 1,
                                             f"add '{end if end != '</' else '</…>'}' where "
                                             f"the {what.split()[-1]} ends"))
                else:
                    while j < n and lines[j].strip(" \t"):
                        j += 1
                emit("HTML", i, j)
                i = j
                continue
        if "|" in line and i + 1 < n and "-" in lines[i + 1]:
            d = lines[i + 1].lstrip(" \t")
            if "|" in d and _TABLE_DELIM.match(d) and len(_cells(d)) == len(_cells(line)):
                emit("TABLE_HEAD", i, i + 1)
                emit("TABLE_DELIM", i + 1, i + 2)
                j = i + 2
                while j < n:
                    t = lines[j]
                    s2 = t.lstrip(" \t")
                    if not s2 or "|" not in t or (s2[0] in "#>`~" and interrupts(
                            t, s2, len(t) - len(s2), s2[0])):
                        break
                    j += 1
                if j > i + 2:
                    emit("TABLE_ROWS", i + 2, j)
                i = j
                continue

        # A paragraph, or a setext heading when an underline ends it.
        j = i + 1
        kind = None
        while j < n:
            t = lines[j]
            s2 = t.lstrip(" \t")
            if not s2:
                break
            ind2 = len(t) - len(s2)
            if "\t" in t[:ind2]:
                ind2 = _indent(t)
            if ind2 < 4:
                c2 = s2[0]
                if c2 == "=" and _SETEXT_EQ.match(s2):
                    kind = "SETEXT_EQ"
                    break
                if c2 == "-" and _SETEXT_DASH.match(s2):
                    kind = "SETEXT_DASH"
                    break
                if c2 in "#>`~<*_-+0123456789•·▪‣◦" and interrupts(t, s2, ind2, c2):
                    break
            j += 1
        emit("TEXT", i, j)
        if kind:
            emit(kind, j, j + 1)
            j += 1
        i = j
    return out


# --------------------------------------------------------------------- grammar

class _PreLexed(Lexer):
    """Hands Lark the terminals ``tokenize`` produced."""

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


class _OpenItem:
    """A list item while its list is being nested (ListItem is frozen)."""

    __slots__ = ("tok", "match", "indent", "col", "paras", "children", "end_line", "end_col")

    def __init__(self, tok: Token, match: re.Match, indent: int, col: int, body: str) -> None:
        self.tok, self.match, self.indent, self.col = tok, match, indent, col
        self.paras = [body]
        self.children: list = []
        self.end_line, self.end_col = tok.end_line, tok.end_column


class _OpenList:
    __slots__ = ("ordered", "items")

    def __init__(self, ordered: bool) -> None:
        self.ordered = ordered
        self.items: list[_OpenItem] = []


class _Builder:
    """Turns grammar rules into AST blocks; one instance per parse."""

    def __init__(self, lines: list[str], diagnostics: list[Diagnostic]) -> None:
        self.lines = lines
        self.diagnostics = diagnostics
        self.fm: FrontMatter | None = None

    def _lines(self, t: Token) -> list[str]:
        return self.lines[t.line - 1:t.end_line]

    @staticmethod
    def _span(first: Token, last: Token) -> Span:
        return Span(first.line, 1, last.end_line, max(last.end_column, 1))

    # Each method takes the children of a rule of the same name.
    def front_matter(self, ch: list[Token]) -> None:
        entries = []
        for t in ch[1:-1]:
            s = t.value.strip()
            if not s or s.startswith("#"):
                continue
            m = _FM_KEY.match(t.value) if t.value[0] not in " \t" else None
            if not m:
                self.diagnostics.append(_syntax(
                    f"front matter line is not 'key: value': {s!r}", t.line, 1,
                    len(t.value) + 1,
                    "write one 'key: value' per line, or end the front matter with '---'"))
                continue
            entries.append(FrontMatterEntry(m.group(1), _scalar(m.group(2)), m.group(2), t.line))
        self.fm = FrontMatter(tuple(entries), self._span(ch[0], ch[-1]))

    def heading(self, text: str, level: int, style: str, first: Token, last: Token) -> dict:
        tag = None
        m = _TAG.search(text) if "{#" in text else None
        if m:
            cand = m.group(1).strip()
            if _ANCHOR.match(cand) or cand in SECTION_KINDS:
                tag = cand
                text = text[:m.start()]
            else:
                col = first.value.find("{#") + 1
                self.diagnostics.append(_syntax(
                    f"heading tag '{{#{cand}}}' is neither a section kind nor a valid anchor",
                    first.line, max(col, 1), len(first.value) + 1,
                    "use one of: " + ", ".join(SECTION_KINDS)
                    + " — or a lowercase anchor such as {#my-section}"))
        raw = text.strip(" \t")
        return {"heading_raw": raw, "heading": inline.plain(raw), "level": level,
                "style": style, "tag": tag, "span": self._span(first, last)}

    def atx_heading(self, ch: list[Token]) -> dict:
        t = ch[0]
        m = _ATX.match(t.value.lstrip(" \t"))
        return self.heading(m.group(2) or "", len(m.group(1)), "atx", t, t)

    def setext_heading(self, ch: list[Token]) -> dict:
        ls = self._lines(ch[0])
        m = _ITEM_LINE.match(ls[0])     # only a heading hoisted out of a list item
        if m and m.group(2)[0] in _BULLETS:
            ls = [m.group(4) or ""] + ls[1:]
        text = " ".join(s.strip(" \t") for s in ls)
        level = 1 if ch[1].type == "SETEXT_EQ" else 2
        return self.heading(text, level, "setext", ch[0], ch[1])

    def _paragraph(self, lines: list[str], first: Token, last: Token, column: int = 1) -> Paragraph:
        raw = "\n".join(s.strip(" \t") for s in lines)
        text, facts = inline.text_and_facts(raw)
        span = Span(first.line, column, last.end_line, max(last.end_column, 1))
        return Paragraph(raw, text, facts, inline.clause(raw, span), span)

    def paragraph(self, ch: list[Token]) -> Paragraph:
        t = ch[0]
        return self._paragraph(self._lines(t), t, t)

    # -- lists

    def list(self, ch: list[Tree]) -> list[ListBlock]:
        """Nest items by indentation: a block belongs to the deepest open item whose
        content column it reaches (CommonMark), not simply to the item before it."""
        roots: list[_OpenList] = []
        stack: list[_OpenItem] = []
        for node in ch:
            for part in node.children:
                if isinstance(part, Token) and part.type == "ITEM":
                    self._add_item(part, roots, stack)
                    continue
                first = part if isinstance(part, Token) else part.children[0]
                ind = _indent(first.value)
                while len(stack) > 1 and stack[-1].col > ind:
                    stack.pop()
                owner = stack[-1]
                if isinstance(part, Token):          # CONT_PARA
                    ls = self._lines(part)
                    if owner.children:
                        owner.children.append(self._paragraph(ls, part, part, ind + 1))
                    else:
                        owner.paras.append("\n".join(s.strip(" \t") for s in ls))
                        owner.end_line, owner.end_col = part.end_line, part.end_column
                else:                                # item_fence
                    owner.children.append(self._fence(part.children, ind))
        return [self._close_list(lst) for lst in roots]

    def _add_item(self, tok: Token, roots: list[_OpenList], stack: list[_OpenItem]) -> None:
        ls = self._lines(tok)
        m = _ITEM_LINE.match(ls[0])
        ind = _indent(ls[0])
        while stack and stack[-1].col > ind:
            stack.pop()
        if len(stack) >= MAX_LIST_DEPTH:
            stack.pop()
        body = "\n".join([(m.group(4) or "").strip(" \t")] + [s.strip(" \t") for s in ls[1:]])
        item = _OpenItem(tok, m, ind, _item_col(m, ind), body)
        container = stack[-1].children if stack else roots
        ordered = m.group(2)[0] in _DIGITS
        if not (container and isinstance(container[-1], _OpenList)
                and container[-1].ordered == ordered):
            container.append(_OpenList(ordered))
        container[-1].items.append(item)
        stack.append(item)

    def _close_item(self, it: _OpenItem) -> ListItem:
        raw = "\n\n".join(it.paras).strip("\n")
        text, facts = inline.text_and_facts(raw)
        span = Span(it.tok.line, it.indent + 1, it.end_line, max(it.end_col, 1))
        children = tuple(self._close_list(c) if isinstance(c, _OpenList) else c
                         for c in it.children)
        return ListItem(raw, text, it.match.group(2), facts, inline.clause(raw, span),
                        children, span)

    def _close_list(self, lst: _OpenList) -> ListBlock:
        items = tuple(self._close_item(it) for it in lst.items)
        first, last = items[0], items[-1]
        end = last.children[-1].span if last.children else last.span
        if end.end_line < last.span.end_line:
            end = last.span
        return ListBlock(lst.ordered, items,
                         Span(first.span.line, first.span.column, end.end_line, end.end_column))

    # -- other blocks

    def table(self, ch: list[Token]) -> Table:
        ls = [self.lines[t.line - 1 + k] for t in ch for k in range(t.end_line - t.line + 1)]
        header = tuple(inline.plain(c) for c in _cells(ls[0]))
        rows = tuple(tuple(inline.plain(c) for c in _cells(r)) for r in ls[2:])
        facts = inline.lazy_facts("\n".join(" ".join(r) for r in (header, *rows)), ())
        return Table(header, rows, "\n".join(ls), facts, self._span(ch[0], ch[-1]))

    def quote(self, ch: list[Token]) -> BlockQuote:
        ls = self._lines(ch[0])
        body = "\n".join(_QUOTE_MARK.sub("", s, count=1) if s.lstrip(" \t")[:1] == ">" else s
                         for s in ls)
        text, facts = inline.text_and_facts(body)
        return BlockQuote("\n".join(ls), text, facts, self._span(ch[0], ch[0]))

    def _fence(self, ch: list[Token], ind: int) -> CodeBlock:
        opener, close = ch[0], ch[-1]
        m = _fence(opener.value.lstrip(" \t"))
        info = m.group(2) if m else ""
        body = self._lines(ch[1]) if len(ch) == 3 else []
        code = "\n".join(_strip_indent(s, ind) for s in body) if ind else "\n".join(body)
        last = close.line if close.value else (ch[1].end_line if len(ch) == 3 else opener.line)
        raw = "\n".join(self.lines[opener.line - 1:last])
        return CodeBlock(info, code, raw, Span(opener.line, ind + 1, last,
                                               len(self.lines[last - 1]) + 1))

    def fence(self, ch: list[Token]) -> CodeBlock:
        return self._fence(ch, _indent(ch[0].value))

    def indented_code(self, ch: list[Token]) -> CodeBlock:
        ls = self._lines(ch[0])
        code = "\n".join(_strip_indent(s, 4) for s in ls)
        return CodeBlock("", code, "\n".join(ls), self._span(ch[0], ch[0]))

    def html_block(self, ch: list[Token]) -> HtmlBlock:
        return HtmlBlock("\n".join(self._lines(ch[0])), self._span(ch[0], ch[0]))

    def directive(self, ch: list[Token]) -> Directive:
        t = ch[0]
        m = _DIRECTIVE.match(t.value)
        rest = m.group(2).strip()
        codes = tuple(_CODES.findall(rest))
        leftover = _CODES.sub("", rest).replace(",", " ").strip()
        if leftover:
            self.diagnostics.append(_syntax(
                f"directive has text that is not a rule code: {leftover!r}",
                t.line, 1, len(t.value) + 1, "list rule codes such as PL204, separated by spaces"))
        return Directive(m.group(1), codes, t.value.strip(" \t"), self._span(t, t))

    def thematic_break(self, ch: list[Token]) -> ThematicBreak:
        return ThematicBreak(ch[0].value.strip(" \t"), self._span(ch[0], ch[0]))


def _build(tree, builder: _Builder) -> list:
    """Walk the (flat) parse tree once, building blocks in order."""
    blocks: list = []
    for node in tree.children:
        rule = node.data
        if rule == "front_matter":
            builder.front_matter(node.children)
        elif rule == "list":
            blocks.extend(builder.list(node.children))
        else:
            blocks.append(getattr(builder, rule)(node.children))
    return blocks


def _trim_end(lines: list[str], first_line: int, last_line: int) -> int:
    while last_line > first_line and not lines[last_line - 1].strip(" \t"):
        last_line -= 1
    return last_line


def _sections(blocks: list, lines: list[str], lang: str | None, classify) -> tuple[tuple, tuple]:
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
            end = _trim_end(lines, h["span"].end_line, end_line)
            sec = Section(h["heading"], h["heading_raw"], h["level"], h["style"], tag, kind,
                          source, tuple(bl), tuple(subs), h["span"], end)
            (stack[-1][2] if stack else root).append(sec)

    for b in blocks:
        if isinstance(b, dict):
            close(b["level"], b["span"].line - 1)
            stack.append((b, [], []))
        elif stack:
            stack[-1][1].append(b)
        else:
            preamble.append(b)
    close(0, len(lines))
    return tuple(preamble), tuple(root)


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


def logical_lines(lines: list[str]) -> list[str]:
    """The lines as the builder reads them: content under a heading that was hoisted
    out of a list item has that item's indentation removed (see ``tokenize``)."""
    return tokenize(lines).lines


def _blocks(lines: list[str], diagnostics: list[Diagnostic]) -> tuple[list, FrontMatter | None]:
    lexed = tokenize(lines)
    diagnostics.extend(lexed.diagnostics)
    builder = _Builder(lexed.lines, diagnostics)
    with _LOCK:
        tree = _lark().parse(lexed.tokens)
    return _build(tree, builder), builder.fm


def parse_blocks(text: str) -> list[Block]:
    """The top-level blocks of a piece of text, in order, with no sections, front-matter
    validation or language detection: what the differ needs of one section's text.
    Headings are dropped. Raises what the grammar raises; :func:`parse` never does."""
    blocks, _ = _blocks(split_lines(text), [])
    return [b for b in blocks if not isinstance(b, dict)]


def _language(fm: FrontMatter | None, blocks: list) -> tuple[str | None, str | None]:
    from . import vocab
    fm_lang = fm.get("lang") if fm else None
    if isinstance(fm_lang, str) and fm_lang.strip():
        return vocab.normalise_lang(fm_lang) or fm_lang, "front-matter"
    sample: list[str] = []
    size = 0
    for b in blocks:
        t = b.get("heading") if isinstance(b, dict) else block_text(b)
        if t:
            sample.append(t)
            size += len(t)
            if size > 4000:
                break
    lang = vocab.detect_language("\n".join(sample))
    return lang, ("detected" if lang else None)


def parse(text: str, path: str = "<string>", *, classify_headings: bool = True,
          validate: bool = True) -> Document:
    """Parse policy source text. Never raises on any input string."""
    lines = split_lines(text)
    diagnostics: list[Diagnostic] = []
    try:
        blocks, fm = _blocks(lines, diagnostics)
    except Exception as exc:   # a parser bug must not cost the user their file: keep it raw
        diagnostics = [_syntax(f"the parser failed on this file ({type(exc).__name__}); "
                               "it is kept as raw text", 1, 1, 1,
                               "please report this file to the policylint maintainers")]
        end = max(len(lines), 1)
        blocks = [RawBlock("\n".join(lines), "parser-error",
                           Span(1, 1, end, len(lines[-1]) + 1 if lines else 1))] if lines else []
        fm = None
    lang, lang_source = _language(fm, blocks)
    classify = None
    if classify_headings:
        from .vocab import classify_heading as classify
    preamble, sections = _sections(blocks, lines, lang, classify)
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
    text = ""
    if b"\x00" in data:
        off = data.index(b"\x00")
        line = data.count(b"\n", 0, off) + 1
        col = off - (data.rfind(b"\n", 0, off) + 1) + 1
        problem = (f"not a text file: NUL byte at line {line}", line, col)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            start = data.rfind(b"\n", 0, e.start) + 1
            col = len(data[start:e.start].decode("utf-8", "replace")) + 1
            problem = (f"not valid UTF-8: byte 0x{data[e.start]:02x} at line {line}", line, col)
    if problem:
        d = Diagnostic("PL002", problem[0], problem[1], problem[2], problem[1], problem[2] + 1,
                       name="encoding", fix="save the file as UTF-8 text", path=path)
        return Document(path, None, (), (), None, None, (d,), 0, ())
    return parse(text, path, **kw)


def parse_file(path: str | Path, **kw) -> Document:
    p = Path(path)
    return parse_bytes(p.read_bytes(), str(path), **kw)


def read_policy(path: str | Path, **kw) -> Document:
    """A policy file that must be text (one side of a diff or notice).

    The linter reports an undecodable file as a PL002 finding; a command that compares
    two versions cannot compare a file it cannot read, so here it is an error."""
    from .errors import PolicylintError
    doc = parse_file(path, **kw)
    for d in doc.diagnostics:
        if d.rule == "PL002":
            raise PolicylintError(f"{path}:{d.line}:{d.column}: {d.message}", d.fix)
    return doc
