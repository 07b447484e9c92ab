"""Document metadata from the text: title, date, author, source and the region it speaks for.

Page chrome (来源/日期 lines, reprint notices) is read here even though it is not
content (D10); the byline ("西宁市委常委、组织部部长 王润宇") gives author and region.
"""
from __future__ import annotations

import re

from ..model import Document, Metadata
from ..vocab import Vocab, load as load_vocab

DATE_RE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
SOURCE_RE = re.compile(r"(?:文章)?来源\s*[:：]\s*《?([^》\s]+?)》?(?:\s|$)")
REPRINT_RE = re.compile(r"(?:转载|出处)[^:：]*[:：]\s*(https?://\S+)")
ROLE_RE = re.compile(r"(书记|副书记|常委|部长|组织部长|主任|市长|区长|县长|省长|局长|厅长|主席|秘书长)")
BYLINE_RE = re.compile(r"^[(（]?\s*(?P<office>[^()（）]{2,40}?(?:书记|常委|部长|组织部长|主任|市长|区长|县长|省长|局长|厅长|主席|秘书长))\s+(?P<name>[\u4e00-\u9fff]{2,4})\s*[)）]?$")
SPEECH_TITLE_RE = re.compile(r"(讲话|汇报|报告|意见|办法|方案|措施|通知|强担当|人才强市)")
GREETING_RE = re.compile(r"^(同志们|各位)")


def extract_metadata(doc: Document, v: Vocab | None = None) -> Metadata:
    v = v or load_vocab()
    lines = [(s.text.strip(), s) for s in doc.sentences]
    title = find_title(doc)
    date = source = author = region = None
    for text, s in lines:
        norm = doc.norm[s.start:s.end]
        if s.boilerplate:
            if date is None:
                m = DATE_RE.search(norm)
                if m:
                    date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            if source is None:
                m = SOURCE_RE.search(norm) or REPRINT_RE.search(norm)
                if m:
                    source = text[m.start(1) - 0: m.end(1)] if m.re is REPRINT_RE else m.group(1)
    for text, s in lines:
        norm = doc.norm[s.start:s.end].strip()
        m = BYLINE_RE.match(norm)
        if m and len(norm) < 50:
            author = doc.text[s.start + m.start("name"): s.start + m.end("name")]
            region = region_in(m.group("office"), v)
            break
    if region is None and title:
        region = region_in(title, v, short_ok=True)
    return Metadata(title=title, region=region, date=date, author=author, source=source)


def find_title(doc: Document) -> str | None:
    """The headline: the first line, when it is a heading and not a greeting or a sentence."""
    first = doc.text.strip().split("\n", 1)[0].strip()
    if not first or GREETING_RE.match(first) or len(first) > 60 or first[-1] in "。；;:：，,":
        return None
    return first


def region_in(text: str, v: Vocab, short_ok: bool = True) -> str | None:
    """The first gazetteer place named in `text`, as its full name (蒸湘 -> 蒸湘区)."""
    best = None
    for i in range(len(text)):
        for n in range(min(8, len(text) - i), 1, -1):
            r = v.regions.get(text[i:i + n])
            if r and (short_ok or text[i:i + n] == r.name):
                best = r.name
                break
        if best:
            return best
    return None
