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
:func:`phrase_regex` writes for it, and that regex has the last word: the index only
says where to run it. A text is cut at its spaces once (:class:`TextScan`), and the
words of each distinct piece (`data`, `(GDPR),`) are found once per process. The
phrases of a whole vocabulary sit in one index (:class:`_Index`) keyed by one *anchor*
word each (the likeliest to be rare: long, not a stopword; a whole word, a ``word*``
prefix, a ``*word`` suffix). Where an anchor occurs, the rest of its word and the words
right before and after it are tested first (`privacy` must be followed by `shield`),
and only then does the phrase's regex run, compiled on first use; a one-word phrase
needs no regex at all. Candidates are a superset of the places where the regex matches
and are tried in text order, so the results are exactly the regex's. The rare pattern
with a word that is only punctuation (`§ 4a BDSG`) runs its regex over the whole text
where one of its words occurs.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Iterable

from . import resources
from .ast import SECTION_KINDS

#: The languages with a vocabulary file, policylint/lang/<code>.toml.
LANGS: tuple[str, ...] = resources.shipped_langs("lang", ".toml")

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


def word_tokens(low: str) -> list[str]:
    """Whitespace tokens of lower-cased text (slashes split too), punctuation attached."""
    return (low.replace("/", " ") if "/" in low else low).split()


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
_WORDS: dict[str, tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}


def _words(piece: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The words of a piece of text without spaces, lower-cased, and their (start, end)
    in the piece. Remembered: pieces (`data`, `(GDPR),`) repeat within a document and
    across documents, and most are one word."""
    got = _WORDS.get(piece)
    if got is None:
        if piece.isalnum():
            got = ((piece.lower(),), ((0, len(piece)),))
        else:
            parts = _SPLIT(piece)
            offs = list(accumulate(map(len, parts), initial=0))
            got = (tuple(w.lower() for w in parts[1::2]),
                   tuple((offs[k], offs[k + 1]) for k in range(1, len(parts), 2)))
        if len(_WORDS) > 200_000:
            _WORDS.clear()
        _WORDS[piece] = got
    return got


class TextScan:
    """A text cut at its spaces into pieces, once for every matcher reading it; the
    matchers cache their results here too. Cutting at spaces is C-level and cheap, and
    the words of each distinct piece are found once (:func:`_words`): a document has
    far fewer distinct pieces than words."""
    __slots__ = ("text", "pieces", "_offs", "_low", "_results")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces = text.split(" ")
        self._offs: list[int] | None = None
        self._low: str | None = None
        self._results: dict = {}

    @property
    def offs(self) -> list[int]:
        """offs[k] + k: where piece k starts in the text (``k`` spaces come before it;
        leaving them out makes the sums twice as cheap)."""
        if self._offs is None:
            self._offs = list(accumulate(map(len, self.pieces), initial=0))
        return self._offs

    def lowered(self) -> str:
        if self._low is None:
            self._low = self.text.lower()
        return self._low


_SCANS: dict[str, TextScan] = {}
_SCANS_MAX = 8


def scan(text: str | TextScan) -> TextScan:
    """The scan of a text. The last few are remembered, so that :func:`find_elements`
    and :func:`find_hygiene` on one text cut it once; a caller holding many texts
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

@lru_cache(maxsize=None)
def _alt(alt: str, heading: bool) -> tuple | None:
    """One alternative of a pattern word as ``(pieces, quality, key, lead, quick, probe)``.

    A word such as `95/46/EC` spans three word pieces of the text; `[email` has one
    character of punctuation (``lead``) before its piece. ``key`` is the piece to find
    the alternative by, ``(kind, text, piece index)`` with kind `eq` (the whole word),
    `pre` (`word*`), `suf` (`*word`) or `in` (`*word*`); ``quality`` says how rare it
    is likely to be (its length). ``quick``: one piece, no punctuation, no exact case,
    so that its key alone decides whether a text word matches; otherwise ``probe`` is
    how to compare the whole alternative with the text around the key. None when the
    word model cannot express the alternative (only punctuation, `*-mail`)."""
    lead = alt[0] == "*" and len(alt) > 1
    trail = alt[-1] == "*" and len(alt) > 1
    core = alt.strip("*")
    exact = not heading and any(ch.isupper() for ch in core[1:])
    sp = _SPLIT(core)
    pieces = tuple(p.lower() for p in sp[1::2])
    if not pieces or (lead and sp[0]) or (trail and sp[-1]):
        return None
    k = len(pieces)
    best = None
    for j, p in enumerate(pieces):
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
    quick = k == 1 and not exact and not sp[0] and not sp[-1]
    # probe: (text as compared, exact, where it starts before piece 0: None = where the
    # `*` of a leading wildcard lets it, else that many characters of punctuation)
    probe = None if quick else (core if exact else core.lower(), exact,
                                len(pieces[0]) if lead else -len(sp[0]))
    return k, best[0], best[1], len(sp[0]), quick, probe


@lru_cache(maxsize=None)
def _word_alts(w: str, heading: bool) -> tuple:
    """A pattern word's alternatives (see :func:`_alt`); () for no word at all (`*`,
    `|`), which the regex skips too."""
    named = [a for a in w.split("|") if a]
    if not named or named == ["*"]:
        return ()
    return tuple(_alt(a, heading) for a in named)


def _test(alts: tuple) -> tuple:
    """(whole words, prefixes, suffixes, infixes) of a word whose alternatives are all
    quick, or just the whole words when that is all: a text word passes if it matches
    one of them."""
    eqs, pres, sufs, infs = set(), [], [], []
    for a in alts:
        kind, text, _ = a[2]
        if kind == "eq":
            eqs.add(text)
        else:
            {"pre": pres, "suf": sufs, "in": infs}[kind].append(text)
    if not (pres or sufs or infs):
        return frozenset(eqs)       # the common case: a set lookup
    return frozenset(eqs), tuple(pres), tuple(sufs), tuple(infs)


def _passes(t: str | None, test: frozenset | tuple) -> bool:
    if t is None:
        return False
    if type(test) is frozenset:
        return t in test
    eqs, pres, sufs, infs = test
    return t in eqs or (pres and t.startswith(pres)) or (sufs and t.endswith(sufs)) \
        or any(x in t for x in infs)


class _Phrase:
    """One pattern: its regex (the definition, :func:`phrase_regex`, compiled on first
    use) and where a match can start relative to its *anchor*, the rarest-looking word
    before its first `...`, which every match contains.

    ``window``: a match starts ``lo..hi`` word pieces before the anchor word; ``leads``:
    and that many characters of punctuation earlier (`[your`). ``checks``: tests of the
    text words right before (-1) and after (the anchor's size) the anchor word, which
    rule out most places before the regex runs. ``single``: a one-word pattern whose
    anchor alone decides a match (no regex needed). ``anchor`` is None for the rare
    pattern beyond the word model, which runs its regex on the whole text."""
    __slots__ = ("pattern", "heading", "score", "anchor", "window", "leads", "single",
                 "checks", "literals", "trigger", "_rx")

    def __init__(self, pattern: str, heading: bool, common: frozenset = frozenset()) -> None:
        self.pattern = pattern
        self.heading = heading
        self._rx = None
        self.anchor = None
        self.window = (0, 0)
        self.leads: tuple[int, ...] = (0,)
        self.single = False
        self.checks: tuple = ()
        self.literals: list[str] = []
        self.trigger: str | None = None
        words, start, end = _phrase_parts(_norm_pattern(pattern) if heading else pattern)
        infos: list[tuple] = []
        gaps: list[bool] = []
        gap, modelled = False, True
        for w in words:
            if w == "..." or w == "…":
                gap = True
                continue
            alts = _word_alts(w, heading)
            if alts:
                infos.append(alts)
                gaps.append(gap and len(infos) > 1)
                modelled = modelled and None not in alts
            gap = False
        self.score = len(infos)
        if not infos:
            return
        if not modelled:
            self.literals = _literals(" ".join(words))
            # a whole word every match holds tells where to bother running the regex
            plain = [w.lower() for w in words if w.isalnum()]
            self.trigger = max(plain, key=len) if plain else None
            return
        best = None
        for wi, alts in enumerate(infos):
            if gaps[wi]:
                break           # after a gap, a match may start up to ten words earlier
            q = min(a[1] - (10 if a[2][1] in common else 0) for a in alts)
            if best is None or q > best[0]:
                best = (q, wi)
        wi = best[1]
        self.anchor = tuple((a[2], a[5]) for a in infos[wi])
        self.window = (sum(min(a[0] for a in alts) for alts in infos[:wi]),
                       sum(max(a[0] for a in alts) for alts in infos[:wi]))
        self.leads = tuple(sorted({a[3] for a in infos[0]}))
        self.single = (len(infos) == 1 and not (heading and (start or end))
                       and all(a[4] for a in infos[0]))
        # the words right before and after the anchor word, where nothing can come between
        checks = []
        if wi and all(a[4] for a in infos[wi - 1]):
            checks.append((-1, _test(infos[wi - 1])))
        sizes = {a[0] for a in infos[wi]}
        if wi + 1 < len(infos) and not gaps[wi + 1] and len(sizes) == 1 \
                and all(a[4] for a in infos[wi + 1]):
            checks.append((sizes.pop(), _test(infos[wi + 1])))
        self.checks = tuple(checks)

    def regex(self) -> re.Pattern:
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


def _probe(piece: str, spans: tuple, f: int, probe: tuple) -> bool:
    """Can the whole anchor alternative stand in the piece with its first piece at word
    ``f``? (A pattern word never holds a space, so it lies inside one piece.)"""
    text, exact, before = probe
    if f < 0:
        return False
    start = spans[f][1] - before if before > 0 else spans[f][0] + before
    if start < 0:
        return False
    seg = piece[start:start + len(text)]
    return (seg if exact else seg.lower()) == text


class _Edges(dict):
    """piece -> (its first word, its last word), or None for a piece without words."""
    def __missing__(self, piece: str) -> tuple[str, str] | None:
        words = _words(piece)[0]
        got = self[piece] = (words[0], words[-1]) if words else None
        return got


_EDGES = _Edges()


def _neighbours(pieces: list[str], ks: list[int], step: int) -> list[str | None]:
    """For each piece k: the last word before it (step -1) or the first after it (1)."""
    edges, n = _EDGES, len(pieces)
    if len(edges) > 200_000:
        edges.clear()
    out = []
    for k in ks:
        i = k + step
        while 0 <= i < n:
            e = edges[pieces[i]]
            if e is not None:
                out.append(e[0] if step > 0 else e[1])
                break
            i += step
        else:
            out.append(None)
    return out


def _starts(ts: TextScan, k: int, w: int, lo: int, hi: int) -> list[int]:
    """Where the words ``lo..hi`` words before word ``w`` of piece ``k`` start."""
    out = []
    pieces, offs = ts.pieces, ts.offs
    d = 0
    while k >= 0:
        spans = _words(pieces[k])[1]
        if w < 0:
            w = len(spans) - 1
        while w >= 0:
            if d >= lo:
                out.append(offs[k] + k + spans[w][0])
            if d == hi:
                return out
            d += 1
            w -= 1
        k -= 1
    return out


class _Index:
    """The phrases of several labelled sets (one per element, one per hygiene entry…),
    indexed by anchor. ``run(scan)`` gives every label's matches in one pass: a phrase's
    regex only runs where its anchor occurs and the words around it fit."""

    _serial = 0

    def __init__(self, entries: Iterable[tuple[object, Iterable[str]]], heading: bool = False,
                 common: frozenset = frozenset()) -> None:
        with _LOCK:
            _Index._serial += 1
            self.key = _Index._serial     # names its results in a TextScan's cache
        self.heading = heading
        self.labels: list = []
        self.phrases: list[_Phrase] = []
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
                ph = _Phrase(p, heading, common)
                if not ph.score:
                    continue
                pid = len(self.phrases)
                self.phrases.append(ph)
                self.spec_label.append(li)
                if ph.anchor is None:
                    self.fallbacks.append(pid)
                    if ph.trigger:
                        eq.setdefault(ph.trigger, []).append((pid, 0, None))
                    continue
                for (kind, text, j), probe in ph.anchor:
                    entry = (pid, j, probe)
                    if kind == "eq":
                        eq.setdefault(text, []).append(entry)
                    elif kind == "pre":
                        pre.setdefault(text[:3], []).append((text, entry))
                    elif kind == "suf":
                        suf.setdefault(text[-3:], []).append((text, entry))
                    else:
                        inner.append((text, entry))
        self._eq, self._pre, self._suf, self._inner = eq, pre, suf, inner
        self._word: dict[str, tuple] = {}      # text word -> (pid, j, probe) it anchors
        self._hit: dict[str, tuple] = {}       # piece -> anchors among its words
        self._hitkeys: set[str] = set()         # the pieces with anchors
        self._seen: set[str] = set()            # every piece looked at

    def spec(self, pid: int) -> _Phrase:
        return self.phrases[pid]

    def _anchors(self, t: str) -> tuple:
        got = self._word.get(t)
        if got is None:
            out = list(self._eq.get(t, ()))
            for k in (1, 2, 3):
                if len(t) >= k:
                    out += [e for text, e in self._pre.get(t[:k], ()) if t.startswith(text)]
                    out += [e for text, e in self._suf.get(t[-k:], ()) if t.endswith(text)]
            out += [e for text, e in self._inner if text in t]
            got = self._word[t] = tuple(out)
        return got

    def _piece(self, piece: str) -> tuple:
        """``(word, start, end, pid, j, checks)`` for each anchor among a piece's words
        that fits there; ``checks`` are the neighbour tests left for the words before
        (-1) and after (1) the piece, as ``(step, test)``."""
        words, spans = _words(piece)
        n = len(words)
        out = []
        for w, t in enumerate(words):
            for pid, j, probe in self._anchors(t):
                if probe is not None and not _probe(piece, spans, w - j, probe):
                    continue
                left = []
                for d, test in self.phrases[pid].checks:
                    i = w - j + d
                    if 0 <= i < n:
                        if not _passes(words[i], test):
                            break
                    else:
                        left.append((1 if i > 0 else -1, test))
                else:
                    out.append((w, spans[w][0], spans[w][1], pid, j, tuple(left)))
        return tuple(out)

    def _where(self, ts: TextScan) -> dict[str, list[int]]:
        """piece holding an anchor -> where it occurs (kept in the scan: passes for
        different labels share it)."""
        key = (self.key, "where")
        where = ts._results.get(key)
        if where is not None:
            return where
        pieces = ts.pieces
        seen, hit, hitkeys = self._seen, self._hit, self._hitkeys
        if not seen.issuperset(pieces):             # pieces never seen: learn them
            with _LOCK:
                if len(self._seen) > 200_000:      # (a fresh set, so readers keep theirs)
                    self._seen, self._hit, self._hitkeys, self._word = set(), {}, set(), {}
                seen, hit, hitkeys = self._seen, self._hit, self._hitkeys
                for p in set(pieces) - seen:
                    a = self._piece(p)
                    if a:
                        hit[p] = a
                        hitkeys.add(p)
                    seen.add(p)
        where = {}
        for k in compress(range(len(pieces)), map(hitkeys.__contains__, pieces)):
            got = where.get(pieces[k])
            if got is None:
                where[pieces[k]] = [k]
            else:
                got.append(k)
        ts._results[key] = where
        return where

    def _candidates(self, ts: TextScan, want: frozenset | None
                    ) -> tuple[dict[int, set[int]], dict[int, list], set[int]]:
        """(pid -> where a match of the phrase may start, pid -> the spans of a one-word
        phrase, which are matches already, the regex-only phrases whose trigger word
        occurs), for the phrases of the labels ``want`` (None: all)."""
        where = self._where(ts)
        starts: dict[int, set[int]] = {}
        direct: dict[int, list] = {}
        triggered: set[int] = set()
        pieces, offs, phrases, hit, labels = ts.pieces, ts.offs, self.phrases, self._hit, self.spec_label
        for piece, places in where.items():
            near: dict[int, list] = {}
            for w, s, e, pid, j, checks in hit[piece]:
                if want is not None and labels[pid] not in want:
                    continue
                if phrases[pid].anchor is None:
                    triggered.add(pid)
                    continue
                ks = places
                if checks:
                    idx = range(len(places))
                    for step, test in checks:
                        words = near.get(step)
                        if words is None:
                            words = near[step] = _neighbours(pieces, places, step)
                        if type(test) is frozenset:
                            idx = [i for i in idx if words[i] in test]
                        else:
                            idx = [i for i in idx if _passes(words[i], test)]
                    ks = [places[i] for i in idx]
                if not ks:
                    continue
                ph = phrases[pid]
                if ph.single:
                    direct.setdefault(pid, []).extend([(offs[k] + k + s, offs[k] + k + e) for k in ks])
                    continue
                got = starts.setdefault(pid, set())
                lo, hi = ph.window
                if hi == 0 and j == 0:
                    at = [offs[k] + k + s for k in ks]
                else:
                    at = [p for k in ks for p in _starts(ts, k, w, lo + j, hi + j)]
                for lead in ph.leads:
                    got.update([p - lead for p in at if p >= lead] if lead else at)
        return starts, direct, triggered

    def run(self, ts: TextScan, first_only: bool = False,
            want: frozenset | None = None) -> dict[int, list[tuple[int, int]]]:
        """Label index -> non-overlapping (start, end) matches in text order, the longest
        at any one place (as each label's phrases were one alternation), for the labels
        ``want`` (None: all). With ``first_only`` (headings): pid -> [its first match]
        instead, no merging."""
        key = (self.key, first_only, want)
        res = ts._results.get(key)
        if res is not None:
            return res
        found: dict[int, list[tuple[int, int]]] = {}
        labels = self.spec_label
        starts, direct, triggered = self._candidates(ts, want)
        for pid, spans in direct.items():
            if first_only:
                found[pid] = [min(spans)]
            else:
                found.setdefault(labels[pid], []).extend(spans)
        text = ts.text
        for pid, places in starts.items():
            match = self.phrases[pid].regex().match
            last = -1
            spans = []
            for p in sorted(places):
                if p < last:
                    continue
                m = match(text, p)
                if m:
                    spans.append(m.span())
                    if first_only:
                        break
                    last = m.end()
            if spans:
                found.setdefault(pid if first_only else labels[pid], []).extend(spans)
        for pid in self.fallbacks:
            if want is not None and labels[pid] not in want:
                continue
            ph = self.phrases[pid]
            if pid not in triggered if ph.trigger else not all(x in ts.lowered() for x in ph.literals):
                continue
            if first_only:
                m = ph.regex().search(text)
                if m:
                    found[pid] = [m.span()]
            else:
                spans = [m.span() for m in ph.regex().finditer(text)]
                if spans:
                    found.setdefault(labels[pid], []).extend(spans)
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
    return _Index(entries, heading=True, common=_common_words((code,)))


def _common_words(langs: Iterable[str]) -> frozenset[str]:
    """The stopwords of some languages: poor anchors ('the', 'data', 'your')."""
    return frozenset(w.lower() for v in _vocabs(langs) for w in v.stopwords if isinstance(w, str))


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


def _hygiene_raw(langs: tuple[str, ...], group: str) -> Iterable[str | dict]:
    """The entries of a hygiene group as the language files write them, in order."""
    for v in _vocabs(langs):
        entries = v.data.get("hygiene", {}).get(group, [])
        if isinstance(entries, list):
            yield from entries


def _hygiene_entries(langs: tuple[str, ...], group: str) -> list[tuple[str | None, list[str]]]:
    """(message, phrases) per entry of a group, the plain phrases last (message None:
    'report the matched text')."""
    out: list[tuple[str | None, list[str]]] = []
    plain: list[str] = []
    for e in _hygiene_raw(langs, group):
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
    return _Index(entries, common=_common_words(LANGS))


def element_names() -> tuple[str, ...]:
    return tuple(_element_phrases(LANGS))


def _wanted(index: _Index, test) -> frozenset:
    return frozenset(li for li, label in enumerate(index.labels) if test(label))


def find_elements(text: str | TextScan, lang: str | None,
                  names: Iterable[str] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Element name -> (start, end) offsets of its phrases in text.

    Only elements with at least one match appear in the result; with ``names``, only
    those elements are looked for. ``lang`` None (or an unknown code) uses every
    language's phrases. ``text`` may be a :func:`scan`.
    """
    if not text:
        return {}
    index = _body_index(_langs_for(lang))
    names = None if names is None else frozenset(names)
    want = _wanted(index, lambda lb: lb[0] == "element" and (names is None or lb[1] in names))
    found = index.run(scan(text), want=want)
    return {index.labels[li][1]: list(found[li]) for li in sorted(found) if found[li]}


@lru_cache(maxsize=None)
def hygiene_fixes(group: str) -> dict[str, str]:
    """message -> fix of the entries of a hygiene group that give one (`fix = "..."` beside
    `message`): 'write Integritetsskyddsmyndigheten (IMY)' beats a generic hint."""
    out: dict[str, str] = {}
    for e in _hygiene_raw(LANGS, group):
        if isinstance(e, dict) and isinstance(e.get("message"), str) \
                and isinstance(e.get("fix"), str):
            out.setdefault(e["message"], e["fix"])
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
    found = index.run(ts, want=_wanted(index, lambda lb: lb[0] == "hygiene" and lb[1] == group))
    out: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for li in sorted(found):            # an earlier entry's message wins a tie
        message = index.labels[li][2]
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
