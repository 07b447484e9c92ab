"""Sentences -> entities, each with its mentions and aliases.

Two readers work together. The rules propose candidate names, each reading its words
from kg/lexicon:

  structure.py  title     《...》 is a Policy (even a generic one, D40)
                quote     “X” with the head noun right after it (“共饮一江水”人才交流计划), or
                          typed by the lexicon, its own head, the list it closes ("等方式"),
                          the verb that governs it (推行“一人一策”), or its typed siblings
  words.py      head      a run of words ending in a head noun, from the nearest left boundary
                term      a word of the lexicon, or a place of the gazetteer
                talent    "X人才" where every word of X is a criterion (高层次 科研 人才)
                list      unquoted items of "A、B等部门/项目/产业"
                ellipsis  "人才强国、人才强省战略" -> 人才强国战略 too (D04)
                nested    the Body that holds a meeting, the parent of an office (D05, D08)

Then the trained tagger (tagger.py) reads the sentence with the rules' candidates as
features and decides which names there are (combine): names the text's structure
delimits (titles, quotations) and coordinated ellipsis stay the rules'; Regions, Persons
and TalentCategories inside a tagged name come from the rules.

names.py settles what is left (the longer wins; a Region, Person or TalentCategory may
sit inside a name of another type) and groups the names into entities by normalised
name, with the aliases the guideline asks for. A name is a tuple of spans of the
document, so it is always written as the document writes it (traditional characters
stay traditional), while every rule matches on the normalised copy.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..model import Document, Entity, Sentence
from ..vocab import Vocab
from ..vocab import load as load_vocab
from .names import group, parenthetical, settle
from .segment import boundaries
from .spans import COUNT_RE, MARKS, MASK_RE, NESTABLE, ONLY_MASK_RE, Cand, Ctx, text_of
from .structure import quote_cands, title_cand, units_of
from .tagger import default_tagger, rule_spans
from .words import (
    acceptable,
    committee_cands,
    ellipsis_cands,
    head_cands,
    list_cands,
    nested_cands,
    person_cands,
    talent_cands,
    term_cands,
)

DEFAULT = object()


STRUCTURE = ("title", "quote")   # rules whose names the text delimits: they win over the tagger


KEEP = ("quote", "list")   # rules whose names stand where the tagger found nothing (CV: +0.005)
MIN_RATIO = 0.2   # a rule's name the tagger left out is kept when the tagger finds it this likely


def extract_entities(doc: Document, tagger=DEFAULT) -> list[Entity]:
    """Entities of `doc`: the rules' candidates, read by the trained tagger when there is
    one (`tagger=None`: rules alone)."""
    v = load_vocab()
    if tagger is DEFAULT:
        tagger = default_tagger()
    rules = [(s, settle(sentence_candidates(doc, s, v))) for s in doc.sentences if not s.boilerplate]
    if tagger is not None:
        keys = [[unmarked(doc.norm, c.start, c.end) for c in found] for _, found in rules]
        tagged = tagger.tag(doc, [(s, rule_spans(found), [k + (c.type,) for c, k in zip(found, ks)])
                                  for (s, found), ks in zip(rules, keys)], v, MIN_RATIO)
        rules = [(s, combine(doc, s, found, ks, t, v)) for (s, found), ks, t in zip(rules, keys, tagged)]
    cands: list[Cand] = []
    for _, found in rules:
        cands += parenthetical(doc, found)
    return group(doc, cands, v)


def combine(doc: Document, s: Sentence, rules: list[Cand], keys, tagging, v: Vocab) -> list[Cand]:
    """The tagger's names (taking the rules' pieces and aliases where a rule found the same
    span), the rules' Regions, Persons and TalentCategories inside them, the other
    conjuncts of a coordinated name the tagger found, and the rules' names of the kinds
    KEEP lists where the tagger found nothing, and the rules' names the tagger finds likely.
    `keys` are the rules' spans without marks; `tagging` is what Tagger.tag gave the sentence."""
    by_span: dict[tuple[int, int], list[Cand]] = defaultdict(list)
    for c, key in zip(rules, keys):
        by_span[key].append(c)
    tagged, accepted = tagging
    likely = {id(rules[k]) for k in accepted}
    # names the text's structure delimits («titles», “A、B” quotations) win over tagged
    # spans that cut across them
    out: list[Cand] = []
    fixed = [(c, k) for c, k in zip(rules, keys) if c.rule in STRUCTURE]
    kept = []
    for t in tagged:
        clash = [k for c, k in fixed if c.start < t.end and t.start < c.end]
        if not clash or unmarked(doc.norm, t.start, t.end) in clash:
            kept.append(t)
    tagged = kept
    out += [c for c, _ in fixed if not any(c.start < t.end and t.start < c.end for t in tagged)]
    for t in tagged:
        a, b = trimmed(doc.norm, t.start, t.end)
        if b <= a:
            continue
        same = by_span.get(unmarked(doc.norm, a, b))
        if same and len(same) > 1 and all(x.rule == "quote" for x in same):
            out += same   # “A、B”: the two names of one quotation (D14)
            continue
        c = replace(same[0], type=t.type, rule="crf", nested=False) if same \
            else Cand(a, b, t.type, ((a, b),), (), "crf", s.index)
        if tagged_ok(doc, c, v):
            out.append(c)
    for c in rules:
        inside = [o for o in out if o.start <= c.start and c.end <= o.end]
        overlaps = any(c.start < o.end and o.start < c.end for o in out)
        if inside and (c.type in NESTABLE or c.nested) and all(
                (o.start, o.end) != (c.start, c.end) and (o.type != c.type or c.type == "Body") for o in inside):
            out.append(replace(c, nested=True))
        elif not overlaps and (c.rule in KEEP or id(c) in likely):
            out.append(c)
        elif not overlaps and c.rule == "ellipsis" and any(
                o.type == c.type and o.start <= c.pieces[-1][0] and c.pieces[-1][1] <= o.end for o in out):
            out.append(c)   # 中央、省委、市委人才工作会议: the tagger found the last conjunct
    return out


EDGE_CHARS = set("，,。.、；;：:！!？?…—·～~/|")


def trimmed(norm: str, a: int, b: int) -> tuple[int, int]:
    """A tagged span without punctuation at its ends, with its brackets balanced."""
    for _ in range(3):
        while a < b and (norm[a] in EDGE_CHARS or norm[a].isspace() or norm[a] in ")）"):
            a += 1
        while b > a and (norm[b - 1] in EDGE_CHARS or norm[b - 1].isspace() or norm[b - 1] in "(（"):
            b -= 1
        seg = norm[a:b]
        opens, closes = seg.count("(") + seg.count("（"), seg.count(")") + seg.count("）")
        if opens > closes and b < len(norm) and norm[b] in ")）":
            b += 1
        elif closes > opens and b > a and norm[b - 1] in ")）":
            b -= 1
        elif opens > closes:
            b = a + max(seg.rfind("("), seg.rfind("（"))
        else:
            break
    return a, b


def unmarked(norm: str, a: int, b: int) -> tuple[int, int]:
    """The span without quotation or title marks at its ends."""
    while a < b and norm[a] in MARKS:
        a += 1
    while b > a and norm[b - 1] in MARKS:
        b -= 1
    return a, b


def tagged_ok(doc: Document, c: Cand, v: Vocab) -> bool:
    name = text_of(doc, c.pieces)
    if len(name) < 2 or len(name) > 60 or ONLY_MASK_RE.match(name):
        return False
    bare = MASK_RE.sub("", COUNT_RE.sub("", name))
    return name not in v.generic and bare not in v.generic


def sentence_candidates(doc: Document, s: Sentence, v: Vocab) -> list[Cand]:
    starts, ends = boundaries(doc.norm[s.start:s.end], s.start)
    units = units_of(doc, s)
    for u in units:
        starts.add(u.start)
        ends.add(u.end)
        if u.inner:
            starts.add(u.inner[0])
            ends.add(u.inner[1])
    ctx = Ctx(doc, s, units, v, starts, ends)
    cands: list[Cand] = []
    for i, u in enumerate(units):
        if u.kind == "b":
            cands.append(title_cand(ctx, u))
        elif u.kind == "q":
            cands += quote_cands(ctx, i)
    cands += head_cands(ctx)
    cands += term_cands(ctx)
    cands += talent_cands(ctx)
    cands += person_cands(ctx)
    cands += committee_cands(ctx, cands)
    cands += list_cands(ctx, cands)
    cands += ellipsis_cands(ctx, cands)
    cands += nested_cands(ctx, cands)
    return [c for c in cands if acceptable(doc, c, v)]
