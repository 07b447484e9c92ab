"""The document's structure: numbered headings and items at each level, and the signature block.

公文 are written as outlines: 第一章 / 第一条 / 一、 / （一） / 1. / （1）. A numbered line opens
an item that runs until the next numbered line of the same or a higher level. Relation rules
ask the outline which item a sentence belongs to, and what the item's lead names:

  item targets   the one program, policy, platform or mechanism that an item's lead sentence
                 names (1.实施急需紧缺人才引进计划。) targets the talent categories its item
                 names (未来五年引进全日制博士研究生…), with the item's text as evidence.

The signature block (issuer lines and a date closing the text: 中共X市委 / X市人民政府 /
2023年6月1日) is found too; its lines are no content sentences for the relation rules.
The numbering patterns are data: kg/lexicon/headings.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING, Callable

from ..model import Document, Entity
from ..vocab import heading_patterns

if TYPE_CHECKING:
    from .cues import Builder, Span

SpansOf = Callable[[int], "list[Span]"]

DATE_LINE_RE = re.compile(r"^\s*(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})\s*年[^，,。]{1,8}日\s*$")
ISSUER_RE = re.compile(r"(?:委员会|委|人民政府|政府|办公室|办公厅|厅|局|部|院|会|组)\s*$")


@dataclass(frozen=True)
class Item:
    """A numbered heading or item: its lead sentence, and the sentences it spans (lead included)."""
    level: int
    marker: str
    lead: int          # sentence index of the numbered line, where the item starts
    last: int          # last sentence index of the item (inclusive)


@dataclass(frozen=True)
class Outline:
    items: tuple[Item, ...]
    signature: tuple[int, ...]      # sentence indexes of the closing issuer and date lines

    def items_of(self, sentence: int) -> list[Item]:
        """The items a sentence is in, outermost first."""
        return [it for it in self.items if it.lead <= sentence <= it.last]


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, int], ...]:
    return tuple((re.compile(rx), level) for rx, level in heading_patterns())


def numbered(line: str) -> tuple[int, str] | None:
    """(level, marker) when a line opens with an outline number: 一、 -> (2, "一、")."""
    for rx, level in _patterns():
        m = rx.match(line)
        if m:
            return level, m.group(0)
    return None


def starts_line(text: str, i: int) -> bool:
    """Whether only spaces stand between position i and the start of its line."""
    while i > 0 and text[i - 1] in " \t\u3000":
        i -= 1
    return i == 0 or text[i - 1] == "\n"


def outline(doc: Document) -> Outline:
    """Items and the signature block of a document."""
    sents = [s for s in doc.sentences if not s.boilerplate]
    opened: list[tuple[int, str, int]] = []     # (level, marker, lead) of open items
    items: list[Item] = []
    prev = None
    for s in sents:
        found = numbered(doc.norm[s.start:s.end].lstrip()) if starts_line(doc.norm, s.start) else None
        if found:
            level, marker = found
            while opened and opened[-1][0] >= level:
                lv, mk, ld = opened.pop()
                items.append(Item(lv, mk, ld, prev))
            opened.append((level, marker, s.index))
        prev = s.index
    while opened:
        lv, mk, ld = opened.pop()
        items.append(Item(lv, mk, ld, prev if prev is not None else ld))
    return Outline(tuple(sorted(items, key=lambda it: (it.lead, it.level))), signature_of(doc))


def signature_of(doc: Document) -> tuple[int, ...]:
    """The closing lines that sign the text: a date line and the short issuer lines before it."""
    sents = [s for s in doc.sentences if not s.boilerplate and doc.norm[s.start:s.end].strip()]
    tail = sents[-4:]
    for k in range(len(tail) - 1, -1, -1):
        if DATE_LINE_RE.match(doc.norm[tail[k].start:tail[k].end]):
            block = [tail[k].index]
            for s in reversed(tail[:k]):
                text = doc.norm[s.start:s.end].strip()
                if len(text) > 30 or not ISSUER_RE.search(text) or re.search(r"[，,。；;：:]", text):
                    break
                block.insert(0, s.index)
            return tuple(block)
    return ()


SUBJECTS = ("Program", "Policy", "Platform", "Mechanism")
MAX_ITEM_SENTENCES = 8     # a longer item is a section, not one measure


def item_targets(doc: Document, ol: Outline, spans_of: SpansOf, rb: Builder) -> None:
    """The program (policy, platform, mechanism) an item's lead names targets the talent
    categories of the item's sentences; the innermost item that names one decides.
    `spans_of(i)`: the top-level spans of sentence i; `rb`: the relation builder."""
    subject: dict[int, Entity] = {}
    for it in ol.items:
        if it.last - it.lead < MAX_ITEM_SENTENCES:
            named = {x.entity.name: x.entity for x in spans_of(it.lead) if x.type in SUBJECTS}
            if len(named) == 1:
                subject[it.lead] = next(iter(named.values()))
    for s in doc.sentences:
        inner = [it for it in reversed(ol.items_of(s.index)) if it.lead in subject]
        if not inner:
            continue
        head = subject[inner[0].lead]
        spans = spans_of(s.index)
        if any(x.type in SUBJECTS and x.entity is not head for x in spans):
            continue      # the sentence names a program of its own: the cue rules read it
        for x in spans:
            if x.type == "TalentCategory":
                rb.add(head, "targets", x.entity, s.start, s.end, s.index)


TITLE_BLOCK = 6            # the sentences that may hold the title of a signed text


def signature_issues(doc: Document, ol: Outline, spans_of: SpansOf, rb: Builder) -> None:
    """The bodies that sign a text issue the policy its title block names (关于…的通知)."""
    if not ol.signature:
        return
    signers = [(i, x) for i in ol.signature for x in spans_of(i) if x.type in ("Body", "Region")]
    opening = [s for s in doc.sentences if not s.boilerplate][:TITLE_BLOCK]
    policy = next((x for s in opening for x in spans_of(s.index) if x.type == "Policy"), None)
    if policy is None:
        return
    for i, x in signers:
        rb.add(x.entity, "issues", policy.entity, x.start, x.end, i)
