"""Word segmentation: jieba's dictionary and algorithm with the field's vocabulary as user words.

The segmenter is rjieba (jieba-rs, jieba's own dictionary and DAG search in Rust), about
13x faster than jieba's pure-Python `cut` and cut for cut the same with HMM off
(tests/test_segment.py checks it on every sentence of the seeds and dev). jieba itself is
the reference and the fallback where rjieba is not installed. Either way kg builds a
private tokenizer and never touches jieba's global one.
HMM is off so the dictionary, not the model, decides where words end.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import NamedTuple

from ..vocab import load as load_vocab

USER_FREQ = 20000  # high enough that a vocabulary word is kept whole


class Token(NamedTuple):
    text: str
    start: int   # offset into the document
    end: int


class _Jieba:
    """jieba's Tokenizer behind the one call kg makes (the reference segmenter)."""

    def __init__(self):
        import jieba
        jieba.setLogLevel(logging.WARNING)  # it announces "Building prefix dict" on stderr otherwise
        self._tk = jieba.Tokenizer()
        self._tk.initialize()

    def add_word(self, word: str, freq: int) -> None:
        self._tk.add_word(word, freq)

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        return list(self._tk.tokenize(text, HMM=False))

    def is_word(self, text: str) -> bool:
        return self._tk.FREQ.get(text, 0) > 0

    def tag_of(self, word: str) -> str | None:
        import jieba.posseg
        return jieba.posseg.POSTokenizer(self._tk).word_tag_tab.get(word)


class _RJieba:
    """rjieba (jieba-rs) behind the same call."""

    def __init__(self):
        import rjieba
        self._tk = rjieba.Jieba()

    def add_word(self, word: str, freq: int) -> None:
        self._tk.add_word(word, freq, None)   # freq 0 removes it, as jieba's del_word does

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        return self._tk.tokenize(text, hmm=False)

    def is_word(self, text: str) -> bool:
        return self._tk.has_word(text)

    def tag_of(self, word: str) -> str | None:
        tags = self._tk.tag(word, hmm=False)
        return tags[0][1] if len(tags) == 1 and tags[0][0] == word and self.is_word(word) else None


def _engine(reference: bool):
    if not reference:
        try:
            return _RJieba()
        except ImportError:
            pass
    return _Jieba()


def field_words() -> tuple[list[str], list[str]]:
    """The words added to jieba's dictionary, and those taken out of it."""
    v = load_vocab()
    words = set(v.terms) | set(v.heads) | set(v.regions) | set(v.departments) | set(v.boundaries) \
        | set(v.weak_boundaries) | set(v.talent_modifiers)
    words |= {p for p in v.prefixes if len(p) > 1}
    return sorted(w for w in words if len(w) > 1 and " " not in w), sorted(v.splits)


@lru_cache(maxsize=2)
def tokenizer(reference: bool = False):
    """The field's tokenizer; `reference=True` gives the same on jieba itself."""
    tk = _engine(reference)
    added, removed = field_words()
    for w in added:
        tk.add_word(w, USER_FREQ)
    for w in removed:
        tk.add_word(w, 0)   # 市委书记 -> 市委 | 书记
    return tk


@lru_cache(maxsize=512)
def cut(text: str) -> tuple[tuple[str, int, int], ...]:
    """One segmentation of a text, shared by every rule and the tagger that asks for it."""
    return tuple(tokenizer().tokenize(text))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text` with document offsets (`offset` is where `text` starts)."""
    return [Token(w, offset + a, offset + b) for w, a, b in cut(text)]


@lru_cache(maxsize=2)
def plain_tokenizer(reference: bool = False):
    """jieba with its own dictionary only: splits the long lexicon words the other keeps whole,
    so a name inside a name (习近平 in 习近平新时代中国特色社会主义思想) has word boundaries."""
    return _engine(reference)


@lru_cache(maxsize=8192)
def proper_noun(word: str) -> bool:
    """Whether jieba's dictionary tags `word` as a proper noun (ns, nz, nr, nt): 大丰 and 西青 are,
    资源 and 海门 (an ordinary noun there) are not."""
    tag = plain_tokenizer().tag_of(word)
    return bool(tag) and tag[0] == "n" and len(tag) > 1


def boundaries(text: str, offset: int = 0) -> tuple[set[int], set[int]]:
    """Word starts and ends (document offsets) under either tokenizer."""
    words = cut(text) + tuple(plain_tokenizer().tokenize(text))
    return {offset + a for _, a, _ in words}, {offset + b for _, _, b in words}
