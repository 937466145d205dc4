"""Front matter validation against the shipped JSON Schema.

jsonschema costs ~70 ms to import, a third of a pre-commit run's budget, so a
small check driven by the same schema runs first; jsonschema is imported only when
that check finds something to report, and writes the messages. Both read one
schema file, and a test holds them to the same verdicts.
"""
from __future__ import annotations

import re
from datetime import date

from .ast import FrontMatter
from .diagnostic import Diagnostic
from .resources import schema


def schema_keys() -> list[str]:
    """Keys in canonical order (the order `fmt` writes)."""
    return list(schema("front-matter")["properties"])


def _instance(fm: FrontMatter) -> dict:
    return {e.key: (e.value.isoformat() if isinstance(e.value, date) else e.value)
            for e in fm.entries}


_TYPES = {"string": str, "integer": int, "array": list}


def quick_ok(instance: dict) -> bool:
    """True when the schema surely accepts the instance (the subset we use)."""
    props = schema("front-matter")["properties"]
    for key, value in instance.items():
        spec = props.get(key)
        if spec is None:
            return False
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        if isinstance(value, bool) or not any(isinstance(value, _TYPES[t]) for t in types):
            return False
        if isinstance(value, str):
            if len(value) < spec.get("minLength", 0):
                return False
            if "pattern" in spec and not re.search(spec["pattern"], value):
                return False
            if spec.get("format") == "date":
                try:
                    date.fromisoformat(value)
                except ValueError:
                    return False
        if isinstance(value, list) and not all(isinstance(v, str) and v for v in value):
            return False
        if isinstance(value, int):
            if value < spec.get("minimum", value) or value > spec.get("maximum", value):
                return False
    return True


def validate_front_matter(fm: FrontMatter) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for e in fm.entries:
        if e.key in seen:
            out.append(_diag(e.line, e.key, f"front matter key '{e.key}' repeats line {seen[e.key]}",
                             "keep one of the two lines"))
        seen.setdefault(e.key, e.line)
    instance = _instance(fm)
    out.extend(_unknown_language(fm))
    if quick_ok(instance):
        return out
    import difflib

    import jsonschema

    sch = schema("front-matter")
    props = list(sch["properties"])
    validator = jsonschema.Draft202012Validator(sch, format_checker=jsonschema.FormatChecker())
    lines = {e.key: e for e in fm.entries}
    for err in sorted(validator.iter_errors(instance), key=lambda er: list(er.path)):
        if err.validator == "additionalProperties":
            for key in sorted(set(instance) - set(props), key=lambda k: lines[k].line):
                near = difflib.get_close_matches(key, props, n=1, cutoff=0.6)
                fix = (f"did you mean '{near[0]}'?" if near
                       else "known keys: " + ", ".join(props))
                out.append(_diag(lines[key].line, key, f"unknown front matter key '{key}'", fix))
            continue
        key = str(err.path[0]) if err.path else ""
        entry = lines.get(key)
        spec = sch["properties"].get(key, {})
        if err.validator in ("format", "pattern") and spec.get("format") == "date":
            msg = f"'{key}' is not a valid date: {entry.raw if entry else err.instance!r}"
            fix = "write the date as YYYY-MM-DD, e.g. 2026-03-01"
        elif err.validator == "pattern":
            msg = f"'{key}' has an unexpected form: {entry.raw if entry else err.instance!r}"
            fix = spec.get("description", "see docs/dialect.md")
        else:
            msg = f"'{key}': {err.message}"
            fix = spec.get("description")
        out.append(_diag(entry.line if entry else fm.span.line, key, msg, fix))
    # One finding per key is enough (a bad date fails both pattern and format).
    unique, seen_msgs = [], set()
    for d in out:
        k = (d.line, d.message.split(":")[0])
        if k not in seen_msgs:
            seen_msgs.add(k)
            unique.append(d)
    return unique


def _unknown_language(fm: FrontMatter) -> list[Diagnostic]:
    """A well-formed tag of a language with no vocabulary (`lang: es`): the schema only
    checks the form, so that the list of languages is the folder of language files."""
    from .vocab import LANGS, normalise_lang
    e = next((e for e in fm.entries if e.key == "lang"), None)
    if e is None or not isinstance(e.value, str) or normalise_lang(e.value) \
            or not re.fullmatch(schema("front-matter")["properties"]["lang"]["pattern"], e.value):
        return []
    return [_diag(e.line, "lang", f"policylint has no vocabulary for lang '{e.value}'",
                  "use one of " + ", ".join(LANGS) + ", or add policylint/lang/"
                  f"{e.value.split('-')[0].lower()}.toml")]


def _diag(line: int, key: str, message: str, fix: str | None) -> Diagnostic:
    return Diagnostic("PL003", message, line, 1, line, len(key) + 1, severity="error",
                      name="front-matter", fix=fix)
