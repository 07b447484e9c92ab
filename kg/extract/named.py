"""Relations that names and titles state about themselves, whatever the verbs say:

  from_name        高层次人才引进计划 targets 高层次人才; …集成电路产业发展的若干措施 focuses on
                   集成电路产业; 市委组织部 and 市政府驻北京联络处
                   are part of 市委 and 市政府 (R12, D57); …驻北京… is located in 北京 (D56);
                   鄂尔多斯市关于…的若干政策 is issued by 鄂尔多斯市
  heads_of_bodies  市委人才工作领导小组组长王晖: the head of a named Body leads it (R17)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Entity, Sentence
from ..vocab import load as load_vocab
from ..vocab import relation_words

if TYPE_CHECKING:
    from .cues import Builder, Span

ABBREVIATIONS = {"京": "北京", "沪": "上海", "津": "天津", "渝": "重庆"}  # 驻京 -> 北京 (D56)
USERS = ("Program", "Mechanism", "Policy", "Platform")



def heads_of_bodies(norm: str, spans: list[Span], s: Sentence, rb: Builder) -> None:
    """市委人才工作领导小组组长王晖, 区委书记、区长张三: the person a head role of a named Body
    is given to leads it (R17). Deputies (副组长) and members lead nothing; the person
    is the first one after the role, with nothing but titles between."""
    persons = [x for x in spans if x.type == "Person"]
    for b in spans:
        if b.type != "Body":
            continue
        role = next((r for r in relation_words()["head_role"] if norm.startswith(r, b.end)), None)
        if role is None or norm[b.start - 1:b.start] == "副":
            continue
        end = b.end + len(role)
        p = next((x for x in persons if x.start >= end), None)
        if p is None or p.start - end > 30 or any(c in "。；;" for c in norm[end:p.start]):
            continue
        rb.add(p.entity, "leads", b.entity, b.start, p.end, s.index)


def from_name(e: Entity, entities: list[Entity]):
    """Relations a name states about itself, as (head, relation, tail, mention)."""
    if not e.mentions:
        return
    m = e.mentions[0]
    for other in entities:
        if other is e or not other.name:
            continue
        forms = (other.name, *other.aliases)
        if other.type == "TalentCategory" and e.type in USERS and any(f in e.name for f in forms if len(f) > 2):
            yield e, "targets", other, m
        if other.type == "Industry" and e.type in ("Policy", "Program") and any(f in e.name for f in forms if len(f) > 1):
            yield e, "focusesOn", other, m   # 厦门市加快推进集成电路产业发展的若干措施 focuses on 集成电路产业
        if other.type == "Body" and e.type == "Body" and e.name.startswith(other.name + "驻"):
            yield e, "partOf", other, m
        if other.type == "Body" and e.type == "Body" and e.name.startswith(other.name) \
                and e.name[len(other.name):].endswith(load_vocab().subunits) and len(e.name) - len(other.name) >= 2:
            yield e, "partOf", other, m      # 市委组织部, 国务院办公厅, …领导小组办公室 (R12)
    if e.type == "Policy":
        issuers = [o for o in entities if o is not e and o.type in ("Region", "Body") and len(o.name) >= 2
                   and e.name.startswith(o.name) and len(e.name) > len(o.name) + 3]
        if issuers:   # 鄂尔多斯市关于…的若干政策, 中共黔东南州委关于…的决定: the name says who issued it
            yield max(issuers, key=lambda o: len(o.name)), "issues", e, m
    if "驻" in e.name and e.type in ("Body", "Platform", "Event"):
        after = e.name.split("驻", 1)[1]
        for other in entities:
            if other.type != "Region":
                continue
            forms = (other.name, *other.aliases)
            if any(after.startswith(f) for f in forms) or any(
                    after.startswith(k) and ABBREVIATIONS[k] in forms for k in ABBREVIATIONS):
                yield e, "locatedIn", other, m
