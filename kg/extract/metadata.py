"""Document metadata from the text: title, date, author, source and the region it speaks for.

Page chrome (来源/日期 lines, reprint notices) is read here even though it is not
content (D10); the byline ("西宁市委常委、组织部部长 王润宇") gives author and region.
Matching runs on the normalised text; every value is cut from the text as written.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Document, Metadata
from ..vocab import Region, Vocab
from .segment import proper_noun
from ..vocab import load as load_vocab

DATE_RE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
SOURCE_RE = re.compile(r"(?:文章)?来源\s*[:：]\s*《?(?P<v>[^》\s]+?)》?(?:\s|$)")
REPRINT_RE = re.compile(r"(?:转载|出处)[^:：]*[:：]\s*(?P<v>https?://\S+)")
ROLES = "书记|副书记|常委|部长|组织部长|主任|副主任|市长|副市长|区长|县长|省长|局长|厅长|主席|秘书长|院长|校长"
BYLINE_RE = re.compile(r"^[(（]?\s*(?P<office>[^()（）。，,]{2,40}?(?:" + ROLES + r"))\s+(?P<name>[\u4e00-\u9fff]{2,4})\s*[)）]?$")
AUTHOR_RE = re.compile(r"^\s*(?:作者|文)\s*[:：|｜/]\s*(?P<name>[\u4e00-\u9fff]{2,4})\s*$")
# an author named in page chrome or a news lead: 作者：李明 / （记者 李明 通讯员 王芳）
CREDIT_RE = re.compile(r"(?:作者|记者|特约通讯员|通讯员|发布者)\s*[:：]?\s*(?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,2})"
                       r"(?=$|[\s,，、)）/|｜】]|通讯员|从|在|报道)")
# a bracketed credit: after a dateline (本網訊(雷海超)), or closing the text ((曹海揚、李海元))
NAMES = r"[(（【]\s*(?P<name>[\u4e00-\u9fff]{2,3})(?:[、\s][\u4e00-\u9fff]{2,3})*\s*[)）】]"
DATELINE_CREDIT_RE = re.compile(r"(?:讯|訊)" + NAMES)
CLOSING_CREDIT_RE = re.compile(NAMES + r"\s*[|｜]*\s*$")
GREETING_RE = re.compile(r"^(同志们|各位)")


def extract_metadata(doc: Document, v: Vocab | None = None) -> Metadata:
    v = v or load_vocab()
    title = find_title(doc)
    date = source = author = region = None
    for s in doc.sentences:
        norm = doc.norm[s.start:s.end]
        if s.boilerplate:
            if date is None and (m := DATE_RE.search(norm)):
                date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            if source is None and (m := SOURCE_RE.search(norm) or REPRINT_RE.search(norm)):
                source = doc.text[s.start + m.start("v"): s.start + m.end("v")]
    if date is None:
        date = lead_or_signature_date(doc)
    if source is None:
        source = stated_source(doc)
    for s in doc.sentences:
        norm = doc.norm[s.start:s.end].strip()
        off = s.start + (len(doc.norm[s.start:s.end]) - len(doc.norm[s.start:s.end].lstrip()))
        m = BYLINE_RE.match(norm)
        if m and len(norm) < 50:
            author = doc.text[off + m.start("name"): off + m.end("name")]
            region = region_in(doc, off + m.start("office"), off + m.end("office"), v)
            break
        m = AUTHOR_RE.match(norm) or CREDIT_RE.search(norm)
        if m and author is None:
            author = doc.text[off + m.start("name"): off + m.end("name")]
    if author is None:
        author = bracket_credit(doc, v)
    if region is None and title:
        start = doc.text.find(title)
        region = title_region(doc, start, start + len(title), v) if start >= 0 else None
    if region is None:
        region = voice_region(doc, v)
    return Metadata(title=title, region=with_suffix(region, v), date=date, author=author, source=source)


def bracket_credit(doc: Document, v: Vocab) -> str | None:
    """R15: 本網訊(雷海超) in the opening lines, or (曹海揚、李海元) closing the text: the first
    name, when it starts with a surname."""
    body = [s for s in doc.sentences if not s.boilerplate]
    for lines, rx in ((body[:3], DATELINE_CREDIT_RE.search), (body[-3:], CLOSING_CREDIT_RE.search)):
        for s in lines:
            m = rx(doc.norm[s.start:s.end])
            if m and doc.norm[s.start + m.start("name")] in v.surnames:
                return doc.text[s.start + m.start("name"): s.start + m.end("name")]
    return None


OUTSIDE_SUFFIXES = ("台湾", "香港", "澳门")   # written without a suffix unless the text adds one (R01)


def with_suffix(region: str | None, v: Vocab) -> str | None:
    """The document's region with its administrative suffix (R01): 温州 -> 温州市, 贵州 -> 贵州省;
    places outside the suffix system stay as written (香港, 台灣)."""
    from ..read import normalise
    bare = normalise(region or "")
    r = v.regions.get(bare)
    if r and r.name.endswith("自治区") and r.name.startswith(bare):
        return r.name                     # 西藏 -> 西藏自治区
    if not region or bare in OUTSIDE_SUFFIXES or (r and r.name == bare) or bare.endswith(("新区", "特区", "特别行政区")):
        return region
    if r and r.name.startswith(bare) and len(r.name) == len(bare) + 1 and r.name[-1] in SUFFIXES:
        return region + r.name[-1]
    for suffix in "省市县区":        # the gazetteer has no short form for every place (温州 -> 温州市)
        if bare + suffix in v.regions and v.regions[bare + suffix].name == bare + suffix:
            return region + suffix
    return region




CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "О": 0}
CN_DATE_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def cn_number(text: str) -> int:
    """十二 -> 12, 二十 -> 20, 三十一 -> 31, 九 -> 9."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)
    return CN_DIGITS.get(text, 0)


DEICTIC = ("本站", "本网", "本報", "本报", "本站原创", "日报消息", "网络", "互联网", "admin")
OUTLET = r"[\u4e00-\u9fff]{1,8}?(?:网|網|社|日报|日報|早报|早報|晚报|晚報|时报|時報|电视台|電視台|周刊|週刊|微事|时刻|時刻)"
DATELINE_RE = re.compile(r"^[(（]?(?P<v>" + OUTLET + r")(?:讯|訊|消息|客户端)?"
                         r"(?:[\u4e00-\u9fff]{0,4}\d{1,2}月\d{1,2}日(?:电|電|讯|訊|消息)?|讯|訊)")
# a line that is only an outlet's name, or the name and a date: 北京日报 / 辽宁日报2018-07-01 / 《人民周刊》
OUTLET_LINE_RE = re.compile(r"^《?(?P<v>" + OUTLET + r")》?(?:\s*(?:19|20)\d\d[-年/.].*)?$")
LABEL_ONLY_RE = re.compile(r"^(?:文章)?(?:来源|出处)\s*[:：]?\s*$")


def stated_source(doc: Document) -> str | None:
    """R16: a 来源 value anywhere (first one; deictic or empty values are no source), else the
    outlet of a dateline (中新网X月X日电, 央广网厦门9月28日消息) or a line near the top that is
    only an outlet's name (北京日报, 辽宁日报2018-07-01, 来源: on the line before)."""
    for s in doc.sentences:
        norm = doc.norm[s.start:s.end]
        m = SOURCE_RE.search(norm)
        if m and not m.group("v").startswith(DEICTIC) and not re.match(r"^(?:作者|时间|日期|发布|编辑)", m.group("v")):
            return doc.text[s.start + m.start("v"): s.start + m.end("v")].rstrip(")）")
    for prev, s in zip((None,) + doc.sentences, doc.sentences[:12]):
        norm = doc.norm[s.start:s.end]
        m = DATELINE_RE.match(norm) or OUTLET_LINE_RE.match(norm.strip())
        labelled = prev is not None and LABEL_ONLY_RE.match(doc.norm[prev.start:prev.end].strip())
        if m and not m.group("v").startswith(DEICTIC) and (labelled or m.re is DATELINE_RE or len(norm) < 30):
            off = s.start + (len(norm) - len(norm.lstrip())) if m.re is OUTLET_LINE_RE else s.start
            return doc.text[off + m.start("v"): off + m.end("v")]
    return None


def lead_or_signature_date(doc: Document) -> str | None:
    """A full date where a document states its own: the signature block at its end
    (二〇二三年六月一日, 2023年6月1日), else the opening lines (2023-05-08 10:11 来源…)."""
    lines = [s for s in doc.sentences if not s.boilerplate]
    for s in list(reversed(lines[-4:])) + lines[:8]:
        norm = doc.norm[s.start:s.end]
        m = CN_DATE_RE.search(norm)
        if m and len(norm) < 40:
            year = "".join(str(CN_DIGITS.get(c, 0)) for c in m.group(1))
            return f"{year}-{cn_number(m.group(2)):02d}-{cn_number(m.group(3)):02d}"
        m = DATE_RE.search(norm)
        if m and (len(norm) < 40 or s in lines[:8] and m.start() < 3) and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def find_title(doc: Document) -> str | None:
    """The headline: the first line that is not page chrome, when it is a heading (not a
    greeting, not a sentence)."""
    chrome = {s.start for s in doc.sentences if s.boilerplate}
    pos = 0
    for line in doc.text.split("\n"):
        start = pos + (len(line) - len(line.lstrip()))
        pos += len(line) + 1
        first = line.strip()
        if not first:
            continue
        if start in chrome or not_a_headline(first):
            continue
        if GREETING_RE.match(first) or len(first) > 60 or first[-1] in "。；;:：，,":
            return None
        return first
    return None


SITE_RE = re.compile(r"(?:网|網|频道|頻道|栏目|欄目|首页|首頁|导航|導航|客户端|阅读|閱讀)$|[|｜>›»~]|〔\d{4}〕|^\d+$"
                     r"|跳转|無障礙|无障碍|关怀版|關懷版|[A-Za-z]{6}|IP属地|IP屬地")


def not_a_headline(line: str) -> bool:
    """Site chrome above a headline: a site or section name (人民網, 政策要闻 is kept), menus and
    breadcrumbs (首页 > 要闻), a language switch (English, 简体|繁體), a file number."""
    cjk = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    return cjk < 6 or bool(SITE_RE.search(line))


ISSUES_RE = re.compile(r"^(?:市|区|县|省|州)?(?:委|人民政府|政府|组织部|人才办)")


def title_region(doc: Document, a: int, b: int, v: Vocab) -> str | None:
    """The place a headline speaks for: one that opens it (成都市出台…), opens a 《》 title
    in it (关于印发《成都市…办法》的通知), or issues it (…蒸湘区委…); not just any place."""
    openings = [a] + [a + m.end() for m in re.finditer("《", doc.norm[a:b])]
    for i in openings:
        found = place_at(doc, i, b, v)
        while found and (inner := place_at(doc, i + found[1], b, v)):
            i, found = i + found[1], inner      # 武汉江夏区, 来宾市兴宾区: the parent is no part of it (R01)
        if found:
            return found[0]
    for i in range(a, b):
        found = place_at(doc, i, b, v)
        if found and ISSUES_RE.match(doc.norm[i + found[1]:b]):
            return found[0]
    return None


def place_at(doc: Document, i: int, b: int, v: Vocab) -> tuple[str, int] | None:
    """(the place's full name as written, its length in the text) for a gazetteer place
    that starts at i: 蒸湘区委 -> (蒸湘区, 3); 西寧市 stays 西寧市; 蒸湘 -> (蒸湘区, 2); a short
    form with its level stays as written (黔东南州)."""
    norm = doc.norm
    for n in range(min(8, b - i), 1, -1):
        if town_at(norm, i, n, v):
            return doc.text[i:i + n], n
        r = v.regions.get(norm[i:i + n])
        if r:
            form = norm[i:i + n]
            if r.name.startswith(form) and norm[i:i + len(r.name)] == r.name:
                return doc.text[i:i + len(r.name)], len(r.name)   # the full name follows in the text
            if form == r.name or form[-1] in SUFFIXES or form in OUTSIDE_SUFFIXES:
                return doc.text[i:i + n], n              # 黔东南州, 科左后旗, 台灣 as written
            if r.name[-3:] in ("自治州", "自治县", "自治旗"):
                return doc.text[i:i + n] + r.name[-1], n  # 黔东南 -> 黔东南州, the bare name and its level
            return r.name, n
    return None


NOT_A_TOWN = "村镇土贤亲情愁音"    # 促进乡村, 振兴乡土: 乡 is the countryside there, not a town


def town_at(text: str, i: int, n: int, v: Vocab) -> bool:
    """Whether text[i:i+n] is a town written with its suffix (九连山镇, 杜村乡)."""
    if n < 3 or text[i:i + n] not in v.towns:
        return False
    after = text[i + n:i + n + 1]
    return not (after and after in NOT_A_TOWN)


def region_in(doc: Document, a: int, b: int, v: Vocab) -> str | None:
    """The first gazetteer place named in doc[a:b] (see place_at)."""
    for i in range(a, b):
        found = place_at(doc, i, b, v)
        if found:
            return found[0]
    return None


MASKED_RE = re.compile(r"(?:\*+|[X×]{2,3}|某)(?:省|市|区|县|州|镇|乡)")
SELF_RE = re.compile(r"(?:我|全|本)(省|市|区|县|州|旗|镇|乡)|(?<![\u4e00-\u9fff])(省|市|区|县|州)(?:委|政府)")
LEVEL_OF = {"省": "province", "市": "city", "州": "city", "区": "county", "县": "county", "旗": "county",
            "镇": "town", "乡": "town"}
SUFFIXES = "省市区县州旗镇乡"
ACTS_RE = re.compile(r"(?:委|人民政府|政府|组织部|人才办|人社局|人才工作领导小组|党委)")


@lru_cache(maxsize=1)
def bare_places() -> dict:
    """Places by their bare names where the gazetteer lists none (南通市 -> 南通, 大丰区 -> 大丰).
    A bare city or province is rarely an ordinary word; a bare county often is (资源县, 振兴区),
    so voice_region counts one only in a document that speaks at county level (我区, 县委),
    and only where jieba knows it as a proper noun (大丰, not 资源)."""
    v = load_vocab()
    out = {}
    for r in sorted(set(v.regions.values()), key=lambda r: r.name):
        bare = r.name[:-1]
        if r.name[-1] in "市省区县" and len(bare) >= 2 and bare not in v.regions \
                and r.level in ("city", "province", "county"):
            out.setdefault(bare, r)
    return out


@lru_cache(maxsize=1)
def place_starts() -> frozenset[str]:
    """The first two characters of every place name (a quick test before the lookups)."""
    v = load_vocab()
    return frozenset(k[:2] for k in (*v.regions, *v.towns, *bare_places()) if len(k) >= 2)


def bare_place_at(text: str, i: int, end: int, levels: tuple[str, ...]):
    places = bare_places()
    for n in (4, 3, 2):
        r = places.get(text[i:i + n]) if i + n <= end else None
        if r and r.level in levels and (r.level != "county" or proper_noun(text[i:i + n])):
            return r, n
    return None


def place_in_voice(doc: Document, i: int, end: int, v: Vocab, speaks_at: str | None):
    """(the Region, its length in the text) for a place that starts at i, or None."""
    text = doc.norm
    found = place_at(doc, i, end, v)
    if found:
        _, n = found
        if town_at(text, i, n, v):
            return Region(text[i:i + n], "town", None, (), v.towns[text[i:i + n]]), n
        r = v.regions.get(text[i:i + n])
        return (r, n) if r else None
    levels = ("city", "province") + (("county",) if speaks_at == "county" else ())
    return bare_place_at(text, i, end, levels)


def voice_region(doc: Document, v: Vocab) -> str | None:
    """The place a document speaks for when no byline or headline says so (R01, R18): the
    gazetteer place that the opening, the page's own lines (来源: 南通网), the bodies that
    act (X县委, X市人民政府) and the whole text name most, preferring the level the document
    speaks at (我市, 全县, 区委). A place inside the winner (西青区 in 天津市) that the text
    names often enough is what the document is about. None for a masked document (*市, XX县)
    and when no place stands out. The name is as the text writes it, with its suffix
    (温州 -> 温州市)."""
    text = doc.norm
    if MASKED_RE.search(text):
        return None
    levels: dict[str, int] = {}
    for m in SELF_RE.finditer(text):
        lv = LEVEL_OF.get(m.group(1) or m.group(2))
        levels[lv] = levels.get(lv, 0) + 1
    speaks_at = max(sorted(levels, key=str), key=levels.get) if levels else None
    score: dict[str, float] = {}
    form: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    opening = [s.index for s in doc.sentences
               if not s.boilerplate and len(CJK_RE.findall(doc.norm[s.start:s.end])) >= 8][:3]
    starts = place_starts()
    for s in doc.sentences:
        if LOCATION_STAMP_RE.search(text[s.start:s.end]):
            continue
        i = s.start
        while i < s.end:
            found = place_in_voice(doc, i, s.end, v, speaks_at) if text[i:i + 2] in starts else None
            if not found:
                i += 1
                continue
            r, n = found
            written = doc.text[i:i + n]
            suffix = SUFFIX_AFTER_RE.match(text, i + n)
            if suffix and not written.endswith(tuple(SUFFIXES)) and r.name[-3:] != "自治区":
                written = doc.text[i:suffix.end()]      # 黔东南州, 香港特區 as the text writes them
            if len(written) > len(form.get(r.name, "")):
                form[r.name] = written
            parent[r.name] = r.parent
            w = 1.0 + (2.0 if s.index in opening else 0.0) + (0.5 if s.boilerplate else 0.0)
            if ACTS_RE.match(text[i + n:i + n + 6]):
                w += 2.0
            if speaks_at and r.level == speaks_at:
                w += 1.5
            score[r.name] = score.get(r.name, 0.0) + w
            i += n
    if not score:
        return None
    best = max(sorted(score), key=score.get)
    if score[best] < MIN_VOICE:
        return None
    inside = [c for c in sorted(score) if parent.get(c) == best and score[c] >= CHILD_SHARE * score[best]]
    if inside:
        best = max(inside, key=score.get)
    return form[best]


CHILD_SHARE = 0.4
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
LOCATION_STAMP_RE = re.compile(r"IP属地|IP屬地")
SUFFIX_AFTER_RE = re.compile(r"特区|特區|特别行政区|特別行政區|[省市区县州旗镇乡]")
MIN_VOICE = 3.5
