"""Document-level gold -> mention spans: where in the text each gold name is written.

The gold lists each entity once, by name and aliases, with quotation and title marks
removed (shared/spec/annotation.md). To train a tagger we need every place the text
writes one of those forms. Matching runs on the document's normalised copy (full-width
folded, traditional simplified) with marks and spaces skipped, so “共饮一江水”人才交流计划
in the text matches the gold name 共饮一江水人才交流计划, and a traditional document
matches its traditional gold.

Spans are assigned longest first and never overlap (the flat layer a sequence labeller
learns); a shorter form inside a longer one of another type goes to the nested layer
(浦东 in 浦东专家西宁行活动). A span never crosses a sentence.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..model import Document
from ..read import normalise

SKIP = set("“”‘’\"'《》〈〉「」『』〖〗【】")


@dataclass(frozen=True)
class Span:
    start: int      # offsets into document.text
    end: int
    type: str
    name: str       # the gold entity's name


def key(text: str) -> str:
    text = normalise(unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if not c.isspace() and c not in SKIP)


def stripped(doc: Document) -> tuple[str, list[int]]:
    """The normalised text without marks and spaces, and where each of its characters is."""
    chars, where = [], []
    for i, c in enumerate(unicodedata.normalize("NFKC", ch) if len(unicodedata.normalize("NFKC", ch)) == 1 else ch
                          for ch in doc.norm):
        if not c.isspace() and c not in SKIP:
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def project(doc: Document, gold: dict, min_len: int = 2) -> tuple[list[Span], list[Span]]:
    """(flat, nested) mention spans of the gold entities in `doc`, each sorted by offset."""
    text, where = stripped(doc)
    sent_of = [0] * (len(doc.text) + 1)
    for s in doc.sentences:
        for i in range(s.start, s.end):
            sent_of[i] = s.index + 1
    found = []
    for e in gold.get("entities", []):
        forms = {key(f) for f in (e.get("name", ""), *(e.get("aliases") or []))}
        for f in forms:
            if len(f) < min_len:
                continue
            pos = text.find(f)
            while pos >= 0:
                a, b = where[pos], where[pos + len(f) - 1] + 1
                if sent_of[a] and sent_of[a] == sent_of[b - 1]:
                    found.append(Span(a, b, e["type"], e["name"]))
                pos = text.find(f, pos + 1)
    found.sort(key=lambda s: (-(s.end - s.start), s.start, s.type))
    flat: list[Span] = []
    nested: list[Span] = []
    for s in found:
        host = [f for f in flat if s.start < f.end and f.start < s.end]
        if not host:
            flat.append(s)
        elif all(h.start <= s.start and s.end <= h.end and h.type != s.type for h in host) \
                and not any((n.start, n.end) == (s.start, s.end) for n in nested):
            nested.append(s)
    flat.sort(key=lambda s: s.start)
    nested.sort(key=lambda s: s.start)
    return flat, nested
