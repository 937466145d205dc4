"""Change notices: tell the people a policy is about what changed, before it applies.

WP260 rev.01 paras 29–31 ask for material changes to be communicated *well in
advance*, in clear and plain language, by a message devoted to the change (no
marketing). So a notice is built from the diff's structured :class:`Evidence`, one
plain sentence per material change in the policy's own language, never a redline.

Phrasings are data (``templates/notice/<lang>.toml``); a release manager overrides
them per language from the config's ``notice.templates`` folder (same file names,
keys merged over the shipped ones).

**Days of notice** are counted from ``today`` (the day the notice is built, i.e. the
earliest day it can be sent) to the ``effective`` date: a notice built on 2026-05-01
for a policy effective 2026-06-01 gives 31 days. The ``updated`` date is not used,
because a text edited long ago but announced today gives users only today's notice.

Policy text reaches four output formats; each renderer escapes for its own syntax:
Markdown punctuation is backslash-escaped, HTML goes through markdown-it with raw
HTML disabled, and e-mail headers are reduced to one line before they are set.
"""
from __future__ import annotations

import re
import string
import textwrap
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import resources
from .errors import ConfigError, PolicylintError

if TYPE_CHECKING:  # pragma: no cover
    from .diff import Change, DocDiff, Evidence

#: Languages with shipped phrasings.
SHIPPED_LANGS: tuple[str, ...] = resources.shipped_langs("templates/notice", ".toml")
DEFAULT_LANG = "en"
DEFAULT_NOTICE_DAYS = 30
WIDTH = 72
SUBJECT_LIMIT = 150          # characters of an e-mail subject; longer titles are shortened

#: Keys every template file must have (after merging overrides over shipped files).
REQUIRED_KEYS: tuple[str, ...] = (
    "subject", "greeting", "intro", "effective", "effective-missing", "notice-days",
    "link", "minor-one", "minor-many", "minor-heading", "rights", "sign-off", "date",
    "months", "evidence",
)

#: Evidence that only says *where* something changed; dropped next to specific evidence.
_GENERIC_TYPES = frozenset({"text-changed", "section-added"})
#: Evidence types whose subject is what was taken away (``{what}`` = old text).
_REMOVAL_TYPES = frozenset({"recipient-removed", "purpose-removed", "section-removed",
                            "right-removed"})

_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")   # C0 and C1 controls
_SPACES = re.compile(r"[^\S\r\n\v\f\x85\u2028\u2029]+")   # any run of spaces, incl. NBSP


# ------------------------------------------------------------------ the notice

@dataclass(frozen=True)
class Notice:
    """A rendered-to-sentences change notice; renderers only lay it out.

    Sentences are plain text in the notice's language (policy text already
    inserted, not yet escaped); ``changes`` holds one sentence per material change.
    """
    lang: str
    title: str
    version: str | None
    old_version: str | None
    material: bool
    subject: str
    greeting: str
    intro: str
    changes: tuple[str, ...]
    minor: tuple[str, ...]             # listed only with include_minor
    minor_heading: str
    minor_summary: str | None          # the one-line summary otherwise
    effective: date | None
    effective_line: str
    days_notice: int | None            # effective - today, None without an effective date
    required_days: int
    notice_line: str | None
    rights_line: str | None
    url: str | None
    link_line: str | None
    sign_off: tuple[str, ...]          # lines
    today: date
    updated: date | None = None
    controller: str | None = None
    warnings: tuple[str, ...] = ()


# ------------------------------------------------------------------ templates

def normalise_lang(lang: str | None) -> str | None:
    """`sv-SE` -> `sv`, `no`/`nn` -> `nb` (the Norwegian phrasings are Bokmål)."""
    if not lang:
        return None
    base = str(lang).strip().lower().replace("_", "-").split("-")[0]
    return {"no": "nb", "nn": "nb"}.get(base, base) or None


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}", "fix the notice template file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8", "save it as UTF-8") from None


def _merge(base: dict, over: Mapping) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), dict) else v
    return out


def template_dirs(config: Any = None) -> list[Path]:
    """Folders searched for `<lang>.toml`, the shipped one first (overrides merge over it)."""
    dirs = [resources.path("templates", "notice")]
    extra = getattr(config, "notice_templates", None)
    if extra:
        p = Path(extra)
        if not p.is_dir():
            raise ConfigError(f"notice templates folder {p} does not exist",
                              "fix notice.templates in the config")
        dirs.append(p)
    return dirs


def available_langs(config: Any = None) -> list[str]:
    out: set[str] = set()
    for d in template_dirs(config):
        out.update(p.stem for p in d.glob("*.toml"))
    return sorted(out)


def load_templates(lang: str, config: Any = None) -> dict:
    """The phrasings for ``lang``: the shipped file with the config's file merged over it."""
    data: dict = {}
    found: list[Path] = []
    for d in template_dirs(config):
        f = d / f"{lang}.toml"
        if f.is_file():
            data = _merge(data, _read_toml(f))
            found.append(f)
    if not found:
        raise PolicylintError(f"no notice phrasings for language '{lang}'",
                              "available: " + ", ".join(available_langs(config)))
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ConfigError(f"{found[-1]}: notice template lacks {', '.join(missing)}",
                          f"copy the keys from the shipped {lang}.toml")
    months = data["months"]
    if not (isinstance(months, list) and len(months) == 12):
        raise ConfigError(f"{found[-1]}: 'months' must list 12 month names", "list January to December")
    _check_phrases(data, found[-1])
    return data


#: Every placeholder a phrasing may use (see en.toml).
PLACEHOLDERS = frozenset({
    "title", "version", "old_version", "controller", "contact", "url", "date", "days", "count",
    "label", "label_lc", "old", "new", "detail", "what", "section", "right", "old_days",
    "new_days", "day", "month", "month_no", "year", "iso"})
_DATA_TABLES = ("rights-names", "legal-bases")


def _check_phrases(data: Mapping, where: Path, prefix: str = "") -> None:
    """A typo in an overriding template is an error, not a silently empty sentence."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in _DATA_TABLES or key in ("months", "lang", "lowercase-labels"):
            continue
        if isinstance(value, Mapping):
            _check_phrases(value, where, f"{name}.")
            continue
        alts = [value] if isinstance(value, str) else value
        if not isinstance(alts, list) or not alts or not all(isinstance(a, str) for a in alts):
            raise ConfigError(f"{where}: '{name}' must be a string or a list of strings",
                              "see the shipped en.toml")
        for alt in alts:
            try:
                unknown = _fields(alt) - PLACEHOLDERS
            except ValueError as e:
                raise ConfigError(f"{where}: '{name}': {e}",
                                  "write a literal brace as {{ or }}") from None
            if unknown:
                raise ConfigError(f"{where}: '{name}' uses unknown placeholder "
                                  + ", ".join("{" + u + "}" for u in sorted(unknown)),
                                  "known: " + ", ".join(sorted(PLACEHOLDERS)))


# ------------------------------------------------------------------ phrasing helpers

def one_line(text: str | None) -> str:
    """Any line break or control character becomes a space: safe for headers and bullets."""
    if not text:
        return ""
    s = _LINE_BREAKS.sub(" ", str(text))
    s = _CONTROL.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖÆØÉÜ])")
#: A final period that belongs to an abbreviation ('Inc.', 'S.A.', 'e.g.'), not a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b(?:Inc|Ltd|Co|Corp|Bros|Jr|Sr|St|etc|[Nn]o)"
                               r"|\b(?:[^\W\d_]\.)+[^\W\d_])\.$")


def shorten(text: str | None, limit: int = 160) -> str:
    """A bullet-sized excerpt: the first sentence if it fits, else cut at a word.

    A first sentence loses its period because the templates end the bullet themselves.
    """
    s = one_line(text)
    end = _SENTENCE_END.search(s)
    if end and end.start() < limit:
        return s[:end.start()]
    if len(s) <= limit:
        return s
    cut = s[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _excerpt(text: str | None) -> str:
    """:func:`shorten` of policy text put into a sentence: a last sentence loses its period
    too (not an abbreviation's), or '(… our analytics tool.).' would end the bullet twice."""
    s = shorten(text)
    if s.endswith(".") and not s.endswith("..") and not _ABBREVIATION_END.search(s):
        return s[:-1].rstrip()
    return s


def _lower_first(label: str) -> str:
    """'Invoices' -> 'invoices' but 'IMY', 'Stripe Ltd' and 'iPhone' stay as written."""
    words = label.split()
    if not words:
        return label
    first = words[0]
    if len(words) > 1 and any(w[:1].isupper() for w in words[1:]):
        return label           # a name ('Postnord AB', 'Stripe Payments Europe')
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return first[0].lower() + label[1:]
    return label


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _pick(alternatives: str | Iterable[str], values: Mapping[str, str]) -> str | None:
    """The first alternative whose placeholders all have values."""
    alts = [alternatives] if isinstance(alternatives, str) else list(alternatives)
    for alt in alts:
        if all(values.get(f) for f in _fields(alt)):
            return alt.format_map(values)
    return None


def format_date(d: date, tpl: Mapping) -> str:
    return str(tpl["date"]).format(day=d.day, month=tpl["months"][d.month - 1],
                                   month_no=d.month, year=d.year, iso=d.isoformat())


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _front(doc: Any, key: str) -> object:
    fm = getattr(doc, "front_matter", None) if doc is not None else None
    return fm.get(key) if fm is not None else None


def _str(value: object) -> str | None:
    return None if value is None or value == "" else one_line(str(value))


#: How the differ and the AST name rights -> the key of a template's [rights-names].
_RIGHT_KEYS: tuple[tuple[str, str], ...] = (
    ("withdraw-consent", r"withdraw|consent"), ("access", r"access"),
    ("rectification", r"rectif"), ("erasure", r"erasure|erase|forgotten"),
    ("restriction", r"restrict"), ("objection", r"object"), ("portability", r"portab"),
    ("complaint", r"complain|complaint"),
)


def right_key(label: str | None) -> str | None:
    """'right to erasure', 'right-erasure' or 'erasure' -> 'erasure'; None if not a right."""
    if not label:
        return None
    low = label.casefold()
    if not (low.startswith(("right", "withdraw", "complaint")) or low in dict(_RIGHT_KEYS)):
        return None
    for key, pattern in _RIGHT_KEYS:
        if re.search(pattern, low):
            return key
    return None


def _translate_list(text: str, table: Mapping[str, str]) -> str:
    """'consent, contract' -> 'samtycke, avtal' when every item is known, else as written."""
    items = [i.strip() for i in text.split(",")]
    if table and items and all(i.casefold() in table for i in items):
        return ", ".join(table[i.casefold()] for i in items)
    return text


def evidence_values(ev: "Evidence", change: "Change | None", tpl: Mapping) -> dict[str, str]:
    """The placeholders a phrasing may use, all one line and shortened."""
    label = shorten(ev.label, 80) if ev.label else ""
    lc = _lower_first(label) if tpl.get("lowercase-labels", True) and label else label
    old, new = _excerpt(ev.old), _excerpt(ev.new)
    if ev.type == "legal-basis-changed":
        bases = {k.casefold(): v for k, v in tpl.get("legal-bases", {}).items()}
        old, new = _translate_list(old, bases), _translate_list(new, bases)
    section = shorten(change.section, 80) if change is not None and change.section else ""
    what = (old if ev.type in _REMOVAL_TYPES else new) or label or section
    detail = _detail(ev.label, what)
    if not detail and change is not None and ev.label:
        # the differ names a recipient by its name; the clause body says what it does
        unit = _excerpt(change.old if ev.type in _REMOVAL_TYPES else change.new)
        if unit.casefold().startswith(one_line(ev.label).casefold()):
            detail = _detail(ev.label, unit)
    key = right_key(ev.label) if ev.type == "right-removed" else None
    right = str(tpl.get("rights-names", {}).get(key, "")) if key else ""
    return {"label": label, "label_lc": lc, "old": old, "new": new, "section": section,
            "what": what, "detail": detail, "right": right,
            "old_days": str(ev.old_days or ""), "new_days": str(ev.new_days or "")}


def _detail(label: str | None, text: str) -> str:
    """``text`` without a leading copy of ``label`` ('Ruttia AB: routes' -> 'routes');
    empty when nothing is left, so phrasings fall back to ``{what}``."""
    if not label or not text:
        return ""
    lab = one_line(label)
    if text.casefold() == lab.casefold():
        return ""
    if text.casefold().startswith(lab.casefold()):
        rest = text[len(lab):].lstrip(" :*–—-").strip()
        return rest
    return text


#: Front matter keys that change with every release; the notice states them itself.
BOOKKEEPING_KEYS = frozenset({"version", "updated", "effective", "id", "notice-days"})


def is_bookkeeping(change: "Change") -> bool:
    """A front matter line like `version:` or `effective:`: not a change to tell anyone about."""
    if change.section != "front matter":
        return False
    line = change.new or change.old or ""
    return line.split(":", 1)[0].strip() in BOOKKEEPING_KEYS


def phrase_evidence(ev: "Evidence", change: "Change | None", tpl: Mapping) -> str | None:
    """One reader-facing sentence for one piece of evidence, or None if no phrasing fits."""
    table = tpl["evidence"]
    values = evidence_values(ev, change, tpl)
    alts = table.get(ev.type)
    out = _pick(alts, values) if alts else None
    return out or _pick(table.get("text-changed", ()), values)


def phrase_change(change: "Change", tpl: Mapping) -> list[str]:
    """Sentences for a change: one per evidence, a generic one when nothing fits."""
    out: list[str] = []
    evidence = tuple(change.evidence or ())
    if any(ev.type not in _GENERIC_TYPES for ev in evidence):
        # 'new purpose: X' says it all; 'we added a section' next to it is noise
        evidence = tuple(ev for ev in evidence if ev.type not in _GENERIC_TYPES)
    for ev in evidence:
        s = phrase_evidence(ev, change, tpl)
        if s and s not in out:
            out.append(s)
    if not out:
        section = shorten(change.section, 80) if change.section else ""
        key = {"added": "section-added", "removed": "section-removed"}.get(change.change, "text-changed")
        values = {"label": section, "label_lc": section, "section": section, "what": section,
                  "detail": "", "right": "", "old": "", "new": "", "old_days": "", "new_days": ""}
        s = _pick(tpl["evidence"].get(key, ()), values) or _pick(tpl["evidence"]["text-changed"], values)
        if s:
            out.append(s)
    return out


# ------------------------------------------------------------------ building

def _pick_lang(diff: "DocDiff", lang: str | None, config: Any) -> tuple[str, list[str]]:
    warnings: list[str] = []
    wanted = normalise_lang(lang)
    if wanted is None:
        for doc in (diff.new, diff.old):
            wanted = normalise_lang(getattr(doc, "lang", None)) if doc is not None else None
            if wanted:
                break
    available = available_langs(config)
    if wanted and wanted in available:
        return wanted, warnings
    if lang and normalise_lang(lang) not in available:
        raise PolicylintError(f"no notice phrasings for language '{lang}'",
                              "available: " + ", ".join(available))
    if wanted:
        warnings.append(f"no notice phrasings for language '{wanted}'; writing in English "
                        f"(add {wanted}.toml to the notice templates folder)")
    return DEFAULT_LANG, warnings


def build_notice(diff: "DocDiff", *, lang: str | None = None, config: Any = None,
                 include_minor: bool = False, today: date | None = None) -> Notice:
    """Turn a :class:`DocDiff` into a :class:`Notice` (see the module docstring for the
    days-of-notice rule). ``notice.material`` is False when there is nothing a user must
    be told; callers then send nothing."""
    today = today or date.today()
    code, warnings = _pick_lang(diff, lang, config)
    tpl = load_templates(code, config)
    new, old = diff.new, diff.old
    doc = new if new is not None else old

    title = one_line(getattr(doc, "title", None) if doc is not None else None) or one_line(
        getattr(doc, "path", "")) or "—"
    classification = getattr(diff, "override", None) or diff.classification
    relevant = [c for c in diff.changes if not is_bookkeeping(c)]
    material_changes = [c for c in relevant if c.classification == "material"]
    other = [c for c in relevant if c.classification != "material"]
    if classification == "editorial" and getattr(diff, "override", None):
        other, material_changes = relevant, []
    material = classification == "material"

    changes: list[str] = []
    if diff.old is None and diff.new is not None:       # a policy published for the first time
        changes.append(_pick(tpl["evidence"].get("policy-added", ()), {"label": title})
                       or _pick(tpl["evidence"]["override"], {"title": title}) or title)
        material_changes = []
    for c in material_changes:
        for s in phrase_change(c, tpl):
            if s not in changes:
                changes.append(s)
    if material and not changes:          # an override without material evidence
        changes.append(_pick(tpl["evidence"]["override"], {"title": title}) or title)

    version = _str(_front(new, "version"))
    old_version = _str(_front(old, "version"))
    controller = _str(_front(new, "controller")) or _str(_front(old, "controller"))
    contact = _str(_front(new, "contact")) or _str(_front(old, "contact"))
    effective = _as_date(_front(new, "effective"))
    updated = _as_date(_front(new, "updated"))
    url = _str(_front(new, "url")) or _str(getattr(config, "notice_url", None))

    nd = _front(new, "notice-days")
    required = nd if isinstance(nd, int) and not isinstance(nd, bool) else getattr(
        config, "notice_days", None)
    required = required if isinstance(required, int) else DEFAULT_NOTICE_DAYS

    base = {"title": title, "version": version or "", "old_version": old_version or "",
            "controller": controller or "", "contact": contact or "", "url": url or "",
            "count": str(len(other))}

    days: int | None = None
    notice_line = None
    if effective is not None:
        days = (effective - today).days
        effective_line = _pick(tpl["effective"], {**base, "date": format_date(effective, tpl)}) or ""
        if days > 0:
            key = "notice-days-one" if days == 1 and "notice-days-one" in tpl else "notice-days"
            notice_line = _pick(tpl[key], {**base, "days": str(days)})
        if days < required:
            earliest = date.fromordinal(today.toordinal() + required)
            warnings.append(f"the effective date {effective.isoformat()} gives {days} days' notice "
                            f"from {today.isoformat()}; {required} required "
                            f"(set effective: to {earliest.isoformat()} or later)")
    else:
        effective_line = _pick(tpl["effective-missing"], base) or ""
        warnings.append("the new version has no 'effective' date; the notice cannot say when "
                        "the changes apply (add effective: to the front matter)")
    if not url:
        warnings.append("no link to the full policy: set url: in the front matter or "
                        "notice.url in the config")

    minor_bullets: list[str] = []
    summary = None
    if other:
        if include_minor:
            for c in other:
                for s in phrase_change(c, tpl):
                    if s not in minor_bullets and s not in changes:
                        minor_bullets.append(s)
        else:
            key = "minor-one" if len(other) == 1 else "minor-many"
            summary = _pick(tpl[key], base)

    return Notice(
        lang=code, title=title, version=version, old_version=old_version, material=material,
        subject=one_line(_pick(tpl["subject"], base) or title),
        greeting=_pick(tpl["greeting"], base) or "",
        intro=_pick(tpl["intro"], base) or "",
        changes=tuple(changes), minor=tuple(minor_bullets),
        minor_heading=_pick(tpl["minor-heading"], base) or "",
        minor_summary=summary, effective=effective, effective_line=effective_line,
        days_notice=days, required_days=required, notice_line=notice_line,
        rights_line=_pick(tpl["rights"], base), url=url,
        link_line=_pick(tpl["link"], base) if url else None,
        sign_off=tuple(l for l in (_pick(tpl["sign-off"], base) or "").splitlines() if l.strip()),
        today=today, updated=updated, controller=controller, warnings=tuple(warnings))


# ------------------------------------------------------------------ renderers

def _paragraphs(notice: Notice) -> list[tuple[str, object]]:
    """The notice as ("p", text) / ("ul", [items]) / ("sig", [lines]) blocks, in order."""
    out: list[tuple[str, object]] = []
    if notice.greeting:
        out.append(("p", notice.greeting))
    if notice.intro:
        out.append(("p", notice.intro))
    if notice.changes:
        out.append(("ul", list(notice.changes)))
    when = " ".join(s for s in (notice.effective_line, notice.notice_line) if s)
    if when:
        out.append(("p", when))
    if notice.minor:
        out.append(("p", notice.minor_heading))
        out.append(("ul", list(notice.minor)))
    elif notice.minor_summary:
        out.append(("p", notice.minor_summary))
    if notice.rights_line:
        out.append(("p", notice.rights_line))
    if notice.link_line:
        out.append(("link", notice.link_line))
    if notice.sign_off:
        out.append(("sig", list(notice.sign_off)))
    return out


_GLUE = "\x00"                                   # holds a number to its unit while wrapping
_NUMBER_UNIT = re.compile(r"(?<!\S)(\d+) (?=\w)")


def _fill(text: str, **kw: Any) -> str:
    """textwrap.fill that never leaves '5' at a line end and 'years' on the next."""
    glued = _NUMBER_UNIT.sub(lambda m: m.group(1) + _GLUE, text.replace(_GLUE, " "))
    return textwrap.fill(glued, **kw).replace(_GLUE, " ")


def to_text(notice: Notice, width: int = WIDTH) -> str:
    """Plain text wrapped at ``width`` columns; URLs and long words are never broken."""
    wrap = dict(width=width, break_long_words=False, break_on_hyphens=False)
    parts: list[str] = []
    for kind, body in _paragraphs(notice):
        if kind == "ul":
            parts.append("\n".join(_fill(item, initial_indent="- ", subsequent_indent="  ", **wrap)
                                   for item in body))  # type: ignore[union-attr]
        elif kind == "sig":
            parts.append("\n".join(body))  # type: ignore[arg-type]
        else:
            parts.append(_fill(str(body), **wrap))
    return "\n\n".join(parts) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&])")
_MD_LINE_START = re.compile(r"^(\s*)(\d{0,9})([-+=]|(?<=\d)[.)])")   # list marker / setext
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+$")


def md_escape(text: str, *, line_start: bool = True) -> str:
    """Backslash-escape Markdown syntax so policy text stays literal text.

    `!` and `(` need no escape: they only act next to `[`/`]`, which are escaped.
    """
    s = _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", _LINE_BREAKS.sub(" ", text)))
    return _MD_LINE_START.sub(r"\1\2\\\3", s, count=1) if line_start else s


def _md_link_line(line: str, url: str | None) -> str:
    """The link sentence with the URL as an autolink (only a plain http(s) URL)."""
    if url and url in line and _SAFE_URL.match(url):
        parts = line.split(url)
        return f"<{url}>".join(md_escape(p, line_start=i == 0) for i, p in enumerate(parts))
    return md_escape(line)


def to_markdown(notice: Notice) -> str:
    """CommonMark: a heading with the subject, then the notice. All text is escaped."""
    parts = [f"# {md_escape(notice.subject)}"]
    for kind, body in _paragraphs(notice):
        if kind == "ul":
            parts.append("\n".join(f"- {md_escape(i)}" for i in body))  # type: ignore[union-attr]
        elif kind == "sig":
            parts.append("\\\n".join(md_escape(l) for l in body))  # type: ignore[union-attr]
        elif kind == "link":
            parts.append(_md_link_line(str(body), notice.url))
        else:
            parts.append(md_escape(str(body)))
    return "\n\n".join(parts) + "\n"


def to_html(notice: Notice) -> str:
    """A small standalone HTML page. markdown-it runs with raw HTML off, so no policy
    text can become markup; the <title> and lang attribute are escaped separately."""
    import html

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False, "linkify": False}).render(to_markdown(notice))
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(notice.lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(notice.subject)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n")


def _address(value: str | None, option: str) -> str | None:
    """Validate an address header value: no line breaks, at least one `@`."""
    if value is None or not str(value).strip():
        return None
    if _LINE_BREAKS.search(value) or _CONTROL.search(value) or "=?" in value:
        raise PolicylintError(f"{option} contains a line break, a control character or an "
                              "encoded word ('=?')",
                              "give a single address such as 'Privacy <privacy@example.com>'")
    from email.utils import getaddresses
    pairs = getaddresses([value])
    if not pairs or not all("@" in addr for _, addr in pairs):
        raise PolicylintError(f"{option} {value!r} is not an e-mail address",
                              "give an address such as 'Privacy <privacy@example.com>'")
    return value.strip()


def _literal_header(text: str) -> str:
    """Header text that stays text: the email package decodes RFC 2047 encoded words
    (``=?utf-8?q?…?=``) in values it is given, so a title holding one could smuggle
    a CRLF and a Bcc: header into the message. A word joiner between '=' and '?'
    keeps what the reader sees and makes it no longer an encoded word."""
    return one_line(text).replace("=?", "=\u2060?")


def to_eml(notice: Notice, from_: str | None, reply_to: str | None = None,
           to: str | None = None, *, when: Any = None) -> bytes:
    """An RFC 5322 message (multipart/alternative: text + HTML, UTF-8) ready to send.

    Nothing from the policy reaches a header except the subject, and that is reduced
    to one line first, so a title with a line break cannot add headers.
    """
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, localtime, make_msgid, parseaddr

    sender = _address(from_, "--from")
    if sender is None:
        raise PolicylintError("an e-mail notice needs a sender",
                              "pass --from or set notice.from in the config")
    reply = _address(reply_to, "--reply-to")
    rcpt = _address(to, "--to")
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage(policy=SMTP.clone(max_line_length=76))   # RFC 2045: QP lines <= 76
    msg["Subject"] = _literal_header(shorten(notice.subject, SUBJECT_LIMIT))
    msg["From"] = sender
    if rcpt:
        msg["To"] = rcpt
    if reply:
        msg["Reply-To"] = reply
    msg["Date"] = format_datetime(when or localtime())
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["MIME-Version"] = "1.0"
    msg.set_content(to_text(notice), subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(to_html(notice), subtype="html", charset="utf-8", cte="quoted-printable")
    msg["Content-Language"] = notice.lang      # after set_content, which drops Content-* headers
    # Headers are written unfolded: the stdlib folder drops the space between two
    # encoded words it splits a subject into ('ࠀ ¡' came back as 'ࠀ¡'). A subject of
    # SUBJECT_LIMIT characters stays far below RFC 5322's 998-octet line limit.
    return msg.as_bytes(policy=SMTP.clone(max_line_length=998))


FORMATS = ("md", "txt", "html", "eml")


def render(notice: Notice, fmt: str, *, from_: str | None = None, reply_to: str | None = None,
           to: str | None = None) -> bytes:
    """One entry point for the CLI: the notice as bytes in ``fmt``."""
    if fmt == "md":
        return to_markdown(notice).encode("utf-8")
    if fmt == "txt":
        return to_text(notice).encode("utf-8")
    if fmt == "html":
        return to_html(notice).encode("utf-8")
    if fmt == "eml":
        return to_eml(notice, from_, reply_to, to)
    raise PolicylintError(f"unknown format {fmt!r}", "use one of " + ", ".join(FORMATS))


# ------------------------------------------------------------------ inputs

def parse_range(spec: str) -> tuple[str, str]:
    """'A..B' -> (A, B); 'A..' and 'A' -> (A, 'HEAD'). Revisions may not start with '-'."""
    from .errors import GitError
    if "..." in spec:
        raise GitError(f"{spec!r}: symmetric ranges (A...B) are not supported", "write REV_A..REV_B")
    a, sep, b = spec.partition("..")
    a, b = a.strip(), (b.strip() or "HEAD") if sep else "HEAD"
    for rev in (a, b):
        if not rev:
            raise GitError(f"{spec!r} names no old revision", "write REV_A..REV_B, e.g. v1.0..HEAD")
        if rev.startswith("-"):
            raise GitError(f"revision '{rev}' starts with '-'", "revisions may not start with '-'")
    return a, b


def diff_for_files(old: str | Path, new: str | Path, config: Any = None) -> "DocDiff":
    from .diff import diff_documents
    from .parser import read_policy
    return diff_documents(read_policy(old), read_policy(new), config)


def diff_for_revisions(repo_path: str | Path, spec: str, paths: Iterable[str] = (),
                       config: Any = None) -> tuple["DocDiff | None", str | None]:
    """The diff of the one policy changed in ``spec`` (or named in ``paths``), through
    :mod:`policylint.history` (which also applies a `Policy-Change:` trailer).

    Returns (None, None) when no policy changed; several changed policies without a
    path to choose one is an error, because one notice covers one policy.
    """
    from .history import diff_revisions

    a, b = parse_range(spec)
    paths = list(paths)
    found = [fd for fd in diff_revisions(a, b, paths=paths, config=config, cwd=repo_path)
             if any(d is not None and d.front_matter is not None
                    for d in (fd.diff.old, fd.diff.new))]
    if not found:
        return None, None
    if len(found) > 1:
        names = ", ".join(fd.path for fd in found)
        raise PolicylintError(f"{len(found)} policies changed in {spec}: {names}",
                              f"name one after `--`, e.g. policylint notice {spec} -- {found[0].path}")
    return found[0].diff, found[0].path
