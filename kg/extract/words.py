"""Names found from words: head nouns with their modifiers, lexicon terms and places,
"X人才" categories, persons after a role, unquoted list items, coordinated ellipsis, names
inside names; and which candidates are acceptable names at all."""
from __future__ import annotations


from ..model import Document
from ..vocab import Head, Vocab
from .spans import (
    AID_RE,
    COMMITTEES,
    COUNT_RE,
    LIST_SEPS,
    MASK_RE,
    MAX_NAME,
    NESTABLE,
    ONLY_MASK_RE,
    TYPE_RE,
    Cand,
    Ctx,
    is_word,
    strip_generic,
    strip_prefixes,
    strong,
    text_of,
    weak,
)
from .structure import context_type, left_extension


def head_at(ctx: Ctx, j: int) -> tuple[int, Head] | None:
    """(first unit of the head, head) when a head noun ends at word unit j. The answer
    depends only on the texts of the (up to three) word units ending at j, so it is
    remembered by them."""
    units, v = ctx.units, ctx.v
    key = [units[j].text]
    for k in (1, 2):
        if j - k < 0 or units[j - k].kind != "w":
            break
        key.append(units[j - k].text)
    found = v.remembered("head_at", tuple(key), lambda: _head_at(units, j, v))
    return None if found is None else (j - found[0], found[1])


def _head_at(units, j: int, v: Vocab) -> tuple[int, Head] | None:
    """(how many units before j the head starts, head), or None."""
    for k in range(0, 3):
        if j - k < 0 or any(x.kind != "w" for x in units[j - k:j + 1]):
            return None
        text = "".join(x.text for x in units[j - k:j + 1])
        tail = units[j].text
        single = (tail in v.heads and len(tail) == 1) or (len(tail) >= 3 and tail[-1] in v.heads
                                                          and is_word(tail[:-1]))   # 科技|局, not 格局
        h = v.head_of(text, quoted_ok=False, single_ok=single)
        if h and text.endswith(h.text) and len(h.text) >= len(text) - len(units[j - k].text) + 1:
            return k, h
    return None


def head_cands(ctx: Ctx) -> list[Cand]:
    out = []
    units, v = ctx.units, ctx.v
    finals = v.head_finals()
    # a word ends a head only if it ends in a head noun's last character, or a head pattern
    # matches somewhere in the sentence (most sentences have none)
    patterns = v.head_pattern_in(ctx.doc.norm[ctx.sentence.start:ctx.sentence.end])
    for j, u in enumerate(units):
        if u.kind != "w" or not (patterns or u.text[-1] in finals):
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


def lexicon_automaton(v: Vocab):
    """One Aho-Corasick automaton (pyahocorasick) over every lexicon term and place name of
    2 to 20 characters: a sentence is scanned once, not looked up at every start and end."""
    def make():
        import ahocorasick
        auto = ahocorasick.Automaton()
        for word in set(v.terms) | set(v.regions):
            if 2 <= len(word) <= 20:
                auto.add_word(word, word)
        auto.make_automaton()
        return auto
    return v.memo("automaton", make)


def term_cands(ctx: Ctx) -> list[Cand]:
    """Lexicon words and places, wherever they start and end on word boundaries."""
    s, v, out = ctx.sentence, ctx.v, []
    norm = ctx.doc.norm
    starts, ends = ctx.starts, ctx.ends
    found = []
    for last, word in lexicon_automaton(v).iter(norm, s.start, s.end):
        b = last + 1
        a = b - len(word)
        if a in starts and b in ends:
            found.append((a, b, word))
    for a, b, word in sorted(found):
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
    """Length of the longest suffix of s made only of criterion words (D41). Remembered:
    what stands before 人才 comes back often."""
    return v.remembered("criterion_len", s, lambda: _criterion_len(s, v))


def _criterion_len(s: str, v: Vocab) -> int:
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
    """Names inside names that the guideline annotates (D05, D08, R12): the Body that holds a
    meeting ("全市人才工作领导小组" in "…会议"), the parent of an office ("市政府" in
    "市政府驻北京联络处", "自治区党委" in "自治区党委办公厅")."""
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
        unit = next((u for u in v.subunits if name.endswith(u)), None) if c.type == "Body" else None
        if unit and len(name) - len(unit) >= 2:
            parent = name[: len(name) - len(unit)]     # 自治区党委|办公厅, 市委人才工作领导小组|办公室 (R12)
            term = v.terms.get(parent)
            head = v.head_of(parent, quoted_ok=False)
            if (term and term.type == "Body") or (head and head.type == "Body" and parent != head.text) \
                    or parent.endswith(("党委", "委", "人民政府", "国务院", "中共中央")):
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
