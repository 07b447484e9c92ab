"""Word segmentation: a private jieba.Tokenizer with the field's vocabulary as user words.

jieba's module-level functions share one global tokenizer; kg never touches it.
HMM is off so the dictionary, not the model, decides where words end.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from ..vocab import load as load_vocab

USER_FREQ = 20000  # high enough that a vocabulary word is kept whole


@dataclass(frozen=True)
class Token:
    text: str
    start: int   # offset into the document
    end: int


@lru_cache(maxsize=1)
def tokenizer():
    import jieba
    jieba.setLogLevel(logging.WARNING)  # it announces "Building prefix dict" on stderr otherwise
    tk = jieba.Tokenizer()
    tk.initialize()
    v = load_vocab()
    words = set(v.terms) | set(v.heads) | set(v.regions) | set(v.departments) | set(v.boundaries) \
        | set(v.weak_boundaries) | set(v.talent_modifiers)
    words |= {p for p in v.prefixes if len(p) > 1}
    for w in sorted(words):
        if len(w) > 1 and " " not in w:
            tk.add_word(w, USER_FREQ)
    for w in sorted(v.splits):
        tk.del_word(w)   # 市委书记 -> 市委 | 书记
    return tk


@lru_cache(maxsize=512)
def _cut(text: str) -> tuple[tuple[str, int, int], ...]:
    """One segmentation of a text, shared by every rule and the tagger that asks for it."""
    return tuple(tokenizer().tokenize(text, HMM=False))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text` with document offsets (`offset` is where `text` starts)."""
    return [Token(w, offset + a, offset + b) for w, a, b in _cut(text)]


@lru_cache(maxsize=1)
def plain_tokenizer():
    """jieba with its own dictionary only: splits the long lexicon words the other keeps whole,
    so a name inside a name (习近平 in 习近平新时代中国特色社会主义思想) has word boundaries."""
    import jieba
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


def boundaries(text: str, offset: int = 0) -> tuple[set[int], set[int]]:
    """Word starts and ends (document offsets) under either tokenizer."""
    starts, ends = set(), set()
    for cut in (_cut(text), plain_tokenizer().tokenize(text, HMM=False)):
        for _, a, b in cut:
            starts.add(offset + a)
            ends.add(offset + b)
    return starts, ends
