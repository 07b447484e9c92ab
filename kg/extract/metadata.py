"""Document metadata from the text: title, date, author, source and the region it speaks for.

Page chrome (来源/日期 lines, reprint notices) is read here even though it is not
content (D10); the byline ("西宁市委常委、组织部部长 王润宇") gives author and region.
Matching runs on the normalised text; every value is cut from the text as written.
"""
from __future__ import annotations

import re

from ..model import Document, Metadata
from ..vocab import Vocab, load as load_vocab

DATE_RE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
SOURCE_RE = re.compile(r"(?:文章)?来源\s*[:：]\s*《?(?P<v>[^》\s]+?)》?(?:\s|$)")
REPRINT_RE = re.compile(r"(?:转载|出处)[^:：]*[:：]\s*(?P<v>https?://\S+)")
ROLES = "书记|副书记|常委|部长|组织部长|主任|副主任|市长|副市长|区长|县长|省长|局长|厅长|主席|秘书长|院长|校长"
BYLINE_RE = re.compile(r"^[(（]?\s*(?P<office>[^()（）。，,]{2,40}?(?:" + ROLES + r"))\s+(?P<name>[\u4e00-\u9fff]{2,4})\s*[)）]?$")
AUTHOR_RE = re.compile(r"^\s*(?:作者|文)\s*[:：|｜/]\s*(?P<name>[\u4e00-\u9fff]{2,4})\s*$")
# an author named in page chrome or a news lead: 作者：李明 / （记者 李明 通讯员 王芳）
CREDIT_RE = re.compile(r"(?:作者|记者)\s*[:：]?\s*(?P<name>[\u4e00-\u9fff]{2,3})(?=$|[\s,，、)）]|通讯员)")
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
    if region is None and title:
        start = doc.text.find(title)
        region = title_region(doc, start, start + len(title), v) if start >= 0 else None
    return Metadata(title=title, region=region, date=date, author=author, source=source)


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
        if start in chrome:
            continue
        if GREETING_RE.match(first) or len(first) > 60 or first[-1] in "。；;:：，,":
            return None
        return first
    return None


ISSUES_RE = re.compile(r"^(?:市|区|县|省|州)?(?:委|人民政府|政府|组织部|人才办)")


def title_region(doc: Document, a: int, b: int, v: Vocab) -> str | None:
    """The place a headline speaks for: one that opens it (成都市出台…), opens a 《》 title
    in it (关于印发《成都市…办法》的通知), or issues it (…蒸湘区委…); not just any place."""
    openings = [a] + [a + m.end() for m in re.finditer("《", doc.norm[a:b])]
    for i in openings:
        found = place_at(doc, i, b, v)
        if found:
            return found[0]
    for i in range(a, b):
        found = place_at(doc, i, b, v)
        if found and ISSUES_RE.match(doc.norm[i + found[1]:b]):
            return found[0]
    return None


def place_at(doc: Document, i: int, b: int, v: Vocab) -> tuple[str, int] | None:
    """(the place's full name as written, its length in the text) for a gazetteer place
    that starts at i: 蒸湘区委 -> (蒸湘区, 3); 西寧市 stays 西寧市; 蒸湘 -> (蒸湘区, 2)."""
    norm = doc.norm
    for n in range(min(8, b - i), 1, -1):
        r = v.regions.get(norm[i:i + n])
        if r:
            form = norm[i:i + n]
            if r.name.startswith(form) and norm[i:i + len(r.name)] == r.name:
                return doc.text[i:i + len(r.name)], len(r.name)   # the full name follows in the text
            if form == r.name:
                return doc.text[i:i + n], n
            return r.name, n
    return None


def region_in(doc: Document, a: int, b: int, v: Vocab) -> str | None:
    """The first gazetteer place named in doc[a:b] (see place_at)."""
    for i in range(a, b):
        found = place_at(doc, i, b, v)
        if found:
            return found[0]
    return None
