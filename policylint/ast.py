"""The typed syntax tree every part of policylint reads.

All nodes are frozen: the linter, differ and renderer share one parse and must not
be able to disturb each other. Positions are 1-based; ``end_column`` is exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator, Union

#: The fixed vocabulary of GDPR section kinds a heading tag may name (`{#retention}`).
SECTION_KINDS: tuple[str, ...] = (
    "controller", "contact", "dpo", "purposes", "legal-basis", "data-categories",
    "sources", "recipients", "transfers", "retention", "rights", "consent-withdrawal",
    "complaint", "automated-decisions", "security", "cookies", "children", "changes",
)

#: Elements below section level that rules report on (Art. 13(2)(b) rights).
RIGHT_ELEMENTS: tuple[str, ...] = (
    "right-access", "right-rectification", "right-erasure", "right-restriction",
    "right-objection", "right-portability",
)


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Duration:
    """A retention period or criterion found in text.

    ``days`` is the normalised length (a year is 365 days, a month 30) so that
    `2 år` and `24 months` compare; criteria ('as long as necessary') have ``days=None``.
    """
    text: str
    days: int | None
    criterion: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """What later stages compare inside a piece of text."""
    durations: tuple[Duration, ...] = ()
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.durations or self.emails or self.urls or self.phones)


NO_FACTS = Facts()


@dataclass(frozen=True, slots=True)
class Clause:
    """A labelled statement: `- **Invoices:** 7 years (Bookkeeping Act)`."""
    label: str
    body: str
    facts: Facts
    span: Span


@dataclass(frozen=True, slots=True)
class Paragraph:
    raw: str            # Markdown source, lines joined with "\n"
    text: str           # plain text: inline markup removed, lines joined by a space
    facts: Facts
    clause: Clause | None
    span: Span


@dataclass(frozen=True, slots=True)
class ListItem:
    raw: str
    text: str
    marker: str          # "-", "*", "+", "•", "1.", "2)" …
    facts: Facts
    clause: Clause | None
    children: tuple["Block", ...]   # nested lists and continuation blocks
    span: Span


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    raw: str
    facts: Facts
    span: Span


@dataclass(frozen=True, slots=True)
class BlockQuote:
    raw: str
    text: str
    facts: Facts
    span: Span


@dataclass(frozen=True, slots=True)
class CodeBlock:
    info: str
    code: str
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class Directive:
    """`<!-- policylint-disable PL204 -->`: ``action`` is disable, enable or disable-next-line."""
    action: str
    rules: tuple[str, ...]
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class RawBlock:
    """Anything not understood: kept verbatim, never dropped."""
    raw: str
    reason: str
    span: Span


Block = Union[Paragraph, ListBlock, Table, BlockQuote, CodeBlock, HtmlBlock,
              ThematicBreak, Directive, RawBlock]


@dataclass(frozen=True, slots=True)
class FrontMatterEntry:
    key: str
    value: object        # str, int, date or list[str]
    raw: str             # the value as written
    line: int


@dataclass(frozen=True, slots=True)
class FrontMatter:
    entries: tuple[FrontMatterEntry, ...]
    span: Span

    def get(self, key: str, default: object = None) -> object:
        for e in self.entries:
            if e.key == key:
                return e.value
        return default

    def entry(self, key: str) -> FrontMatterEntry | None:
        for e in self.entries:
            if e.key == key:
                return e
        return None

    def as_dict(self) -> dict[str, object]:
        return {e.key: e.value for e in self.entries}


@dataclass(frozen=True, slots=True)
class Section:
    heading: str            # plain heading text, tag removed
    heading_raw: str        # heading text as written (inline markup kept, tag removed)
    level: int
    style: str              # "atx" or "setext"
    tag: str | None         # the `{#…}` anchor as written, if any
    kind: str | None        # one of SECTION_KINDS
    kind_source: str | None  # "tag", "heading" or None
    blocks: tuple[Block, ...]
    sections: tuple["Section", ...]
    span: Span              # the heading itself
    end_line: int           # last line of the section including subsections

    def walk(self) -> Iterator["Section"]:
        yield self
        for s in self.sections:
            yield from s.walk()


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    front_matter: FrontMatter | None
    blocks: tuple[Block, ...]          # the preamble before the first heading
    sections: tuple[Section, ...]
    lang: str | None                   # front matter `lang`, else detected
    lang_source: str | None            # "front-matter", "detected" or None
    diagnostics: tuple = ()            # parse diagnostics (policylint.diagnostic.Diagnostic)
    line_count: int = 0
    lines: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def title(self) -> str | None:
        fm = self.front_matter.get("title") if self.front_matter else None
        if fm:
            return str(fm)
        for s in self.sections:
            if s.level == 1:
                return s.heading
        return None

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in document order."""
        for s in self.sections:
            yield from s.walk()

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.walk() if s.kind == kind]


def front_value(doc: Document, key: str, default: object = None) -> object:
    return doc.front_matter.get(key, default) if doc.front_matter else default


def block_text(block: Block) -> str:
    """Plain text of any block, for searching and comparing."""
    if isinstance(block, (Paragraph, BlockQuote)):
        return block.text
    if isinstance(block, ListBlock):
        return "\n".join(item_text(i) for i in block.items)
    if isinstance(block, Table):
        return "\n".join(" | ".join(r) for r in (block.header, *block.rows))
    if isinstance(block, CodeBlock):
        return block.code
    if isinstance(block, RawBlock):
        return block.raw
    return ""


def item_text(item: ListItem) -> str:
    parts = [item.text]
    parts.extend(block_text(b) for b in item.children)
    return "\n".join(p for p in parts if p)


def section_text(section: Section, deep: bool = True) -> str:
    """The section's body text (not its heading), optionally with subsections."""
    parts = [block_text(b) for b in section.blocks]
    if deep:
        for sub in section.sections:
            parts.append(sub.heading)
            parts.append(section_text(sub))
    return "\n".join(p for p in parts if p)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Blocks depth first, list items' children included."""
    for b in blocks:
        yield b
        if isinstance(b, ListBlock):
            for it in b.items:
                yield from iter_blocks(it.children)


def block_facts(block: Block) -> Facts:
    return getattr(block, "facts", NO_FACTS)


def clauses(blocks: tuple[Block, ...]) -> Iterator[Clause]:
    for b in iter_blocks(blocks):
        if isinstance(b, Paragraph) and b.clause:
            yield b.clause
        elif isinstance(b, ListBlock):
            for it in b.items:
                if it.clause:
                    yield it.clause


__all__ = [
    "SECTION_KINDS", "RIGHT_ELEMENTS", "Span", "Duration", "Facts", "NO_FACTS", "Clause",
    "Paragraph", "ListItem", "ListBlock", "Table", "BlockQuote", "CodeBlock", "HtmlBlock",
    "ThematicBreak", "Directive", "RawBlock", "Block", "FrontMatterEntry", "FrontMatter",
    "Section", "Document", "front_value", "block_text", "item_text", "section_text",
    "iter_blocks", "block_facts", "clauses", "date",
]
