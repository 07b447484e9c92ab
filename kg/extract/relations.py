"""Entities + sentences -> relations, each with the fragment of text that states it.

Rules, each small, all reading their words from kg/lexicon/cues.tsv:

  cue        a cue word between a head and a tail of the right types in one clause
             (市委 … 成立 … 领导小组). The head is the nearest actor before the cue in
             its clause, else the subject that opened the sentence (市委、市政府始终坚持…,
             深入实施…), else — when nothing else could be the subject — the document's
             own region, if it is named (the unnamed actor, D48). Places after 在 and
             people after 为/对 are never the actor. A cue reaches every item of the
             list that follows it (采取“兼职引才”“顾问指导”“退休特聘”等方式).
  means      借助/依托/通过/以…为牵引 X, then programs or mechanisms Y in the next
             clause: Y reliesOn X (D59)
  targets    a talent verb (引进, 培养, 打造 …) after a program or mechanism, a category
             right before one (特殊需要人才“一人一策”), 为 X 开设 Y (D54)
  partners   与 X 合作/融合 (the actor cooperates with X); 会同 A、B (A with B) (D53)
  sectors    培养/引进 … X、Y 等方面/行业 … 人才: the actor focuses on X and Y (D58)
  name       what a name or a title says (named.py): 高层次人才引进计划 targets 高层次人才,
             市委组织部 partOf 市委, X市关于…的意见 issued by X市, 领导小组组长王晖 leads it
  outline    what the document's structure says (outline.py): the program an item's lead
             names targets the categories of its item; the signers of a text issue the
             policy its title names. Signature lines are not read by the other rules.

Types come from the ontology's domain and range (kg.schema.signatures), so a
relation the ontology forbids is never produced.
"""
from __future__ import annotations

import re

from ..model import Document, Entity, Relation, Sentence
from .cues import Builder, Span, cues_in, words
from .named import from_name, heads_of_bodies
from .outline import Outline, item_targets, outline, signature_issues

CLAUSE_RE = re.compile(r"[，,；;：:。！？!?]")
LINKS = set("、和及与等“”\"'‘’《》「」 ")     # what may stand between two items of one list
BLOCKERS = set("与同在对为把向跟由被以")       # a preposition between cue and tail: not its object
ACTORS = ("Body", "Region", "Person")


def extract_relations(doc: Document, entities: list[Entity], region: str | None,
                      ol: Outline | None = None) -> list[Relation]:
    actor = next((e for e in entities if e.type == "Region" and region and (e.name == region or region in e.aliases)), None)
    by_sentence: dict[int, list[Span]] = {}
    for e in entities:
        for m in e.mentions:
            by_sentence.setdefault(m.sentence, []).append(Span(m.start, m.end, e))
    rb = Builder(doc)
    ol = ol or outline(doc)      # extract() reads the outline once for every rule
    signed = set(ol.signature)

    def spans_of(i: int) -> list[Span]:
        return top_level(sorted(by_sentence.get(i, []), key=lambda x: (x.start, -x.end)))

    for s in doc.sentences:
        spans = spans_of(s.index)
        if s.boilerplate or not spans or s.index in signed:
            continue
        nested = sorted(by_sentence.get(s.index, []), key=lambda x: (x.start, -x.end))
        sentence_relations(doc, s, spans, nested, actor, rb)
    item_targets(doc, ol, spans_of, rb)
    signature_issues(doc, ol, spans_of, rb)
    for e in entities:
        for head, rel, tail, m in from_name(e, entities):
            rb.add(head, rel, tail, m.start, m.end, m.sentence)
    return list(rb.out.values())


def top_level(spans: list[Span]) -> list[Span]:
    """Mentions not inside another mention (浦东 inside 浦东专家西宁行活动 is dropped)."""
    out: list[Span] = []
    for x in spans:
        if out and x.start < out[-1].end and (x.start, x.end) != (out[-1].start, out[-1].end):
            continue   # (two names of one quotation share a span and both stay)
        out.append(x)
    return out


def clauses_of(norm: str, s: Sentence) -> list[tuple[int, int]]:
    out, a = [], s.start
    for m in CLAUSE_RE.finditer(norm, s.start, s.end):
        out.append((a, m.start()))
        a = m.end()
    if a < s.end:
        out.append((a, s.end))
    return out


def clause_index(clauses: list[tuple[int, int]], pos: int) -> int:
    """Which clause of a sentence holds offset pos."""
    return next((i for i, (a, b) in enumerate(clauses) if a <= pos <= b), len(clauses) - 1)


def before(norm: str, x: Span, words) -> bool:
    """Whether one of `words` stands right before span x."""
    return any(norm.endswith(w, 0, x.start) for w in words)


def following(norm: str, spans: list[Span], first: int, types, limit: int) -> list[Span]:
    """The list of spans of allowed types that starts at spans[first] (A、B和“C”等)."""
    out = [spans[first]]
    for x in spans[first + 1:]:
        if x.start > limit:
            break
        gap = norm[out[-1].end:x.start] if x.start >= out[-1].end else ""
        if all(c in LINKS for c in gap):
            if x.type in types:
                out.append(x)
        else:
            break
    return [x for x in out if x.type in types]


def sentence_relations(doc: Document, s: Sentence, spans: list[Span], nested: list[Span], actor, rb: Builder):
    norm = doc.norm
    clauses = clauses_of(norm, s)
    clause_of = lambda pos: clause_index(clauses, pos)  # noqa: E731
    sig = rb.sig
    partner = partners_of(norm, spans)

    # the subject that opens a clause (市委、市政府始终坚持…) holds for the clauses after it
    subjects: dict[int, list[Span]] = {}
    current: list[Span] = []
    for ci, (a, b) in enumerate(clauses):
        lead = a
        while lead < b and norm[lead].isspace():
            lead += 1
        first = next((k for k, x in enumerate(spans) if x.start == lead and x.type in ACTORS), None)
        if first is not None:
            current = following(norm, spans, first, ACTORS, b)
        subjects[ci] = current

    used: list[tuple[int, int]] = []
    for cue in cues_in(norm, s.start, s.end):
        pos = s.start
        while (i := norm.find(cue.text, pos, s.end)) >= 0:
            pos = i + len(cue.text)
            j = i + len(cue.text)
            if any(x.start <= i < x.end for x in spans) or any(a <= i < b or a < j <= b for a, b in used):
                continue  # part of a name (宁宁合作), or inside a longer cue (健全 in 建立健全)
            ci = clause_of(i)
            ca, cb = clauses[ci]
            hs, ts = sig[cue.relation]
            after = [k for k, x in enumerate(spans) if x.start >= j and x.end <= cb and x.type in ts]
            tails = []
            if after:
                gap = norm[j:spans[after[0]].start]
                if not any(c in BLOCKERS for c in gap) and len(gap) <= 20:
                    tails = following(norm, spans, after[0], ts, cb)
            if not tails and not cue.closing:
                tails = fronted(norm, spans, ca, i, ts)   # 现将《X》印发给你们: the object before the verb
            if cue.closing:
                if not tails or not norm.startswith(cue.closing, tails[-1].end):
                    continue
            if not tails or norm.startswith("的", tails[-1].end):
                continue   # 实施人才强国战略的强烈信号: a modifier, not a statement
            used.append((i, j))
            if cue.relation == "cooperatesWith" and len(tails) > 1 and not explicit_heads(norm, spans, ca, i, hs, partner):
                for t in tails[1:]:   # 会同区人社、工信: the partners work together
                    rb.add(tails[0].entity, "cooperatesWith", t.entity, tails[0].start, t.end, s.index)
                continue
            for h, a in heads_for(norm, spans, ca, i, hs, subjects.get(ci, []), actor, partner, tails):
                for t in tails:
                    rb.add(h, cue.relation, t.entity, a if a is not None else i, t.end, s.index)
            if cue.relation == "establishes":
                located(norm, spans, nested, ca, i, tails, s.index, rb)

    means(norm, spans, clauses, s.index, rb)
    heads_of_bodies(norm, nested, s, rb)
    targets(norm, spans, clauses, s.index, rb)
    partners(norm, spans, clauses, subjects, actor, partner, s.index, rb)
    sectors(norm, spans, clauses, subjects, actor, partner, s.index, rb)


def partners_of(norm, spans) -> set[int]:
    """Indexes of spans that are partners: after 与/同/跟, and the rest of that list."""
    out = set()
    for k, x in enumerate(spans):
        if before(norm, x, words().partner) or (k - 1 in out and all(c in LINKS for c in norm[spans[k - 1].end:x.start])):
            out.add(k)
    return out


def fronted(norm, spans, ca, i, types) -> list[Span]:
    """The objects of 将/把 … <cue>: spans between the last 将/把 of the clause and the cue."""
    k = max(norm.rfind("将", ca, i), norm.rfind("把", ca, i))
    if k < 0:
        return []
    inside = [x for x in spans if k < x.start and x.end <= i]
    if not inside or inside[0].type not in types or len(norm[inside[-1].end:i]) > 2:
        return []
    return following(norm, inside, 0, types, i)


def explicit_heads(norm, spans, ca, i, types, partner: set[int]) -> list[Span]:
    """Actors written before the cue in its clause: not a place after 在, a person after 为,
    or a partner after 与 (与四川大学、电子科技大学等高校开展…; `partner` from partners_of)."""
    cands = [x for k, x in enumerate(spans) if ca <= x.start and x.end <= i and x.type in types
             and k not in partner and not before(norm, x, words().locative + words().beneficiary)]
    if not cands:
        return []
    last = cands[-1]
    group = [last]
    for x in reversed(cands[:-1]):   # 市委、市政府: both
        if all(c in LINKS for c in norm[x.end:group[0].start]):
            group.insert(0, x)
        else:
            break
    return group


def heads_for(norm, spans, ca, i, types, subject, actor, partner, tails=()):
    """(head entity, evidence start) pairs for a cue at i."""
    explicit = explicit_heads(norm, spans, ca, i, types, partner)
    if explicit:
        return [(h.entity, h.start) for h in explicit]
    if subject and all(x.type in types for x in subject):
        return [(x.entity, None) for x in subject]
    blocking = [x for x in spans if ca <= x.start and x.end <= i and not before(norm, x, words().locative + words().beneficiary)
                and x not in tails and "、" not in norm[x.end:i] and len(norm[x.end:i]) <= 4]   # 国家重点创新平台开展…
    if actor is not None and actor.type in types and not blocking:
        return [(actor, None)]
    return []


def located(norm, spans, nested, ca, i, tails, sentence, rb):
    """在 X 成立 Y: Y is located where X is (X a place, or an office 驻 a place) (D56)."""
    for x in spans:
        if ca <= x.start and x.end <= i and before(norm, x, words().locative):
            places = [x.entity] if x.type == "Region" else [
                r.entity for r in nested if r.type == "Region" and x.start <= r.start and r.end <= x.end
                and norm.startswith("驻", r.start - 1)]
            for p in places:
                for t in tails:
                    rb.add(t.entity, "locatedIn", p, x.start, t.end, sentence)


def means(norm, spans, clauses, sentence, rb):
    """借助 X …, 实施 Y / 以 X 为牵引, 启动 Y: Y reliesOn X (D59)."""
    hs, ts = rb.sig["reliesOn"]
    for ci, (a, b) in enumerate(clauses):
        text = norm[a:b]
        cue = next((c for c in words().means if text.lstrip().startswith(c) or text.find(c) >= 0), None)
        if cue is None:
            continue
        k = text.find(cue)
        if cue == "以" and not any(cl in text for cl in words().means_closing):
            continue
        if cue == "通过" and "平台" not in text and "载体" not in text:
            continue   # 通过建立…等平台, not every 通过
        tails = [x for x in spans if a + k < x.start and x.end <= b and x.type in ts]
        if not tails:
            continue
        closing = next((text.find(cl) for cl in words().means_closing if cl in text), -1)
        end = clauses[ci + 1][1] if ci + 1 < len(clauses) else b
        scope = (a + closing, end) if closing >= 0 else (b, end)
        if scope[0] >= scope[1]:
            continue
        heads = [x for x in spans if scope[0] <= x.start and x.end <= scope[1] and x.type in hs and x not in tails]
        for h in heads:
            for t in tails:
                rb.add(h.entity, "reliesOn", t.entity, t.start, h.end, sentence)


def targets(norm, spans, clauses, sentence, rb):
    """Who a program, mechanism, policy or platform is for (D54, D55)."""
    hs, ts = rb.sig["targets"]
    users = [x for x in spans if x.type in hs and not (x.type == "Platform" and before(norm, x, words().means))]
    cats = [x for x in spans if x.type in ts]
    if not users or not cats:
        return
    clause_of = lambda pos: clause_index(clauses, pos)  # noqa: E731
    # a category right before the names it qualifies: 特殊需要人才“一人一策”“特事特办”
    for c in cats:
        k = next((n for n, x in enumerate(spans) if x.start >= c.end), None)
        if k is not None and spans[k].type in hs and all(ch in "“”\"'‘’" for ch in norm[c.end:spans[k].start]):
            for u in following(norm, spans, k, hs, len(norm)):
                rb.add(u.entity, "targets", c.entity, c.start, u.end, sentence)
    # 为 X 开设 Y
    for c in cats:
        if before(norm, c, ("为",)):
            ci = clause_of(c.start)
            for u in users:
                if u.start >= c.end and clause_of(u.start) == ci:
                    rb.add(u.entity, "targets", c.entity, c.start, u.end, sentence)
    # Y …引进/培养… X: the nearest program before a talent verb and its object
    for n, u in enumerate(users):
        if in_list(norm, users, n):
            continue   # 实施A、B、C等工程, 累计引进…: which one brought whom is not said
        for c in cats:
            if c.start < u.end or any(u.end <= x.start and x.end <= c.start for x in users):
                continue
            ca = max(clauses[clause_of(c.start)][0], u.end)
            governed = any(v in norm[ca:c.start] for v in words().talent_verb)   # the verb governs c in c's clause
            if not (governed or (u.entity.name.endswith(words().talent_verb) and clause_of(c.start) == clause_of(u.start))):
                continue
            if clause_of(c.start) - clause_of(u.start) > 5:
                continue
            rb.add(u.entity, "targets", c.entity, u.start, c.end, sentence)


def in_list(norm, spans, n) -> bool:
    """Whether spans[n] is an item of a list with the span before or after it
    (A、B和C, or “A”“B” with nothing between the quotations)."""
    def joined(x, y):
        gap = norm[x.end:y.start]
        return x.end <= y.start and all(c in LINKS for c in gap) and (gap != "" or norm[x.end - 1:x.end] in "”」’\"")
    prev = spans[n - 1] if n > 0 else None
    nxt = spans[n + 1] if n + 1 < len(spans) else None
    return (prev is not None and joined(prev, spans[n])) or (nxt is not None and joined(spans[n], nxt))


def partners(norm, spans, clauses, subjects, actor, partner, sentence, rb):
    """与 X 深度融合 / 与 X 合作: the actor cooperates with X (D53)."""
    hs, ts = rb.sig["cooperatesWith"]
    for ci, (a, b) in enumerate(clauses):
        text = norm[a:b]
        if not any(c in text for c in words().partner_cue):
            continue
        for k, x in enumerate(spans):
            if a <= x.start and x.end <= b and x.type in ts and before(norm, x, ("与", "同")):
                partners_ = following(norm, spans, k, ts, b)
                if not any(c in norm[partners_[-1].end:b] for c in words().partner_cue):
                    continue
                heads = [h.entity for h in explicit_heads(norm, spans, a, x.start, hs, partner)]
                heads = heads or [s.entity for s in subjects.get(ci, [])] or ([actor] if actor is not None else [])
                for h in heads:
                    for p in partners_:
                        rb.add(h, "cooperatesWith", p.entity, x.start, b, sentence)


def sectors(norm, spans, clauses, subjects, actor, partner, sentence, rb):
    """培养/引进 … X、Y 等方面 … 人才: the actor's talent work serves X and Y (D58)."""
    hs, ts = rb.sig["focusesOn"]
    for ci, (a, b) in enumerate(clauses):
        text = norm[a:b]
        if not any(v in text for v in words().talent_verb) or "人才" not in text:
            continue
        inds = [x for x in spans if a <= x.start and x.end <= b and x.type in ts]
        if not inds:
            continue
        last = inds[-1]
        tail_text = norm[last.end:b]
        if not words().sector_list.match(tail_text):
            continue   # …新型农业、工程项目建设等方面的…人才
        verb_at = min((text.find(v) for v in words().talent_verb if text.find(v) >= 0), default=-1)
        if verb_at < 0 or a + verb_at > inds[0].start or "人才" not in tail_text:
            continue
        heads = [h.entity for h in explicit_heads(norm, spans, a, a + verb_at, hs, partner)]
        heads = heads or [s.entity for s in subjects.get(ci, [])] or ([actor] if actor is not None else [])
        for h in heads:
            for x in inds:
                rb.add(h, "focusesOn", x.entity, a + verb_at, x.end, sentence)
