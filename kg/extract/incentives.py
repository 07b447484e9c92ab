"""Incentive figures: what a document offers to whom (shared/spec/incentives.md).

For each sentence, every money figure (15万元, 最高300万元, 2-3万元, 十万元, 1.5亿元, 港幣50萬元)
and every valued in-kind benefit (免租入住3年, 不低于90平方米的住房, 2000套人才公寓) is read
with cn2an for the numerals, then kept only where the clause names a benefit (安家费, 资助 …)
and nothing that makes it a statistic (总投资, 产值, 研发费用 …). The words are data:
kg/lexicon/incentives.tsv. Around each figure:

  kind       the nearest benefit word after the figure in its clause (给予15万元安家费),
             else before it (安家补贴最高50万元), else in the sentence
  amount     caps (最高, 不超过, 以内) set amount_max, floors (不低于, 以上, 余) amount_min,
             ranges (2-3万元) both
  recipient  the talent categories named before the figure: in its sentence (coordinated
             ones each get a record; 分别 pairs a list of categories with a list of figures),
             else in the sentence before, else in the item's lead (kg/extract/outline.py)
  per, period, past, offered_by (the document's region)
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Document, Entity, Incentive, Mention
from ..vocab import incentive_words
from .outline import Outline, outline

DIGITS = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
CN_DIGITS = r"[零〇一二两三四五六七八九十百千]+"
NUMBER = rf"(?:{DIGITS}|{CN_DIGITS})"
SCALE = r"(?:千|万|萬|亿|億|百万|千万|个亿)?"
CURRENCY = {"港元": "HKD", "港币": "HKD", "港幣": "HKD", "澳门元": "MOP", "澳門元": "MOP", "澳门币": "MOP",
            "澳門幣": "MOP", "葡币": "MOP", "美元": "USD", "欧元": "EUR", "歐元": "EUR", "人民币": "CNY",
            "人民幣": "CNY", "元": "CNY"}
CUR = "|".join(sorted(map(re.escape, CURRENCY), key=len, reverse=True))
MONEY_RE = re.compile(
    rf"(?P<n1>{NUMBER})(?P<more0>余|多)?(?P<s1>{SCALE})(?P<more>余|多)?"
    rf"(?:(?:元)?\s*(?:-|—|–|~|～|至|到)\s*(?P<n2>{NUMBER})(?P<s2>{SCALE}))?"
    rf"\s*(?P<cur>{CUR})(?P<after>以上|以下|以内|左右)?")
AREA_RE = re.compile(rf"(?P<n>{DIGITS})\s*(?P<u>平方米|平米|㎡|m2)")
UNITS_RE = re.compile(rf"(?P<n>{DIGITS}|{CN_DIGITS})(?P<s>万|千)?\s*(?P<u>套|间)")
TERM_RE = re.compile(rf"(?:免租|免费|免收租金)(?:入住|居住|租住|使用)?(?P<n>{DIGITS}|{CN_DIGITS})\s*(?P<u>年)"
                     rf"|(?P<n2>{DIGITS}|{CN_DIGITS})\s*(?P<u2>年)(?:内)?(?:免租|免费|免收租金)"
                     rf"|免(?P<n3>{DIGITS}|{CN_DIGITS})\s*(?P<u3>年)(?:租金|房租)")
CLAUSE_RE = re.compile(r"[，,；;：:。！？!?]")
MASKED_RE = re.compile(r"[XＸ×*＊]+\s*(?:万|亿)?元")
LINKS = set("、和及与或以及“”\"‘’《》 ")
QUOTED_RE = re.compile(r"[“\"]([^”\"]{2,12})[”\"]")
GENERIC = {"人才", "各类人才", "符合条件的人才", "项目", "人才项目"}
LUMP = {"安家费", "购房补贴", "奖励", "项目资助", "科研经费", "创业资助", "培养补贴", "引才补贴"}


@lru_cache(maxsize=1)
def _words():
    w = incentive_words()
    longest = {k: sorted(v, key=len, reverse=True) for k, v in w.items()}
    benefit_re = re.compile("|".join(map(re.escape, longest["benefit"])))
    return w, longest, benefit_re


def number(text: str, scale: str = "") -> float | None:
    """十万 -> 100000, 1.5 + 亿 -> 150000000, 2,000 -> 2000 (cn2an reads the numerals)."""
    import cn2an
    text = text.replace(",", "").replace("，", "")
    scale = {"萬": "万", "億": "亿", "个亿": "亿", "百万": "百万", "千万": "千万"}.get(scale, scale)
    try:
        return float(cn2an.cn2an(text + scale, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def extract_incentives(doc: Document, entities: list[Entity], region: str | None,
                       ol: Outline | None = None) -> list[Incentive]:
    words, longest, benefit_re = _words()
    names = [(m.start, m.end) for e in entities if e.type in ("Program",)
             for m in e.mentions]
    every = sorted(((m.start, m.end, e.name) for e in entities if e.type == "TalentCategory"
                    for m in e.mentions if e.name not in GENERIC), key=lambda c: (c[0], -c[1]))
    # in a sentence, not 高端创新创业人才 inside “高端创新创业人才计划” (a heading's program does name its group)
    cats = [c for c in every if not any(a <= c[0] and c[1] <= b and (a, b) != c[:2] for a, b in names)]
    ol = ol or outline(doc)      # extract() reads the outline once for every rule
    out: list[Incentive] = []
    seen: dict = {}
    previous_cats: list[str] = []
    for s in doc.sentences:
        if s.boilerplate:
            continue
        norm = doc.norm[s.start:s.end]
        in_sentence = [c for c in cats if s.start <= c[0] < s.end]
        cands = groups(doc, s, in_sentence)        # who may get a figure of this sentence
        figures = list(money(norm)) + list(in_kind(norm))
        figures.sort(key=lambda f: f["start"])
        listed = [f for f in figures if f.get("currency")]
        for f in figures:
            ca, cb = clause_of(norm, f["start"], f["end"])
            clause = norm[ca:cb]
            lead = norm[max(ca, f["start"] - 8):f["start"]]
            if any(w in lead for w in longest["not"]) or \
                    (any(w in clause for w in longest["not"]) and not benefit_near(benefit_re, norm, f, ca, cb)):
                continue          # 研发费用超500万元, 总投资50亿元: a statistic or a threshold
            if norm[f["end"]:f["end"] + 1] == "的" and not benefit_re.match(norm, f["end"] + 1) \
                    and not benefit_re.search(norm[f["end"] + 1:f["end"] + 12]):
                continue          # 房价50万元至100万元的: a threshold
            kind, kind_text = f.get("kind"), f.get("kind_text")
            if kind is None:
                found = benefit_near(benefit_re, norm, f, ca, cb) or benefit_near(benefit_re, norm, f, 0, len(norm))
                if not found:
                    continue
                kind = words["benefit"][found.group()]
                kind_text = ("一次性" if norm[:found.start()].endswith("一次性") else "") + found.group()
            before = norm[ca:f["start"]]
            per = next((words["per"][w] for w in longest["per"] if w in before), None)
            fund = per == "total" or kind == "专项资金"     # a fund or budget names its users itself
            recipients = recipients_for(doc, s, f, listed, cands, norm)
            if fund and recipients and not any(c[2] in recipients for c in in_sentence
                                               if s.start + ca <= c[0] < s.start + f["start"]):
                recipients = []
            if not recipients and not fund:
                recipients = lead_categories(doc, ol, s.index, every) or previous_cats[-1:]
            recipients = recipients or [None]
            per = per or ("person" if recipients != [None] else "total")
            period = next((words["period"][w] for w in longest["period"] if w in clause), None)
            if period is None and kind in LUMP and per != "total":
                period = "once"
            past = any(w in norm[:f["end"]] for w in longest["past"])
            for who in recipients:
                key = (f.get("amount_max") or f.get("amount_min") or f.get("quantity"), kind_text, who)
                if seen.get(key, s.index) != s.index:
                    continue      # the same offer stated again (headline and body): once
                seen[key] = s.index
                out.append(Incentive(
                    kind=kind, kind_text=as_written(doc, s, norm, kind_text),
                    amount_min=f.get("amount_min"), amount_max=f.get("amount_max"), currency=f.get("currency"),
                    quantity=f.get("quantity"), unit=f.get("unit"), per=per, period=period, recipient=who,
                    offered_by=region, past=past,
                    evidence=Mention(doc.text[s.start + ca:s.start + cb], s.start + ca, s.start + cb, s.index)))
        previous_cats = [cands[-1][2]] if cands else []
    return out


def as_written(doc: Document, s, norm: str, word: str) -> str:
    """A word found in the normalised sentence, as the text writes it (獎勵 for 奖励)."""
    i = norm.find(word)
    return doc.text[s.start + i:s.start + i + len(word)] if i >= 0 else word


def benefit_near(benefit_re, norm: str, f: dict, a: int, b: int):
    """The benefit word for a figure within norm[a:b]: the nearer of the first after it (within
    12 characters) and the last before it; on a tie, the one after."""
    after = [m for m in benefit_re.finditer(norm, f["end"], b)]
    before = [m for m in benefit_re.finditer(norm, a, f["start"])]
    gap_after = after[0].start() - f["end"] if after else None
    gap_before = f["start"] - before[-1].end() if before else None
    if gap_after is not None and gap_after <= 12 and (gap_before is None or gap_after <= gap_before):
        return after[0]       # 给予15万元安家费
    if before:
        return before[-1]     # 安家补贴最高50万元, 安排专项资金540余万元购置人才公寓
    return after[0] if after else None


def clause_of(norm: str, a: int, b: int) -> tuple[int, int]:
    start = max((m.end() for m in CLAUSE_RE.finditer(norm, 0, a)), default=0)
    m = CLAUSE_RE.search(norm, b)
    return start, (m.start() if m else len(norm))


def money(norm: str):
    """Money figures of a sentence, as dicts with offsets and amounts."""
    w, longest, _ = _words()
    for m in MONEY_RE.finditer(norm):
        n1 = number(m.group("n1"), m.group("s1"))
        if n1 is None or not re.search(r"\d|[一二两三四五六七八九十]", m.group("n1")):
            continue
        n2 = number(m.group("n2"), m.group("s2") or m.group("s1")) if m.group("n2") else None
        if m.group("n2") and m.group("s2") and not m.group("s1"):
            n1 = number(m.group("n1"), m.group("s2"))    # 2-3万元: the scale of the second serves both
        head = norm[max(0, m.start() - 8):m.start()]
        cap = any(head.endswith(c) or c in head[-6:] for c in longest["cap"])
        floor = any(head.endswith(c) or (len(c) > 1 and c in head[-5:]) for c in longest["floor"]) \
            or m.group("more") \
            or m.group("more0") \
            or m.group("after") == "以上"
        cap = cap or m.group("after") in ("以下", "以内")
        if n2 is not None:
            lo, hi = min(n1, n2), max(n1, n2)
        elif cap and not floor:
            lo, hi = None, n1
        elif floor and not cap:
            lo, hi = n1, None
        else:
            lo = hi = n1
        if m.group("after") == "以上" and norm[m.end():m.end() + 1] == "的":
            continue              # 年销售额3000万元以上的企业: a threshold
        yield {"start": m.start(), "end": m.end(), "amount_min": lo, "amount_max": hi,
               "currency": CURRENCY[m.group("cur")] if m.group("cur") != "元" else "CNY"}


def in_kind(norm: str):
    """Valued in-kind housing: an area, a number of flats, a rent-free term."""
    housing = ("住房", "公寓", "住宅", "周转房", "人才房", "别墅")
    for rx, unit_group in ((AREA_RE, "u"), (UNITS_RE, "u")):
        for m in rx.finditer(norm):
            ca, cb = clause_of(norm, m.start(), m.end())
            clause = norm[ca:cb]
            if not any(h in clause for h in housing):
                continue
            q = number(m.group("n"), m.groupdict().get("s") or "")
            kind = "租房补贴" if "租" in clause and "免租" not in clause else "人才住房"
            word = next((h for h in housing if h in clause), "住房")
            yield {"start": m.start(), "end": m.end(), "quantity": q, "unit": m.group(unit_group),
                   "kind": kind, "kind_text": word}
    for m in TERM_RE.finditer(norm):
        n, u = next((m.group(g), m.group(h)) for g, h in (("n", "u"), ("n2", "u2"), ("n3", "u3")) if m.group(g))
        yield {"start": m.start(), "end": m.end(), "quantity": number(n), "unit": u, "kind": "人才住房",
               "kind_text": "免租" if "免租" in m.group() else "免费"}


def groups(doc: Document, s, cats: list) -> list[tuple[int, int, str]]:
    """Who may get a figure in a sentence: its talent categories, and degree or rank words
    (全日制博士, 硕士) that no category covers; (start, end, name), in order."""
    _, longest, _ = _words()
    out = list(cats)

    def free(a: int, b: int) -> bool:
        return not any(c[0] < b and a < c[1] for c in out)

    for m in group_re().finditer(doc.norm, s.start, s.end):
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), doc.text[m.start():m.end()]))
    for m in QUOTED_RE.finditer(doc.norm, s.start, s.end):   # “天骄英才”“草原英才”: quoted groups
        a, b = m.start(1), m.end(1)
        if doc.norm[a:b].endswith(tuple(longest["group_head"])) and free(a, b):
            out.append((a, b, doc.text[a:b]))
    return sorted(out, key=lambda c: (c[0], -c[1]))


@lru_cache(maxsize=1)
def group_re():
    _, longest, _ = _words()
    return re.compile("(?:全日制)?(?:" + "|".join(map(re.escape, longest["group"])) + ")")


def object_of_dui(doc: Document, s, f: dict) -> str | None:
    """对…的科技型企业 给予…: the group after 对, where no category is named (rule 3)."""
    _, longest, _ = _words()
    norm = doc.norm[s.start:s.start + f["start"]]
    i = norm.rfind("对")
    if i < 0 or norm[i:i + 2] in ("对接", "对口", "对标", "对象") or norm[i - 1:i] in ("针", "相", "面"):
        return None
    m = re.search(r"给予|按|可|发放|奖励|补贴|资助|[，,；;]", norm[i + 1:])
    phrase = norm[i + 1:i + 1 + (m.start() if m else len(norm) - i - 1)]
    phrase = phrase.rsplit("的", 1)[-1].strip()
    if 2 <= len(phrase) <= 12 and phrase.endswith(tuple(longest["group_head"])) and phrase not in GENERIC:
        a = s.start + i + 1 + doc.norm[s.start + i + 1:s.start + f["start"]].find(phrase)
        return doc.text[a:a + len(phrase)]
    return None


def recipients_for(doc: Document, s, f: dict, listed: list[dict], cats: list, norm: str) -> list[str]:
    """The groups a figure is offered to, from its own sentence (`cats`: its groups())."""
    before = [c for c in cats if c[1] <= s.start + f["start"]]
    if not before:
        dui = object_of_dui(doc, s, f)
        if dui:
            return [dui]
        after = [c for c in cats if s.start + f["end"] <= c[0] and c[0] < s.start + clause_of(norm, f["start"], f["end"])[1]]
        return [after[0][2]] if after else []
    run = coordinated(doc, before)
    # 分别: a list of groups paired in order with a list of figures
    if "分别" in norm[:f["start"]] and len(listed) > 1 and f in listed and len(run) == len(listed):
        return [run[listed.index(f)]]
    if len(run) > 1 and "分别" not in norm[:f["start"]] and len(listed) <= 1:
        return run
    return [before[-1][2]]


def coordinated(doc: Document, before: list) -> list[str]:
    """The last run of categories joined only by list marks (硕士研究生或中级职称人才)."""
    run = [before[-1]]
    for c in reversed(before[:-1]):
        gap = doc.norm[c[1]:run[0][0]]
        if c[1] <= run[0][0] and all(ch in LINKS for ch in gap):
            run.insert(0, c)
        elif c[1] > run[0][0]:
            continue          # nested inside the next one
        else:
            break
    names = []
    for c in run:
        if c[2] not in names:
            names.append(c[2])
    return names


def lead_categories(doc: Document, ol, sentence: int, cats: list) -> list[str]:
    """The categories named in the lead of the item a sentence is in (its heading)."""
    for it in reversed(ol.items_of(sentence)):
        lead = doc.sentences[it.lead]
        found = [c[2] for c in cats if lead.start <= c[0] < lead.end]
        if found and it.lead != sentence:
            return found[-1:]
    return []
