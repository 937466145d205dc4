"""Facts inside a piece of text: retention periods and criteria, e-mail addresses, URLs
and telephone numbers.

``extract_facts`` runs on every paragraph of every document, so each extractor sits
behind a cheap test (an "@" for e-mails, "http"/"www." for URLs, a digit run for phones,
a unit word for durations) and the regular expressions are built once, on first use,
from the number and unit words of every language file (the language of a paragraph may
be unknown).
"""
from __future__ import annotations

import re
import threading

from .ast import Duration, Facts, NO_FACTS
from .vocab import _LEAD, _TRAIL, TextScan, word_tokens as vocab_tokens

_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

# ------------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w@])")


def find_emails(text: str) -> tuple[str, ...]:
    """E-mail addresses. Scraper residue such as `[email protected]` is not one."""
    if not text or "@" not in text:
        return ()
    out = []
    for m in _EMAIL.finditer(text):
        e = m.group(0).strip(".")
        if "@" in e and ".." not in e and e not in out:
            out.append(e)
    return tuple(out)


# ---------------------------------------------------------------------------------- URLs

# the left boundary sits after the first letter so that the engine can skip ahead
_URL = re.compile(r"(?:h(?<![\w@/.]h)ttps?://|w(?<![\w@/.]w)ww\.)[^\s<>\"'`«»“”‘’]+", re.IGNORECASE)
_URL_TRAIL = ".,;:!?*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim_url(u: str) -> str:
    while u:
        c = u[-1]
        if c in _URL_TRAIL:
            u = u[:-1]
        elif c in _PAIRS and u.count(c) > u.count(_PAIRS[c]):
            u = u[:-1]
        else:
            break
    return u


def find_urls(text: str, _low: str | None = None) -> tuple[str, ...]:
    """http(s) and `www.` addresses, trailing punctuation and unmatched brackets removed."""
    if not text:
        return ()
    if "http" not in text and "www." not in text:
        low = text.lower() if _low is None else _low
        if "http" not in low and "www." not in low:
            return ()
    out = []
    for m in _URL.finditer(text):
        u = _trim_url(m.group(0))
        head = u.lower().split("//", 1)[-1] if u.lower().startswith("http") else u[4:]
        if "." in head.strip(".") and u not in out:
            out.append(u)
    return tuple(out)


# -------------------------------------------------------------------------------- phones

_PHONE = re.compile(r"""
    (?<![\w+/=.,:%€$£-])                       # not inside a word, number, URL or amount
    (?:
        \+\d{1,3}(?:[ \u00a0.\-]?\(0\))?(?:[ \u00a0.\-/]?\(?\d{1,5}\)?){1,6}   # +46 (0)8-123 45 67
      | \(?0\d{1,4}\)?(?:[ \u00a0.\-/]?\d{1,5}){1,5}                         # 08-123 45 67
      | \d{2}(?:[ \u00a0]\d{2}){3}(?![ \u00a0]?\d)                           # 70 20 30 40
      | \d{3}[ \u00a0]\d{2}[ \u00a0]\d{3}(?![ \u00a0]?\d)                    # 928 54 989
    )
    (?![\w.,]\d|\w)
""", re.VERBOSE)
_PHONE_HINT = re.compile(r"\+\d|\d[\d \u00a0.\-/()]{6,}\d")
_DATE_LIKE = re.compile(r"^\(?\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}\)?$")
_LABELLED = re.compile(r"(?:tel|tlf|telefon|telephone|phone|puh|puhelin|tél|mobil|mob|fax)\w*\.?:?\s*$",
                       re.IGNORECASE)
_DIGITS8 = re.compile(r"(?<![\w+/=.,:%-])\d{8,12}(?![\w.,]\d|\w)")


def find_phones(text: str, _digit: bool | None = None) -> tuple[str, ...]:
    """Telephone numbers with at least 8 digits: international (`+47 928 54 989`,
    `+46 (0)8-123 45 67`), national with a leading 0 (`08-123 45 67`), Danish/Norwegian
    grouped numbers (`70 20 30 40`), or a bare digit run after a label such as `Tlf.`.
    Dates, years and amounts are not phones."""
    if not text or _digit is False:
        return ()
    if "+" not in text and sum(map(text.count, "0123456789")) < 8:
        return ()
    if not _PHONE_HINT.search(text):
        return ()
    out: list[str] = []
    for m in _PHONE.finditer(text):
        p = m.group(0).rstrip(" .-/(\u00a0")
        if p.count("(") != p.count(")"):
            p = p.rstrip(")") if p.count(")") > p.count("(") else p
        digits = sum(ch.isdigit() for ch in p)
        if p.startswith("+"):
            if "(0)" in p:
                digits -= 1
            if not 8 <= digits <= 15:
                continue
        elif not 8 <= digits <= 12:
            continue
        if _DATE_LIKE.match(p):
            continue
        if p not in out:
            out.append(p)
    for m in _DIGITS8.finditer(text):
        if _LABELLED.search(text[max(0, m.start() - 20):m.start()]) and m.group(0) not in out:
            out.append(m.group(0))
    return tuple(out)


# ----------------------------------------------------------------------------- durations

_LOCK = threading.Lock()
_DUR: dict[str, object] = {}


def _trie_regex(words) -> str:
    """An alternation of words as a prefix tree: much faster than a flat `a|b|c`."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        if end:
            body = (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return build(trie)


def _build() -> dict:
    from . import vocab
    numbers: dict[str, dict[str, int]] = {}   # word -> {lang: value}
    units: dict[str, dict[str, str]] = {}     # word -> {lang: unit}
    criteria: list[str] = []
    for code in vocab.LANGS:
        v = vocab.vocabulary(code)
        if v is None:
            continue
        for word, value in v.numbers.items():
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                numbers.setdefault(word.lower(), {})[code] = value
        for unit, words in v.units.items():
            if unit in _DAYS and isinstance(words, list):
                for w in words:
                    if isinstance(w, str) and w.strip():
                        units.setdefault(w.lower(), {})[code] = unit
        criteria.extend(v.criteria)
    tens = [w for w, d in numbers.items() if any(n >= 20 and n % 10 == 0 for n in d.values())]
    ones = [w for w, d in numbers.items() if any(1 <= n <= 9 for n in d.values())]
    longest = lambda ws: sorted(ws, key=len, reverse=True)
    unit_rx = _trie_regex(longest(units))
    tail = rf"(?:\s*\(\s*\w{{1,12}}\s*\))?(?:[\s\u00a0]+|\s*-\s*)(?P<unit>{unit_rx})(?!\w)"
    # the left boundary is a lookbehind after the first digit, so the engine can skip to digits
    digits = rf"(?P<digits>\d(?<![\w.,]\d)\d{{0,3}}(?:[.,]\d{{1,2}})?)" + tail
    words = (rf"(?<![\w.,])(?:(?P<tens>{_trie_regex(longest(tens))})[\s-]?"
             rf"(?P<ones>{_trie_regex(longest(ones))})|(?P<word>{_trie_regex(longest(numbers))}))" + tail)
    # the cheap pre-check: a unit word as a whitespace-separated token (punctuation
    # attached) right after a number word or a digit
    number_tokens = set(numbers)
    for t in tens:
        for o in ones:
            if set(numbers[t]) & set(numbers[o]):
                number_tokens.update((t + o, t + "-" + o))
    return {
        "numbers": numbers, "units": units,
        # the duration regexes are compiled on first use, and only the variant needed
        "digits_src": digits, "words_src": words,
        "number_tokens": frozenset(number_tokens),
        "digit_hyphen": re.compile(r"\d\s*-\s*[^\W\d_]"),
        "criteria": vocab.compile_phrases(criteria),
    }


def _regex(t: dict, name: str, aligned: bool) -> re.Pattern:
    """``digits`` or ``words``: case-sensitive on lower-cased text, or case-insensitive
    on the original when lower-casing changed its length."""
    key = name if aligned else name + "_i"
    rx = t.get(key)
    if rx is None:
        with _LOCK:
            rx = t.get(key)
            if rx is None:
                rx = t[key] = re.compile(t[name + "_src"], 0 if aligned else re.IGNORECASE)
    return rx


def _tables() -> dict:
    if not _DUR:
        with _LOCK:
            if not _DUR:
                t = _build()
                t["tokens"] = _Tokens(t)
                _DUR.update(t)
    return _DUR


def _value(m: re.Match, numbers: dict, unit_langs: dict[str, str]) -> tuple[float, str] | None:
    """(number, unit) of a duration match. A number word must share a language with its
    unit word: Danish `to år` is 2 years, but English `days to weeks` is no duration."""
    g = m.groupdict()
    if g.get("digits"):
        try:
            n = float(m.group("digits").replace(",", "."))
        except ValueError:
            return None
        return n, next(iter(unit_langs.values()))
    langs = set(unit_langs)
    if g.get("tens"):
        t, o = numbers.get(m.group("tens").lower(), {}), numbers.get(m.group("ones").lower(), {})
        langs &= set(t) & set(o)
        if not langs:
            return None
        code = sorted(langs)[0]
        return float(t[code] + o[code]), unit_langs[code]
    d = numbers.get((g.get("word") or "").lower(), {})
    langs &= set(d)
    if not langs:
        return None
    code = sorted(langs)[0]
    return float(d[code]), unit_langs[code]


_HAS_DIGIT = re.compile(r"\d")
_LEADS = frozenset(x for x in _LEAD if x)
_TRAILS = frozenset(_TRAIL)


def _is_unit_token(tok: str, units: dict) -> bool:
    """Is a whitespace token a unit word with punctuation attached (`år`, `(months),`)?
    (A lead is one character of ``vocab._LEAD``, a trail at most two, ``vocab._TRAIL``.)"""
    if tok in units:
        return True
    n = len(tok)
    for a in ((0, 1) if tok[:1] in _LEADS else (0,)):
        if a and tok[1:] in units:
            return True
        if (n - a > 1 and tok[-1:] in _TRAILS and tok[a:-1] in units) or \
                (n - a > 2 and tok[-2:] in _TRAILS and tok[a:-2] in units):
            return True
    return False


class _Tokens:
    """What each whitespace token seen so far is, found once per distinct token: most
    paragraphs are then ruled out by two C-level set operations, with no loop over
    their words. ``units``: unit tokens; ``criteria``: tokens holding a word that
    some retention-criterion phrase needs (its anchor)."""

    def __init__(self, t: dict) -> None:
        self.t = t
        self.seen: set[str] = set()
        self.units: set[str] = set()
        self.criteria: set[str] = set()
        index = t["criteria"]._index
        self._anchors = index._anchors
        self.criteria_always = bool(index.fallbacks)   # phrases with no anchor word

    def learn(self, new: set[str]) -> None:
        from .vocab import _words
        units = self.t["units"]
        with _LOCK:
            if len(self.seen) > 500_000:
                self.seen.clear()
                self.units.clear()
                self.criteria.clear()
            for tok in new:
                if _is_unit_token(tok, units):
                    self.units.add(tok)
                if any(self._anchors(w) for w in _words(tok)[0]):
                    self.criteria.add(tok)
                self.seen.add(tok)


def _word_before_unit(tokens: list[str], units: set[str], number_tokens: frozenset) -> bool:
    """Is some unit token directly preceded by a number word (`fem år`, `ten (10) years`)?"""
    for u in units:
        i = -1
        while True:
            try:
                i = tokens.index(u, i + 1)
            except ValueError:
                break
            if i and (tokens[i - 1] in number_tokens or
                      (i > 1 and tokens[i - 1].startswith("(") and tokens[i - 2] in number_tokens)):
                return True
    return False


def find_durations(text: str, _low: str | None = None, _digit: bool | None = None) -> tuple[Duration, ...]:
    """Retention periods (`7 år`, `24 months`, `fem år`, `ten (10) years`) normalised to
    days (year 365, month 30, week 7), and retention criteria (`as long as necessary`,
    `så länge du är kund`) as ``Duration(criterion=True, days=None)``, in text order."""
    if not text:
        return ()
    t = _tables()
    low = text.lower() if _low is None else _low
    aligned = len(low) == len(text)
    found: list[tuple[int, Duration]] = []
    tokens = vocab_tokens(low)
    known: _Tokens = t["tokens"]
    if not known.seen.issuperset(tokens):      # (no set of the tokens built: cheaper)
        known.learn(set(tokens) - known.seen)
    unit_hits = known.units.intersection(tokens)
    runs = []
    if unit_hits or "-" in text:
        if _digit is None:
            _digit = _HAS_DIGIT.search(text) is not None
        if _digit and (unit_hits or t["digit_hyphen"].search(text)):
            runs.append("digits")
    if unit_hits and _word_before_unit(tokens, unit_hits, t["number_tokens"]):
        runs.append("words")
    if runs:
        numbers, units = t["numbers"], t["units"]
        for name in runs:
            matches = _regex(t, name, aligned).finditer(low if aligned else text)
            for m in matches:
                unit_langs = units.get(m.group("unit").lower())
                got = _value(m, numbers, unit_langs) if unit_langs else None
                if got is None or got[0] <= 0:
                    continue
                n, unit = got
                found.append((m.start(), Duration(text[m.start():m.end()], int(round(n * _DAYS[unit])))))
    if known.criteria_always or not known.criteria.isdisjoint(tokens):
        for start, end in t["criteria"].spans(TextScan(text)):
            found.append((start, Duration(text[start:end], None, True)))
    if not found:
        return ()
    found.sort(key=lambda x: x[0])
    out: list[Duration] = []
    for _, d in found:
        if d not in out:
            out.append(d)
    return tuple(out)


# --------------------------------------------------------------------------------- facts

def extract_facts(text: str) -> Facts:
    """Durations, e-mails, URLs and phones in one piece of plain text."""
    if not text:
        return NO_FACTS
    low = text.lower()
    digit = _HAS_DIGIT.search(text) is not None
    durations = find_durations(text, low, digit)
    emails = find_emails(text) if "@" in text else ()
    urls = find_urls(text, low)
    phones = find_phones(text, digit) if digit else ()
    if not (durations or emails or urls or phones):
        return NO_FACTS
    return Facts(durations, emails, urls, phones)


__all__ = ["extract_facts", "find_durations", "find_emails", "find_urls", "find_phones"]
