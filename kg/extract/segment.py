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
    words = set(v.terms) | set(v.heads) | set(v.regions) | set(v.departments) | set(v.boundaries)
    words |= {p for p in v.prefixes if len(p) > 1}
    for w in sorted(words):
        if len(w) > 1 and " " not in w:
            tk.add_word(w, USER_FREQ)
    return tk


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text` with document offsets (`offset` is where `text` starts)."""
    return [Token(w, offset + a, offset + b) for w, a, b in tokenizer().tokenize(text, HMM=False)]
