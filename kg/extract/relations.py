"""Entities + sentences -> relations, each with the fragment of text that states it.

Three sources, each small:

  cue     a cue word (kg/lexicon/cues.tsv) between a head and a tail of the right
          types in one clause; with no head before it, the document's own region
          is the head (the unnamed actor), when that region is named
  name    what a name says about itself: 高层次人才引进计划 targets 高层次人才 (D54),
          市政府驻北京联络处 is part of 市政府 (D57) and located in 北京 (D56)
  list    a cue reaches every item of the list that follows it
          (采取“兼职引才”“顾问指导”“退休特聘”等方式 -> three relations)

Types come from the ontology's domain and range (kg.schema.signatures), so a
relation the ontology forbids is never produced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import LexiconError
from ..model import Document, Entity, Mention, Relation
from ..schema import signatures

CLAUSE_RE = re.compile(r"[，,；;：:。！？!?]")
LINKS = set("、和及与等“”\"'‘’《》 ")  # what may stand between two items of one list
ABBREVIATIONS = {"京": "北京", "沪": "上海", "津": "天津", "渝": "重庆"}  # 驻京 -> 北京 (D56)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: Entity


@lru_cache(maxsize=1)
def cues() -> tuple[tuple[str, str], ...]:
    """(cue, relation), longest cue first."""
    text = resources.files("kg").joinpath("lexicon", "cues.tsv").read_text(encoding="utf-8")
    out = []
    sig = signatures()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or cols[1].strip() not in sig:
            raise LexiconError(f"kg/lexicon/cues.tsv:{n}: expected cue<TAB>relation (one of {', '.join(sig)}), got {line!r}")
        out.append((cols[0].strip(), cols[1].strip()))
    return tuple(sorted(out, key=lambda c: -len(c[0])))


def extract_relations(doc: Document, entities: list[Entity], region: str | None) -> list[Relation]:
    sig = signatures()
    actor = next((e for e in entities if e.type == "Region" and region and (e.name == region or region in e.aliases)), None)
    spans_by_sentence: dict[int, list[Span]] = {}
    for e in entities:
        for m in e.mentions:
            spans_by_sentence.setdefault(m.sentence, []).append(Span(m.start, m.end, e))
    out: dict[tuple[str, str, str], Relation] = {}

    def add(head: Entity, rel: str, tail: Entity, a: int, b: int, sentence: int):
        if head is tail or head.name == tail.name:
            return
        hs, ts = sig[rel]
        if head.type not in hs or tail.type not in ts:
            return
        key = (head.name, rel, tail.name)
        if key not in out:
            out[key] = Relation(head.name, rel, tail.name, Mention(doc.text[a:b], a, b, sentence))

    for s in doc.sentences:
        spans = sorted(spans_by_sentence.get(s.index, []), key=lambda x: (x.start, -x.end))
        if s.boilerplate or not spans:
            continue
        norm = doc.norm
        for cue, rel in cues():
            pos = s.start
            while (i := norm.find(cue, pos, s.end)) >= 0:
                pos = i + len(cue)
                if any(x.start <= i < x.end for x in spans):
                    continue  # the cue is part of a name (宁宁合作, 实施方案)
                clause_start, clause_end = clause_bounds(norm, s.start, s.end, i)
                hs, ts = sig[rel]
                tails = list_after(norm, [x for x in spans if x.start >= pos and x.end <= clause_end], ts)
                if not tails:
                    continue
                before = [x for x in spans if clause_start <= x.start and x.end <= i and x.entity.type in hs]
                heads = [before[-1]] if before else []
                if not heads and actor is not None and "Region" in hs:
                    for t in tails:
                        add(actor, rel, t.entity, i, t.end, s.index)
                    continue
                for h in heads:
                    for t in tails:
                        add(h.entity, rel, t.entity, h.start, t.end, s.index)
    for e in entities:
        for rel, tail, m in from_name(e, entities):
            add(e, rel, tail, m.start, m.end, m.sentence)
    return list(out.values())


def clause_bounds(norm: str, start: int, end: int, i: int) -> tuple[int, int]:
    a = start
    for m in CLAUSE_RE.finditer(norm, start, i):
        a = m.end()
    m = CLAUSE_RE.search(norm, i, end)
    return a, (m.start() if m else end)


def list_after(norm: str, spans: list[Span], types) -> list[Span]:
    """The first span of an allowed type, and those that follow it in one list."""
    out: list[Span] = []
    for x in spans:
        if out and x.start < out[-1].end:
            continue  # nested inside the previous item
        if not out:
            if x.entity.type in types:
                out.append(x)
            continue
        gap = norm[out[-1].end:x.start]
        if all(c in LINKS for c in gap) and x.entity.type in types:
            out.append(x)
        elif not all(c in LINKS for c in gap):
            break
    return out


def from_name(e: Entity, entities: list[Entity]):
    """Relations a name states about itself."""
    if not e.mentions:
        return
    m = e.mentions[0]
    for other in entities:
        if other is e or not other.name or other.name not in e.name:
            continue
        if other.type == "TalentCategory" and e.type in ("Program", "Mechanism", "Policy", "Platform"):
            yield "targets", other, m
        if other.type == "Body" and e.type == "Body" and e.name.startswith(other.name + "驻"):
            yield "partOf", other, m
    if "驻" in e.name and e.type in ("Body", "Platform", "Event"):
        after = e.name.split("驻", 1)[1]
        for other in entities:
            if other.type != "Region":
                continue
            forms = (other.name, *other.aliases)
            if any(after.startswith(f) for f in forms) or any(
                    after.startswith(k) and ABBREVIATIONS[k] in forms for k in ABBREVIATIONS):
                yield "locatedIn", other, m
