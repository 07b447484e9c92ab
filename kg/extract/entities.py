"""Sentences -> entities, each with its mentions and aliases.

Candidates come from small rules, each one reading its words from kg/lexicon:

  title     《...》 is a Policy (even a generic one, D40)
  quote     “X” with the head noun right after it (“共饮一江水”人才交流计划), or typed
            by the lexicon, its own head, the list it closes ("等方式"), the verb
            that governs it (推行“一人一策”), or its typed siblings in a list
  head      a run of words ending in a head noun, from the nearest left boundary
            (设立 | 西宁市人才服务中心); verbs that occur inside names (服务, 评选)
            are crossed when a noun of the name stands before them
  term      a word of the lexicon (industries, talent categories, platform kinds ...),
            also inside another name when it is a Region, Person or TalentCategory
  talent    "X人才" where every word of X is a criterion (高层次 科研 人才)
  list      unquoted items of "A、B等部门/项目/产业"
  ellipsis  "人才强国、人才强省战略" -> 人才强国战略 too (D04)
  nested    the Body that holds a meeting, the parent of an office (D05, D08)

Overlapping candidates are settled (the longer wins; a Region, Person or
TalentCategory may sit inside a name of another type), and the survivors are
grouped into entities by normalised name, with the aliases the guideline asks for.

A name is a tuple of spans of the document, so it is always written as the
document writes it (traditional characters stay traditional), while every rule
matches on the normalised copy.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Document, Entity, Mention, Sentence
from ..vocab import Head, Vocab, load as load_vocab
from .segment import boundaries, tokenize

MARKS = set("“”‘’\"'《》〈〉「」『』〖〗【】")
QUOTE_RE = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|『([^『』\n]{1,60})』|‘([^‘’\n]{1,60})’|\"([^\"\n]{1,60})\"")
TITLE_RE = re.compile(r"《([^《》\n]{1,120})》")
MASK_RE = re.compile(r"^(?:\*+|[X×]{1,3}|某)")
ONLY_MASK_RE = re.compile(r"^(?:\*+|[X×]{1,3}|某)(?:[省市区县州镇乡村]|地区|区域)?$")
YEAR_RE = re.compile(r"^(?:19|20)\d\d年度?")
AID_RE = re.compile(r"^援[\u4e00-\u9fff]{1,2}$")   # 援宁, 援青: people sent to help a place
TYPE_RE = re.compile(r"^(?:[\u4e00-\u9fff]{1,2}型|[A-Ea-e一二三四五六]类)$")  # 应用型 / A类 (人才)
COUNT_RE = re.compile(r"^(?:\d+|[X×]+|[一二三四五六七八九十百几多数]+)[次个项家名批条类]")
COMMITTEES = ("省委", "市委", "区委", "县委", "州委")
COUNT_TOKEN_RE = re.compile(r"^(?:\d+|[一二三四五六七八九十百千万两几]+)$")
CLASSIFIERS = set("家个项名批条类所座支")
STOP_CHARS = set("，,。.、；;：:！!？?（）()[]【】—…·～~ \t/|")
LIST_SEPS = {"、", "和", "及", "与", "以及"}
PRACTICE_VERBS = {"实行", "采取", "推行", "构建", "探索", "抓好", "强化", "创新"}  # D23
MAX_NAME = 32
NESTABLE = {"Region", "Person", "TalentCategory"}
PRIORITY = {"crf": 8, "title": 7, "quote": 6, "ellipsis": 5, "term": 4, "pattern": 4, "region": 3, "head": 3,
            "talent": 2, "list": 1, "nested": 1}


@dataclass(frozen=True)
class Unit:
    """A word, a quotation or a 《title》 of a sentence, with document offsets."""
    text: str          # normalised text, marks included
    start: int
    end: int
    kind: str          # "w" word, "q" quotation, "b" book title, "p" punctuation
    inner: tuple[int, int] | None = None   # for q/b: offsets inside the marks


@dataclass(frozen=True)
class Cand:
    start: int
    end: int
    type: str
    pieces: tuple[tuple[int, int], ...]           # spans whose text, marks removed, is the name
    alias_pieces: tuple[tuple[tuple[int, int], ...], ...] = ()
    rule: str = "head"
    sentence: int = 0
    nested: bool = False                          # may sit inside another candidate


@dataclass
class Ctx:
    """What the rules of one sentence share."""
    doc: Document
    sentence: Sentence
    units: list[Unit]
    v: Vocab
    starts: set[int]
    ends: set[int]

    def text(self, a: int, b: int) -> str:
        return self.doc.norm[a:b]


DEFAULT = object()
STRUCTURE = ("title", "quote")   # rules whose names the text delimits: they win over the tagger
MIN_RATIO = 0.2   # a rule's name the tagger left out is kept when the tagger finds it this likely


def extract_entities(doc: Document, tagger=DEFAULT, mode: str = "crf+quote+list") -> list[Entity]:
    """Entities of `doc`: the rules' candidates, read by the trained tagger when there is
    one (`tagger=None`: rules alone)."""
    v = load_vocab()
    if tagger is DEFAULT:
        from .tagger import default_tagger
        tagger = default_tagger()
    cands: list[Cand] = []
    for s in doc.sentences:
        if s.boilerplate:
            continue
        found = parenthetical(doc, settle(sentence_candidates(doc, s, v)))
        if tagger is not None:
            found = combine(doc, s, found, tagger, v, mode)
        cands += found
    return group(doc, cands, v)


def combine(doc: Document, s: Sentence, rules: list[Cand], tagger, v: Vocab, mode: str) -> list[Cand]:
    """The tagger's names (taking the rules' pieces and aliases where a rule found the same
    span), the rules' Regions, Persons and TalentCategories inside them, the other
    conjuncts of a coordinated name the tagger found, and the rules' names of the kinds
    `mode` lists ("crf+quote+list") where the tagger found nothing ("union": all)."""
    spans = [(c.start, c.end, c.type, c.rule, c.nested) for c in rules]
    by_span: dict[tuple[int, int], list[Cand]] = defaultdict(list)
    for c in rules:
        by_span[unmarked(doc.norm, c.start, c.end)].append(c)
    out: list[Cand] = []
    proposals = [unmarked(doc.norm, c.start, c.end) + (c.type,) for c in rules]
    tagged, accepted = tagger.tag(doc, s, spans, v, proposals, MIN_RATIO)
    likely = {id(rules[k]) for k in accepted}
    if STRUCTURE:
        # names the text's structure delimits («titles», “A、B” quotations) win over
        # tagged spans that cut across them
        fixed = [c for c in rules if c.rule in STRUCTURE]
        kept = []
        for t in tagged:
            a, b = unmarked(doc.norm, t.start, t.end)
            clash = [c for c in fixed if c.start < t.end and t.start < c.end]
            if clash and not any(unmarked(doc.norm, c.start, c.end) == (a, b) for c in clash):
                continue
            kept.append(t)
        tagged = kept
        for c in fixed:
            if not any(c.start < t.end and t.start < c.end for t in tagged):
                out.append(c)
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
        if inside and (c.type in NESTABLE or c.rule == "nested") and all((o.start, o.end) != (c.start, c.end) and o.type != c.type
                                                 for o in inside):
            out.append(replace(c, nested=True))
        elif not overlaps and (mode == "union" or c.rule in mode.split("+")[1:] or id(c) in likely):
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


# --- units --------------------------------------------------------------------------

def units_of(doc: Document, s: Sentence) -> list[Unit]:
    norm = doc.norm[s.start:s.end]
    spans = []  # quotations and titles, not overlapping
    for m in TITLE_RE.finditer(norm):
        spans.append((m.start(), m.end(), "b"))
    for m in QUOTE_RE.finditer(norm):
        if not any(a < m.end() and m.start() < b for a, b, _ in spans):
            spans.append((m.start(), m.end(), "q"))
    spans.sort()
    units: list[Unit] = []
    pos = 0
    for a, b, kind in spans + [(len(norm), len(norm), None)]:
        if a > pos:
            for t in tokenize(norm[pos:a], s.start + pos):
                k = "p" if all(c in STOP_CHARS or c.isspace() for c in t.text) else "w"
                units.append(Unit(t.text, t.start, t.end, k))
        if kind:
            units.append(Unit(norm[a:b], s.start + a, s.start + b, kind, (s.start + a + 1, s.start + b - 1)))
        pos = b
    return units


# --- candidates ---------------------------------------------------------------------

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


def text_of(doc: Document, pieces, src=None) -> str:
    src = doc.norm if src is None else src
    return "".join(ch for a, b in pieces for ch in src[a:b] if ch not in MARKS)


def strong(u: Unit, v: Vocab) -> bool:
    return u.kind == "p" or u.text in v.boundaries or u.text.isspace()


def weak(u: Unit, v: Vocab) -> bool:
    return u.kind == "w" and u.text in v.weak_boundaries


def title_cand(ctx: Ctx, u: Unit) -> Cand:
    a, b = u.inner
    head = ctx.v.head_of(ctx.text(a, b))
    etype = "Event" if head and head.type == "Event" else "Policy"
    return Cand(u.start, u.end, etype, ((a, b),), (), "title", ctx.sentence.index)


def left_extension(ctx: Ctx, i: int, *, quoted: bool) -> int:
    """Index of the first unit of the name whose head unit (or quotation) is unit i."""
    units, v = ctx.units, ctx.v
    k = i
    while k - 1 >= 0:
        u = units[k - 1]
        if u.text in (")", "）") and not quoted:
            m = bracketed(units, k - 1)   # 院士（专家）工作站: the brackets are part of the name
            if m is not None:
                k = m
                continue
        if u.kind in ("p", "b", "q") or strong(u, v):
            break
        if weak(u, v):
            m = k - 1
            while m - 1 >= 0 and weak(units[m - 1], v):
                m -= 1
            before = units[m - 1] if m - 1 >= 0 else None
            if before is not None and before.kind == "w" and not strong(before, v) and not quoted:
                k = m  # 高层次人才 | 服务 | 专员制度: the verb is part of the name
                continue
            break
        if COUNT_TOKEN_RE.match(u.text) or (k - 2 >= 0 and u.text in CLASSIFIERS and COUNT_TOKEN_RE.match(units[k - 2].text)):
            break  # 评选命名12家“…工作室”: a count is no part of the name
        if quoted:
            # before a quotation only placing words attach (省“高端创新创业人才计划”,
            # 人才工作“责任清单”制度), never the people it serves (高层次人才“师带徒”)
            term = v.terms.get(u.text)
            if (term and term.type == "TalentCategory") or (k == i and u.text.endswith(("人才", "专家", "干部", "人员"))):
                break
        k -= 1
    if quoted:
        k = max(k, i - 3)
    return k


def bracketed(units, close: int) -> int | None:
    """Index of the word before "(" when units[close] closes a short bracket that stands
    inside a name (a word right before the opening bracket), else None."""
    for j in range(close - 1, max(close - 5, 0) - 1, -1):
        if units[j].text in ("(", "（"):
            inner = units[j + 1:close]
            if inner and all(x.kind == "w" for x in inner) and j - 1 >= 0 and units[j - 1].kind == "w":
                return j - 1
            return None
    return None


def right_extension(ctx: Ctx, i: int) -> tuple[int, Head] | None:
    """(last unit, head) of the longest head-noun phrase right after quotation i."""
    units, v = ctx.units, ctx.v
    if (i + 1 < len(units) and units[i + 1].kind == "q") or (i > 0 and units[i - 1].kind == "q"):
        return None  # “敬才”“赞才”“引才”活动: a list of quotations, not one name
    best, text = None, ""
    for j in range(i + 1, min(i + 6, len(units))):
        u = units[j]
        if u.kind in ("p", "b") or (u.kind == "w" and u.text in v.boundaries and u.text not in v.heads):
            break
        text += u.text
        head = v.head_of(text)
        if not head or not text.endswith(head.text):
            continue
        if head.inner:
            continue
        if head.quoted:
            nxt = units[j + 1] if j + 1 < len(units) else None
            if not (j == i + 1 and text == head.text) or (nxt is not None and nxt.kind == "w" and not strong(nxt, v)):
                continue  # a weak head counts only right after the quotation and ends the phrase (“组团式”服务)
        if best and head.text in ("平台", "载体"):
            continue  # "…洽谈会平台": the platform of the fair, not a new name
        best = (j, head)
    return best


def quote_cands(ctx: Ctx, i: int) -> list[Cand]:
    u, v, sent = ctx.units[i], ctx.v, ctx.sentence.index
    a, b = u.inner
    inner = ctx.text(a, b)
    if any(c in "，。！？；,!?;" for c in inner) or not inner.strip():
        return []  # a quoted sentence, not a name
    start_i = left_extension(ctx, i, quoted=True)
    left = tuple((x.start, x.end) for x in ctx.units[start_i:i])
    own = own_type(inner, v)
    ext = None if own else right_extension(ctx, i)
    if ext:
        j, head = ext
        right = tuple((x.start, x.end) for x in ctx.units[i + 1:j + 1])
        aliases = [((a, b),)] + ([((a, b),) + right] if left else [])
        return [Cand(ctx.units[start_i].start, ctx.units[j].end, head.type, left + ((a, b),) + right,
                     tuple(aliases), "quote", sent)]
    parts = split_inner(ctx, a, b)
    if parts:  # “西宁市驻京人才工作联络站、援青干部联络站”: two names (D14)
        return [Cand(u.start, u.end, ptype, ((pa, pb),) + shared, (), "quote", sent) for pa, pb, ptype, shared in parts]
    etype = own or context_type_of(ctx, i) or sibling_type(ctx, i)
    if not etype:
        return []
    if left and etype != "TalentCategory":
        return [Cand(ctx.units[start_i].start, u.end, etype, left + ((a, b),), (((a, b),),), "quote", sent)]
    return [Cand(u.start, u.end, etype, ((a, b),), (), "quote", sent)]


def own_type(text: str, v: Vocab) -> str | None:
    """Type of a quoted name from itself: the lexicon, the gazetteer, its own (strong) head."""
    core = MASK_RE.sub("", text)
    term = v.terms.get(text) or v.terms.get(core)
    if term:
        return term.type
    if len(text) > 1 and text in v.regions:
        return "Region"
    head = v.head_of(text)
    if head and not head.weak and len(text) > len(head.text):
        return head.type
    for p in v.patterns:
        if p.mode == "whole" and p.regex.fullmatch(text):
            return p.type
    return None


def context_type_of(ctx: Ctx, i: int) -> str | None:
    """Type of a quotation from around it: the list it closes ("等方式"), its weak head,
    or the verb of practice that governs it (推行“一人一策”, D23)."""
    etype = list_type_after(ctx, i)
    if etype:
        return etype
    a, b = ctx.units[i].inner
    inner = ctx.text(a, b)
    head = ctx.v.head_of(inner, single_ok=True)
    if head and len(inner) > len(head.text) and (len(head.text) > 1 or head.weak):
        return head.type  # “人才西园”: a one-character head only where the lexicon allows it
    k = i - 1
    while k >= 0 and ctx.units[k].kind == "w" and ctx.units[k].text in ("积极", "大力", "着力", "深入", "全面", "持续", "不断"):
        k -= 1
    if k >= 0 and ctx.units[k].text in PRACTICE_VERBS:
        return "Mechanism"
    return None


def sibling_type(ctx: Ctx, i: int) -> str | None:
    """“本土专家”、“蒸湘秀才”: an untyped quotation takes the type of its typed neighbours."""
    types = Counter()
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(ctx.units) and ctx.units[j].text in ("、", "和", "及"):
            j += step
        if 0 <= j < len(ctx.units) and ctx.units[j].kind == "q" and abs(j - i) <= 2:
            a, b = ctx.units[j].inner
            t = own_type(ctx.text(a, b), ctx.v)
            if t:
                types[t] += 1
    return types.most_common(1)[0][0] if len(types) == 1 else None


def split_inner(ctx: Ctx, a: int, b: int):
    """[(start, end, type, shared head span)] when a quotation holds a list of names."""
    inner = ctx.text(a, b)
    if "、" not in inner:
        return []
    parts, pos = [], a
    for piece in inner.split("、"):
        parts.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    if any(pb - pa < 3 for pa, pb in parts):
        return []  # “引、育、留、用”: one name
    last = ctx.v.head_of(ctx.text(*parts[-1]))
    if not last:
        return []
    out = []
    for pa, pb in parts:
        h = ctx.v.head_of(ctx.text(pa, pb))
        shared = () if h else ((parts[-1][1] - len(last.text), parts[-1][1]),)
        out.append((pa, pb, h.type if h else last.type, shared))
    return out


def list_type_after(ctx: Ctx, i: int) -> str | None:
    """Type given by the noun that closes the list unit i stands in ("...等灵活多样的方式")."""
    units = ctx.units
    j = i + 1
    while j < len(units) and units[j].text != "等":
        if (units[j].kind in ("p", "b") and units[j].text != "、") or j - i > 12:
            return None
        j += 1
    if j >= len(units):
        return None
    return context_type(ctx, j + 1)


def context_type(ctx: Ctx, j: int) -> str | None:
    """The type named by the list noun right after 等 (fillers such as 多种, 的 skipped)."""
    units = ctx.units
    while j < len(units) and units[j].kind == "w" and units[j].text in ctx.v.list_fillers:
        j += 1
    text = ""
    for u in units[j:j + 2]:
        if u.kind != "w":
            break
        text += u.text
        for n in range(len(text)):
            if text[n:] in ctx.v.list_contexts:
                return ctx.v.list_contexts[text[n:]]
    return None


def head_at(ctx: Ctx, j: int) -> tuple[int, Head] | None:
    """(first unit of the head, head) when a head noun ends at word unit j."""
    units, v = ctx.units, ctx.v
    for k in range(0, 3):
        if j - k < 0 or any(x.kind != "w" for x in units[j - k:j + 1]):
            return None
        text = "".join(x.text for x in units[j - k:j + 1])
        tail = units[j].text
        single = (tail in v.heads and len(tail) == 1) or (len(tail) >= 3 and tail[-1] in v.heads
                                                          and is_word(tail[:-1]))   # 科技|局, not 格局
        h = v.head_of(text, quoted_ok=False, single_ok=single)
        if h and text.endswith(h.text) and len(h.text) >= len(text) - len(units[j - k].text) + 1:
            return j - k, h
    return None


def head_cands(ctx: Ctx) -> list[Cand]:
    out = []
    units, v = ctx.units, ctx.v
    for j, u in enumerate(units):
        if u.kind != "w":
            continue
        found = head_at(ctx, j)
        if not found:
            continue
        hi, head = found
        i = left_extension(ctx, hi, quoted=False)
        pieces = tuple((x.start, x.end) for x in units[i:j + 1])
        name = text_of(ctx.doc, pieces)
        if name == head.text or (head.placed and not is_place(name[: len(name) - len(head.text)], v)):
            continue
        if hi > i and units[hi - 1].text in ("新", "大", "总"):
            continue  # 新理念新战略: no name of its own
        out.append(Cand(units[i].start, u.end, head.type, pieces, (), "head", ctx.sentence.index))
    # heads that are patterns (政策措施22条, 政策2.0) may span several words
    text = ctx.doc.norm[ctx.sentence.start:ctx.sentence.end]
    first_at = {x.start: n for n, x in enumerate(units) if x.kind == "w"}
    for p in v.patterns:
        if p.mode != "head":
            continue
        for m in p.regex.finditer(text):
            a, b = ctx.sentence.start + m.start(), ctx.sentence.start + m.end()
            if a not in first_at or b not in ctx.ends:
                continue
            i = left_extension(ctx, first_at[a], quoted=False)
            if units[i].start < a:
                out.append(Cand(units[i].start, b, p.type, ((units[i].start, b),), (), "head", ctx.sentence.index))
    return out


def is_place(modifier: str, v: Vocab) -> bool:
    """西宁, 西宁市, 中共蒸湘, XX: what may stand before 市委 (a 'placed' head)."""
    if modifier.startswith("中共"):
        modifier = modifier[2:]
    return bool(modifier) and (modifier in v.regions or bool(ONLY_MASK_RE.match(modifier)))


def committee_cands(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    """A place and its party committee: 西宁市委, 中共蒸湘区委 (D09), even where jieba
    reads 市委常委 as one word."""
    norm, out = ctx.doc.norm, []
    for c in cands:
        if c.type != "Region" or c.rule not in ("term", "region"):
            continue
        a, b = c.start, c.end
        if norm[a - 2:a] == "中共":
            a -= 2
        suffix = "委" if norm[b - 1:b] in "省市区县州" else next((x for x in COMMITTEES if norm.startswith(x, b)), None)
        if suffix and norm.startswith(suffix, b) and b + len(suffix) <= ctx.sentence.end:
            e = b + len(suffix)
            out.append(Cand(a, e, "Body", ((a, e),), (), "head", ctx.sentence.index))
    return out


def term_cands(ctx: Ctx) -> list[Cand]:
    """Lexicon words and places, wherever they start and end on word boundaries."""
    s, v, out = ctx.sentence, ctx.v, []
    norm = ctx.doc.norm
    for a in sorted(ctx.starts):
        for n in range(2, 21):
            b = a + n
            if b > s.end:
                break
            if b not in ctx.ends:
                continue
            word = norm[a:b]
            term = v.terms.get(word)
            if term:
                out.append(Cand(a, b, term.type, ((a, b),), (), "term", s.index, term.type in NESTABLE))
            elif word in v.regions:
                out.append(Cand(a, b, "Region", ((a, b),), (), "region", s.index, True))
    text = norm[s.start:s.end]
    for p in v.patterns:
        if p.mode == "whole":
            for m in p.regex.finditer(text):
                a, b = s.start + m.start(), s.start + m.end()
                out.append(Cand(a, b, p.type, ((a, b),), (), "pattern", s.index))
    return out


def criterion_len(s: str, v: Vocab) -> int:
    """Length of the longest suffix of s made only of criterion words (D41)."""
    n = len(s)
    ok = [False] * (n + 1)   # ok[i]: s[i:] is made of criterion words
    ok[n] = True
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + 8) + 1):
            w = s[i:j]
            if ok[j] and (w in v.talent_modifiers or AID_RE.match(w)
                          or (TYPE_RE.match(w) and w not in v.generic_modifiers and w + "人才" not in v.generic)):
                ok[i] = True
                break
    best = 0
    for i in range(n):
        if ok[i]:
            best = n - i
            break
    return best


def talent_cands(ctx: Ctx) -> list[Cand]:
    """"X人才" with X made of criterion words: 高层次科研人才, “基层人才学历提升计划”, 《…援宁人才…》;
    not 优秀人才, 留住人才."""
    out = []
    norm, s = ctx.doc.norm, ctx.sentence
    pos = s.start
    while (k := norm.find("人才", pos, s.end)) >= 0:
        pos = k + 2
        before = norm[max(s.start, k - 12):k]
        n = criterion_len(before, ctx.v)
        while n > 0 and k - n not in ctx.starts:
            n = criterion_len(before[len(before) - n + 1:], ctx.v)
        if n:
            out.append(Cand(k - n, k + 2, "TalentCategory", ((k - n, k + 2),), (), "talent", s.index, True))
    return out


def person_cands(ctx: Ctx) -> list[Cand]:
    """A person named after a role: 市委书记张三出席 -> 张三 (a surname and one or two
    characters, then a verb of speech or attendance, or punctuation)."""
    v, s, norm, out = ctx.v, ctx.sentence, ctx.doc.norm, []
    text = norm[s.start:s.end]
    for role in v.roles:
        pos = 0
        while (k := text.find(role, pos)) >= 0:
            pos = k + len(role)
            a = s.start + pos
            for sl in (2, 1):
                if norm[a:a + sl] not in v.surnames:
                    continue
                for gl in (2, 1):
                    b = a + sl + gl
                    name = norm[a:b]
                    if b > s.end or not all("\u4e00" <= c <= "\u9fff" for c in name):
                        continue
                    if (b == s.end or any(norm.startswith(w, b) for w in v.after_name)) \
                            and not any(w in name for w in v.after_name if len(w) == 1) and name not in v.generic:
                        out.append(Cand(a, b, "Person", ((a, b),), (), "term", s.index, True))
                        break
                else:
                    continue
                break
    return out


def list_cands(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    """Unquoted items of "A、B、C等<noun>" get the noun's type when nothing else typed them.

    Only Programs, Bodies and Industries are taken unquoted: an unquoted item of
    "等方式" is an ordinary activity (兼职, 技术咨询, D25), not a Mechanism.
    """
    units, v, out = ctx.units, ctx.v, []
    covered = [(c.start, c.end) for c in cands]
    for k, u in enumerate(units):
        if u.text != "等":
            continue
        etype = context_type(ctx, k + 1)
        if etype not in ("Program", "Body", "Industry"):
            continue
        items, cur = [], []
        j = k - 1
        while j >= 0:
            x = units[j]
            if x.text == "、" or x.kind == "q":
                if cur:
                    items.append(cur)
                cur = []
                if x.kind == "q":
                    items.append([x])
                j -= 1
                continue
            if x.kind == "p" or ((strong(x, v) or weak(x, v)) and x.text not in v.prefixes):
                break
            cur.insert(0, x)
            j -= 1
        if cur:
            items.append(cur)
        items.reverse()
        prefix = None
        for item in items:
            if item[0].kind == "q":
                continue
            a, b = item[0].start, item[-1].end
            text = ctx.text(a, b)
            if b - a > 8 or any(ca <= a and b <= cb for ca, cb in covered):
                continue
            pieces = tuple((x.start, x.end) for x in item)
            aliases = ()
            if etype == "Body":
                if item[0].text in ("区", "市", "县", "省") and len(item) > 1:
                    prefix = (item[0].start, item[0].end)
                elif prefix and text in v.departments:
                    aliases, pieces = (pieces,), (prefix,) + pieces   # 区人社、工信 -> 区工信 (D04)
                if not (text in v.departments or item[-1].text in v.departments):
                    continue
            out.append(Cand(a, b, etype, pieces, aliases, "list", ctx.sentence.index))
    return out


def ellipsis_cands(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    """"人才强国、人才强省战略" -> 人才强国战略 too; "中央和省委、市委人才工作会议" -> three (D04)."""
    units, v, out = ctx.units, ctx.v, []
    longest: dict[int, Cand] = {}
    for c in cands:
        if c.rule in ("head", "talent", "term") and c.type != "Region" and len(c.pieces) >= 1:
            if c.start not in longest or c.end > longest[c.start].end:
                longest[c.start] = c
    index = {u.start: n for n, u in enumerate(units)}
    for start, c in longest.items():
        full = ctx.text(c.start, c.end)
        head = v.head_of(full) if c.type != "TalentCategory" else Head("人才", "TalentCategory")
        if not head or not full.endswith(head.text) or start not in index:
            continue
        k = index[start]
        while k - 1 >= 0 and units[k - 1].text in LIST_SEPS:
            j, conj = k - 2, []
            while j >= 0 and units[j].kind == "w" and not strong(units[j], v) and not weak(units[j], v) \
                    and units[j].text not in LIST_SEPS:
                conj.insert(0, units[j])
                j -= 1
            if not conj:
                break
            y = "".join(x.text for x in conj)
            yh = v.head_of(y, quoted_ok=False)
            if (yh and yh.type == c.type) or y.endswith("人才") or not 2 <= len(y) <= 6 \
                    or y in v.generic_modifiers:
                break
            cut = c.start + len(y)
            if cut in ctx.starts and c.end - cut >= len(head.text) and cut < c.end:
                shared = (cut, c.end)           # 省委、市委|人才工作会议
            elif c.type == "TalentCategory" and criterion_len(y, v) == len(y):
                shared = (c.end - 2, c.end)     # 基层技能型、应用型|人才
            else:
                break
            pieces = tuple((x.start, x.end) for x in conj) + (shared,)
            out.append(Cand(conj[0].start, conj[-1].end, c.type, pieces, (((conj[0].start, conj[-1].end),),),
                            "ellipsis", ctx.sentence.index, c.type in NESTABLE))
            k = j + 1
    return out


def nested_cands(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    """Names inside names that the guideline annotates (D05, D08): the Body that holds a
    meeting ("全市人才工作领导小组" in "…会议"), the parent of an office ("市政府" in
    "市政府驻北京联络处")."""
    v, out = ctx.v, []
    for c in cands:
        if c.rule not in ("head", "quote") or text_of(ctx.doc, c.pieces) != ctx.text(c.start, c.end):
            continue
        a, b = c.start, c.end
        name = ctx.text(a, b)
        if c.type == "Event":
            head = v.head_of(name)
            rest = name[: len(name) - len(head.text)] if head else ""
            h2 = v.head_of(rest, quoted_ok=False) if rest else None
            if h2 and h2.type == "Body":
                out.append(Cand(a, a + len(rest), "Body", ((a, a + len(rest)),), (), "nested", c.sentence, True))
        if c.type == "Body" and "驻" in name:
            parent = name.split("驻")[0]
            term = v.terms.get(parent)
            if term and term.type == "Body":
                out.append(Cand(a, a + len(parent), "Body", ((a, a + len(parent)),), (), "nested", c.sentence, True))
    return out


def acceptable(doc: Document, c: Cand, v: Vocab) -> bool:
    name = text_of(doc, c.pieces)
    if c.rule == "title":
        return 2 <= len(name) <= 120
    if len(name) < 2 or len(name) > MAX_NAME or ONLY_MASK_RE.match(name):
        return False
    bare = MASK_RE.sub("", COUNT_RE.sub("", name))
    if name in v.generic or bare in v.generic:
        return False
    if c.rule in ("term", "region", "pattern"):
        return True
    placed = strip_prefixes(bare, v)
    core = strip_generic(placed, v)
    if core in v.generic or not core:
        return False
    if c.rule != "head" or placed in v.terms:
        return True
    if core in v.terms:
        return False  # 职业院校 | 实训基地: the lexicon word is the name
    head = v.head_of(name, single_ok=True)   # head_cands has checked that a one-character head is a word
    if not head:
        return False
    modifier = strip_generic(strip_prefixes(COUNT_RE.sub("", MASK_RE.sub("", name[: len(name) - len(head.text)])), v), v)
    return bool(modifier) or head.placed


def strip_generic(name: str, v: Vocab) -> str:
    """Name without leading generic words (市场化 | 人才评价机制)."""
    changed = True
    while changed:
        changed = False
        for n in range(min(len(name) - 1, 6), 0, -1):
            if name[:n] in v.generic_modifiers:
                name, changed = name[n:], True
                break
    return name


def is_word(text: str) -> bool:
    """Whether jieba's own dictionary knows `text` as a word of two or more characters."""
    from .segment import plain_tokenizer
    return len(text) >= 2 and plain_tokenizer().FREQ.get(text, 0) > 0


@lru_cache(maxsize=4096)
def cuts(name: str) -> frozenset[int]:
    """Offsets inside `name` where a word ends, under either tokenizer."""
    _, ends = boundaries(name)
    return frozenset(ends)


def strip_prefixes(name: str, v: Vocab) -> str:
    """Name without its leading level prefixes, places and years (D16)."""
    changed = True
    while changed and name:
        changed = False
        m = YEAR_RE.match(name)
        if m:
            name, changed = name[m.end():], True
            continue
        for p in v.prefixes:
            if name.startswith(p) and len(name) > len(p) and len(p) in cuts(name):
                name, changed = name[len(p):], True   # 市第一人民医院, but not 市场化
                break
        else:
            for n in range(min(len(name) - 1, 8), 1, -1):
                if name[:n] in v.regions and n in cuts(name):
                    name, changed = name[n:], True    # 西宁市人才服务中心, but not 深圳湾实验室
                    break
    return name


# --- settling overlaps ------------------------------------------------------------------

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


# --- grouping ------------------------------------------------------------------------

def parenthetical(doc: Document, kept: list[Cand]) -> list[Cand]:
    """A name in brackets right after a name of the same type is its second name (D15):
    西宁国家级经济技术开发区(青海国家高新技术产业开发区)."""
    by_start: dict[int, Cand] = {}
    for c in kept:
        if c.start not in by_start or c.end > by_start[c.start].end:
            by_start[c.start] = c
    drop, out = set(), []
    for c in kept:
        if doc.norm[c.end:c.end + 1] in "(（" and c.end < len(doc.norm):
            inner = by_start.get(c.end + 1)
            if inner and inner.type == c.type and doc.norm[inner.end:inner.end + 1] in ")）":
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
    """
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
        for p in v.prefixes:  # 全市2024年度人才工作座谈会 -> 2024年度人才工作座谈会 too
            if bare.startswith(p) and YEAR_RE.match(bare[len(p):]):
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


def norm_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in MARKS)
