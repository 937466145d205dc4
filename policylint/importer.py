"""Bring a published policy (plain text, Markdown or HTML) into the policylint dialect.

The contract is that no word is lost: every word of the input comes back in the
same order, so an import can be reviewed as a formatting change and nothing else.
Structure is guessed from the shape of the text (short lines without a sentence
ending are headings), section kinds come from the vocabulary, and any character
that Markdown would read as syntax is escaped.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from .inline import with_hard_break

FORMATS = ("auto", "text", "markdown", "html")

# ----------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int
    text: str            # Markdown inline source (already escaped)
    plain: str           # what classify_heading sees


@dataclass(frozen=True)
class Para:
    lines: tuple[str, ...]   # Markdown inline source, one entry per output line
    breaks: bool = False     # the lines were split by <br>: hard line breaks when published


@dataclass(frozen=True)
class Item:
    marker: str              # "-" or "3."
    lines: tuple[str, ...]
    children: tuple["ListB | Para", ...] = ()   # nested lists and later paragraphs, in order
    breaks: bool = False     # as Para.breaks


@dataclass(frozen=True)
class ListB:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class TableB:
    rows: tuple[tuple[str, ...], ...]   # first row is the header


@dataclass(frozen=True)
class Verbatim:
    """Markdown written out as is (quotes, code, rules from HTML)."""
    text: str


Block = Heading | Para | ListB | TableB | Verbatim

# ----------------------------------------------------------------- escaping

_WORDCH = r"0-9A-Za-z\u00C0-\u024F"
_ESC_UNDERSCORE = re.compile(rf"(?<![{_WORDCH}])_|_(?![{_WORDCH}])")
_ESC_LT = re.compile(r"<(?=[A-Za-z/!?])")
_ESC_AMP = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ESC_LINK = re.compile(r"\[(?=[^\]\n]*\][(\[:])")
_ESC_TILDES = re.compile(r"~~")
_BULLET_GLYPHS = "•·▪‣◦"


def escape_inline(s: str) -> str:
    """Escape what Markdown would otherwise turn into emphasis, code, links or HTML."""
    s = s.replace("\\", "\\\\")
    s = s.replace("*", "\\*").replace("`", "\\`")
    s = _ESC_UNDERSCORE.sub(r"\\_", s)
    s = _ESC_LT.sub(r"\\<", s)
    s = _ESC_AMP.sub("&amp;", s)
    s = _ESC_LINK.sub(r"\\[", s)
    s = _ESC_TILDES.sub(r"\\~\\~", s)
    return s


_START_HASH = re.compile(r"#{1,6}(?:[ \t]|$)")
_START_NUM = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_START_RULE = re.compile(r"(?:=+|-+|(?:_[ \t]*){3,})[ \t]*$")


def escape_line_start(s: str) -> str:
    """A line of text must not start a heading, quote, list, rule, fence or HTML block."""
    if not s:
        return s
    if _START_HASH.match(s) or s[0] in ">+|" or _START_RULE.match(s):
        return "\\" + s
    if s[0] == "-" and (len(s) == 1 or s[1] in " \t"):
        return "\\" + s
    if s.startswith("~~~"):
        return "\\" + s
    m = _START_NUM.match(s)
    if m:
        return m.group(1) + "\\" + s[len(m.group(1)):]
    if s[0] in _BULLET_GLYPHS and (len(s) == 1 or s[1] in " \t"):
        return f"&#{ord(s[0])};" + s[1:]
    return s


def escape_text_line(s: str) -> str:
    return escape_line_start(escape_inline(s))


def _atx_safe(md: str) -> str:
    """ATX heading content: a closing `#` run or a trailing `{#…}` must stay text."""
    md = md.strip()
    if md and md == "#" * len(md):
        return "\\" + md
    md = re.sub(r"([ \t])(#+)$", lambda m: m.group(1) + "\\" + m.group(2), md)
    return re.sub(r"\{(#[^}]*\})$", r"&#123;\1", md)


def _heading_source(text: str) -> str:
    """Heading Markdown for a line of plain text."""
    return _atx_safe(escape_inline(text.strip()))


# ----------------------------------------------------------------- shared helpers

_NUMBERED = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)[.)]?[ \t]+(?=\S)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LABEL = re.compile(r"([^:\n]{1,60}):[ \t]+(?=\S)")
_LABEL_BAD = re.compile(r"[.!?;()\[\]<>`*_|\\@/]|https?$|^\d+$|^\W")


def strip_numbering(text: str) -> str:
    """`2.1 Retention` -> `Retention`: what the vocabulary should look at."""
    m = _NUMBERED.match(text)
    return text[m.end():] if m else text


def _label_split(text: str) -> tuple[str, str] | None:
    """`Cookies: body` -> ('Cookies', 'body') when the dialect reads it as a clause label."""
    m = _LABEL.match(text)
    if not m:
        return None
    label = m.group(1).lstrip()      # kept as written: `Cookies :` stays `Cookies :`
    if not label.strip() or _LABEL_BAD.search(label) or len(label.split()) > 8 \
            or label[0].islower():
        return None
    return label, text[m.end():]


def _bold_label(text: str) -> str:
    """Escape a line of body text, making a run-in label an explicit clause label."""
    split = _label_split(text)
    if split is None:
        return escape_text_line(text)
    label, rest = split
    return f"**{escape_inline(label)}:** {escape_inline(rest)}"


# ----------------------------------------------------------------- plain text

_BULLET = re.compile(r"[ \t]*([-*+•·▪‣◦–])[ \t]+(?=\S)")
_ORDERED = re.compile(r"[ \t]*(\d{1,3})[.)][ \t]+(?=\S)")
_LETTERED = re.compile(r"[ \t]*(\(?[a-zA-Z]\)|\([ivxIVX]{1,4}\)|[ivx]{1,4}\))[ \t]+(?=\S)")
_TERMINAL = ".,;!…"


def _is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line) or _LETTERED.match(line))


def _heading_shape(line: str) -> bool:
    """A short line that does not end a sentence: the typical heading of a scraped policy."""
    s = line.strip()
    if not s or len(s) > 100 or s[-1] in _TERMINAL or s[-1] in "\"”»)":
        return False
    words = s.split()
    if len(words) > 12 or not any(c.isalpha() for c in s):
        return False
    if _is_bullet(line):
        return False
    first = strip_numbering(s)[:1]
    if not first or not (first.isupper() or first.isdigit()) or "@" in s or "://" in s or "www." in s.lower():
        return False
    s = strip_numbering(s)
    body = s[:-1] if s.endswith(":") else s
    if ":" in body:                       # `Telefon: +47 …` is a label and its value
        return False
    if re.search(r"[.!?;][ \t]+\S", s):   # two sentences
        return False
    return True


def _body_like(line: str) -> bool:
    s = line.strip()
    return len(s) >= 80 or (len(s.split()) >= 8 and s[-1:] in ".!?:")


def _chunks(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _line_per_block(chunk: list[str]) -> bool:
    """True when each line of a chunk is its own paragraph (no blank lines were used)."""
    text = [ln for ln in chunk if not _is_bullet(ln) and not _ORDERED.match(ln)]
    if len(chunk) < 3 or not text:
        return False
    ends = sum(1 for ln in text if ln.strip()[-1:] in ".!?:" or _heading_shape(ln))
    long = sum(1 for ln in text if len(ln.strip()) >= 80)
    return ends >= 0.6 * len(text) and long >= 2


def _numbered_heading(chunk: list[str], i: int) -> bool:
    """`2. Annan information` alone on its line is a heading, not a one-item list."""
    line = chunk[i]
    if not _heading_shape(line) or line[:1] in " \t":
        return False
    near = [chunk[j] for j in (i - 1, i + 1) if 0 <= j < len(chunk)]
    return not any(_ORDERED.match(n) for n in near)


@dataclass
class _Unit:
    """One candidate block of a plain-text document before headings are decided."""
    kind: str                 # "text" | "list" | "heading" (split out of a paragraph)
    lines: list[str] = field(default_factory=list)
    single: bool = False      # stood alone (its own chunk or its own line)


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    for chunk in _chunks(text):
        per_line = _line_per_block(chunk)
        cur: _Unit | None = None
        for i, line in enumerate(chunk):
            bullet = _is_bullet(line) or (_ORDERED.match(line) and not _numbered_heading(chunk, i))
            if bullet:
                if cur is None or cur.kind != "list":
                    cur = _Unit("list")
                    units.append(cur)
                cur.lines.append(line)
                continue
            if cur is not None and cur.kind == "list" and not per_line and line[:1] in " \t":
                cur.lines.append(line)        # an indented line continues the item
                continue
            if per_line or cur is None or cur.kind == "list":
                cur = _Unit("text", single=True)
                units.append(cur)
                cur.lines.append(line)
                continue
            # A heading line glued to the body below it.
            if (len(cur.lines) == 1 and _heading_shape(cur.lines[0])
                    and i == 1 and _body_like(line)):
                cur = _Unit("text", single=True)
                units.append(cur)
                cur.lines.append(line)
                continue
            cur.lines.append(line)
            cur.single = False
        # A chunk of several lines is a paragraph, unless it started with a heading line.
        for u in units:
            if u.kind == "text" and len(u.lines) > 1:
                u.single = False
    return units


def _list_block(lines: list[str]) -> ListB:
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        m = _BULLET.match(line)
        if m:
            items.append(("-", [line[m.end():].strip()]))
            continue
        m = _ORDERED.match(line)
        if m:
            items.append((f"{m.group(1)}.", [line[m.end():].strip()]))
            continue
        m = _LETTERED.match(line)
        if m:   # (a) keeps its letter: other text refers to it
            items.append(("-", [line.strip()]))
            continue
        if items:
            items[-1][1].append(line.strip())
        else:
            items.append(("-", [line.strip()]))
    # Markdown lists are either bulleted or numbered: a mixed run splits.
    out: list[Item] = []
    for marker, ls in items:
        body = [_bold_label(ls[0]) if not (marker == "-" and _LETTERED.match(ls[0]))
                else escape_inline(ls[0])]
        body += [escape_text_line(x) for x in ls[1:]]
        out.append(Item(marker, tuple(body)))
    return ListB(tuple(out))


def _split_mixed(lb: ListB) -> list[ListB]:
    out: list[ListB] = []
    cur: list[Item] = []
    for it in lb.items:
        if cur and (cur[-1].marker == "-") != (it.marker == "-"):
            out.append(ListB(tuple(cur)))
            cur = []
        cur.append(it)
    if cur:
        out.append(ListB(tuple(cur)))
    return out


def _subtitle(nxt: "_Unit | None") -> bool:
    """The next unit is one short sentence: the line before it is part of the title block."""
    if nxt is None or nxt.kind != "text" or len(nxt.lines) != 1:
        return False
    line = nxt.lines[0].strip()
    return len(line.split()) <= 5 and line[-1:] in _TERMINAL


_GLUED = re.compile(
    r"(?<=[.!?])[ \t]+(?P<head>[A-ZÅÄÖÆØÜ][a-zåäöæøüéèáíóúàâêîôûçëïß-]{5,})"
    r"[ \t]+(?=(?P<next>[A-ZÅÄÖÆØÜ][a-zåäöæøüéèß]*)[ \t]+[a-zåäöæøüéèß])")


def _glued_heading(line: str, lang: str | None) -> tuple[str, str, str] | None:
    """`… externa webbplatser. Kontaktuppgifter Vid frågor …`: a scraper joined a heading to
    the paragraphs around it. Split it out only when the word is a heading the vocabulary
    knows, it follows a sentence end, and the next word starts a sentence with a function
    word (`Vid`, `If`, `Hvis`) followed by lower case. Not in German, where every noun
    is capitalised mid-sentence."""
    if lang == "de" or "." not in line:
        return None
    for m in _GLUED.finditer(line):
        nxt = m.group("next").lower()
        if not any(nxt in v for v in _stopword_sets()):
            continue
        rest = line[m.end("head"):].strip()
        if len(rest.split()) < 8:
            continue
        if _classify(m.group("head"), lang) is None:
            continue
        return line[:m.start()].rstrip(), m.group("head"), rest
    return None


@lru_cache(maxsize=1)
def _stopword_sets() -> tuple[frozenset[str], ...]:
    from . import vocab
    out = []
    for code in vocab.LANGS:
        v = vocab.vocabulary(code)
        if v is not None:
            out.append(frozenset(w.lower() for w in v.stopwords))
    return tuple(out)


def _split_glued(units: list[_Unit], lang: str | None) -> list[_Unit]:
    out: list[_Unit] = []
    for u in units:
        split = _glued_heading(u.lines[0], lang) if u.kind == "text" and u.lines else None
        if split is None:
            out.append(u)
            continue
        before, head, after = split
        out.append(_Unit("text", [before], single=False))
        out.append(_Unit("heading", [head], single=True))
        out.append(_Unit("text", [after] + u.lines[1:], single=False))
    return out


def _key_words(heading: str) -> set[str]:
    """Content words a subheading would repeat: five letters or more, written in lower
    case (not a brand such as `Google` or `ChatGPT`), not a function word or a word every
    heading has (`information`, `personuppgifter`: the stopword lists)."""
    stop = _stopwords()
    return {w.lower() for w in re.findall(r"\w+", strip_numbering(heading))
            if len(w) >= 5 and w[0].islower() and not w.isdigit() and w.lower() not in stop}


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset().union(*_stopword_sets())


def _nest_under_empty(blocks: list[Block]) -> list[Block]:
    """A plain heading with no text of its own, followed by plain headings that repeat its
    key word, is their parent: `Dina valmöjligheter för datahantering` over `Dina
    valmöjligheter gällande Kunddata`, `… gällande annan information`, `Andra valmöjligheter
    för integritet`. The run ends at the first plain heading without the word; headings
    inside it go one level down."""
    out = list(blocks)
    i = 0
    while i < len(out) - 1:
        b, nxt = out[i], out[i + 1]
        if not (isinstance(b, Heading) and isinstance(nxt, Heading) and b.level == 2
                and nxt.level == 2 and not _NUMBERED.match(b.plain)
                and not _NUMBERED.match(nxt.plain)):
            i += 1
            continue
        key = _key_words(b.plain)
        before = out[i - 1] if i else None
        if (not key & _key_words(nxt.plain) or i + 2 >= len(out)
                or isinstance(out[i + 2], Heading)
                or (isinstance(before, Heading) and before.level > 1)):
            i += 1          # no shared word, or empty headings around it: a contents list
            continue
        j = i + 1
        while j < len(out):
            c = out[j]
            if isinstance(c, Heading) and c.level <= 2 and not (
                    c.level == 2 and not _NUMBERED.match(c.plain) and key & _key_words(c.plain)):
                break
            if isinstance(c, Heading):
                out[j] = Heading(min(6, c.level + 1), c.text, c.plain)
            j += 1
        i = j
    return out


def text_blocks(text: str, lang: str | None = None) -> list[Block]:
    """Plain text to blocks: headings by shape, lists by marker, the rest paragraphs."""
    if lang is None:
        from . import vocab
        lang = vocab.detect_language(text)
    units = _split_glued(_units(text), lang)
    # Decide headings. A line ending in ':' is a lead-in when a list follows it.
    kinds: list[str] = []
    for i, u in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        k = u.kind
        if u.kind == "heading":
            pass
        elif u.kind == "text" and u.single and len(u.lines) == 1 and _heading_shape(u.lines[0]):
            line = u.lines[0].strip()
            if line.endswith(":") and (nxt is None or nxt.kind == "list"):
                k = "text"
            elif 0 < i and "heading" not in kinds[1:] and _subtitle(nxt):
                k = "text"       # a name under the title (`Amesto Group` / `Integritetspolicy.`)
            else:
                k = "heading"
        kinds.append(k)
    heads = [units[i].lines[0].strip() for i, k in enumerate(kinds) if k == "heading"]
    title_idx = 0 if kinds and kinds[0] == "heading" else None
    has_plain = any(not _NUMBERED.match(h) for h in heads[1 if title_idx == 0 else 0:])
    base = 3 if has_plain else 2

    blocks: list[Block] = []
    for i, (u, k) in enumerate(zip(units, kinds)):
        if k == "heading":
            line = u.lines[0].strip()
            if i == title_idx:
                level = 1
            else:
                m = _NUMBERED.match(line)
                level = min(6, base + m.group(1).count(".")) if m else 2
            blocks.append(Heading(level, _heading_source(line), line))
        elif k == "list":
            blocks.extend(_split_mixed(_list_block(u.lines)))
        else:
            lines = [ln.strip() for ln in u.lines]
            out = [_bold_label(lines[0])] + [escape_text_line(x) for x in lines[1:]]
            blocks.append(Para(tuple(out)))
    return _nest_under_empty(blocks)


# ----------------------------------------------------------------- HTML

_SKIP = {"script", "style", "nav", "noscript", "template", "svg", "iframe", "object"}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "address",
           "figure", "figcaption", "dl", "dt", "dd", "center", "fieldset", "legend", "details",
           "summary", "body", "html", "form", "caption"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col",
         "embed", "param", "track"}


@dataclass(eq=False)
class _Mark:
    """An inline delimiter in the HTML converter's line buffer: `**`, `*`, `[` or `](url)`."""
    kind: str                      # "strong" | "em" | "link"
    closing: bool = False
    url: str = ""
    partner: "_Mark | None" = None
    ignored: bool = False          # nested emphasis, or a link without a usable href
    dropped: bool = False          # decided at render time: would not survive as Markdown

    @property
    def text(self) -> str:
        if self.kind == "link":
            return f"]({self.url})" if self.closing else "["
        return ("**" if self.kind == "strong" else "*")


_OPENING_PUNCT = "([{\"'“‘«„¿¡"


def _render_inline(buf: list) -> str:
    """Join a line's text and marks; drop any emphasis or link Markdown would not read back.

    The check mirrors how `inline.plain` and CommonMark see delimiters: emphasis must
    sit at word boundaries with no space inside its edges, links need text.
    """
    toks = [t for t in buf if isinstance(t, str) or (not t.ignored and not t.dropped
                                                      and t.partner is not None)]
    # Spaces just inside emphasis move outside it.
    i = 0
    while i < len(toks):
        t = toks[i]
        if isinstance(t, _Mark) and t.kind != "link":
            if not t.closing and i + 1 < len(toks) and isinstance(toks[i + 1], str):
                nxt = toks[i + 1]
                ws = nxt[: len(nxt) - len(nxt.lstrip())]
                if ws:
                    toks[i + 1] = nxt.lstrip()
                    toks.insert(i, ws)
                    i += 1
            elif t.closing and i > 0 and isinstance(toks[i - 1], str):
                prev = toks[i - 1]
                ws = prev[len(prev.rstrip()):]
                if ws:
                    toks[i - 1] = prev.rstrip()
                    toks.insert(i + 1, ws)
        i += 1

    def text_char(idx: int, step: int) -> str | None:
        j = idx + step
        while 0 <= j < len(toks):
            t = toks[j]
            if isinstance(t, str) and t:     # marks vanish in plain text: look past them
                return t[-1] if step < 0 else t[0]
            j += step
        return None

    for i, t in enumerate(toks):
        if not isinstance(t, _Mark) or t.closing or t.dropped:
            continue
        j = toks.index(t.partner)
        inner = "".join(x for x in toks[i + 1:j] if isinstance(x, str))
        ok = bool(inner.strip())
        if ok and t.kind != "link":
            before, after = text_char(i, -1), text_char(j, +1)
            first, last = text_char(i, +1), text_char(j, -1)
            ok = ((before is None or before.isspace() or before in _OPENING_PUNCT)
                  and (after is None or after.isspace()
                       or not (after.isalnum() or after in "*_\\"))
                  and first is not None and not first.isspace()
                  and last is not None and not last.isspace() and last != "\\")
        if not ok:
            t.dropped = t.partner.dropped = True
    out = "".join(x if isinstance(x, str) else ("" if x.dropped else x.text) for x in toks)
    return " ".join(out.split())


class _Html(HTMLParser):
    """A small HTML-to-blocks converter: enough for policy pages, no network, no JS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self.lang = ""
        self._in_title = False
        self._skip: list[str] = []
        self._buf: list = []               # text and _Mark of the current line
        self._open: list[_Mark] = []       # inline marks not closed yet
        self._lines: list[str] = []        # finished lines of the current block
        self._heading: int | None = None
        self._lists: list[dict] = []       # stack: {"ordered", "items", "n"}
        self._table: list[list[str]] | None = None
        self._cell: bool | None = None
        self._pre: list[str] | None = None
        self._quote = 0
        self._nested = 0                   # tables inside a table cell

    # -- text
    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if self._pre is not None:
            self._pre.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and not any(isinstance(t, str) and t.strip() for t in self._buf):
            return
        esc = escape_inline(text)
        if any(m.kind == "link" and not m.ignored for m in self._open):
            esc = re.sub(r"(?<!\\)([\[\]])", r"\\\1", esc)    # link text: no bare brackets
        if self._cell is not None:
            esc = esc.replace("|", "\\|")
        self._buf.append(esc)

    def _open_mark(self, kind: str, url: str = "") -> None:
        if self._pre is not None or self._in_title:
            return
        nested = kind != "link" and any(m.kind != "link" and not m.ignored for m in self._open)
        m = _Mark(kind, url=url, ignored=nested or (kind == "link" and not url))
        self._open.append(m)
        if not m.ignored:
            self._buf.append(m)

    def _close_mark(self, kind: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            m = self._open[i]
            if m.kind != kind:
                continue
            for inner in self._open[i + 1:]:     # mis-nested: drop what is still open inside
                inner.dropped = True
            del self._open[i:]
            if not m.ignored:
                close = _Mark(kind, closing=True, url=m.url, partner=m)
                m.partner = close
                self._buf.append(close)
            return

    # -- tags
    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"] or ""
        if self._skip:
            if tag in _SKIP and tag not in _VOID:
                self._skip.append(tag)
            return
        if tag in _SKIP:
            self._skip.append(tag)
            return
        if self._cell is not None and self._in_cell_structure(tag, start=True):
            return
        if tag == "title":
            self._in_title = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self._heading = int(tag[1])
        elif tag in _BLOCKS:
            self._break()
        elif tag == "br":
            self._newline()
        elif tag in ("ul", "ol"):
            self._break_item()
            start = a.get("start") or "1"
            self._lists.append({"ordered": tag == "ol", "items": [],
                                "n": int(start) if start.isdigit() else 1})
        elif tag == "li":
            self._break_item()
            if not self._lists:
                self._lists.append({"ordered": False, "items": [], "n": 1})
            lst = self._lists[-1]
            marker = f"{lst['n'] + len(lst['items'])}." if lst["ordered"] else "-"
            lst["items"].append({"marker": marker, "lines": [], "children": []})
        elif tag == "table":
            self._suspend_lists()
            self._flush()
            self._table = []
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._buf, self._open = [], []
            self._cell = True
        elif tag in ("strong", "b"):
            self._open_mark("strong")
        elif tag in ("em", "i"):
            self._open_mark("em")
        elif tag == "a":
            href = (a.get("href") or "").strip()
            if href.lower().startswith(("javascript:", "data:", "vbscript:")) or href.startswith("#"):
                href = ""
            self._open_mark("link", re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", href))
        elif tag == "pre":
            self._flush()
            self._pre = []
        elif tag == "blockquote":
            self._flush()
            self._quote += 1
        elif tag == "hr":
            self._flush()
            self.blocks.append(Verbatim("* * *"))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if self._cell is not None and self._in_cell_structure(tag, start=False):
            return
        if tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self._heading = None
        elif tag in _BLOCKS:
            self._break()
        elif tag == "li":
            self._break_item()
        elif tag in ("ul", "ol"):
            self._break_item()
            if self._lists:
                lst = self._lists.pop()
                if self._lists and self._lists[-1]["items"]:
                    self._lists[-1]["items"][-1]["children"].append(lst)
                else:
                    self._emit_list(lst)
        elif tag in ("td", "th") and self._table is not None and self._cell is not None:
            cell, _ = self._take_line()
            if self._table:
                self._table[-1].append(cell)
            self._buf, self._open = [], []
            self._cell = None
        elif tag == "table" and self._table is not None:
            rows = [r for r in self._table if r]
            self._table = None
            if rows:
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                self.blocks.append(TableB(tuple(tuple(r) for r in rows)))
        elif tag in ("strong", "b"):
            self._close_mark("strong")
        elif tag in ("em", "i"):
            self._close_mark("em")
        elif tag == "a":
            self._close_mark("link")
        elif tag == "pre" and self._pre is not None:
            code = "".join(self._pre).strip("\n")
            self._pre = None
            fence = "~~~" if "```" in code else "```"
            if code.strip():
                self.blocks.append(Verbatim(f"{fence}\n{code}\n{fence}"))
        elif tag == "blockquote":
            self._flush()
            self._quote = max(0, self._quote - 1)

    _INLINE = {"a", "strong", "b", "em", "i", "code", "span", "abbr", "cite", "q", "small",
               "sub", "sup", "u", "s", "mark", "time", "label", "font", "bdi", "bdo"}

    def _in_cell_structure(self, tag: str, start: bool) -> bool:
        """Inside a table cell, block structure flattens to spaces (a cell is one line)."""
        if tag == "table":
            self._nested += 1 if start else -1
            self._buf.append(" ")
            return True
        if tag in ("td", "th", "tr", "thead", "tbody", "tfoot") and self._nested <= 0:
            return False
        if tag in self._INLINE:
            return False
        if tag not in _VOID or tag == "br":
            self._buf.append(" ")
        return True

    def _suspend_lists(self) -> None:
        """A table inside a list item: end the list here so the table keeps its place."""
        if not self._lists:
            return
        self._break_item()
        fresh = [{"ordered": lst["ordered"], "items": [], "n": lst["n"] + len(lst["items"])}
                 for lst in self._lists]
        for i in range(len(self._lists) - 1, 0, -1):
            inner, parent = self._lists[i], self._lists[i - 1]
            if inner["items"]:
                if parent["items"]:
                    parent["items"][-1]["children"].append(inner)
                else:
                    self._emit_list(inner)
        if self._lists[0]["items"]:
            self._emit_list(self._lists[0])
        self._lists = fresh

    # -- block plumbing
    def _take_line(self) -> tuple[str, list[str]]:
        """Render the buffer as one line. Emphasis still open is closed here (and its
        kinds returned, to reopen on the next line); a link still open is dropped."""
        reopen: list[str] = []
        for m in self._open:
            if m.ignored:
                continue
            if m.kind == "link":
                m.dropped = True
                m.ignored = True
                continue
            close = _Mark(m.kind, closing=True, partner=m)
            m.partner = close
            self._buf.append(close)
            reopen.append(m.kind)
        line = _render_inline(self._buf)
        if self._cell is None and line:
            line = escape_line_start(line)
        return line, reopen

    def _newline(self) -> None:
        line, reopen = self._take_line()
        if line:
            self._lines.append(line)
        links = [m for m in self._open if m.kind == "link"]
        self._buf, self._open = [], list(links)
        for kind in reopen:
            self._open_mark(kind)

    def _break(self) -> None:
        if self._table is not None and self._cell is not None:
            self._buf.append(" ")
            return
        if self._lists and self._lists[-1]["items"]:
            self._newline()
            return
        self._flush()

    def _break_item(self) -> None:
        self._newline()
        if self._lists and self._lists[-1]["items"]:
            self._item_lines(self._lines)
            self._lines = []
        else:
            self._flush()

    def _item_lines(self, lines: list[str]) -> None:
        """Text of the open list item; after a nested list it becomes a later paragraph."""
        if not lines:
            return
        item = self._lists[-1]["items"][-1]
        if not item["children"]:
            item["lines"].extend(lines)
        elif "para" in item["children"][-1]:
            item["children"][-1]["para"].extend(lines)
        else:
            item["children"].append({"para": list(lines)})

    def _flush(self) -> None:
        self._newline()
        lines, self._lines = self._lines, []
        if not lines:
            return
        if self._lists and self._lists[-1]["items"]:
            self._item_lines(lines)
            return
        if self._heading is not None:
            text = " ".join(lines)
            self.blocks.append(Heading(self._heading, _unstart(text), _plain_of(text)))
        elif self._quote:
            self.blocks.append(Verbatim("\n".join("> " + ln for ln in lines)))
        else:
            self.blocks.append(Para(tuple(lines), breaks=True))

    def _emit_list(self, lst: dict) -> None:
        self.blocks.append(self._to_list(lst))

    def _to_list(self, lst: dict) -> ListB:
        items = []
        for it in lst["items"]:
            children = tuple(Para(tuple(c["para"]), breaks=True) if "para" in c
                             else self._to_list(c)
                             for c in it["children"] if c.get("para") or c.get("items"))
            lines = it["lines"] or [""]
            items.append(Item(it["marker"], tuple(lines), children, breaks=True))
        return ListB(tuple(items))

    def close(self) -> None:
        super().close()
        while self._lists:
            self._break_item()
            lst = self._lists.pop()
            if self._lists and self._lists[-1]["items"]:
                self._lists[-1]["items"][-1]["children"].append(lst)
            else:
                self._emit_list(lst)
        self._flush()


def _unstart(md: str) -> str:
    """Heading source from a converted HTML line: no line-start escapes needed."""
    if md.startswith("\\") and len(md) > 1 and md[1] in "#>+|-=~":
        md = md[1:]
    return _atx_safe(re.sub(r"^(\d{1,9})\\([.)])", r"\1\2", md))


def _plain_of(md: str) -> str:
    from .inline import plain
    return plain(md)


def html_blocks(text: str) -> tuple[list[Block], str, str]:
    """HTML to blocks; also the page's <title> and <html lang>."""
    p = _Html()
    p.feed(text)
    p.close()
    blocks = p.blocks
    title = " ".join(_html.unescape(p.title).split())
    if title and not any(isinstance(b, Heading) and b.level == 1 for b in blocks):
        blocks.insert(0, Heading(1, _heading_source(title), title))
    return blocks, title, p.lang


# ----------------------------------------------------------------- Markdown input

def _markdown(text: str, lang: str | None) -> str:
    """Keep the author's Markdown; setext headings become ATX, known sections get tags."""
    from .parser import parse, split_lines

    doc = parse(text, "<import>", validate=False)
    lines = split_lines(text)
    lang = lang or doc.lang
    edits: dict[int, tuple[int, str]] = {}      # first line (0-based) -> (last line, new text)

    for s in doc.walk():
        tag = s.tag or (_classify(s.heading, lang) if s.level > 1 else None)
        if s.style == "setext" or tag != s.tag:
            new = "#" * s.level + " " + _atx_safe(s.heading_raw) + (f" {{#{tag}}}" if tag else "")
            edits[s.span.line - 1] = (s.span.end_line - 1, new)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in edits:
            last, new = edits[i]
            out.append(new)
            i = last + 1
        else:
            out.append(lines[i])
            i += 1
    body = "\n".join(out).strip("\n") + "\n"
    plain_text = "\n".join(_doc_words(doc))
    meta = _front_matter_values(doc.title, plain_text, lang)
    if doc.front_matter is None:
        return _front_matter(meta) + "\n" + body
    # Add only the keys the author did not write.
    have = {e.key for e in doc.front_matter.entries}
    extra = [ln for ln in _front_matter(meta).splitlines()[1:-1]
             if ln.split(":", 1)[0] not in have]
    if not extra:
        return body
    close = doc.front_matter.span.end_line - 1
    body_lines = body.split("\n")
    return "\n".join(body_lines[:close] + extra + body_lines[close:])


def _doc_words(doc) -> list[str]:
    from .ast import block_text
    out = [block_text(b) for b in doc.blocks]
    for s in doc.walk():
        out.append(s.heading)
        out.extend(block_text(b) for b in s.blocks)
    return out


# ----------------------------------------------------------------- front matter

_ORG = (r"(?P<org>[A-ZÅÄÖÆØÜ][\w&'’.-]*(?:[ \t]+(?:[A-ZÅÄÖÆØÜ0-9][\w&'’.-]*|&|och|og|und|and|et|en"
        r"|A/S|ApS|AB|AS|Oy|Oyj|GmbH|Ltd|Inc|SA|SAS|BV|B\.V\.|NV)){0,5})")
_CONTROLLER_WORDS = {
    "sv": r"personuppgiftsansvarig",
    "da": r"dataansvarlig",
    "nb": r"behandlingsansvarlig",
    "fi": r"rekisterinpitäjä",
    "de": r"Verantwortliche[rn]?",
    "fr": r"responsable (?:du|de ce) traitement",
    "nl": r"verwerkingsverantwoordelijke",
    "en": r"(?:data )?controller",
}
_VERBS = r"(?:är|er|on|ist|est|is)"
# a registration number between name and verb: 'Bönan AB (org.nr 559123-4567) är', 'X A/S, CVR 12345678, er'
_ASIDE = r"(?:[ \t]*\([^()\n]{1,60}\)|,[ \t]*[^,\n]{1,40}?\d[^,\n]{0,20},)?"
_PRONOUNS = {"vi", "we", "wir", "nous", "me", "wij", "det", "den", "denne", "denna", "dette",
             "this", "it", "der", "die", "das", "hvem", "vem", "who", "som", "which"}


def find_controller(text: str, lang: str | None) -> str | None:
    """The organisation a sentence names as controller, or None when unsure."""
    langs = [lang] if lang in _CONTROLLER_WORDS else list(_CONTROLLER_WORDS)
    for lg in langs:
        word = _CONTROLLER_WORDS[lg]
        pats = [
            _ORG + _ASIDE + rf"[ \t]+{_VERBS}[ \t]+(?:(?:the|den|de|le|la|der|die)[ \t]+)?"
            rf"(?i:{word})\b",
            rf"(?i:{word})(?:[ \t]+(?:för|for|für|pour|voor)[^.:\n]{{0,60}}?)?[ \t]+{_VERBS}[ \t]+" + _ORG,
        ]
        for pat in pats:
            for m in re.finditer(pat, text):
                org = m.group("org").rstrip(".,'’")
                first = org.split()[0].lower() if org.split() else ""
                if first in _PRONOUNS or len(org) < 2:
                    continue
                return org
    return None


def find_contact(text: str) -> str | None:
    """The first real email address (scraper artefacts like `[email protected]` skipped)."""
    for m in _EMAIL.finditer(text):
        addr = m.group(0).rstrip(".")
        if "email-protected" in addr or addr.lower().startswith(("noreply", "no-reply")):
            continue
        return addr
    return None


def _quote(value: str) -> str:
    v = " ".join(value.split())
    if '"' not in v:
        return f'"{v}"'
    if "'" not in v:
        return f"'{v}'"
    return '"' + v.replace('"', "'") + '"'


def _front_matter_values(title: str | None, text: str, lang: str | None) -> dict[str, str]:
    meta: dict[str, str] = {}
    if title:
        meta["title"] = title
    if lang:
        meta["lang"] = lang
    org = find_controller(text, lang)
    if org:
        meta["controller"] = org
    mail = find_contact(text)
    if mail:
        meta["contact"] = mail
    return meta


def _front_matter(meta: dict[str, str]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        lines.append(f"{key}: {value}" if key == "lang" else f"{key}: {_quote(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- writing Markdown

def _classify(heading: str, lang: str | None) -> str | None:
    from . import vocab
    text = strip_numbering(heading.strip())
    try:
        return vocab.classify_heading(text, lang)
    except Exception:   # the vocabulary must never stop an import
        return None


def _render_list(lb: ListB, indent: str = "") -> list[str]:
    out: list[str] = []
    for it in lb.items:
        pad = indent + " " * (len(it.marker) + 1)
        lines = _para_lines(it)
        first = lines[0] if lines else ""
        out.append(f"{indent}{it.marker} {first}".rstrip())
        for ln in lines[1:]:
            out.append(pad + ln)
        for child in it.children:
            if isinstance(child, Para):
                out.append("")
                out.extend(pad + ln for ln in _para_lines(child))
            else:
                out.extend(_render_list(child, pad))
    return out


def _render_table(t: TableB) -> list[str]:
    rows = [[c if c else " " for c in r] for r in t.rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return out


_NEW_LINE_START = re.compile(r"[A-ZÅÄÖÆØÜ0-9+(]|www\.|\S+@")


def _line_by_line(lines: tuple[str, ...]) -> bool:
    """A postal address or contact block: short lines, each a new item (capital, digit,
    '+46', an email), none ending a sentence. Its lines are kept apart when published,
    where soft line breaks would run 'Acme AB Storgatan 1 111 22 Stockholm' together.
    Wrapped prose continues in lower case or ends lines in punctuation."""
    return (len(lines) >= 2 and all(0 < len(ln) <= 60 for ln in lines)
            and not any(ln.rstrip().endswith((".", ",", ";", ":", "\\")) for ln in lines[:-1])
            and all(_NEW_LINE_START.match(ln.lstrip()) for ln in lines[1:]))


def _para_lines(b: "Para | Item") -> list[str]:
    """The block's lines, with a backslash hard break after each but the last where the
    input broke them (<br>) or they are an address block."""
    lines = list(b.lines)
    if len(lines) < 2 or not (b.breaks or _line_by_line(b.lines)):
        return lines
    return [with_hard_break(ln) if ln.strip() else ln for ln in lines[:-1]] + lines[-1:]


def render_blocks(blocks: list[Block], lang: str | None) -> str:
    """Blocks to dialect Markdown; headings the vocabulary knows get a `{#kind}` tag."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            kind = _classify(b.plain, lang) if b.level > 1 else None
            out.append("#" * b.level + " " + b.text + (f" {{#{kind}}}" if kind else ""))
        elif isinstance(b, Para):
            out.extend(_para_lines(b))
        elif isinstance(b, ListB):
            out.extend(_render_list(b))
        elif isinstance(b, TableB):
            out.extend(_render_table(b))
        else:
            out.append(b.text)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ----------------------------------------------------------------- entry point

def detect_format(text: str) -> str:
    """html, markdown or text, from the content alone."""
    head = text[:4000].lower()
    if re.search(r"<!doctype html|<html[\s>]|<body[\s>]", head) or \
            len(re.findall(r"</(?:p|h[1-6]|li|div|td)>", head)) >= 3:
        return "html"
    if text.startswith("---\n") or re.search(r"(?m)^#{1,6} \S", text) or \
            re.search(r"(?m)^\S.*\n(?:=+|-+)[ \t]*$", text) or \
            re.search(r"\[[^\]\n]+\]\((?:https?://|mailto:|/|#)[^)\s]*\)", text) or \
            re.search(r"\*\*\S[^*\n]*\*\*", text) or re.search(r"(?m)^```", text):
        return "markdown"
    return "text"


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def import_text(text: str, fmt: str = "auto", lang: str | None = None) -> str:
    """Convert a policy to dialect Markdown with front matter; never drops a word."""
    from . import vocab

    if fmt not in FORMATS:
        from .errors import PolicylintError
        raise PolicylintError(f"unknown input format {fmt!r}", "use " + ", ".join(FORMATS))
    text = _normalise(text)
    if fmt == "auto":
        fmt = detect_format(text)
    if lang in (None, "", "auto"):
        lang = None
    else:
        lang = vocab.normalise_lang(lang) or lang
    if fmt == "markdown":
        return _markdown(text, lang)

    if fmt == "html":
        blocks, page_title, page_lang = html_blocks(text)
        if lang is None and page_lang:
            lang = vocab.normalise_lang(page_lang)
    else:
        blocks = text_blocks(text, lang)
    plain = "\n".join(_block_plain(b) for b in blocks)
    if lang is None:
        lang = vocab.detect_language(plain)
    title = next((b.plain for b in blocks if isinstance(b, Heading) and b.level == 1), None)
    meta = _front_matter_values(title, plain, lang)
    return _front_matter(meta) + "\n" + render_blocks(blocks, lang)


def _block_plain(b: Block) -> str:
    if isinstance(b, Heading):
        return b.plain
    if isinstance(b, Para):
        return _plain_of(" ".join(b.lines))
    if isinstance(b, ListB):
        return "\n".join(_plain_of(" ".join(it.lines)) + "\n" + "\n".join(
            _block_plain(c) for c in it.children) for it in b.items)
    if isinstance(b, TableB):
        return "\n".join(" ".join(_plain_of(c) for c in r) for r in b.rows)
    return b.text


_EXT_FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown",
                ".markdown": "markdown", ".txt": "text", ".text": "text"}


def read_input(path: str) -> tuple[str, str]:
    """Read a file to import (or '-' for stdin): its text and the format its name suggests.

    UTF-8 first; legacy pages saved as Windows-1252 are accepted too, since a
    published policy is often found in that form. Binary files are refused.
    """
    import sys
    from pathlib import Path

    from .errors import PolicylintError

    if path == "-":
        data = sys.stdin.buffer.read()
        fmt = "auto"
    else:
        p = Path(path)
        if p.exists() and not p.is_file():
            raise PolicylintError(f"{path} is not a regular file", "give the file to import")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise PolicylintError(f"cannot read {path}: {exc.strerror}", "check the path") from None
        fmt = _EXT_FORMATS.get(p.suffix.lower(), "auto")
    name = "standard input" if path == "-" else path
    if b"\x00" in data:
        raise PolicylintError(f"{name} is not a text file", "import text, Markdown or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4000])
        enc = m.group(1).decode("ascii") if m else "cp1252"
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            text = data.decode("cp1252", errors="replace")
    if not text.replace("\ufeff", "").strip():
        raise PolicylintError(f"{name} is empty: nothing to import",
                              "give the published policy as text, Markdown or HTML")
    return text, fmt
