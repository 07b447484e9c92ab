"""The fast segmenter cuts exactly as jieba does, on real text."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import segment
from kg.extract.spans import is_word
from kg.read import read_documents

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "dev" / "docs"


def _sentences():
    dirs = [ROOT / "seeds"] + ([DEV] if DEV.is_dir() else [])
    docs, _ = read_documents(dirs)
    return [s.text for d in docs for s in d.sentences]


def test_the_fast_segmenter_is_the_one_in_use():
    assert isinstance(segment.tokenizer(), segment._RJieba)


@pytest.mark.parametrize("plain", [False, True], ids=["field words", "jieba's dictionary"])
def test_rjieba_cuts_every_sentence_as_jieba_does(plain):
    make = segment.plain_tokenizer if plain else segment.tokenizer
    fast, reference = make(), make(reference=True)
    sentences = _sentences()
    assert len(sentences) > 1000
    differ = [s for s in sentences if fast.tokenize(s) != reference.tokenize(s)]
    assert differ == []


def test_field_words_are_kept_whole_and_splits_are_cut():
    # 领导小组 is field vocabulary; 市委书记 is split into the body and the role.
    words = [w for w, _, _ in segment.tokenizer().tokenize("市人才工作领导小组由市委书记任组长")]
    assert "领导小组" in words
    assert "市委书记" not in words and ["市委", "书记"] == words[5:7]


def test_dictionary_lookup_agrees_with_jieba():
    reference = segment.plain_tokenizer(reference=True)
    for w in ["人才", "博士后", "领导小组", "人才工", "中华人", "乡村振兴"]:
        assert is_word(w) == (reference._tk.FREQ.get(w, 0) > 0), w
