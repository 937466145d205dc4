"""The language layer: per-language vocabulary files and the matchers built on them.

Each language lives in ``policylint/lang/<code>.toml`` (the layout and the pattern
syntax are documented at the top of ``en.toml``). Files are read lazily, at most once
per process, and every regular expression built from them is cached, so importing this
module costs nothing and the matchers are cheap on the hot path.

Pattern syntax (headings, element phrases, hygiene phrases, retention criteria):

* words separated by spaces, matched case-insensitively as whole words;
* ``word*`` matches any word starting with ``word`` (``uppgift*``), ``*word`` any word
  ending with it (``*rättigheter``), ``*word*`` any word containing it;
* ``a|b`` offers alternatives for one word (``spara*|lagr*``);
* ``...`` lets other words stand in between: up to ten within one sentence in body text,
  up to six in a heading;
* in headings only: a leading ``^`` anchors the pattern to the start of the heading and a
  trailing ``$`` to its end;
* in body phrases only: a word written with a capital letter after its first character
  (``IMY``, ``PUL``, ``BfDI``) must match with exactly that case.
"""
from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .ast import SECTION_KINDS

LANGS: tuple[str, ...] = ("sv", "da", "nb", "fi", "de", "fr", "nl", "en")

_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "swe": "sv", "sve": "sv",
            "dan": "da", "fin": "fi", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr",
            "nld": "nl", "dut": "nl", "eng": "en"}

HYGIENE_GROUPS: tuple[str, ...] = ("outdated", "vague", "unfair-change", "change-notice",
                                   "placeholders")
#: hygiene groups that apply whatever the document's language
_GLOBAL_GROUPS = frozenset({"outdated", "placeholders"})

_DIR = Path(__file__).resolve().parent / "lang"
_LOCK = threading.Lock()


# ----------------------------------------------------------------------------- loading

def normalise_lang(code: str | None) -> str | None:
    """`sv-SE` -> `sv`, `no`/`nn` -> `nb`, `EN_gb` -> `en`; unknown codes -> None."""
    if not code or not isinstance(code, str):
        return None
    c = code.strip().lower().replace("_", "-").split("-", 1)[0]
    c = _ALIASES.get(c, c)
    return c if c in LANGS else None


@dataclass(frozen=True)
class Vocabulary:
    """One language file as loaded: ``data`` is the raw TOML table."""
    code: str
    data: dict

    @property
    def name(self) -> str:
        return str(self.data.get("meta", {}).get("name", self.code))

    @property
    def stopwords(self) -> tuple[str, ...]:
        return tuple(self.data.get("meta", {}).get("stopwords", ()))

    @property
    def headings(self) -> dict[str, list[str]]:
        return dict(self.data.get("headings", {}))

    @property
    def elements(self) -> dict[str, list[str]]:
        return dict(self.data.get("elements", {}))

    @property
    def hygiene(self) -> dict:
        return dict(self.data.get("hygiene", {}))

    @property
    def numbers(self) -> dict[str, int]:
        return dict(self.data.get("numbers", {}))

    @property
    def units(self) -> dict[str, list[str]]:
        return dict(self.data.get("units", {}))

    @property
    def criteria(self) -> list[str]:
        return list(self.data.get("criteria", {}).get("phrases", ()))


_LOADED: dict[str, Vocabulary] = {}


def vocabulary(lang: str | None) -> Vocabulary | None:
    """The loaded vocabulary of one language (None for an unknown code)."""
    code = normalise_lang(lang)
    if code is None:
        return None
    v = _LOADED.get(code)
    if v is None:
        with _LOCK:
            v = _LOADED.get(code)
            if v is None:
                p = _DIR / f"{code}.toml"
                data = tomllib.loads(p.read_text("utf-8")) if p.is_file() else {}
                v = Vocabulary(code, data)
                _LOADED[code] = v
    return v


def _vocabs(langs: Iterable[str]) -> list[Vocabulary]:
    return [v for v in (vocabulary(c) for c in langs) if v is not None]


# ----------------------------------------------------------------------- pattern syntax

_SENT_SEP = r"[^\w.!?]{1,5}"            # between two words of a body phrase
# words and separators use disjoint classes, so there is one way to read a gap: no
# catastrophic backtracking on runs like `a-b-c` or a Markdown table rule `|---|---|`
_GAP_BODY = r"(?:[^\w.!?]{1,5}\w+){0,10}?" + _SENT_SEP
_GAP_HEAD = r"(?: \S+){0,6}? "


def _word_regex(word: str, exact_case_allowed: bool, first: bool = False,
                sensitive: bool = False) -> str:
    r"""One pattern word. With ``first``, each alternative carries its own left word
    boundary as a lookbehind *after* its literal (`klage(?<!\wklage)`): a pattern that
    starts with a literal lets the regex engine skip ahead, 20-30 times faster than a
    leading `(?<!\w)`."""
    alts = []
    for alt in word.split("|"):
        if not alt:
            continue
        lead = alt.startswith("*") and len(alt) > 1
        trail = alt.endswith("*") and len(alt) > 1
        core = alt.strip("*")
        lit = re.escape(core)
        if first:
            if lead:
                head = r"(?<!\w)\w*?" + lit
            elif not core[:1].isalnum() and core[:1] != "_":
                head = lit          # `[email protected]`: no word boundary to check
            else:
                head = lit + r"(?<!\w" + lit + ")"
        else:
            head = (r"\w*?" if lead else "") + lit
        rx = head + (r"\w*" if trail else "")
        exact = exact_case_allowed and any(ch.isupper() for ch in core[1:])
        if sensitive and not exact:
            rx = "(?i:" + rx + ")"
        elif exact and not sensitive:
            rx = "(?-i:" + rx + ")"
        alts.append(rx)
    if not alts:
        return ""
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _phrase_parts(pattern: str) -> tuple[list[str], bool, bool]:
    words = pattern.split()
    start = end = False
    if words and words[0] == "^":
        start, words = True, words[1:]
    elif words and words[0].startswith("^") and len(words[0]) > 1:
        start, words[0] = True, words[0][1:]
    if words and words[-1] == "$":
        end, words = True, words[:-1]
    elif words and words[-1].endswith("$") and len(words[-1]) > 1:
        end, words[-1] = True, words[-1][:-1]
    return words, start, end


def phrase_regex(pattern: str, heading: bool = False, sensitive: bool = False) -> tuple[str, int]:
    """The regex source of one pattern and its score (the number of words).

    ``sensitive``: the regex is compiled case-sensitively, so case-insensitive words are
    wrapped in `(?i:…)` (used for phrases with an exact-case word such as `PUL`, which
    then keeps a literal prefix the engine can search for quickly)."""
    words, start, end = _phrase_parts(pattern if not heading else _norm_pattern(pattern))
    out: list[str] = []
    score = 0
    gap = False
    for w in words:
        if w in ("...", "…"):
            gap = True
            continue
        rx = _word_regex(w, not heading, first=not heading and not out, sensitive=sensitive)
        if not rx:
            continue
        if out:
            out.append((_GAP_HEAD if heading else _GAP_BODY) if gap else (" " if heading else _SENT_SEP))
        gap = False
        out.append(rx)
        score += 1
    if not out:
        return "", 0
    body = "".join(out)
    if heading:
        return ("^" if start else "(?:^|(?<= ))") + body + ("$" if end else "(?= |$)"), score
    return body + r"(?!\w)", score


_LEAD = ("", "(", "“", "\"", "'", "«", "‘", "[", "„", "*", "_")
_TRAIL = ("", ".", ",", ";", ":", ")", "!", "?", "'", "\"", "”", "’", "»", "]", "*", "_", ").",
          "),", ".)", "”.", "”,", "\".", "\",")
_PLAIN_WORD = re.compile(r"^\w+$")


def word_tokens(low: str) -> list[str]:
    """Whitespace tokens of lower-cased text (slashes split too), punctuation attached."""
    return (low.replace("/", " ") if "/" in low else low).split()


def token_variants(words: Iterable[str]) -> frozenset[str]:
    """Every way a word can appear as a whitespace token: `(word`, `word.`, `“word”,` …"""
    return frozenset(l + w + t for w in words for l in _LEAD for t in _TRAIL)


def _literals(pattern: str) -> tuple[list[str], list[str]]:
    """(whole-word literals, other literals) every match of a body phrase must contain,
    lower-cased, longest first: the material of the cheap pre-checks."""
    whole, other = [], []
    for w in pattern.split():
        if "|" in w or w in ("...", "…", "^", "$"):
            continue
        core = w.strip("*").lower()
        if not core:
            continue
        if core == w.lower() and _PLAIN_WORD.match(core):
            whole.append(core)
        else:
            other.append(core)
    key = lambda x: -len(x)
    return sorted(set(whole), key=key), sorted(set(other), key=key)


@dataclass(frozen=True)
class _Phrase:
    literals: tuple[str, ...]   # all must occur in the lower-cased text
    regex: re.Pattern
    on_lower: bool              # regex is case-sensitive and runs on the lower-cased text
    regex_i: re.Pattern | None = None   # the same, case-insensitive, for the original text


@dataclass(frozen=True)
class PhraseSet:
    """Body phrases compiled for speed.

    Each phrase has an anchor: its longest whole word (or, failing that, its longest
    literal). Whole-word anchors are found with one set intersection against the text's
    whitespace tokens; other anchors with a substring test. A phrase's regex only runs when
    its anchor and all its other literals occur. Phrases without an exact-case word run
    case-sensitively on the lower-cased text, which lets the engine jump to the literal.
    """
    word_groups: dict            # token variant -> tuple of phrases
    word_variants: frozenset
    substr_groups: tuple         # (substring or None, phrases)

    def spans(self, text: str, low: str | None = None, tokens: list[str] | None = None,
              hits: Iterable[str] | None = None) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) matches in text order; at one place the longest.

        ``hits``, if given, are the text's tokens already known to be in ``word_variants``
        (a caller testing several sets at once intersects only once)."""
        if not text or not (self.word_variants or self.substr_groups):
            return []
        if low is None:
            low = text.lower()
        todo: list[_Phrase] = []
        if self.word_variants:
            if hits is None:
                hits = self.word_variants.intersection(tokens if tokens is not None else word_tokens(low))
            else:
                hits = [h for h in hits if h in self.word_groups]
            if hits:
                seen_groups = set()
                for h in hits:
                    g = self.word_groups[h]
                    if id(g) not in seen_groups:
                        seen_groups.add(id(g))
                        todo.extend(g)
        for anchor, phrases in self.substr_groups:
            if anchor is None or anchor in low:
                todo.extend(phrases)
        if not todo:
            return []
        aligned = len(low) == len(text)
        found: list[tuple[int, int]] = []
        for ph in todo:
            if ph.literals and not all(x in low for x in ph.literals):
                continue
            if ph.on_lower and aligned:
                found.extend(m.span() for m in ph.regex.finditer(low))
            else:
                found.extend(m.span() for m in (ph.regex_i or ph.regex).finditer(text))
        if len(found) > 1:
            found.sort(key=lambda sp: (sp[0], -sp[1]))
            kept: list[tuple[int, int]] = []
            for sp in found:
                if kept and sp[0] < kept[-1][1]:
                    continue
                kept.append(sp)
            found = kept
        return found

    def finditer(self, text: str, low: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, matched text) in text order."""
        return [(s, e, text[s:e]) for s, e in self.spans(text, low)]


def compile_phrases(phrases: Iterable[str]) -> PhraseSet:
    by_word: dict[str, list[tuple[int, _Phrase]]] = {}
    by_sub: dict[str | None, list[tuple[int, _Phrase]]] = {}
    for p in dict.fromkeys(p for p in phrases if isinstance(p, str) and p.strip()):
        src, score = phrase_regex(p)
        if not src:
            continue
        exact = "(?-i:" in src
        if exact:
            ph_rx, ph_i = re.compile(phrase_regex(p, sensitive=True)[0]), None
        else:
            ph_rx, ph_i = re.compile(phrase_regex(p.lower())[0]), re.compile(src, re.IGNORECASE)
        whole, other = _literals(p)
        if whole:
            anchor, rest, table = whole[0], whole[1:] + other, by_word
        elif other:
            anchor, rest, table = other[0], other[1:], by_sub
        else:
            anchor, rest, table = None, [], by_sub
        table.setdefault(anchor, []).append((score, _Phrase(tuple(rest), ph_rx, not exact, ph_i)))
    order = lambda items: tuple(ph for _, ph in sorted(items, key=lambda x: -x[0]))
    word_groups: dict[str, tuple] = {}
    for anchor, items in by_word.items():
        g = order(items)
        for v in token_variants([anchor]):
            word_groups[v] = g
    return PhraseSet(word_groups, frozenset(word_groups),
                     tuple((a, order(items)) for a, items in by_sub.items()))


# ------------------------------------------------------------------------------ headings

_NUMBERING = re.compile(
    r"^\s*(?:§+\s*\d+[a-z]?\.?|(?:art(?:icle|ikel|\.)?|kapitel|chapter|section|avsnitt)\s+\d+[.:)]?|"
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,6}|[a-z])[.):]|\d{1,3}(?:\.\d{1,3})+|\d{1,3}(?=\s))\s*",
    re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w*|^$.…]+|_+")
_NON_WORD_TEXT = re.compile(r"[\W_]+")


def normalise_heading(text: str) -> str:
    """Lower case, numbering (`3.`, `3.1`, `A)`, `II.`, `§ 4`) and punctuation removed."""
    t = unicodedata.normalize("NFC", text or "").strip().lower()
    for _ in range(2):
        m = _NUMBERING.match(t)
        if not m or m.end() == 0:
            break
        t = t[m.end():]
    return " ".join(_NON_WORD_TEXT.sub(" ", t).split())


def _norm_pattern(p: str) -> str:
    p = unicodedata.normalize("NFC", p).lower()
    return " ".join(_NON_WORD.sub(" ", p).split())


_PREFIX_KEY = 3


@dataclass(frozen=True)
class _HeadingIndex:
    """Heading patterns indexed by one of their words, so that a heading is only tried
    against the few patterns that share a word (or a word start) with it."""
    exact: dict          # word -> patterns
    prefix: dict         # first letters of a `word*` -> patterns
    always: tuple        # patterns whose key word is `*word` or shorter than the prefix key

    def candidates(self, norm: str):
        seen: dict[int, tuple] = {}
        for tok in norm.split():
            for pat in self.exact.get(tok, ()):
                seen[id(pat)] = pat
            for pat in self.prefix.get(tok[:_PREFIX_KEY], ()):
                seen[id(pat)] = pat
        for pat in self.always:
            seen[id(pat)] = pat
        return seen.values()


@lru_cache(maxsize=None)
def _heading_patterns(langs: tuple[str, ...]) -> _HeadingIndex:
    exact: dict[str, list] = {}
    prefix: dict[str, list] = {}
    always: list = []
    seen = set()
    for v in _vocabs(langs):
        for kind, pats in v.data.get("headings", {}).items():
            if kind not in SECTION_KINDS or not isinstance(pats, list):
                continue
            for p in pats:
                if not isinstance(p, str) or (kind, p) in seen:
                    continue
                seen.add((kind, p))
                src, score = phrase_regex(p, heading=True)
                if not src:
                    continue
                pat = (kind, re.compile(src), score)
                words = [w for w in _phrase_parts(_norm_pattern(p))[0] if w not in ("...", "…")]
                # the key: a word without a leading wildcard, preferring exact words
                key = None
                for w in sorted(words, key=lambda w: (w.endswith("*") or "*" in w.split("|")[0], -len(w))):
                    alts = w.split("|")
                    if all(x and not x.startswith("*") for x in alts):
                        if all(x.endswith("*") is False or len(x) > _PREFIX_KEY for x in alts):
                            key = alts
                            break
                if key is None:
                    always.append(pat)
                    continue
                for x in key:
                    if x.endswith("*"):
                        prefix.setdefault(x[:_PREFIX_KEY], []).append(pat)
                    else:
                        exact.setdefault(x, []).append(pat)
    return _HeadingIndex(exact, prefix, tuple(always))


def _classify(norm: str, langs: tuple[str, ...]) -> tuple[bool, str | None]:
    """(matched anything, unambiguous kind)."""
    hits: dict[str, list[tuple[int, int, int]]] = {}
    for kind, rx, score in _heading_patterns(langs).candidates(norm):
        m = rx.search(norm)
        if m:
            hits.setdefault(kind, []).append((score, m.start(), m.end()))
    if not hits:
        return False, None
    if len(hits) == 1:
        return True, next(iter(hits))
    best = {k: max(v, key=lambda h: (h[0], h[2] - h[1])) for k, v in hits.items()}
    ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)
    win_kind, (win_score, ws, we) = ranked[0]
    if ranked[1][1][0] >= win_score:
        return True, None
    # another kind's match that overlaps the winning words is a less specific reading of
    # the same words; a match elsewhere in the heading must be at least 2 words weaker
    for kind, lst in hits.items():
        if kind == win_kind:
            continue
        for score, s, e in lst:
            if (e <= ws or s >= we) and win_score - score < 2:
                return True, None
    return True, win_kind


@lru_cache(maxsize=4096)
def _classify_cached(text: str, lang: str | None) -> str | None:
    norm = normalise_heading(text)
    if not norm:
        return None
    code = normalise_lang(lang)
    if code is not None:
        langs = (code,) if code == "en" else (code, "en")
        matched, kind = _classify(norm, langs)
        if matched:
            return kind
    return _classify(norm, LANGS)[1]


def classify_heading(text: str, lang: str | None) -> str | None:
    """The GDPR section kind a heading names, or None when unknown or ambiguous.

    Rule: each pattern that matches scores its number of words. The kind with the highest
    score wins only if no other kind scores as high, and every other kind's match either
    overlaps the winning words (`Right to lodge a complaint`: the complaint pattern
    covers the rights pattern `right to`), or, standing elsewhere
    in the heading, is at least two words weaker. `Cookies and your rights` (1 word against
    2, in different places) is ambiguous: None.
    With a known language, that language's and the English patterns are tried first;
    if none matches, or the language is unknown, all languages are tried.
    """
    if not text or not isinstance(text, str):
        return None
    return _classify_cached(text[:300], lang)


# ----------------------------------------------------------------------- language detection

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stopword_weights() -> tuple[dict[str, dict[str, float]], dict[str, set[str]]]:
    by_lang: dict[str, set[str]] = {}
    for v in _vocabs(LANGS):
        by_lang[v.code] = {w.lower() for w in v.stopwords if isinstance(w, str)}
    counts: dict[str, int] = {}
    for ws in by_lang.values():
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    weights: dict[str, dict[str, float]] = {}
    for code, ws in by_lang.items():
        for w in ws:
            weights.setdefault(w, {})[code] = 1.0 / counts[w]
    return weights, by_lang


def language_scores(text: str) -> dict[str, tuple[float, int]]:
    """Per language: (weighted score, raw stopword hits) over the first 4000 characters."""
    weights, _ = _stopword_weights()
    freq: dict[str, int] = {}
    for w in _WORD.findall((text or "")[:4000].lower()):
        if w in weights:
            freq[w] = freq.get(w, 0) + 1
    scores: dict[str, list] = {}
    for w, n in freq.items():
        for code, wt in weights[w].items():
            s = scores.setdefault(code, [0.0, 0])
            s[0] += wt * n
            s[1] += n
    return {c: (s[0], s[1]) for c, s in scores.items()}


def detect_language(text: str) -> str | None:
    """The language of a text from its function words, or None when not confident.

    Confident means: at least 8 stopword hits for the winner, and a lead over the runner-up
    of at least 2 weighted points and 10 % (a word shared by k languages weighs 1/k).
    """
    if not text:
        return None
    scores = language_scores(text)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1][0], reverse=True)
    top, (score, hits) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if hits < 8:
        return None
    if score - second < max(2.0, 0.1 * score):
        return None
    return top


# ----------------------------------------------------------------------------- elements

def _langs_for(lang: str | None) -> tuple[str, ...]:
    code = normalise_lang(lang)
    return (code,) if code else LANGS


@lru_cache(maxsize=None)
def _element_sets(langs: tuple[str, ...]) -> tuple[tuple[str, PhraseSet], ...]:
    merged: dict[str, list[str]] = {}
    for v in _vocabs(langs):
        for name, phrases in v.data.get("elements", {}).items():
            if isinstance(phrases, list):
                merged.setdefault(name, []).extend(phrases)
    return tuple((name, compile_phrases(ps)) for name, ps in merged.items())


def element_names() -> tuple[str, ...]:
    return tuple(name for name, _ in _element_sets(LANGS))


def find_elements(text: str, lang: str | None) -> dict[str, list[tuple[int, int]]]:
    """Element name -> (start, end) offsets of its phrases in text.

    Only elements with at least one match appear in the result. ``lang`` None (or an
    unknown code) uses every language's phrases.
    """
    if not text:
        return {}
    low = text.lower()
    tokens = word_tokens(low)
    out: dict[str, list[tuple[int, int]]] = {}
    for name, ps in _element_sets(_langs_for(lang)):
        spans = ps.spans(text, low, tokens)
        if spans:
            out[name] = spans
    return out


# ------------------------------------------------------------------------------ hygiene

@lru_cache(maxsize=None)
def _hygiene_sets(langs: tuple[str, ...], group: str) -> tuple[tuple[PhraseSet, str | None], ...]:
    """(phrases, message) pairs; message None means 'report the matched text'."""
    out = []
    plain: list[str] = []
    for v in _vocabs(langs):
        entries = v.data.get("hygiene", {}).get(group, [])
        if not isinstance(entries, list):
            continue
        for e in entries:
            if isinstance(e, str):
                plain.append(e)
            elif isinstance(e, dict):
                pats = e.get("patterns", e.get("pattern", []))
                if isinstance(pats, str):
                    pats = [pats]
                out.append((compile_phrases(pats), e.get("message")))
    if plain:
        out.append((compile_phrases(plain), None))
    return tuple(out)


def find_hygiene(text: str, lang: str | None, group: str) -> list[tuple[int, int, str]]:
    """Matches of one hygiene group as (start, end, message or matched text), in order.

    ``outdated`` and ``placeholders`` use every language's entries whatever ``lang`` is.
    """
    if not text or group not in HYGIENE_GROUPS:
        return []
    langs = LANGS if group in _GLOBAL_GROUPS else _langs_for(lang)
    low = text.lower()
    tokens = word_tokens(low)
    found: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for ps, message in _hygiene_sets(langs, group):
        for start, end in ps.spans(text, low, tokens):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            found.append((start, end, message if message else text[start:end]))
    found.sort()
    return found


__all__ = [
    "LANGS", "HYGIENE_GROUPS", "Vocabulary", "PhraseSet", "normalise_lang", "vocabulary",
    "classify_heading", "normalise_heading", "detect_language", "language_scores",
    "find_elements", "element_names", "find_hygiene", "compile_phrases", "phrase_regex",
]
