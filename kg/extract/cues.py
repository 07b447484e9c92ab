"""What the relation rules share: their words and cues (data files under kg/lexicon), the
span of a mention, and the builder that collects relations with the ontology's types."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace

from ..errors import LexiconError
from ..model import Document, Entity, Mention, Relation
from ..schema import signatures
from ..vocab import relation_words


@lru_cache(maxsize=1)
def words() -> SimpleNamespace:
    """The relation rules' words from kg/lexicon/relation_words.tsv (locative, talent_verb …)."""
    w = relation_words()
    return SimpleNamespace(**w, sector_list=re.compile(
        r"^(?:[、和][^，,。；;、]{1,10}){0,4}等?(?:" + "|".join(map(re.escape, w["sector_noun"])) + ")"))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: Entity

    @property
    def type(self) -> str:
        return self.entity.type


@dataclass(frozen=True)
class Cue:
    text: str
    relation: str
    closing: str | None = None


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """Cues, longest first; a cue with a closing word before the same cue without."""
    text = resources.files("kg").joinpath("lexicon", "cues.tsv").read_text(encoding="utf-8")
    out = []
    sig = signatures()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) not in (2, 3) or cols[1] not in sig:
            raise LexiconError(f"kg/lexicon/cues.tsv:{n}: expected cue<TAB>relation[<TAB>closing] "
                               f"(relation one of {', '.join(sig)}), got {line!r}")
        out.append(Cue(cols[0], cols[1], cols[2] if len(cols) == 3 and cols[2] else None))
    return tuple(sorted(out, key=lambda c: (-len(c.text), c.closing is None)))


@lru_cache(maxsize=1)
def cue_finder():
    """One Aho-Corasick automaton over the cues' words: which of them a sentence holds, in
    one pass, so that only those are looked for one by one."""
    import ahocorasick
    auto = ahocorasick.Automaton()
    for c in cues():
        auto.add_word(c.text, c.text)
    auto.make_automaton()
    return auto


def cues_in(text: str, start: int, end: int) -> list[Cue]:
    """The cues whose word occurs in text[start:end], in the order of `cues`."""
    found = {w for _, w in cue_finder().iter(text, start, end)} if end > start else set()
    return [c for c in cues() if c.text in found]


class Builder:
    """Collects relations of one document; checks types against the ontology."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.sig = signatures()
        self.out: dict[tuple[str, str, str], Relation] = {}

    def add(self, head: Entity, rel: str, tail: Entity, a: int, b: int, sentence: int) -> None:
        if head is tail or head.name == tail.name:
            return
        hs, ts = self.sig[rel]
        if head.type not in hs or tail.type not in ts:
            return
        if rel == "cooperatesWith" and (tail.name, rel, head.name) in self.out:
            return
        key = (head.name, rel, tail.name)
        if key not in self.out:
            a, b = min(a, b), max(a, b)
            if a == b:        # the tail ends where the cue starts (现将《X》印发): the sentence says it
                s = self.doc.sentences[sentence]
                a, b = s.start, s.end
            self.out[key] = Relation(head.name, rel, tail.name, Mention(self.doc.text[a:b], a, b, sentence))
