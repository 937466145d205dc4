"""PL4xx: the shape of the document — what readers navigate and what the differ keys on."""
from __future__ import annotations

from typing import Iterator

from . import Finding, rule
from ..lint import Context, quote

#: Kinds a policy should state once; a second section of the kind splits the answer.
SINGLE_KINDS = ("controller", "contact", "dpo", "retention", "rights", "complaint",
                "changes", "consent-withdrawal", "automated-decisions", "children")


@rule("PL401", "duplicate-section", "warning", None,
      summary="A kind that should be stated once has one section.",
      rationale="Art. 12(1) GDPR asks for concise, easily accessible information: two "
                "retention or two rights sections make readers reconcile them, and the "
                "differ cannot tell which one changed.",
      fix="merge the sections, or make the second a subsection of the first")
def duplicate_section(ctx: Context) -> Iterator[Finding]:
    first: dict[tuple, object] = {}
    for s in ctx.sections:
        if s.kind not in SINGLE_KINDS:
            continue
        # Siblings only: 'Your rights' under a regional addendum is not a second answer.
        key = (s.kind, id(ctx.parents.get(id(s))))
        prev = first.get(key)
        if prev is None:
            first[key] = s
            continue
        yield ctx.at_heading(s, f"second '{s.kind}' section {quote(s.heading)}; the first is "
                                f"{quote(prev.heading)} on line {prev.span.line}", element=s.kind)


@rule("PL402", "empty-section", "warning", None,
      summary="Every heading has content or subsections.",
      rationale="An empty heading promises information the policy does not give; under "
                "a mandatory heading (retention, rights) it hides that the element is "
                "missing (Art. 13 GDPR).",
      fix="write the section's text, or remove the heading")
def empty_section(ctx: Context) -> Iterator[Finding]:
    for s in ctx.sections:
        if s.sections or ctx.section_units(s, deep=False):
            continue
        if any(getattr(b, "raw", "").strip() for b in s.blocks
               if type(b).__name__ in ("CodeBlock", "HtmlBlock")):
            continue
        yield ctx.at_heading(s, f"section {quote(s.heading)} is empty", element=s.kind)


@rule("PL403", "heading-level-skip", "warning", None,
      summary="Heading levels go down one at a time.",
      rationale="Skipping from ## to #### breaks the outline screen readers and tables of "
                "contents build, against the 'easily accessible' requirement of Art. 12(1) "
                "GDPR; it usually means a heading was mistyped.",
      fix="use the next level down (one more #)")
def heading_level_skip(ctx: Context) -> Iterator[Finding]:
    prev = None
    for s in ctx.sections:
        if prev is not None and s.level > prev + 1:
            yield ctx.at_heading(
                s, f"heading level {s.level} follows level {prev}: {quote(s.heading)}",
                fix=f"make it a level {prev + 1} heading ({'#' * (prev + 1)} …)")
        prev = s.level


@rule("PL404", "untagged-heading", "info", None,
      summary="Headings the vocabulary recognises carry their kind tag.",
      rationale="A tag (`{#retention}`) makes the section's GDPR element explicit: it "
                "survives rewording and translation, and lets the differ classify changes "
                "to it as material (WP260 para. 29) without guessing from the heading.",
      fix="append the tag to the heading")
def untagged_heading(ctx: Context) -> Iterator[Finding]:
    for s in ctx.sections:
        if s.kind and s.kind_source == "heading" and s.tag is None:
            yield ctx.at_heading(s, f"heading {quote(s.heading)} recognised as '{s.kind}'; "
                                    f"add {{#{s.kind}}}", element=s.kind,
                                 fix=f"write `{'#' * s.level} {s.heading_raw} {{#{s.kind}}}`")
