"""Sentences -> entities, each with its mentions and aliases.

Candidates come from several rules, each one small:

  title    《...》 is a Policy
  quote    “X” with the head noun that follows it (“共饮一江水”人才交流计划), or typed
           by the lexicon, the list it stands in ("等方式") or the verb that governs it
  head     a run of words ending in a head noun, from the nearest left boundary
           (设立 | 西宁市人才服务中心)
  term     a word of the lexicon (industries, talent categories, platform kinds ...)
  talent   "X人才" where X is not generic (优秀人才 is not a category)
  region   a place of the gazetteer
  list     unquoted items of a list closed by a typing noun ("A、B等部门")

then overlapping candidates are settled (the longer wins; Regions, Persons and
TalentCategories may sit inside another name) and the survivors are grouped into
entities by their normalised name, with the aliases the annotation guideline asks
for (quoted core, name without its level prefix or mask, strategy without 战略).

Every name is a list of spans of the document, so a name is always written as the
document writes it, while matching runs on the normalised copy.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..model import Document, Entity, Mention, Sentence
from ..vocab import Vocab, load as load_vocab
from .segment import tokenize

MARKS = set("“”‘’\"'《》〈〉「」『』〖〗【】")
QUOTE_RE = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|『([^『』\n]{1,60})』|‘([^‘’\n]{1,60})’|\"([^\"\n]{1,60})\"")
TITLE_RE = re.compile(r"《([^《》\n]{1,120})》")
MASK_RE = re.compile(r"^(?:\*+|[X×Ｘ]{1,3}|某)")
ONLY_MASK_RE = re.compile(r"^(?:\*+|[X×]{1,3}|某)[省市区县州镇乡村]?$")
YEAR_RE = re.compile(r"^(?:19|20)\d\d年度?")
# characters that end a name's left extension (besides boundary words)
STOP_CHARS = set("，,。.、；;：:！!？?（）()[]【】—…·～~ \t/|")
LIST_SEPS = {"、", "和", "及", "与", "以及"}
MAX_NAME = 32
NESTABLE = {"Region", "Person", "TalentCategory"}
# rule priority when two rules give the same span different types (higher wins)
PRIORITY = {"title": 6, "quote": 5, "term": 4, "pattern": 4, "region": 3, "head": 3, "talent": 2, "list": 1, "nested": 1}


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


def extract_entities(doc: Document) -> list[Entity]:
    v = load_vocab()
    cands: list[Cand] = []
    for s in doc.sentences:
        if not s.boilerplate:
            cands += settle(sentence_candidates(doc, s, v))
    return group(doc, cands, v)


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
    units = units_of(doc, s)
    cands: list[Cand] = []
    for i, u in enumerate(units):
        if u.kind == "b":
            cands += title_cands(doc, u, s.index, v)
        elif u.kind == "q":
            cands += quote_cands(doc, units, i, s.index, v)
    cands += head_cands(doc, units, s.index, v)
    cands += term_cands(doc, s, units, v)
    cands += talent_cands(doc, units, s.index, v)
    cands += list_cands(doc, units, s.index, v, cands)
    cands += ellipsis_cands(doc, units, s.index, v, cands)
    cands += nested_cands(doc, cands, v)
    return [c for c in cands if acceptable(doc, c, v)]


def text_of(doc: Document, pieces, src=None) -> str:
    src = doc.norm if src is None else src
    return "".join(ch for a, b in pieces for ch in src[a:b] if ch not in MARKS)


def is_boundary(u: Unit, v: Vocab) -> bool:
    return u.kind == "p" or u.text in v.boundaries or u.text.isspace()


def title_cands(doc, u: Unit, sent, v) -> list[Cand]:
    a, b = u.inner
    inner = doc.norm[a:b]
    head = v.head_of(inner)
    etype = head.type if head and head.type in ("Event",) else "Policy"
    return [Cand(u.start, u.end, etype, ((a, b),), rule="title", sentence=sent)]


def right_extension(units, i, v) -> tuple[int, object] | None:
    """Index of the last unit of the longest head-noun phrase right after unit i."""
    best = None
    text = ""
    for j in range(i + 1, min(i + 6, len(units))):
        u = units[j]
        if u.kind in ("p", "b") or (u.kind == "w" and u.text in v.boundaries and u.text not in v.heads):
            break
        text += u.text if u.kind == "w" else u.text
        head = v.head_of(text)
        if head and text.endswith(head.text):
            if best and head.text in ("平台", "载体"):
                continue  # "...洽谈会平台": the platform of the fair, not a new name
            best = (j, head)
    return best


def left_extension(units, i, v, *, quoted: bool) -> int:
    """Index of the first unit of the name that ends at unit i (left boundary)."""
    k = i
    while k - 1 >= 0:
        u = units[k - 1]
        if u.kind in ("p", "b") or is_boundary(u, v):
            break
        if u.kind == "q":
            if quoted:
                break
            break
        if quoted:
            # before a quotation only placing words attach (省“高端创新创业人才计划”,
            # 人才工作“责任清单”制度), never the people it serves (高层次人才“师带徒”)
            term = v.terms.get(u.text)
            if (term and term.type == "TalentCategory") or u.text.endswith(("人才", "专家", "干部", "人员")):
                break
        k -= 1
    if quoted:
        k = max(k, i - 3)
    return k


def quote_cands(doc, units, i, sent, v) -> list[Cand]:
    u = units[i]
    a, b = u.inner
    inner = doc.norm[a:b]
    if any(c in "，。！？；,!?;" for c in inner):
        return []  # a quoted sentence, not a name
    out = []
    ext = right_extension(units, i, v)
    start_i = left_extension(units, i, v, quoted=True)
    left = [(x.start, x.end) for x in units[start_i:i]]
    if ext:
        j, head = ext
        pieces = tuple(left) + ((a, b),) + tuple((x.start, x.end) for x in units[i + 1:j + 1])
        aliases = [((a, b),)]
        if left:
            aliases.append(((a, b),) + tuple((x.start, x.end) for x in units[i + 1:j + 1]))
        out.append(Cand(units[start_i].start, units[j].end, head.type, pieces, tuple(aliases), "quote", sent))
        return out
    # the quotation alone: split "A、B" when both parts are names (D14)
    parts = split_inner(doc, a, b, v)
    for pa, pb, ptype, shared in parts:
        pieces = ((pa, pb),) + (shared or ())
        out.append(Cand(u.start, u.end, ptype, pieces, (), "quote", sent))
    if parts:
        return out
    etype = type_of_bare(inner, v)
    if etype is None:
        etype = governed_type(units, i, v)
    if etype:
        pieces = tuple(left) + ((a, b),) if left and etype != "TalentCategory" else ((a, b),)
        start = units[start_i].start if left and etype != "TalentCategory" else u.start
        out.append(Cand(start, u.end, etype, pieces, (((a, b),),) if left else (), "quote", sent))
    return out


def split_inner(doc, a, b, v):
    """“西宁市驻京人才工作联络站、援青干部联络站” -> two names; [] when not a list of names."""
    inner = doc.norm[a:b]
    if "、" not in inner:
        return []
    parts, pos = [], a
    for piece in inner.split("、"):
        parts.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    if any(pb - pa < 2 for pa, pb in parts):
        return []
    last = v.head_of(doc.norm[parts[-1][0]:parts[-1][1]])
    if not last:
        return []
    out = []
    for pa, pb in parts:
        h = v.head_of(doc.norm[pa:pb])
        if h:
            out.append((pa, pb, h.type, None))
        else:
            out.append((pa, pb, last.type, ((parts[-1][1] - len(last.text), parts[-1][1]),)))
    return out


def type_of_bare(text: str, v: Vocab) -> str | None:
    """Type of a quoted name with nothing after it: lexicon first, then its own head noun."""
    core = MASK_RE.sub("", text)
    term = v.terms.get(text) or v.terms.get(core)
    if term:
        return term.type
    if text in v.regions and len(text) > 1:
        return "Region"
    head = v.head_of(text)
    if head and len(text) > len(head.text):
        return head.type
    for p in v.event_patterns:
        if p.fullmatch(text):
            return "Event"
    return None


def governed_type(units, i, v) -> str | None:
    """A bare quotation typed by its context: a list closed by "等方式", or a verb of practice."""
    etype = list_type_after(units, i, v)
    if etype:
        return etype
    k = i - 1
    while k >= 0 and units[k].kind == "w" and units[k].text in ("积极", "大力", "着力", "深入", "全面", "持续", "不断"):
        k -= 1
    if k >= 0 and units[k].text in PRACTICE_VERBS:
        return "Mechanism"
    return None


PRACTICE_VERBS = {"实行", "采取", "推行", "构建", "探索", "抓好", "强化", "创新"}


def list_type_after(units, i, v) -> str | None:
    """Type given by the noun that closes the list unit i stands in ("...等灵活多样的方式")."""
    j = i + 1
    while j < len(units) and (units[j].kind == "q" or units[j].text in ("、", "和", "及")):
        j += 1
    while j < len(units) and units[j].kind == "w" and units[j].text not in ("等",):
        # an unquoted list item between quoted ones ("“博士服务团”、援青干部、“京青…”")
        if units[j].kind != "w" or j - i > 12:
            return None
        j += 1
        while j < len(units) and units[j].text in ("、", "和", "及"):
            j += 1
        while j < len(units) and units[j].kind == "q":
            j += 1
    if j >= len(units) or units[j].text != "等":
        return None
    return context_type(units, j + 1, v)


def context_type(units, j, v) -> str | None:
    text = ""
    for u in units[j:j + 6]:
        if u.kind != "w":
            break
        text += u.text
        for n in range(len(text)):
            if text[n:] in v.list_contexts and n + len(text[n:]) == len(text):
                if any(text[:n].endswith(w) for w in ("人才", "")) or True:
                    return v.list_contexts[text[n:]]
    return None


def head_cands(doc, units, sent, v) -> list[Cand]:
    out = []
    for j, u in enumerate(units):
        if u.kind != "w":
            continue
        head = None
        for h in (v.head_of(u.text, quoted_ok=False),):
            if h and (u.text.endswith(h.text)) and (len(h.text) > 1 or u.text == h.text):
                head = h
        if head is None:
            continue
        i = left_extension(units, j, v, quoted=False)
        if i < j or u.text != head.text:
            pieces = tuple((x.start, x.end) for x in units[i:j + 1])
            out.append(Cand(units[i].start, u.end, head.type, pieces, (), "head", sent))
    return out


@lru_cache(maxsize=1)
def _term_re():
    v = load_vocab()
    words = set(v.terms) | {r for r in v.regions if len(r) > 1}
    words = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def term_cands(doc, s: Sentence, units, v) -> list[Cand]:
    starts = {u.start for u in units if u.kind != "p"} | {u.inner[0] for u in units if u.inner}
    ends = {u.end for u in units if u.kind != "p"} | {u.inner[1] for u in units if u.inner}
    norm = doc.norm[s.start:s.end]
    out = []
    pos = 0
    rx = _term_re()
    while True:
        m = rx.search(norm, pos)
        if not m:
            break
        a, b = s.start + m.start(), s.start + m.end()
        if a in starts and b in ends:
            word = m.group()
            term = v.terms.get(word)
            if term:
                out.append(Cand(a, b, term.type, ((a, b),), (), "term", s.index, term.type in NESTABLE))
            else:
                out.append(Cand(a, b, "Region", ((a, b),), (), "region", s.index, True))
            pos = m.start() + 1
        else:
            pos = m.start() + 1
    for p in v.event_patterns:
        for m in p.finditer(norm):
            a, b = s.start + m.start(), s.start + m.end()
            out.append(Cand(a, b, "Event", ((a, b),), (), "pattern", s.index))
    return out


def talent_cands(doc, units, sent, v) -> list[Cand]:
    """"X人才" with a specific X: 高层次科研人才, 援宁人才; not 优秀人才, 各类人才."""
    out = []
    for j, u in enumerate(units):
        if u.kind != "w" or not u.text.endswith("人才") or v.terms.get(u.text, None) is not None and u.text != "人才":
            continue
        i = j
        while i - 1 >= 0 and units[i - 1].kind == "w" and not is_boundary(units[i - 1], v) \
                and units[i - 1].text not in ("领域", "方面", "行业", "产业") and j - i < 4:
            i -= 1
        while i < j and (units[i].text in v.generic_modifiers or units[i].text in v.prefixes and units[i].text != "基层"):
            i += 1
        if u.text == "人才" and i == j:
            continue
        pieces = tuple((x.start, x.end) for x in units[i:j + 1])
        out.append(Cand(units[i].start, u.end, "TalentCategory", pieces, (), "talent", sent, True))
    return out


def list_cands(doc, units, sent, v, cands) -> list[Cand]:
    """Unquoted items of "A、B、C等<noun>" get the noun's type when nothing else typed them.

    Only Programs, Bodies and Industries are taken unquoted: an unquoted item of
    "等方式" is an ordinary activity (兼职, 技术咨询, D25), not a Mechanism.
    """
    out = []
    covered = [(c.start, c.end) for c in cands]
    for k, u in enumerate(units):
        if u.text != "等":
            continue
        etype = context_type(units, k + 1, v)
        if etype not in ("Program", "Body", "Industry"):
            continue
        items, cur = [], []
        j = k - 1
        while j >= 0:
            x = units[j]
            if x.text in ("、",) or x.kind == "q":
                if cur:
                    items.append(cur)
                cur = []
                if x.kind == "q":
                    items.append([x])
                j -= 1
                continue
            if x.kind == "p" or (x.text in v.boundaries and x.text not in v.prefixes):
                break
            cur.insert(0, x)
            j -= 1
        if cur:
            items.append(cur)
        items.reverse()
        prefix = None
        for item in items:
            if len(item) == 1 and item[0].kind == "q":
                continue
            a, b = item[0].start, item[-1].end
            text = doc.norm[a:b]
            if b - a > 8 or any(ca <= a and b <= cb for ca, cb in covered):
                continue
            pieces = tuple((x.start, x.end) for x in item)
            aliases = ()
            if etype == "Body":
                first = item[0].text
                if first in ("区", "市", "县", "省") and len(item) > 1:
                    prefix = (item[0].start, item[0].end)
                elif prefix and text in v.departments:
                    aliases = (pieces,)
                    pieces = (prefix,) + pieces
                if not (text in v.departments or (len(item) > 1 and item[-1].text in v.departments)):
                    continue
            out.append(Cand(a, b, etype, pieces, aliases, "list", sent))
    return out


def ellipsis_cands(doc, units, sent, v, cands) -> list[Cand]:
    """"人才强国、人才强省战略" -> 人才强国战略 too; "中央和省委、市委人才工作会议" -> three (D04)."""
    out = []
    by_start = {}
    for c in cands:
        if c.rule in ("head", "talent", "term") and c.type != "Region":
            if c.start not in by_start or c.end - c.start > by_start[c.start].end - by_start[c.start].start:
                by_start[c.start] = c
    for start, c in by_start.items():
        full = text_of(doc, c.pieces)
        head = v.head_of(full) if c.type != "TalentCategory" else None
        htext = head.text if head else ("人才" if full.endswith("人才") else None)
        if not htext:
            continue
        k = next((n for n, u in enumerate(units) if u.start == start), None)
        while k is not None and k - 1 >= 0 and units[k - 1].text in LIST_SEPS:
            j = k - 2
            conj = []
            while j >= 0 and units[j].kind == "w" and not is_boundary(units[j], v) and units[j].text not in LIST_SEPS:
                conj.insert(0, units[j])
                j -= 1
            if not conj:
                break
            y = "".join(x.text for x in conj)
            if v.head_of(y) or y.endswith("人才") or len(y) > 6 or len(y) < 2:
                break
            shared_len = len(full) - len(y)
            if shared_len < len(htext) or not full[len(y):].endswith(htext):
                shared_len = len(htext)
            shared = (c.end - shared_len, c.end)
            pieces = tuple((x.start, x.end) for x in conj) + (shared,)
            out.append(Cand(conj[0].start, conj[-1].end, c.type, pieces, (((conj[0].start, conj[-1].end),),),
                            "head", sent, c.type in NESTABLE))
            k = j + 1
    return out


def nested_cands(doc, cands, v) -> list[Cand]:
    """Names inside names that the guideline annotates too (D05, D08): the Body that
    holds a meeting ("全市人才工作领导小组" in "...会议"), the parent of an office
    ("市政府" in "市政府驻北京联络处")."""
    out = []
    for c in cands:
        if c.rule not in ("head", "quote"):
            continue
        name = text_of(doc, c.pieces)
        if c.type == "Event":
            head = v.head_of(name)
            rest = name[: len(name) - len(head.text)] if head else ""
            h2 = v.head_of(rest) if rest else None
            if h2 and h2.type == "Body" and len(c.pieces) == 1 or (h2 and h2.type == "Body" and c.rule == "head"):
                a = c.pieces[0][0]
                b = _offset_at(c, len(rest))
                if b:
                    out.append(Cand(a, b, "Body", ((a, b),), (), "nested", c.sentence, True))
        if c.type == "Body" and "驻" in name:
            parent = name.split("驻")[0]
            term = v.terms.get(parent)
            if term and term.type == "Body":
                a = c.pieces[0][0]
                b = _offset_at(c, len(parent))
                if b:
                    out.append(Cand(a, b, "Body", ((a, b),), (), "nested", c.sentence, True))
    return out


def _offset_at(c: Cand, n: int) -> int | None:
    """Document offset after the first n name characters of a candidate (one-piece names)."""
    for a, b in c.pieces:
        if n <= b - a:
            return a + n
        n -= b - a
    return None


def acceptable(doc, c: Cand, v: Vocab) -> bool:
    name = text_of(doc, c.pieces)
    core = MASK_RE.sub("", name)
    if len(name) < 2 or len(name) > (120 if c.rule == "title" else MAX_NAME):
        return False
    if ONLY_MASK_RE.match(name) or name in v.generic or core in v.generic:
        return False
    if c.rule in ("title", "quote", "term", "region", "pattern", "nested", "list"):
        return True
    if c.type == "TalentCategory":
        return name not in v.generic
    head = v.head_of(name)
    if not head:
        return False
    modifier = strip_prefixes(name[: len(name) - len(head.text)], v)
    modifier = MASK_RE.sub("", modifier)
    if not modifier or modifier in v.generic_modifiers:
        return False
    return True


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
            if name.startswith(p) and len(name) > len(p):
                name, changed = name[len(p):], True
                break
        else:
            for n in range(min(len(name) - 1, 8), 1, -1):
                if name[:n] in v.regions:
                    name, changed = name[n:], True
                    break
    return name


# --- settling overlaps ------------------------------------------------------------------

def settle(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping candidates; nestable ones may sit inside a kept one."""
    best: dict[tuple[int, int, tuple], Cand] = {}
    for c in cands:
        key = (c.start, c.end, c.pieces)
        if key not in best or PRIORITY[c.rule] > PRIORITY[best[key].rule]:
            best[key] = c
    ordered = sorted(best.values(), key=lambda c: (-(c.end - c.start), -PRIORITY[c.rule], c.start))
    kept: list[Cand] = []
    for c in ordered:
        ok = True
        for k in kept:
            if c.start < k.end and k.start < c.end:
                inside = k.start <= c.start and c.end <= k.end
                if inside and (c.nested or c.type in NESTABLE) and (c.start, c.end) != (k.start, k.end):
                    continue
                if (c.start, c.end) == (k.start, k.end) and c.pieces != k.pieces:
                    continue  # two names of one span: "A、B" split out of one quotation
                ok = False
                break
        if ok:
            kept.append(c)
    return kept


# --- grouping ------------------------------------------------------------------------

def group(doc: Document, cands: list[Cand], v: Vocab) -> list[Entity]:
    names: dict[str, str] = {}
    types: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    mentions: dict[str, list[Mention]] = defaultdict(list)
    order: list[str] = []
    for c in sorted(cands, key=lambda c: c.start):
        key = norm_key(text_of(doc, c.pieces))
        if key not in names:
            names[key] = text_of(doc, c.pieces, doc.text)
            order.append(key)
        types[key][c.type] += PRIORITY[c.rule] * 10 + 1
        mentions[key].append(Mention(doc.text[c.start:c.end], c.start, c.end, c.sentence))
        for ap in c.alias_pieces:
            aliases[key].setdefault(norm_key(text_of(doc, ap)), text_of(doc, ap, doc.text))
    entities = {}
    for key in order:
        etype = types[key].most_common(1)[0][0]
        al = dict(aliases[key])
        for k2, written in derived_aliases(names[key], etype, v).items():
            al.setdefault(k2, written)
        al.pop(key, None)
        entities[key] = [etype, names[key], al, mentions[key]]
    # merge a form into the entity that lists it as an alias (西宁 -> 西宁市)
    for key in list(order):
        if key not in entities:
            continue
        for other in order:
            if other != key and other in entities and key in entities[other][2] \
                    and compatible(entities[key][0], entities[other][0]):
                entities[other][3] = entities[other][3] + entities[key][3]
                del entities[key]
                break
    out = []
    for key in order:
        if key in entities:
            etype, name, al, ms = entities[key]
            clean = tuple(sorted({w for k2, w in al.items() if len(k2) > 1 and k2 not in v.generic and k2 != key}))
            out.append(Entity(etype, name, clean, tuple(sorted(set(ms), key=lambda m: (m.start, m.end)))))
    return out


def compatible(t1: str, t2: str) -> bool:
    return t1 == t2


def derived_aliases(name: str, etype: str, v: Vocab) -> dict[str, str]:
    out = {}
    key = norm_key(name)
    bare = MASK_RE.sub("", name)
    if bare != name:
        out[norm_key(bare)] = bare
        if bare[:1] in "省市区县州" and len(bare) > 3:
            out[norm_key(bare[1:])] = bare[1:]
    stripped = strip_prefixes(bare, v)
    if stripped != bare and len(stripped) >= 2 and (etype != "Region"):
        if v.head_of(stripped) or etype in ("Policy", "Program", "TalentCategory", "Platform", "Event", "Mechanism"):
            out[norm_key(stripped)] = stripped
        # also the name without its year only (全市2024年度人才工作座谈会 -> 2024年度...)
        for p in v.prefixes:
            if bare.startswith(p) and YEAR_RE.match(bare[len(p):]):
                out[norm_key(bare[len(p):])] = bare[len(p):]
    term = v.terms.get(key)
    if term:
        for a in (term.name, *term.aliases):
            out[norm_key(a)] = a
    if etype == "Strategy":
        for suffix in ("战略", "原则", "理念"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out[norm_key(name[: -len(suffix)])] = name[: -len(suffix)]
    if etype == "Event" and name.startswith("党的"):
        out[norm_key(name[2:])] = name[2:]
    if etype == "Region":
        r = v.regions.get(key)
        if r:
            for form in (r.name, r.short):
                if form:
                    out[norm_key(form)] = form
    out.pop(key, None)
    return out


def norm_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in MARKS)
