"""The language layer: per-language vocabulary files and the matchers built on them.

Each language lives in ``policylint/lang/<code>.toml`` (the layout and the pattern
syntax are documented at the top of ``en.toml``). Files are read lazily, at most once
per process, and so are the phrase indexes built from them: importing this module costs
nothing, and a run with a known document language never builds another language's
heading or element index.

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

How matching works. The meaning of a pattern is the regular expression
:func:`phrase_regex` writes for it, but no regex is compiled per phrase: a text is split
once into words and the separators between them (:class:`TextScan`, one C-level
``re.split``), and the phrases of a whole vocabulary sit in one index (:class:`_Index`)
keyed by one *anchor* word each (the most specific word of the phrase: a whole word, a
``word*`` prefix, a ``*word`` suffix). A phrase is only tried where its anchor occurs,
and only if every plain word it needs occurs in the text at all; trying it walks the
word sequence exactly as the regex would (the same leftmost match, the same lazy gaps,
the same alternative order), so results are identical. Which text words can start a
phrase is remembered per index, so a word seen in one section is never looked up again.
The few patterns this word model cannot express (a word that is only punctuation, such
as ``§``, or a wildcard next to punctuation) fall back to their regex, compiled on first
use and only when the text contains their literals.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress
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
_LOCK = threading.RLock()


# ----------------------------------------------------------------------------- loading

def normalise_lang(code: str | None) -> str | None:
    """`sv-SE` -> `sv`, `no`/`nn` -> `nb`, `EN_gb` -> `en`; unknown codes -> None."""
    if not code or not isinstance(code, str):
        return None
    c = code.strip().lower().replace("_", "-").split("-", 1)[0]
    c = _ALIASES.get(c, c)
    return c if c in LANGS else None


class Vocabulary:
    """One language file as loaded: ``data`` is the raw TOML table. Read-only."""
    __slots__ = ("code", "data")

    def __init__(self, code: str, data: dict) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "data", data)

    def __setattr__(self, name, value):
        raise AttributeError(f"Vocabulary is read-only ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self.code == other.code and self.data == other.data

    __hash__ = None  # type: ignore[assignment]  # holds a dict, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Vocabulary(code={self.code!r}, data=…)"

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
                import tomllib
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
_BODY_GAP_WORDS = 10
_HEAD_GAP_WORDS = 6


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
    """The regex source of one pattern and its score (the number of words): the
    definition of what a pattern matches. The matchers below implement exactly this
    without compiling it (except for the rare patterns they cannot express).

    ``sensitive``: the regex is compiled case-sensitively, so case-insensitive words are
    wrapped in `(?i:…)` (used for phrases with an exact-case word such as `PUL`)."""
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


def _literals(pattern: str) -> list[str]:
    """Lower-cased literals every match of a body phrase contains (the pre-check of a
    phrase that falls back to its regex)."""
    out = []
    for w in pattern.split():
        if "|" in w or w in ("...", "…", "^", "$"):
            continue
        core = w.strip("*").lower()
        if core:
            out.append(core)
    return sorted(set(out), key=lambda x: -len(x))


# ------------------------------------------------------------------------- text scans

_SPLIT = re.compile(r"(\w+)").split


class TextScan:
    """A text split once into words: ``parts`` alternates separators and lower-cased
    words (``parts[2*i+1]`` is word ``i``, ``parts[2*i]`` the separator before it), as
    ``re.split(r"(\\w+)")`` leaves them. Every matcher reading the same text shares one
    scan (and the results it caches), so a section searched for elements, placeholders
    and outdated references is split once."""
    __slots__ = ("text", "low", "parts", "n", "toks", "tokset", "_offs", "_oparts", "_results")

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        if len(low) == len(text):
            parts = _SPLIT(low)
            self._oparts = None
        else:   # lower-casing changed the length (`İ`): offsets come from the original
            oparts = _SPLIT(text)
            parts = list(oparts)
            parts[1::2] = [t.lower() for t in oparts[1::2]]
            self._oparts = oparts
            low = None
        self.low = low
        self.parts = parts
        self.n = len(parts) >> 1
        self.toks = toks = parts[1::2]
        self.tokset = set(toks)
        self._offs = None
        self._results: dict = {}

    @property
    def offs(self) -> list[int]:
        """offs[k]: where part k starts in the text."""
        if self._offs is None:
            self._offs = list(accumulate(map(len, self._oparts or self.parts), initial=0))
        return self._offs

    def part(self, k: int, exact: bool) -> str:
        """Part k, lower-cased or (``exact``) as written."""
        if not exact:
            return self.parts[k]
        o = self.offs
        return self.text[o[k]:o[k + 1]]

    def lowered(self) -> str:
        return self.low if self.low is not None else self.text.lower()


_SCANS: dict[str, TextScan] = {}
_SCANS_MAX = 8


def scan(text: str | TextScan) -> TextScan:
    """The scan of a text. The last few are remembered, so that :func:`find_elements`
    and :func:`find_hygiene` on one text split it once; a caller holding many texts
    (``lint.Context``) keeps its own scans and passes them instead."""
    if isinstance(text, TextScan):
        return text
    ts = _SCANS.get(text)
    if ts is None:
        ts = TextScan(text)
        with _LOCK:
            if len(_SCANS) >= _SCANS_MAX:
                _SCANS.pop(next(iter(_SCANS)), None)
            _SCANS[text] = ts
    return ts


# ---------------------------------------------------------------------- compiled phrases

def _sep_ok(s: str) -> bool:
    """A body separator: 1-5 characters (never a word character here), no . ! ?"""
    return 0 < len(s) <= 5 and "." not in s and "!" not in s and "?" not in s


class _Spec:
    """One pattern as the word matcher reads it.

    ``words``: per pattern word, its alternatives as tuples
    ``(pieces, seps, lead, trail, exact, L, T)``: a word such as `95/46/EC` is the word
    pieces `95`, `46`, `EC` joined by the separators `/`, `/`; ``L``/``T`` is punctuation
    written before/after the pieces (`[email`, `art.`); ``lead``/``trail`` are the `*`
    wildcards. ``gaps[w]``: a `...` stands before word w."""
    __slots__ = ("pattern", "words", "quick", "gaps", "heading", "start", "end", "score",
                 "required", "anchor", "window", "first_alts", "single", "fallback", "literals",
                 "_rx")

    def __init__(self, pattern: str, heading: bool) -> None:
        self.pattern = pattern
        self.heading = heading
        self._rx = None
        self.literals: list[str] = []
        words, start, end = _phrase_parts(_norm_pattern(pattern) if heading else pattern)
        self.start, self.end = heading and start, heading and end    # anchors: headings only
        infos = []
        raw: list[str] = []
        gaps: list[bool] = []
        gap = False
        fallback = False
        for w in words:
            if w == "..." or w == "…":
                gap = True
                continue
            info = _word_info(w, heading)
            if info is None:
                continue            # no word at all (`*`, `|`): the regex skips it too
            fallback = fallback or info[1]
            infos.append(info)
            raw.append(w)
            gaps.append(gap and len(infos) > 1)
            gap = False
        self.words = tuple(info[0] for info in infos)
        self.quick = tuple(info[7] for info in infos)
        self.gaps = tuple(gaps)
        # one word matched by a quick test, no anchors: every place its anchor is found
        # is a match of exactly that word
        self.single = len(infos) == 1 and self.quick[0] is not None and not self.start \
            and not self.end
        self.score = len(infos)
        self.fallback = fallback
        self.required: frozenset = frozenset()
        self.anchor = None
        self.window = (0, 0)
        self.first_alts: tuple = ()
        if fallback:
            self.literals = _literals(" ".join(words))
            return
        if not infos:
            return
        # words every match contains whatever alternative is taken
        req = [info[6] for info in infos if info[6]]
        if req:
            self.required = frozenset().union(*req)
        # the anchor: the longest plain word before the first gap (what _Index keys the
        # pattern by without parsing it), else the word before the first gap whose least
        # specific alternative is most specific
        plain = _plain_anchor(words)
        if plain is not None:
            wi = raw.index(plain)
            self.anchor = (wi, (("eq", plain.lower(), 0),))
        else:
            wi = 0
            for i in range(1, len(infos)):
                if gaps[i]:
                    break       # the words before the first gap, as above
                if infos[i][2] > infos[wi][2]:
                    wi = i
            self.anchor = (wi, infos[wi][3])
        # how many words before the anchor word's first piece the match may start
        lo = hi = 0
        for i in range(wi):
            lo += infos[i][4]
            hi += infos[i][5]
            if gaps[i + 1]:
                hi += _HEAD_GAP_WORDS if heading else _BODY_GAP_WORDS
        self.window = (lo, hi)
        # the first word's alternatives in the order the regex tries them at one place:
        # by where they start (punctuation before the word starts earlier), then as written
        first = self.words[0]
        if len(first) == 1 or self.quick[0] is not None:
            self.first_alts = (0,)      # (a quick word tries all its alternatives at once)
        else:
            self.first_alts = tuple(sorted(range(len(first)), key=lambda ai: (-len(first[ai][5]), ai)))

    def regex(self) -> re.Pattern:
        """The pattern's regex (only for patterns beyond the word model)."""
        if self._rx is None:
            if self.heading:
                self._rx = re.compile(phrase_regex(self.pattern, heading=True)[0])
            else:
                src = phrase_regex(self.pattern)[0]
                if "(?-i:" in src:
                    self._rx = re.compile(phrase_regex(self.pattern, sensitive=True)[0])
                else:
                    self._rx = re.compile(src, re.IGNORECASE)
        return self._rx


def _plain_anchor(words: list[str]) -> str | None:
    """The first longest word of letters and digits only before the pattern's first
    `...`, if any. (A word after a gap is a poor anchor: the match may start up to ten
    words before it, and each of those places has to be tried.)"""
    best = ""
    seen = False
    for w in words:
        if w == "..." or w == "…":
            if seen:
                break
            continue
        seen = True
        if len(w) > len(best) and w.isalnum():
            best = w
    return best or None


@lru_cache(maxsize=None)
def _alt_info(alt: str, heading: bool) -> tuple | None:
    """One alternative of a word as ``(pieces, seps, lead, trail, exact, L, T)``, or None
    when the word model cannot express it."""
    lead = alt[0] == "*" and len(alt) > 1
    trail = alt[-1] == "*" and len(alt) > 1
    core = alt.strip("*")
    rest = core[1:]
    exact = not heading and not rest.islower() and any(ch.isupper() for ch in rest)
    c = core if exact else core.lower()
    if c.isalnum():
        return (c,), (), lead, trail, exact, "", ""
    sp = _SPLIT(c)
    pieces = tuple(sp[1::2])
    if not pieces or (lead and sp[0]) or (trail and sp[-1]):
        # only punctuation (`§`, or `*` alone), or a wildcard against punctuation
        # (`*-mail`): beyond the word model
        return None
    return pieces, tuple(sp[2:-1:2]), lead, trail, exact, sp[0], sp[-1]


@lru_cache(maxsize=None)
def _word_info(w: str, heading: bool) -> tuple | None:
    """(alternatives, needs the regex, anchor quality, anchor keys, fewest pieces, most
    pieces, words required) of one pattern word; None if the regex skips the word."""
    named = [a for a in w.split("|") if a]
    if not named or named == ["*"]:
        return None
    alts = tuple(_alt_info(a, heading) for a in named)
    if None in alts:
        return alts, True, 0.0, (), 0, 0, frozenset(), None
    keys = [_alt_key(a) for a in alts]
    sizes = [len(a[0]) for a in alts]
    req = frozenset()
    if len(alts) == 1:
        pieces, _, lead, trail, _, _, _ = alts[0]
        k = len(pieces)
        req = frozenset(p.lower() for j, p in enumerate(pieces)
                        if not ((j == 0 and lead) or (j == k - 1 and trail)))
    return (alts, False, min(q for q, _ in keys), tuple(k for _, k in keys), min(sizes),
            max(sizes), req, _quick(alts))


def _quick(alts: tuple) -> tuple | None:
    """(whole words, prefixes, suffixes, infixes) when every alternative is one word
    piece without punctuation or exact case: then any alternative that matches spans
    the same word, and the word is matched by a test on one lower-cased text word."""
    eqs, pres, sufs, infs = set(), [], [], []
    for pieces, _, lead, trail, exact, L, T in alts:
        if len(pieces) != 1 or exact or L or T:
            return None
        p = pieces[0]
        if lead and trail:
            infs.append(p)
        elif lead:
            sufs.append(p)
        elif trail:
            pres.append(p)
        else:
            eqs.add(p)
    return frozenset(eqs), tuple(pres), tuple(sufs), tuple(infs)


def _alt_key(alt: tuple) -> tuple[float, tuple]:
    """(specificity, (kind, text, piece)) of the best piece to find an alternative by:
    a piece compared whole if there is one, else a prefix, suffix or infix."""
    pieces, _, lead, trail, _, _, _ = alt
    k = len(pieces)
    best = None
    for j, p in enumerate(pieces):
        p = p.lower()
        if j == 0 and lead and j == k - 1 and trail:
            cand = (len(p) - 1.5, ("in", p, j))
        elif j == 0 and lead:
            cand = (len(p) - 1.0, ("suf", p, j))
        elif j == k - 1 and trail:
            cand = (len(p) - 0.5, ("pre", p, j))
        else:
            cand = (float(len(p)), ("eq", p, j))
        if best is None or cand[0] > best[0]:
            best = cand
    return best


@lru_cache(maxsize=None)
def _spec(pattern: str, heading: bool) -> _Spec:
    return _Spec(pattern, heading)


def _alt_at(alt: tuple, i: int, ts: TextScan) -> bool:
    """Does one alternative of a word match with its first piece at word i?"""
    pieces, seps, lead, trail, exact, L, T = alt
    k = len(pieces)
    if i < 0 or i + k > ts.n:
        return False
    base = 2 * i + 1
    if exact:
        part = ts.part
        w = part(base, True)
    else:
        parts = ts.parts
        w = parts[base]
    p = pieces[0]
    if k == 1:
        if lead:
            if not (p in w if trail else w.endswith(p)):
                return False
        elif trail:
            if not w.startswith(p):
                return False
        elif w != p:
            return False
    else:
        if not (w.endswith(p) if lead else w == p):
            return False
        for j in range(1, k):
            if exact:
                s, w = part(base + 2 * j - 1, True), part(base + 2 * j, True)
            else:
                s, w = parts[base + 2 * j - 1], parts[base + 2 * j]
            if s != seps[j - 1]:
                return False
            p = pieces[j]
            if j == k - 1 and trail:
                if not w.startswith(p):
                    return False
            elif w != p:
                return False
    if L and not ts.part(base - 1, exact).endswith(L):
        return False
    if T and not ts.part(base + 2 * k - 1, exact).startswith(T):
        return False
    return True


def _rest(sp: _Spec, w: int, j: int, tlen: int, ts: TextScan) -> int:
    """Match words w… after a word ending at word j (``tlen`` characters of punctuation
    after it belong to that word). Returns the match's end offset, or -1. Tries places
    and alternatives in the regex's order: fewest words skipped first, then as written."""
    words = sp.words
    n = ts.n
    parts = ts.parts
    if w == len(words):
        if sp.end and (j != n - 1 or tlen):
            return -1
        if tlen and j + 1 < n and len(parts[2 * j + 2]) == tlen:
            return -1       # the punctuation ends right before a word: no word boundary
        return ts.offs[2 * j + 2] + tlen
    first = parts[2 * j + 2]            # the separator after word j, less its punctuation
    if tlen:
        first = first[tlen:]
    heading = sp.heading
    q = sp.quick[w]
    b = j + 1
    last = b + ((_HEAD_GAP_WORDS if heading else _BODY_GAP_WORDS) if sp.gaps[w] else 0)
    if last >= n:
        last = n - 1
    while b <= last:
        sep = first if b == j + 1 else parts[2 * b]
        good = heading or sep == " " or _sep_ok(sep)
        if q is not None:
            if good:
                t = parts[2 * b + 1]
                if t in q[0] or (q[1] and t.startswith(q[1])) or (q[2] and t.endswith(q[2])) \
                        or (q[3] and any(x in t for x in q[3])):
                    end = _rest(sp, w + 1, b, 0, ts)
                    if end >= 0:
                        return end
        else:
            for alt in words[w]:
                L = alt[5]
                if L:
                    if len(sep) <= len(L):
                        continue
                    if not heading and not _sep_ok(sep[:len(sep) - len(L)]):
                        continue
                elif not good:
                    continue
                if _alt_at(alt, b, ts):
                    end = _rest(sp, w + 1, b + len(alt[0]) - 1, len(alt[6]), ts)
                    if end >= 0:
                        return end
        if not good:
            break           # skipping word b needs a whole separator before it
        b += 1
    return -1


def _match_at(sp: _Spec, s: int, ai: int, ts: TextScan) -> int:
    """End offset of the match whose first word is alternative ``ai`` at word s, or -1."""
    q = sp.quick[0]
    if q is not None:
        if sp.start and s != 0:
            return -1
        t = ts.toks[s]
        if t in q[0] or (q[1] and t.startswith(q[1])) or (q[2] and t.endswith(q[2])) \
                or (q[3] and any(x in t for x in q[3])):
            return _rest(sp, 1, s, 0, ts)
        return -1
    alt = sp.words[0][ai]
    if sp.start and (s != 0 or alt[5]):
        return -1
    if not _alt_at(alt, s, ts):
        return -1
    return _rest(sp, 1, s + len(alt[0]) - 1, len(alt[6]), ts)


class _Index:
    """The phrases of several labelled sets (one per element, one per hygiene entry…),
    indexed by anchor word. ``run(scan)`` gives every label's matches in one pass."""

    _serial = 0

    def __init__(self, entries: Iterable[tuple[object, Iterable[str]]], heading: bool = False) -> None:
        with _LOCK:
            _Index._serial += 1
            self.key = _Index._serial     # names its results in a TextScan's cache
        self.heading = heading
        self.labels: list = []
        self.patterns: list[str] = []
        self.specs: list[_Spec | None] = []     # parsed when first needed
        self.spec_label: list[int] = []
        self.fallbacks: list[int] = []
        eq: dict[str, list] = {}
        pre: dict[str, list] = {}
        suf: dict[str, list] = {}
        inner: list = []
        for label, phrases in entries:
            li = len(self.labels)
            self.labels.append(label)
            for p in dict.fromkeys(p for p in phrases if isinstance(p, str) and p.strip()):
                plain = _plain_anchor(_phrase_parts(_norm_pattern(p) if heading else p)[0])
                sp = None
                if plain is None:
                    sp = _spec(p, heading)
                    if not sp.words:
                        continue
                pid = len(self.specs)
                self.patterns.append(p)
                self.specs.append(sp)
                self.spec_label.append(li)
                if plain is not None:
                    # most patterns: keyed by their longest plain word without parsing
                    # them; _Spec picks the same anchor when the word is first seen
                    eq.setdefault(plain.lower(), []).append((pid, 0, 0))
                    continue
                if sp.fallback:
                    self.fallbacks.append(pid)
                    continue
                for ai, (kind, text, j) in enumerate(sp.anchor[1]):
                    entry = (pid, ai, j)
                    if kind == "eq":
                        eq.setdefault(text, []).append(entry)
                    elif kind == "pre":
                        pre.setdefault(text[:3], []).append((text, entry))
                    elif kind == "suf":
                        suf.setdefault(text[-3:], []).append((text, entry))
                    else:
                        inner.append((text, entry))
        self._eq, self._pre, self._suf, self._inner = eq, pre, suf, inner
        self._hit: dict[str, tuple] = {}       # text word -> anchors it can be
        self._hitkeys: set[str] = set()
        self._miss: set[str] = set()

    def spec(self, pid: int) -> _Spec:
        sp = self.specs[pid]
        if sp is None:
            sp = self.specs[pid] = _spec(self.patterns[pid], self.heading)
        return sp

    def _anchors(self, t: str) -> tuple:
        out = list(self._eq.get(t, ()))
        if self._pre:
            for k in (1, 2, 3):
                for text, entry in self._pre.get(t[:k], ()) if len(t) >= k else ():
                    if t.startswith(text):
                        out.append(entry)
        if self._suf:
            for k in (1, 2, 3):
                for text, entry in self._suf.get(t[-k:], ()) if len(t) >= k else ():
                    if t.endswith(text):
                        out.append(entry)
        for text, entry in self._inner:
            if text in t:
                out.append(entry)
        return tuple(out)

    def _candidates(self, ts: TextScan, fallbacks: list[int],
                    direct: dict[int, list[int]]) -> dict[int, set[int]]:
        """pid -> words where a match of the phrase may start. A one-word phrase
        matches wherever its anchor is: its words go to ``direct`` instead. Phrases
        that turn out to need their regex are added to ``fallbacks``."""
        tokset = ts.tokset
        new = tokset - self._miss
        if new:
            new -= self._hitkeys
            if new:
                with _LOCK:
                    if len(self._miss) > 200_000:
                        self._miss.clear()
                    for t in new:
                        a = self._anchors(t)
                        if a:
                            self._hit[t] = a
                            self._hitkeys.add(t)
                        else:
                            self._miss.add(t)
        hits = tokset & self._hitkeys
        if not hits:
            return {}
        specs = self.specs
        live: dict[str, list] = {}
        ok: dict[int, bool] = {}
        for t in hits:
            keep = []
            for entry in self._hit[t]:
                pid = entry[0]
                r = ok.get(pid)
                if r is None:
                    sp = specs[pid] or self.spec(pid)
                    if sp.fallback:
                        fallbacks.append(pid)
                        r = ok[pid] = False
                    else:
                        req = sp.required
                        r = ok[pid] = not req or req <= tokset
                if r:
                    keep.append(entry)
            if keep:
                live[t] = keep
        if not live:
            return {}
        toks = ts.toks
        starts: dict[int, set[int]] = {}
        for i in compress(range(ts.n), map(live.__contains__, toks)):
            for pid, ai, j in live[toks[i]]:
                sp = specs[pid]
                if sp.single:
                    got = direct.get(pid)
                    if got is None:
                        direct[pid] = [i]
                    elif got[-1] != i:
                        got.append(i)
                    continue
                lo, hi = sp.window
                w0 = i - j
                got = starts.get(pid)
                if got is None:
                    got = starts[pid] = set()
                if lo == hi:
                    if w0 >= lo:
                        got.add(w0 - lo)
                else:
                    got.update(range(max(w0 - hi, 0), w0 - lo + 1))
        return starts

    def run(self, ts: TextScan, first_only: bool = False) -> dict[int, list[tuple[int, int]]]:
        """Label index -> non-overlapping (start, end) matches in text order, the longest
        at any one place (as each label's phrases were one alternation). With
        ``first_only`` (headings): pid -> [its first match] instead, no merging."""
        key = (self.key, first_only)
        res = ts._results.get(key)
        if res is not None:
            return res
        found: dict[int, list[tuple[int, int]]] = {}
        fallbacks = list(self.fallbacks)
        if ts.n:
            direct: dict[int, list[int]] = {}
            candidates = self._candidates(ts, fallbacks, direct)
            offs = ts.offs if candidates or direct else None
            labels = self.spec_label
            for pid, places in direct.items():
                spans = [(offs[2 * i + 1], offs[2 * i + 2]) for i in places]
                found.setdefault(pid if first_only else labels[pid], []).extend(
                    spans[:1] if first_only else spans)
            specs = self.specs
            for pid, starts in candidates.items():
                sp = specs[pid]
                order = []
                for s in starts:
                    for ai in sp.first_alts:
                        order.append((offs[2 * s + 1] - len(sp.words[0][ai][5]), ai, s))
                if len(order) > 1:
                    order.sort()
                last = -1
                spans = []
                for start, ai, s in order:
                    if start < last:
                        continue
                    end = _match_at(sp, s, ai, ts)
                    if end >= 0:
                        spans.append((start, end))
                        if first_only:
                            break
                        last = end
                if spans:
                    found.setdefault(pid if first_only else labels[pid], []).extend(spans)
        if fallbacks:
            low = ts.lowered()
            for pid in fallbacks:
                sp = self.spec(pid)
                if not all(x in low for x in sp.literals):
                    continue
                rx = sp.regex()
                if first_only:
                    m = rx.search(ts.text)
                    if m:
                        found[pid] = [m.span()]
                else:
                    spans = [m.span() for m in rx.finditer(ts.text)]
                    if spans:
                        found.setdefault(self.spec_label[pid], []).extend(spans)
        if not first_only:
            for li, spans in found.items():
                if len(spans) > 1:
                    spans.sort(key=lambda sp: (sp[0], -sp[1]))
                    kept: list[tuple[int, int]] = []
                    for sp in spans:
                        if kept and sp[0] < kept[-1][1]:
                            continue
                        kept.append(sp)
                    found[li] = kept
        ts._results[key] = found
        return found


class PhraseSet:
    """Body phrases matched as one alternation (see :class:`_Index`)."""
    __slots__ = ("_index",)

    def __init__(self, phrases: Iterable[str]) -> None:
        self._index = _Index([(None, phrases)])

    def spans(self, text: str | TextScan, *_ignored, **_kw) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) matches in text order; at one place the longest."""
        if not text:
            return []
        return list(self._index.run(scan(text)).get(0, ()))

    def finditer(self, text: str, low: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, matched text) in text order."""
        return [(s, e, text[s:e]) for s, e in self.spans(text)]


def compile_phrases(phrases: Iterable[str]) -> PhraseSet:
    return PhraseSet(phrases)


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


@lru_cache(maxsize=None)
def _heading_index(code: str) -> _Index:
    """One language's heading patterns; labels are (kind, pattern)."""
    entries = []
    v = vocabulary(code)
    for kind, pats in (v.data.get("headings", {}) if v else {}).items():
        if kind not in SECTION_KINDS or not isinstance(pats, list):
            continue
        for p in pats:
            if isinstance(p, str):
                entries.append(((kind, p), [p]))
    return _Index(entries, heading=True)


def _classify(norm: str, langs: tuple[str, ...]) -> tuple[bool, str | None]:
    """(matched anything, unambiguous kind)."""
    hits: dict[str, list[tuple[int, int, int]]] = {}
    ts = TextScan(norm)
    seen = set()
    for code in langs:
        index = _heading_index(code)
        for pid, spans in index.run(ts, first_only=True).items():
            label = index.labels[index.spec_label[pid]]
            if label in seen:
                continue
            seen.add(label)
            s, e = spans[0]
            hits.setdefault(label[0], []).append((index.spec(pid).score, s, e))
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


# ------------------------------------------------------------------- elements and hygiene

def _langs_for(lang: str | None) -> tuple[str, ...]:
    code = normalise_lang(lang)
    return (code,) if code else LANGS


def _element_phrases(langs: tuple[str, ...]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for v in _vocabs(langs):
        for name, phrases in v.data.get("elements", {}).items():
            if isinstance(phrases, list):
                merged.setdefault(name, []).extend(phrases)
    return merged


def _hygiene_entries(langs: tuple[str, ...], group: str) -> list[tuple[str | None, list[str]]]:
    """(message, phrases) per entry of a group, the plain phrases last (message None:
    'report the matched text')."""
    out: list[tuple[str | None, list[str]]] = []
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
                out.append((e.get("message"), list(pats) if isinstance(pats, list) else []))
    if plain:
        out.append((None, plain))
    return out


@lru_cache(maxsize=None)
def _body_index(langs: tuple[str, ...]) -> _Index:
    """Every body phrase of a document in ``langs``, in one index: labels are
    ("element", name) and ("hygiene", group, message); outdated references and
    placeholders come from every language whatever ``langs`` is."""
    entries: list[tuple[object, list[str]]] = []
    for name, phrases in _element_phrases(langs).items():
        entries.append((("element", name), phrases))
    for group in HYGIENE_GROUPS:
        for message, phrases in _hygiene_entries(LANGS if group in _GLOBAL_GROUPS else langs, group):
            entries.append((("hygiene", group, message), phrases))
    return _Index(entries)


def element_names() -> tuple[str, ...]:
    return tuple(_element_phrases(LANGS))


def find_elements(text: str | TextScan, lang: str | None) -> dict[str, list[tuple[int, int]]]:
    """Element name -> (start, end) offsets of its phrases in text.

    Only elements with at least one match appear in the result. ``lang`` None (or an
    unknown code) uses every language's phrases. ``text`` may be a :func:`scan`.
    """
    if not text:
        return {}
    index = _body_index(_langs_for(lang))
    found = index.run(scan(text))
    out: dict[str, list[tuple[int, int]]] = {}
    for li, label in enumerate(index.labels):
        if label[0] == "element" and li in found:
            out[label[1]] = list(found[li])
    return out


def find_hygiene(text: str | TextScan, lang: str | None, group: str) -> list[tuple[int, int, str]]:
    """Matches of one hygiene group as (start, end, message or matched text), in order.

    ``outdated`` and ``placeholders`` use every language's entries whatever ``lang`` is.
    ``text`` may be a :func:`scan`.
    """
    if not text or group not in HYGIENE_GROUPS:
        return []
    index = _body_index(_langs_for(lang))
    ts = scan(text)
    found = index.run(ts)
    out: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for li, label in enumerate(index.labels):
        if label[0] != "hygiene" or label[1] != group or li not in found:
            continue
        message = label[2]
        for start, end in found[li]:
            if (start, end) in seen:
                continue
            seen.add((start, end))
            out.append((start, end, message if message else ts.text[start:end]))
    out.sort()
    return out


__all__ = [
    "LANGS", "HYGIENE_GROUPS", "Vocabulary", "PhraseSet", "TextScan", "normalise_lang",
    "vocabulary", "classify_heading", "normalise_heading", "detect_language",
    "language_scores", "find_elements", "element_names", "find_hygiene", "compile_phrases",
    "phrase_regex", "scan",
]
