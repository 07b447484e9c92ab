"""From settled candidates to entities: overlaps settled, second names in brackets,
mentions grouped by name, and the aliases the guideline asks for."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from ..model import Document, Entity, Mention
from ..vocab import Vocab
from .spans import COMMITTEES, MARKS, MASK_RE, PRIORITY, YEAR_RE, Cand, cuts, norm_key, strip_prefixes, text_of


def settle(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping candidates; a Region, Person or TalentCategory (or a
    nested Body) may sit inside a kept name of another type."""
    by_span: dict[tuple[int, int], list[Cand]] = defaultdict(list)
    for c in cands:
        by_span[(c.start, c.end)].append(c)
    pool = []
    for group_ in by_span.values():
        nested = any(c.nested for c in group_)
        top = max(group_, key=lambda c: PRIORITY[c.rule])   # first of the best on ties
        if top.rule == "quote":   # one quotation may hold two names ("A、B", D14)
            chosen = {c.pieces: c for c in group_ if c.rule == "quote"}.values()
        else:
            chosen = [top]
        pool += [replace(c, nested=nested) if nested and not c.nested else c for c in chosen]
    ordered = sorted(pool, key=lambda c: (-(c.end - c.start), -PRIORITY[c.rule], c.start, c.pieces))
    kept: list[Cand] = []
    for c in ordered:
        ok = True
        for k in kept:
            if c.start < k.end and k.start < c.end:
                if (c.start, c.end) == (k.start, k.end):
                    if c.pieces != k.pieces:
                        continue  # two names of one quotation ("A、B")
                    ok = False
                    break
                inside = k.start <= c.start and c.end <= k.end
                if inside and c.nested and (c.type != k.type or c.type == "Body"):
                    continue  # 浦东 in 浦东专家西宁行活动; 市政府 in 市政府驻北京联络处 (D05, D08)
                ok = False
                break
        if ok:
            kept.append(c)
    return kept


SHORT_RE = re.compile(r"[(（]\s*(?:以下)?简称\s*[:：]?\s*(?P<s>[^()（）,，。;；]{2,24}?)\s*[)）]")


def parenthetical(doc: Document, kept: list[Cand]) -> list[Cand]:
    """What a bracket right after a name says of it: a second name of the same type (D15,
    西宁国家级经济技术开发区(青海国家高新技术产业开发区)), or the short form the document
    will use ((以下简称“人才新政”)), which becomes an alias and no entity of its own."""
    norm = doc.norm
    by_start: dict[int, Cand] = {}
    for c in kept:
        if c.start not in by_start or c.end > by_start[c.start].end:
            by_start[c.start] = c
    drop, out = set(), []
    for c in kept:
        pos = c.end
        while pos < len(norm) and norm[pos] in MARKS:
            pos += 1
        short = SHORT_RE.match(norm, pos) if not c.nested else None
        if short:
            a, b = short.span("s")
            while a < b and norm[a] in MARKS:
                a += 1
            while b > a and norm[b - 1] in MARKS and norm[a:b].count(norm[b - 1]) % 2:
                b -= 1
            if b > a:
                c = replace(c, alias_pieces=c.alias_pieces + (((a, b),),))
                drop.update(id(x) for x in kept if short.start() <= x.start and x.end <= short.end() and x is not c)
        elif norm[c.end:c.end + 1] in "(（" and c.end < len(norm):
            inner = by_start.get(c.end + 1)
            if inner and inner.type == c.type and norm[inner.end:inner.end + 1] in ")）":
                drop.add(id(inner))
                c = replace(c, alias_pieces=c.alias_pieces + (inner.pieces,))
        out.append(c)
    return [c for c in out if id(c) not in drop]


def group(doc: Document, cands: list[Cand], v: Vocab) -> list[Entity]:
    written: dict[str, str] = {}      # key -> the name as the document writes it
    normal: dict[str, str] = {}       # key -> the same name, normalised
    types: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    mentions: dict[str, list[Mention]] = defaultdict(list)
    order: list[str] = []
    for c in sorted(cands, key=lambda c: (c.start, c.end)):
        key = norm_key(text_of(doc, c.pieces))
        if key not in written:
            written[key] = text_of(doc, c.pieces, doc.text)
            normal[key] = text_of(doc, c.pieces)
            order.append(key)
        types[key][c.type] += PRIORITY[c.rule] * 10 + 1
        mentions[key].append(Mention(doc.text[c.start:c.end], c.start, c.end, c.sentence))
        for ap in c.alias_pieces:
            aliases[key].setdefault(norm_key(text_of(doc, ap)), text_of(doc, ap, doc.text))
    entities = {}
    for key in order:
        etype = types[key].most_common(1)[0][0]
        al = dict(aliases[key])
        for k2, form in derived_aliases(normal[key], written[key], etype, v).items():
            al.setdefault(k2, form)
        al.pop(key, None)
        entities[key] = [etype, written[key], al, mentions[key]]
    # a form that another entity of the same type lists as an alias joins it (西宁 -> 西宁市);
    # shorter forms first, so the full name is the one that stays
    for key in sorted(order, key=len):
        if key not in entities:
            continue
        hosts = [o for o in order if o != key and o in entities and key in entities[o][2]
                 and entities[o][0] == entities[key][0]]
        if hosts:
            host = max(hosts, key=lambda o: len(entities[o][3]))
            entities[host][3] = entities[host][3] + entities[key][3]
            for k2, w in entities[key][2].items():
                entities[host][2].setdefault(k2, w)
            del entities[key]
    out = []
    for key in order:
        if key in entities:
            etype, name, al, ms = entities[key]
            clean = tuple(sorted({w for k2, w in al.items() if len(k2) > 1 and k2 not in v.generic and k2 != key}))
            out.append(Entity(etype, name, clean, tuple(sorted(set(ms), key=lambda m: (m.start, m.end)))))
    return out


def derived_aliases(name: str, written: str, etype: str, v: Vocab) -> dict[str, str]:
    """The other forms the guideline lists as aliases: without mask (D01), without level
    prefix or place (D16), the bare strategy (D18), the lexicon's synonyms (D12).

    `name` is normalised and `written` the same name as the document writes it (same
    length), so a shorter form is cut from the written name at the same place.
    Remembered: the same names come back in document after document.
    """
    return dict(v.remembered("derived_aliases", (name, written, etype),
                             lambda: _derived_aliases(name, written, etype, v)))


def _derived_aliases(name: str, written: str, etype: str, v: Vocab) -> dict[str, str]:
    out: dict[str, str] = {}

    def cut(a: int, b: int | None = None):
        b = len(name) if b is None else b
        if b - a >= 2:
            out[norm_key(name[a:b])] = written[a:b]

    key = norm_key(name)
    m = MASK_RE.match(name)
    start = m.end() if m else 0
    if start:
        cut(start)
        if name[start:start + 1] in "省市区县州" and len(name) - start > 3 and 1 in cuts(name[start:]):
            cut(start + 1)   # XX市引进高层次人才若干规定 -> 引进…, but *市委组织部 keeps 市委
    bare = name[start:]
    stripped = strip_prefixes(bare, v)
    if stripped != bare and etype != "Region" and stripped not in v.generic:
        cut(len(name) - len(stripped))
        for p in v.prefixes_of(bare):  # 全市2024年度人才工作座谈会 -> 2024年度人才工作座谈会 too
            if YEAR_RE.match(bare[len(p):]):
                cut(start + len(p))
    for body in COMMITTEES + ("市政府", "区政府", "县政府", "省政府"):
        rest = bare[len(body):]
        if bare.startswith(body) and len(rest) >= 3 and v.head_of(rest) and rest not in v.generic:
            cut(len(name) - len(rest))
    term = v.terms.get(key)
    if term:
        for a in (term.name, *term.aliases):
            out.setdefault(norm_key(a), a)
    if etype == "Strategy":
        for suffix in ("战略", "原则", "理念"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                cut(0, len(name) - len(suffix))
    if etype == "Event" and name.startswith("党的"):
        cut(2)
    if etype == "Region":
        r = v.regions.get(key)
        if r:
            for form in (r.name, r.short):
                if form and norm_key(form) != key:
                    if form.startswith(name):      # 西寧 -> 西寧市: extend what is written
                        out.setdefault(norm_key(form), written + form[len(name):])
                    elif name.startswith(form):    # 西寧市 -> 西寧
                        cut(0, len(form))
                    else:
                        out.setdefault(norm_key(form), form)
    out.pop(key, None)
    return out
