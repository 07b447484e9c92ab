"""The field's vocabulary: loads and validates the data files in kg/lexicon/.

Every rule of the extractor that names a word reads it from here; nothing else in
kg opens those files. A malformed line is reported as `file:line: problem`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .errors import LexiconError
from .model import ENTITY_TYPES

TERM_FILES = {  # file -> entity type of every term in it
    "talent_categories.txt": "TalentCategory",
    "industries.txt": "Industry",
    "platforms.txt": "Platform",
    "mechanisms.txt": "Mechanism",
    "strategies.txt": "Strategy",
    "bodies.txt": "Body",
    "persons.txt": "Person",
    "regions_extra.txt": "Region",
}


@dataclass(frozen=True)
class Term:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Head:
    text: str
    type: str
    quoted: bool = False    # weak: only at the end of a quotation or right after one
    inner: bool = False     # only at the end of a quotation
    placed: bool = False    # the modifier must be a place

    @property
    def weak(self) -> bool:
        return self.quoted or self.inner


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    type: str
    mode: str    # "whole": the match is the name; "head": the match ends a name


@dataclass(frozen=True)
class Region:
    name: str
    level: str                        # province, city, county (towns are in Vocab.towns)
    short: str | None                 # the usual short form: 衡阳 for 衡阳市
    forms: tuple[str, ...] = ()       # every written short form: 黔东南, 黔东南州
    parent: str | None = None         # 蒸湘区 -> 衡阳市 -> 湖南省


@dataclass(frozen=True)
class Vocab:
    terms: dict[str, Term]              # every name and alias -> its term
    heads: dict[str, Head]              # head noun -> head
    regions: dict[str, Region]          # full name and short form -> region
    towns: dict[str, str]               # 九连山镇 -> its county (matched only as written)
    prefixes: tuple[str, ...]           # longest first
    generic_modifiers: frozenset[str]
    generic: frozenset[str]
    boundaries: frozenset[str]          # strong: a name never extends over them
    weak_boundaries: frozenset[str]     # verbs that may sit inside a name
    talent_modifiers: frozenset[str]
    boilerplate: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    list_contexts: dict[str, str]
    list_fillers: frozenset[str]
    departments: frozenset[str]
    offices: dict[str, str]             # department short form -> its office suffix (人社 -> 局)
    splits: frozenset[str]              # words jieba must cut (市委书记)
    radicals: dict[str, str]            # radical character -> ideograph (PDF text layers)
    surnames: frozenset[str]
    subunits: tuple[str, ...]           # units named after their parent (组织部 of 市委), longest first
    roles: tuple[str, ...]              # titles before a person's name, longest first
    after_name: tuple[str, ...]         # what may follow a person's name
    longest_head: int = 0               # length of the longest head noun

    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def remembered(self, table: str, key, compute, limit: int = 200_000):
        """compute(), remembered under `key` in this vocabulary's table `table` (emptied when
        it passes `limit` answers, so that a long run's memory stays bounded)."""
        memo = self.memo(table)
        try:
            return memo[key]
        except KeyError:
            if len(memo) > limit:
                memo.clear()
            got = memo[key] = compute()
            return got

    def memo(self, name: str, make=dict):
        """What the rules derive from this vocabulary and keep as long as it lives (an
        automaton of its terms, a table of answers...): made by `make` on first use."""
        got = self._memo.get(name)
        if got is None:
            got = self._memo[name] = make()
        return got

    def head_of(self, name: str, quoted_ok: bool = True, single_ok: bool = False) -> Head | None:
        """The longest head noun (or head pattern) that ends `name`. One-character heads
        (局, 厅) count only when the caller knows they are a word of their own. Remembered:
        the same words come back in every sentence."""
        return self.remembered("head_of", (name, quoted_ok, single_ok),
                               lambda: self._head_of(name, quoted_ok, single_ok), limit=500_000)

    def _head_of(self, name: str, quoted_ok: bool, single_ok: bool) -> Head | None:
        for i in range(max(0, len(name) - self.longest_head), len(name) - (0 if single_ok else 1)):
            h = self.heads.get(name[i:])
            if h and (quoted_ok or not h.weak):
                return h
        for p in self.patterns:
            if p.mode == "head":
                m = p.regex.search(name)
                if m and m.end() == len(name):
                    return Head(m.group(), p.type)
        return None

    def prefixes_of(self, name: str) -> list[str]:
        """The level prefixes `name` starts with, longest first (the order of `prefixes`)."""
        by_first = self.memo("prefixes_by_first", lambda: _by_first(self.prefixes))
        return [p for p in by_first.get(name[:1], ()) if name.startswith(p)]

    def head_finals(self) -> frozenset[str]:
        """The last characters of the head nouns (most characters end none)."""
        return self.memo("head_finals", lambda: frozenset(h[-1] for h in self.heads))

    def head_pattern_in(self, text: str) -> bool:
        """Whether a head pattern matches somewhere in `text`. If none does, none ends any
        part of it either (true of patterns that neither anchor nor look around; for one that
        does, the answer is always True, to be safe)."""
        rxs, contextual = self.memo("head_patterns", self._head_patterns)
        return contextual or any(rx.search(text) for rx in rxs)

    def _head_patterns(self):
        rxs = [p.regex for p in self.patterns if p.mode == "head"]
        signs = ("(?<", "(?=", "(?!", "^", "$", "\\b", "\\B", "\\A", "\\Z")
        return rxs, any(x in rx.pattern for rx in rxs for x in signs)

    def is_boundary(self, word: str) -> bool:
        return word in self.boundaries or word in self.weak_boundaries


def _by_first(words) -> dict[str, list[str]]:
    """Words by their first character, each list in the words' order."""
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[:1], []).append(w)
    return out


def _lines(name: str):
    try:
        text = resources.files("kg").joinpath("lexicon", name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"kg/lexicon/{name}: cannot be read ({e}); reinstall kg") from None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line and not line.lstrip().startswith("#"):
            yield n, line


def _where(name, n):
    return f"kg/lexicon/{name}:{n}"


def _columns(name, n, line, lo, hi):
    cols = line.split("\t")
    if not lo <= len(cols) <= hi or not cols[0].strip():
        raise LexiconError(f"{_where(name, n)}: expected {lo} to {hi} tab-separated columns, got {line!r}")
    return [c.strip() for c in cols]


def _type(name, n, value):
    if value not in ENTITY_TYPES:
        raise LexiconError(f"{_where(name, n)}: unknown entity type {value!r}; use one of {', '.join(ENTITY_TYPES)}")
    return value


def _words(name):
    out = []
    for n, line in _lines(name):
        out.append(_columns(name, n, line, 1, 1)[0])
    return out


def _role_words(kind: str) -> list[str]:
    out = []
    for n, line in _lines("roles.tsv"):
        cols = _columns("roles.tsv", n, line, 2, 2)
        if cols[0] not in ("role", "after"):
            raise LexiconError(f"{_where('roles.tsv', n)}: kind must be 'role' or 'after', got {cols[0]!r}")
        if cols[0] == kind:
            out.append(cols[1])
    return out


def _radicals() -> dict[str, str]:
    out = {}
    for n, line in _lines("radicals.tsv"):
        cols = _columns("radicals.tsv", n, line, 2, 2)
        if len(cols[0]) != 1 or len(cols[1]) != 1:
            raise LexiconError(f"{_where('radicals.tsv', n)}: expected one character in each column, got {line!r}")
        out[cols[0]] = cols[1]
    return out


RELATION_WORD_KINDS = ("locative", "beneficiary", "partner", "means", "means_closing", "talent_verb",
                       "partner_cue", "sector_noun", "head_role")


@lru_cache(maxsize=1)
def relation_words() -> dict[str, tuple[str, ...]]:
    """kg/lexicon/relation_words.tsv: kind -> words, in file order."""
    out: dict[str, list[str]] = {k: [] for k in RELATION_WORD_KINDS}
    for n, line in _lines("relation_words.tsv"):
        cols = _columns("relation_words.tsv", n, line, 2, 2)
        if cols[0] not in out:
            raise LexiconError(f"{_where('relation_words.tsv', n)}: unknown kind {cols[0]!r}; "
                               f"use one of {', '.join(RELATION_WORD_KINDS)}")
        out[cols[0]].append(cols[1])
    return {k: tuple(v) for k, v in out.items()}


INCENTIVE_KINDS = ("安家费", "购房补贴", "租房补贴", "人才住房", "生活补贴", "津贴", "薪酬", "奖励", "科研经费",
                   "项目资助", "创业资助", "贷款贴息", "培养补贴", "引才补贴", "专项资金", "其他")
INCENTIVE_ROWS = {"benefit": INCENTIVE_KINDS, "per": ("person", "team", "project", "organisation", "total"),
                  "period": ("once", "year", "month"), "past": ("",), "not": ("",), "cap": ("",), "floor": ("",),
                  "group": ("",), "group_head": ("",)}


@lru_cache(maxsize=1)
def incentive_words() -> dict[str, dict[str, str]]:
    """kg/lexicon/incentives.tsv: row kind -> {word: value}; values checked against the spec's lists."""
    out: dict[str, dict[str, str]] = {k: {} for k in INCENTIVE_ROWS}
    for n, line in _lines("incentives.tsv"):
        cols = _columns("incentives.tsv", n, line + ("\t" if line.count("\t") == 1 else ""), 3, 3)
        row, word, value = cols
        if row not in INCENTIVE_ROWS:
            raise LexiconError(f"{_where('incentives.tsv', n)}: unknown row kind {row!r}; use one of {', '.join(INCENTIVE_ROWS)}")
        if value not in INCENTIVE_ROWS[row]:
            raise LexiconError(f"{_where('incentives.tsv', n)}: {value!r} is not one of {', '.join(INCENTIVE_ROWS[row])}")
        out[row][word] = value
    return out


@lru_cache(maxsize=1)
def genre_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """kg/lexicon/genres.tsv: (genre, title words), in order."""
    out = []
    for n, line in _lines("genres.tsv"):
        cols = _columns("genres.tsv", n, line, 2, 2)
        out.append((cols[0], tuple(w for w in cols[1].split("|") if w)))
    return tuple(out)


@lru_cache(maxsize=1)
def heading_patterns() -> tuple[tuple[str, int], ...]:
    """Outline numbers from kg/lexicon/headings.tsv: (regex, level)."""
    out = []
    for n, line in _lines("headings.tsv"):
        cols = _columns("headings.tsv", n, line, 2, 2)
        try:
            re.compile(cols[0])
            level = int(cols[1])
        except (re.error, ValueError) as e:
            raise LexiconError(f"{_where('headings.tsv', n)}: expected a regex and a level number ({e})") from None
        out.append((cols[0], level))
    return tuple(out)


@lru_cache(maxsize=1)
def load() -> Vocab:
    terms: dict[str, Term] = {}
    for fname, etype in TERM_FILES.items():
        for n, line in _lines(fname):
            cols = _columns(fname, n, line, 1, 2)
            aliases = tuple(a.strip() for a in cols[1].split(",") if a.strip()) if len(cols) > 1 else ()
            term = Term(cols[0], etype, aliases)
            for key in (term.name, *aliases):
                terms.setdefault(key, term)

    heads = {}
    for n, line in _lines("heads.tsv"):
        cols = _columns("heads.tsv", n, line, 2, 3)
        flags = set(cols[2].split(",")) if len(cols) > 2 else set()
        unknown = flags - {"quoted", "inner", "placed", ""}
        if unknown:
            raise LexiconError(f"{_where('heads.tsv', n)}: unknown flag {sorted(unknown)[0]!r}; "
                               f"use quoted, inner or placed")
        heads[cols[0]] = Head(cols[0], _type("heads.tsv", n, cols[1]),
                              "quoted" in flags, "inner" in flags, "placed" in flags)

    regions: dict[str, Region] = {}
    for n, line in _lines("regions.tsv"):
        cols = _columns("regions.tsv", n, line, 2, 4) + ["", ""]
        forms = tuple(f for f in cols[2].split(",") if f)
        r = Region(cols[0], cols[1], forms[0] if forms else None, forms, cols[3] or None)
        regions.setdefault(r.name, r)
    rank = {"province": 0, "city": 1, "county": 2}
    for r in sorted(regions.values(), key=lambda r: (rank.get(r.level, 3), r.name)):
        for form in r.forms:
            if form not in regions:
                regions[form] = r   # 衡阳 is 衡阳市 (the city), not 衡阳县
    for t in sorted({t for t in terms.values() if t.type == "Region" and t.name.endswith("新区")},
                    key=lambda t: t.name):
        regions.setdefault(t.name, Region(t.name, "area", None))   # 西咸新区 can be a document's voice
    offices = {}
    for n, line in _lines("departments.txt"):
        cols = _columns("departments.txt", n, line, 1, 2)
        offices[cols[0]] = cols[1] if len(cols) > 1 else ""
    towns = {}
    for n, line in _lines("towns.tsv"):
        cols = _columns("towns.tsv", n, line, 2, 2)
        towns.setdefault(cols[0], cols[1])

    patterns = []
    for n, line in _lines("patterns.tsv"):
        cols = _columns("patterns.tsv", n, line, 3, 3)
        if cols[2] not in ("whole", "head"):
            raise LexiconError(f"{_where('patterns.tsv', n)}: mode must be 'whole' or 'head', got {cols[2]!r}")
        try:
            rx = re.compile(cols[0])
        except re.error as e:
            raise LexiconError(f"{_where('patterns.tsv', n)}: bad regular expression ({e})") from None
        patterns.append(Pattern(rx, _type("patterns.tsv", n, cols[1]), cols[2]))
    strong, weak = set(), set()
    for n, line in _lines("boundaries.txt"):
        cols = _columns("boundaries.txt", n, line, 1, 2)
        if len(cols) == 2 and cols[1] not in ("weak", ""):
            raise LexiconError(f"{_where('boundaries.txt', n)}: the only flag is 'weak', got {cols[1]!r}")
        (weak if len(cols) == 2 and cols[1] == "weak" else strong).add(cols[0])
    boilerplate = []
    for n, line in _lines("boilerplate.txt"):
        try:
            re.compile(line)
        except re.error as e:
            raise LexiconError(f"{_where('boilerplate.txt', n)}: bad regular expression ({e})") from None
        boilerplate.append(line)

    contexts, fillers = {}, set()
    for n, line in _lines("list_contexts.tsv"):
        cols = _columns("list_contexts.tsv", n, line, 2, 2)
        if cols[1] == "filler":
            fillers.add(cols[0])
        else:
            contexts[cols[0]] = _type("list_contexts.tsv", n, cols[1])

    return Vocab(
        terms=terms,
        heads=heads,
        regions=regions,
        towns=towns,
        prefixes=tuple(sorted(_words("prefixes.txt"), key=len, reverse=True)),
        generic_modifiers=frozenset(_words("generic_modifiers.txt")),
        generic=frozenset(_words("generic.txt")),
        boundaries=frozenset(strong),
        weak_boundaries=frozenset(weak),
        talent_modifiers=frozenset(_words("talent_modifiers.txt")),
        boilerplate=tuple(boilerplate),
        patterns=tuple(patterns),
        list_contexts=contexts,
        list_fillers=frozenset(fillers),
        departments=frozenset(offices),
        offices=offices,
        splits=frozenset(_words("splits.txt")),
        radicals=_radicals(),
        surnames=frozenset(_words("surnames.txt")),
        subunits=tuple(sorted(_words("subunits.txt"), key=len, reverse=True)),
        roles=tuple(sorted(_role_words("role"), key=len, reverse=True)),
        after_name=tuple(sorted(_role_words("after"), key=len, reverse=True)),
        longest_head=max((len(h) for h in heads), default=0),
    )
