"""Names the text's own structure delimits: the units of a sentence (words, “quotations”,
《titles》), a quotation with the head noun after it, the type a list or a verb gives a
quotation, and how far a name reaches to the left."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ..model import Document, Sentence
from ..vocab import Head, Vocab
from .segment import cut
from .spans import (
    CLASSIFIERS,
    COUNT_TOKEN_RE,
    MASK_RE,
    PRACTICE_VERBS,
    QUOTE_RE,
    STOP_CHARS,
    TITLE_RE,
    Cand,
    Ctx,
    Unit,
    strong,
    weak,
)


@lru_cache(maxsize=65536)
def word_kind(word: str) -> str:
    """"p" for punctuation and spaces, "w" for a word."""
    return "p" if all(c in STOP_CHARS or c.isspace() for c in word) else "w"


def units_of(doc: Document, s: Sentence) -> list[Unit]:
    norm = doc.norm[s.start:s.end]
    spans = []  # quotations and titles, not overlapping
    for m in TITLE_RE.finditer(norm):
        spans.append((m.start(), m.end(), "b"))
    for m in QUOTE_RE.finditer(norm):
        if not any(a < m.end() and m.start() < b for a, b, _ in spans):
            spans.append((m.start(), m.end(), "q"))
    spans.sort()
    # one cut of the whole sentence serves every segment: jieba cuts at every mark anyway,
    # so a segment between quotations has the same words on its own
    base = s.start
    words = cut(norm)     # (word, start, end) in the sentence
    if not spans:         # most sentences: every unit is a word
        return [Unit(t, base + a, base + b, word_kind(t)) for t, a, b in words]
    units: list[Unit] = []
    pos, w = 0, 0
    for a, b, kind in spans + [(len(norm), len(norm), None)]:
        while w < len(words) and words[w][1] < pos:
            w += 1
        while w < len(words) and words[w][2] <= a:
            t, ta, tb = words[w]
            units.append(Unit(t, base + ta, base + tb, word_kind(t)))
            w += 1
        if kind:
            units.append(Unit(norm[a:b], base + a, base + b, kind, (base + a + 1, base + b - 1)))
        pos = b
    return units


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
