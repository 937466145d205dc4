"""Project configuration: `.policylint.toml` or `[tool.policylint]` in `pyproject.toml`.

Every mistake in a config file is a :class:`ConfigError` naming the file, the key and
its line, with a suggestion, because a silently ignored setting is worse than none.
jsonschema is imported only when a config file exists, so linting without one starts fast.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Iterable, Mapping

from .errors import ConfigError

CONFIG_NAME = ".policylint.toml"
PYPROJECT = "pyproject.toml"
SEVERITY_VALUES = ("error", "warning", "info", "off")
DEFAULT_INCLUDE = ("**/*.md",)
DEFAULT_MATERIAL_KINDS = ("purposes", "data-categories", "recipients", "transfers",
                          "automated-decisions", "legal-basis", "controller")


class FrozenMap(dict):
    """A dict that refuses changes and hashes, so a Config can be a cache key."""

    def _readonly(self, *args, **kwargs):
        raise TypeError("Config.severity is read-only; use dataclasses.replace")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self):   # copy and pickle rebuild it in one step, not item by item
        return (FrozenMap, (dict(self),))


_TUPLE_FIELDS = ("select", "ignore", "required_sections", "languages", "include", "exclude",
                 "material_kinds")


@dataclass(frozen=True)
class Config:
    """Settings every command reads. Sequences are tuples and ``severity`` is read-only,
    so one Config can be shared by every stage without any of them changing it."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=FrozenMap)
    profile: str = "gdpr"
    required_sections: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    notice_days: int = 30
    notice_from: str | None = None
    notice_reply_to: str | None = None
    notice_url: str | None = None
    notice_templates: str | None = None   # absolute, resolved against the config file's folder
    material_kinds: tuple[str, ...] = DEFAULT_MATERIAL_KINDS
    retention_threshold_days: int = 0
    source: str | None = None             # the file this came from; None = built-in defaults

    def __post_init__(self) -> None:
        # Callers (tests, other modules) may pass lists and dicts: store immutable copies.
        for name in _TUPLE_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        if not isinstance(self.severity, FrozenMap):
            object.__setattr__(self, "severity", FrozenMap(self.severity or {}))

    @property
    def root(self) -> Path | None:
        """The folder globs are relative to: the config file's folder."""
        return Path(self.source).resolve().parent if self.source else None

    def with_rules(self, select: Iterable[str] | None = None,
                   ignore: Iterable[str] | None = None) -> "Config":
        """Command-line overrides: --select replaces the config's list, --ignore adds to it."""
        changes: dict = {}
        if select is not None:
            changes["select"] = tuple(_norm_rule(c) for c in select)
        if ignore is not None:
            changes["ignore"] = self.ignore + tuple(_norm_rule(c) for c in ignore
                                                    if _norm_rule(c) not in self.ignore)
        return replace(self, **changes)


DEFAULT = Config()

# TOML key -> Config field, for the top level and the [notice] table.
_TOP = {"select": "select", "ignore": "ignore", "severity": "severity", "profile": "profile",
        "required-sections": "required_sections", "languages": "languages",
        "include": "include", "exclude": "exclude", "notice-days": "notice_days",
        "material-kinds": "material_kinds",
        "retention-threshold-days": "retention_threshold_days"}
_NOTICE = {"from": "notice_from", "reply-to": "notice_reply_to", "url": "notice_url",
           "templates": "notice_templates"}


# ------------------------------------------------------------------ discovery

def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``.

    In each folder `.policylint.toml` wins over `pyproject.toml`; a pyproject without a
    `[tool.policylint]` table is skipped. The walk stops at the repository root (the
    folder holding `.git`), so a stray file above a checkout never applies.
    """
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _has_tool_table(_read(candidate), candidate):
            return candidate
        if (folder / ".git").exists():
            return None
    return None


_TOOL_KEY = re.compile(r"^\s*(?:\[\s*tool\s*\.\s*[\"']?policylint\b|tool\s*\.\s*[\"']?policylint\b"
                       r"|[\"']?policylint[\"']?\s*[.=])", re.M)


def _has_tool_table(text: str, path: Path | None = None) -> bool:
    """Whether a pyproject.toml configures policylint, in any TOML spelling
    (`[tool.policylint]`, `tool.policylint.select = ...`, `[tool]` + `policylint = {...}`).

    A textual check first, since parsing every pyproject.toml on the way up costs
    start-up time; one that mentions policylint (in a comment, say) is parsed to be sure.
    A file that cannot be parsed counts when a line looks like policylint's settings,
    so that the syntax error is reported rather than the settings silently ignored.
    """
    if "policylint" not in text:
        return False
    import tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return _TOOL_KEY.search(text) is not None
    tool = data.get("tool")
    return isinstance(tool, dict) and "policylint" in tool


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as e:
        data = e.object
        line = data.count(b"\n", 0, e.start) + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8 (byte 0x{data[e.start]:02x})",
                          "save it as UTF-8") from None
    except OSError as e:
        raise ConfigError(f"cannot read config file {path}: {e.strerror}", "check the path and its permissions") from None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """The effective config: ``explicit`` (``--config FILE``), else the nearest file
    above ``start`` (default: the current folder), else the built-in defaults."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist",
                              "check the --config path")
    else:
        found = find_config(Path(start) if start is not None else Path.cwd())
        if found is None:
            return DEFAULT
        path = found
    return load_file(path)


def load_file(path: Path) -> Config:
    """Parse, validate and convert one config file."""
    import tomllib

    text = _read(path)
    is_pyproject = path.name == PYPROJECT
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            where, msg = f"{path}:{m.group(1)}:{m.group(2)}", msg[:m.start()].strip()
        elif "(at end of document)" in msg:
            where = f"{path}:{len(text.splitlines()) or 1}"
            msg = msg.replace("(at end of document)", "at the end of the file").strip()
        else:
            where = str(path)
        raise ConfigError(f"{where}: invalid TOML: {msg}",
                          "check quotes, brackets and commas on that line") from None
    if is_pyproject:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "policylint" not in tool:
            raise ConfigError(f"{path} has no [tool.policylint] table",
                              "add one, or put the settings in .policylint.toml")
        data = tool["policylint"]
        if not isinstance(data, dict):
            m = _TOOL_KEY.search(text)
            line = text.count("\n", 0, m.start()) + 1 if m else None
            raise ConfigError(f"{path}:{line}: tool.policylint must be a table" if line else
                              f"{path}: tool.policylint must be a table", "write [tool.policylint]")
    _validate(data, text, path, is_pyproject)
    return _convert(data, path)


# ------------------------------------------------------------------ validation

def _validate(data: dict, text: str, path: Path, is_pyproject: bool) -> None:
    from .resources import schema

    sch = schema("config")
    if not quick_ok(data, sch):
        # jsonschema costs ~70 ms to import: only a config with a mistake pays for it.
        errors = sorted(_validator(sch).iter_errors(data),
                        key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            _raise_schema_error(errors[0], data, sch, text, path, is_pyproject)
    _check_rule_names(data, text, path, is_pyproject)
    _check_languages(data, text, path, is_pyproject)


def _validator(sch: dict):
    """Draft 2020-12, except that an integer is an int: TOML's `30.0` is a float, and
    `notice-days = 30.0` would otherwise pass and print as "30.0 days"."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, v: isinstance(v, int) and not isinstance(v, bool))
    return jsonschema.validators.extend(base, type_checker=checker)(sch)


_QUICK_TYPES = {"object": dict, "array": list, "string": str, "integer": int}


def quick_ok(value, sch: dict, node: dict | None = None) -> bool:
    """True when the schema surely accepts ``value``: the subset of JSON Schema the
    config schema uses. False means "ask jsonschema", which also writes the message."""
    node = sch if node is None else node
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            return False
        node = {**sch["$defs"][ref[len("#/$defs/"):]],
                **{k: v for k, v in node.items() if k != "$ref"}}
    known = {"type", "enum", "pattern", "minLength", "minimum", "maximum", "uniqueItems",
             "items", "properties", "additionalProperties", "propertyNames", "description",
             "$schema", "$id", "title", "$defs", "format"}
    if set(node) - known:
        return False
    if "type" in node:
        want = _QUICK_TYPES.get(node["type"]) if isinstance(node["type"], str) else None
        if want is None or isinstance(value, bool) or not isinstance(value, want):
            return False
    if "enum" in node and (isinstance(value, bool) or value not in node["enum"]
                           or not isinstance(value, str)):
        return False
    if isinstance(value, str):
        if len(value) < node.get("minLength", 0):
            return False
        if "pattern" in node and not re.search(node["pattern"], value):
            return False
    if isinstance(value, int) and not isinstance(value, bool):
        if value < node.get("minimum", value) or value > node.get("maximum", value):
            return False
    if isinstance(value, list):
        if node.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            return False
        if "items" in node and not all(quick_ok(v, sch, node["items"]) for v in value):
            return False
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        names = node.get("propertyNames")
        for k, v in value.items():
            if names is not None and not quick_ok(k, sch, names):
                return False
            if k in props:
                if not quick_ok(v, sch, props[k]):
                    return False
            elif extra is False or (isinstance(extra, dict) and not quick_ok(v, sch, extra)):
                return False
    return True


def _raise_schema_error(err, data: dict, sch: dict, text: str, path: Path,
                        is_pyproject: bool) -> None:
    # Array items are reported by their key, not the index.
    keys = [str(p) for p in err.absolute_path if not isinstance(p, int)]
    located = keys + [str(err.instance)] if "propertyNames" in err.absolute_schema_path else None
    hint = None
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = list((err.schema.get("properties") or {}).keys())
        bad = sorted(k for k in err.instance if k not in allowed)
        key = bad[0] if bad else "?"
        keys = keys + [key]
        top = "[tool.policylint]" if is_pyproject else "the top level"
        table = f"[{'.'.join(keys[:-1])}]" if len(keys) > 1 else top
        message = f"unknown key '{key}' in {table}"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if not close and key.replace("_", "-") in allowed:
            close = [key.replace("_", "-")]
        hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(allowed)
    elif err.validator == "enum":
        choices = [str(c) for c in err.validator_value]
        value = err.instance
        message = f"'{'.'.join(keys)}' is {value!r}, not one of {', '.join(choices)}"
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(choices)}"
    elif err.validator == "type":
        want = err.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        message = f"'{'.'.join(keys) or 'config'}' must be {_article(want)}, not {err.instance!r}"
        hint = _type_hint(want)
    elif err.validator == "pattern" and "A rule code" in str(err.schema.get("description", "")):
        message = f"unknown rule '{err.instance}' in {keys[0] if keys else 'config'}"
        hint = suggest_rule(str(err.instance)) if _known_rules() else \
            "use a code like PL204 or a name like retention-period; see `policylint rules`"
    elif err.validator == "pattern":
        message = f"'{'.'.join(keys)}': {err.instance!r} does not match the expected form"
        hint = err.schema.get("description") or f"it must match {err.validator_value}"
    elif err.validator == "uniqueItems":
        message = f"'{'.'.join(keys)}' lists the same value twice"
        hint = "remove the duplicate"
    else:
        message = f"'{'.'.join(keys) or 'config'}': {err.message}"
        hint = err.schema.get("description")
    line = _key_line(text, located or keys, is_pyproject)
    where = f"{path}:{line}" if line else str(path)
    raise ConfigError(f"{where}: {message}", hint)


def _article(word: str) -> str:
    return {"integer": "an integer", "array": "a list", "object": "a table",
            "string": "a string"}.get(word, f"a {word}")


def _type_hint(want: str) -> str:
    return {"array": 'write a list, e.g. ["PL204"]',
            "integer": "write a whole number without quotes, e.g. 30",
            "string": "put the value in quotes", "object": "write a [table]"}.get(want, f"use {want}")


def _check_rule_names(data: dict, text: str, path: Path, is_pyproject: bool) -> None:
    """Unknown rule codes or names in select/ignore/severity: nearly always a typo."""
    known = _known_rules()
    for key in ("select", "ignore", "severity"):
        values = data.get(key) or ()
        for value in values:
            if _norm_rule(value) in known or (key != "severity" and _is_prefix(value, known)):
                continue
            line = _key_line(text, [key, value] if key == "severity" else [key], is_pyproject)
            where = f"{path}:{line}" if line else str(path)
            raise ConfigError(f"{where}: unknown rule '{value}' in {key}", suggest_rule(value, known))


def _check_languages(data: dict, text: str, path: Path, is_pyproject: bool) -> None:
    """The schema checks a language tag's form; the language files say which exist."""
    from .vocab import LANGS, normalise_lang
    for value in data.get("languages") or ():
        if not normalise_lang(value):
            line = _key_line(text, ["languages"], is_pyproject)
            where = f"{path}:{line}" if line else str(path)
            raise ConfigError(f"{where}: policylint has no vocabulary for language '{value}'",
                              "use one of " + ", ".join(LANGS))


def _known_rules() -> set[str]:
    from . import rules
    out: set[str] = set()
    for r in rules.all_rules():
        out.add(r.code)
        out.add(r.name)
    return out


def _norm_rule(value: str) -> str:
    v = value.strip()
    return v.upper() if re.fullmatch(r"[A-Za-z]{2}\d{0,3}", v) else v


def _is_prefix(value: str, known: Iterable[str]) -> bool:
    """`PL3` selects the PL3xx family (select/ignore only, as the lint engine reads them)."""
    v = _norm_rule(value)
    return bool(re.fullmatch(r"[A-Z]{2}\d{0,2}", v)) and any(k.startswith(v) for k in known)


def check_rules(values: Iterable[str], option: str) -> None:
    """Validate rule codes/names given on the command line."""
    known = _known_rules()
    if not known:
        return
    for v in values:
        if _norm_rule(v) not in known and not _is_prefix(v, known):
            raise ConfigError(f"unknown rule '{v}' in {option}", suggest_rule(v, known))


def suggest_rule(value: str, known: Iterable[str] | None = None) -> str:
    known = sorted(known if known is not None else _known_rules())
    close = difflib.get_close_matches(_norm_rule(value), known, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "? `policylint rules` lists them all"
    return "`policylint rules` lists every code and name"


def _key_line(text: str, keys: list[str], is_pyproject: bool) -> int | None:
    """The line a (possibly nested) key is written on: tables are tracked, dotted and
    inline forms are recognised, and failing that the first mention of the last key."""
    if not keys:
        return None
    prefix = ["tool", "policylint"] if is_pyproject else []
    table: list[str] = []
    header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
    lines = text.splitlines()
    want = prefix + keys
    for no, raw in enumerate(lines, 1):
        m = header.match(raw)
        if m:
            table = [p.strip().strip('"\'') for p in m.group(1).split(".")]
            if table == want:
                return no
            continue
        km = re.match(r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=", raw)
        if not km:
            continue
        dotted = [p.strip().strip('"\'') for p in km.group(1).split(".")]
        full = table + dotted
        if full == want or (full == want[:len(full)] and len(full) >= len(prefix) + 1
                            and keys[-1] in raw):
            return no
    last = keys[-1]
    for no, raw in enumerate(lines, 1):
        if re.search(rf"(?<![A-Za-z0-9_-])[\"']?{re.escape(last)}[\"']?(?![A-Za-z0-9_-])", raw):
            return no
    return None


# ------------------------------------------------------------------ conversion

def _convert(data: dict, path: Path) -> Config:
    values: dict = {"source": str(path)}
    for key, attr in _TOP.items():
        if key not in data:
            continue
        value = data[key]
        if attr == "severity":
            value = {_norm_rule(k): v for k, v in value.items()}
        elif attr in ("select", "ignore"):
            value = tuple(_norm_rule(v) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[attr] = value
    for key, attr in _NOTICE.items():
        if key in data.get("notice", {}):
            values[attr] = data["notice"][key]
    if values.get("notice_templates"):
        values["notice_templates"] = str((path.resolve().parent / values["notice_templates"]).resolve())
    return Config(**values)


def config_fields() -> list[str]:
    """Field names, for documentation and tests."""
    return [f.name for f in fields(Config)]
