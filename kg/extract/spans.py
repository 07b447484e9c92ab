"""What the entity rules share: candidate names as spans of a document, the units of a
sentence, and the small word tests every rule uses (prefixes, generic words, marks)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..model import Document, Sentence
from ..vocab import Vocab
from .segment import boundaries

MARKS = set("“”‘’\"'《》〈〉「」『』〖〗【】")
WITHOUT_MARKS = str.maketrans("", "", "".join(MARKS))   # str.translate: the text with its marks taken out


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


class Unit(NamedTuple):
    """A word, a quotation or a 《title》 of a sentence, with document offsets. (A named tuple,
    not a dataclass: a sentence has dozens and making a tuple is several times quicker.)"""
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


def text_of(doc: Document, pieces, src=None) -> str:
    src = doc.norm if src is None else src
    return "".join(src[a:b] for a, b in pieces).translate(WITHOUT_MARKS)


def strong(u: Unit, v: Vocab) -> bool:
    return u.kind == "p" or u.text in v.boundaries or u.text.isspace()


def weak(u: Unit, v: Vocab) -> bool:
    return u.kind == "w" and u.text in v.weak_boundaries


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
    return len(text) >= 2 and plain_tokenizer().is_word(text)


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
        for p in v.prefixes_of(name):
            if len(name) > len(p) and len(p) in cuts(name):
                name, changed = name[len(p):], True   # 市第一人民医院, but not 市场化
                break
        else:
            for n in range(min(len(name) - 1, 8), 1, -1):
                if name[:n] in v.regions and n in cuts(name):
                    name, changed = name[n:], True    # 西宁市人才服务中心, but not 深圳湾实验室
                    break
    return name


def norm_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).translate(WITHOUT_MARKS)
