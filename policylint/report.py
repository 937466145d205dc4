"""Lint results as text, JSON, SARIF 2.1.0 or GitHub workflow commands, and the rule docs.

Every formatter takes the same input, ``[(path, Document | None, [Diagnostic])]``, and
returns a string; the CLI decides where it goes. Paths are shown as given; SARIF and
GitHub get forward-slash paths relative to ``root`` (the repository checkout in CI).
"""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path, PurePath
from typing import Iterable, Sequence

from . import __version__
from .ast import Document
from .diagnostic import Diagnostic

Result = tuple[str, "Document | None", Sequence[Diagnostic]]

FORMATS = ("text", "json", "sarif", "github")
INFORMATION_URI = "https://github.com/policylint/policylint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
STDIN_NAMES = ("-", "<stdin>")

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "off": "none"}
_GITHUB_CMD = {"error": "error", "warning": "warning", "info": "notice"}
_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}


def render(fmt: str, results: Sequence[Result], *, color: bool = False,
           root: Path | None = None) -> str:
    """One report in format ``fmt``; ends with a newline."""
    if fmt == "text":
        return format_text(results, color=color)
    if fmt == "json":
        return format_json(results)
    if fmt == "sarif":
        return format_sarif(results, root=root)
    if fmt == "github":
        return format_github(results, root=root)
    raise ValueError(f"unknown format {fmt!r}")


def counts(results: Sequence[Result]) -> Counter:
    c: Counter = Counter()
    for _, _, diags in results:
        c.update(d.severity for d in diags)
    return c


def has_errors(results: Sequence[Result]) -> bool:
    return any(d.severity == "error" for _, _, diags in results for d in diags)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary_line(results: Sequence[Result]) -> str:
    c = counts(results)
    files = _plural(len(results), "file")
    if not results:
        return "No files checked."
    if not sum(c.values()):
        return f"All {files} clean." if len(results) != 1 else "1 file clean."
    return (f"{_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, "
            f"{_plural(c['info'], 'info')} in {files}")


def _sorted(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.line, d.column, d.rule, d.message))


# ------------------------------------------------------------------ text

def format_text(results: Sequence[Result], *, color: bool = False) -> str:
    """Compiler-style: location, code, severity, message; the source line underlined; the fix."""
    def style(s: str, **kw) -> str:
        if not color:
            return s
        import click
        return click.style(s, **kw)

    out: list[str] = []
    for path, doc, diags in results:
        lines = doc.lines if doc is not None else ()
        path = _visible(shown_path(path))
        for d in _sorted(diags):
            sev = style(d.severity, fg=_COLOUR.get(d.severity), bold=True)
            loc = style(f"{path}:{d.line}:{d.column}:", bold=True)
            out.append(f"{loc} {style(d.rule, bold=True)} [{sev}] {_visible(d.message)}")
            if 1 <= d.line <= len(lines):
                src, mark = _underline(_visible(lines[d.line - 1]), d)
                gutter = str(d.line)
                out.append(f" {gutter} | {src}")
                if mark:
                    out.append(f" {' ' * len(gutter)} | {style(mark, fg=_COLOUR.get(d.severity), bold=True)}")
            if d.fix:
                out.append(f"  {style('fix:', fg='green')} {_visible(d.fix)}")
    out.append(summary_line(results))
    return "\n".join(out) + "\n"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_path(path: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates)
    become U+FFFD, so a report can always be printed and written as UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _visible(s: str) -> str:
    """Control characters (an ANSI escape hidden in a policy) shown as U+FFFD, one for one
    so the underline stays aligned."""
    return _CONTROL.sub("\ufffd", s)


def _underline(line: str, d: Diagnostic) -> tuple[str, str]:
    """The line with tabs expanded and a ``^~~~`` marker under the diagnostic's span.

    A span running past this line is underlined to the end of it; an empty span gets a caret.
    """
    start = max(d.column - 1, 0)
    if d.end_line is not None and d.end_line == d.line and d.end_column:
        end = max(d.end_column - 1, start + 1)
    elif d.end_line is not None and d.end_line > d.line:
        end = max(len(line.rstrip()), start + 1)
    else:
        end = start + 1
    expanded = line.expandtabs(4)
    if start > len(line):
        return expanded, ""
    pre = len(line[:start].expandtabs(4))
    width = max(len(line[:min(end, len(line))].expandtabs(4)) - pre, 1)
    return _clip_window(expanded, pre, width)


#: Source lines wider than this are shown as a window around the finding: real policies
#: pasted from the web have paragraphs of a thousand characters on one line.
_WIDTH = 100
_LEAD_IN = 30


def _clip_window(line: str, pre: int, width: int) -> tuple[str, str]:
    """``line`` and its marker, cut to about ``_WIDTH`` columns around the span, with `…`
    where text was left out (the marker stays under the same characters)."""
    if len(line) <= _WIDTH:
        return line, " " * pre + "^" + "~" * (width - 1)
    left = max(0, min(pre - _LEAD_IN, len(line) - _WIDTH))
    right = max(left + _WIDTH, min(pre + width, left + 2 * _WIDTH))
    shown = line[left:right]
    if left:
        shown = "…" + shown
    if right < len(line.rstrip()):
        shown += "…"
    offset = pre - left + (1 if left else 0)
    width = min(width, right - pre)
    return shown, " " * offset + "^" + "~" * (width - 1)


# ------------------------------------------------------------------ json

def to_json(results: Sequence[Result]) -> dict:
    files = []
    for path, doc, diags in results:
        files.append({
            "path": shown_path(path),
            "lang": doc.lang if doc is not None else None,
            "diagnostics": [{
                "rule": d.rule, "name": d.name or None, "severity": d.severity,
                "element": d.element, "message": d.message, "line": d.line,
                "column": d.column, "end_line": d.end_line, "end_column": d.end_column,
                "fix": d.fix,
            } for d in _sorted(diags)],
        })
    c = counts(results)
    return {"files": files, "summary": {"files": len(results), "errors": c["error"],
                                        "warnings": c["warning"], "info": c["info"]}}


def format_json(results: Sequence[Result]) -> str:
    import json
    return json.dumps(to_json(results), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ paths for CI

def relative_path(path: str, root: Path | None = None) -> str | None:
    """``path`` relative to ``root`` with forward slashes; None for stdin; absolute
    (still forward slashes) when outside ``root``."""
    if path in STDIN_NAMES:
        return None
    root = (root or Path.cwd()).resolve()
    p = Path(path)
    full = p if p.is_absolute() else Path.cwd() / p
    try:
        rel = Path(os.path.normpath(full)).relative_to(root)
    except ValueError:
        return PurePath(os.path.normpath(full)).as_posix()
    return rel.as_posix()


# ------------------------------------------------------------------ sarif

def _rule_list() -> list:
    try:
        from . import rules
        return list(rules.all_rules())
    except (ImportError, AttributeError):
        return []


def _line_hash(rule: str, text: str) -> str:
    """Stable across edits elsewhere in the file: depends on the rule and the line's words only."""
    import hashlib
    norm = " ".join(text.split())
    return hashlib.sha256(f"{rule}\0{norm}".encode("utf-8")).hexdigest()[:16]


def _rule_descriptor(rule) -> dict:
    tags = ["gdpr", "privacy"]
    if getattr(rule, "element", None):
        tags.append(str(rule.element))
    category = _category(rule.code)
    if category:
        tags.append(category)
    summary = (rule.summary or rule.name or rule.code).strip()
    rationale = (getattr(rule, "rationale", None) or summary).strip()
    fix = (getattr(rule, "fix", None) or "").strip()
    help_text = fix or summary
    md = f"**{rule.code} {rule.name}**: {summary}\n\n{rationale}"
    if fix:
        md += f"\n\n**Fix:** {fix}"
    md += f"\n\nSuppress one occurrence with `<!-- policylint-disable-next-line {rule.code} -->`."
    return {
        "id": rule.code,
        "name": _pascal(rule.name or rule.code),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": rationale},
        "help": {"text": help_text, "markdown": md},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(getattr(rule, "severity", "error"), "warning")},
        "properties": {"tags": list(dict.fromkeys(tags))},
    }


def _pascal(name: str) -> str:
    # SARIF recommends a PascalCase reportingDescriptor.name ("RetentionPeriod").
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", name) if part)


def _category(code: str) -> str | None:
    m = re.match(r"PL(\d)", code)
    return {"0": "syntax", "1": "completeness", "2": "content", "3": "hygiene",
            "4": "structure", "9": "meta"}.get(m.group(1)) if m else None


class _AdHocRule:
    """Descriptor for a diagnostic whose rule is not registered (e.g. parse errors)."""
    def __init__(self, d: Diagnostic) -> None:
        self.code, self.name, self.severity = d.rule, d.name or d.rule, d.severity
        self.element, self.summary, self.rationale, self.fix = d.element, d.name or d.rule, None, None


def to_sarif(results: Sequence[Result], root: Path | None = None) -> dict:
    from urllib.parse import quote
    rules = _rule_list()
    index = {r.code: i for i, r in enumerate(rules)}
    extra: dict[str, Diagnostic] = {}
    for _, _, diags in results:
        for d in diags:
            if d.rule not in index and d.rule not in extra:
                extra[d.rule] = d
    for code in sorted(extra):
        index[code] = len(rules)
        rules.append(_AdHocRule(extra[code]))

    sarif_results = []
    for path, doc, diags in results:
        rel = relative_path(path, root)
        lines = doc.lines if doc is not None else ()
        seen: Counter = Counter()
        for d in _sorted(diags):
            text = lines[d.line - 1] if 1 <= d.line <= len(lines) else d.message
            h = _line_hash(d.rule, text)
            seen[h] += 1
            region = {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}
            if d.end_line is not None and d.end_line >= d.line:
                region["endLine"] = d.end_line
                if d.end_column is not None and (d.end_line > d.line or d.end_column > d.column):
                    region["endColumn"] = d.end_column
            message = d.message if not d.fix else f"{d.message}\nFix: {d.fix}"
            result = {
                "ruleId": d.rule,
                "ruleIndex": index[d.rule],
                "level": _SARIF_LEVEL.get(d.severity, "warning"),
                "message": {"text": message},
                "partialFingerprints": {"primaryLocationLineHash": f"{h}:{seen[h]}"},
            }
            if rel is not None:
                if rel.startswith("/") or re.match(r"[A-Za-z]:/", rel):
                    artifact = {"uri": Path(rel).as_uri()}
                else:
                    # The file's own bytes, percent-encoded, even when they are not UTF-8.
                    artifact = {"uri": quote(os.fsencode(rel), safe="/"), "uriBaseId": "%SRCROOT%"}
                result["locations"] = [{"physicalLocation": {
                    "artifactLocation": artifact, "region": region}}]
            sarif_results.append(result)

    root_uri = (root or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policylint",
                "informationUri": INFORMATION_URI,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(r) for r in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True}],
            "results": sarif_results,
        }],
    }


def format_sarif(results: Sequence[Result], root: Path | None = None) -> str:
    import json
    return json.dumps(to_sarif(results, root), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ github

def escape_data(s: str) -> str:
    """Workflow-command message escaping (GitHub's toolkit `escapeData`)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Workflow-command property escaping (`escapeProperty`): also ':' and ','."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(results: Sequence[Result], root: Path | None = None) -> str:
    """`::error file=…,line=…::message` annotations, then the summary as a plain line."""
    out = []
    for path, _, diags in results:
        rel = relative_path(path, root)
        for d in _sorted(diags):
            props = []
            if rel is not None:
                props.append(f"file={escape_property(shown_path(rel))}")
            props.append(f"line={d.line}")
            props.append(f"col={d.column}")
            if d.end_line is not None:
                props.append(f"endLine={d.end_line}")
                # GitHub accepts a column range only within one line.
                if d.end_line == d.line and d.end_column is not None:
                    props.append(f"endColumn={d.end_column}")
            title = f"{d.rule} {d.name}".strip()
            props.append(f"title={escape_property(title)}")
            message = d.message if not d.fix else f"{d.message}\nFix: {d.fix}"
            out.append(f"::{_GITHUB_CMD.get(d.severity, 'warning')} {','.join(props)}::{escape_data(message)}")
    out.append(summary_line(results))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ rule docs

def rules_table(rules: Sequence) -> str:
    """Aligned plain-text table: code, name, severity, element, summary."""
    rows = [("CODE", "NAME", "SEVERITY", "ELEMENT", "SUMMARY")]
    rows += [(r.code, r.name, r.severity, r.element or "-", _one_line(r.summary)) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4]
                     for row in rows) + "\n"


def rules_markdown(rules: Sequence) -> str:
    """The rule table as Markdown, as embedded in the README."""
    def cell(s: str | None) -> str:
        return _one_line(s or "").replace("|", "\\|") or "–"
    out = ["| Code | Name | Severity | Element | Summary |", "|---|---|---|---|---|"]
    out += [f"| {r.code} | `{r.name}` | {r.severity} | {cell(r.element)} | {cell(r.summary)} |"
            for r in rules]
    return "\n".join(out) + "\n"


def rules_json(rules: Sequence) -> str:
    import json
    return json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                        "element": r.element, "summary": r.summary,
                        "rationale": r.rationale, "fix": r.fix} for r in rules],
                      indent=2, ensure_ascii=False) + "\n"


def rule_doc(rule) -> str:
    """Everything a user needs about one rule, including how to turn it off."""
    code, name = rule.code, rule.name
    parts = [f"{code} {name}", "=" * len(f"{code} {name}"), "",
             _one_line(rule.summary), "",
             f"Default severity: {rule.severity}"]
    if rule.element:
        parts.append(f"GDPR element:     {rule.element}")
    if rule.rationale:
        parts += ["", "Why", "---", rule.rationale.strip()]
    if rule.fix:
        fix = rule.fix.strip()
        parts += ["", "How to fix", "----------", fix[:1].upper() + fix[1:]]
    parts += ["", "Configure", "---------",
              "In .policylint.toml (or under [tool.policylint] in pyproject.toml):",
              "",
              f'    ignore = ["{code}"]            # never report it (the name "{name}" works too)',
              "",
              "    [severity]",
              f'    {code} = "warning"             # error | warning | info | off',
              "",
              f"On the command line: policylint lint --ignore {code}   (--select {code} runs only this rule)",
              "",
              "Suppress in a policy file",
              "-------------------------",
              f"    <!-- policylint-disable-next-line {code} -->   the next line only",
              f"    <!-- policylint-disable {code} -->             until policylint-enable or the end of the file;",
              "                                                  above the first heading it also covers",
              "                                                  findings about the whole document",
              ""]
    return "\n".join(parts)


def _one_line(s: str | None) -> str:
    return " ".join((s or "").split())


def use_color(flag: bool | None, stream=None) -> bool:
    """--color/--no-color win; otherwise NO_COLOR (any non-empty value) turns colour off,
    and colour is used only on a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return _isatty(stream)


def _isatty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):   # a closed or detached stream
        return False
