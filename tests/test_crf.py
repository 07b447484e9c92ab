"""The fast labelling (kg.extract.crf, numpy + Viterbi) is crfsuite's, on real text."""
from __future__ import annotations

import math
from pathlib import Path

from kg.extract.crf import Window, best, emissions, score
from kg.extract.entities import sentence_candidates, settle
from kg.extract.tagger import default_tagger, features, rule_spans, windows
from kg.read import read_documents
from kg.vocab import load

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "dev" / "docs"


def _documents():
    docs, _ = read_documents([ROOT / "seeds"] + ([DEV] if DEV.is_dir() else []))
    return docs


def test_every_sentence_gets_crfsuites_labels_and_probabilities():
    tagger, v = default_tagger(), load()
    w = tagger.weights
    crfsuite = tagger.crfsuite()
    windows_seen = named = 0
    for doc in _documents():
        wins = []
        for s in doc.sentences:
            spans = rule_spans(settle(sentence_candidates(doc, s, v)))
            wins += [Window(s, a, b, tuple(spans)) for a, b in windows(s) if b > a]
        em_all, offsets = emissions(w, doc, wins, v)
        for x, lo, hi in zip(wins, offsets[:-1], offsets[1:]):
            em = em_all[lo:hi]
            mine = [w.labels[k] for k in best(w, em)]
            theirs = crfsuite.tag(features(doc, x.sentence, x.rule_spans, v, x.start, x.end))
            assert mine == theirs, (doc.id, x.sentence.text)
            windows_seen += 1
            named += any(lab != "O" for lab in mine)
            # the score of another labelling, relative to the best, is crfsuite's probability ratio
            alt = ["O"] * len(mine)
            if alt != mine:
                ratio = crfsuite.probability(alt) / crfsuite.probability(mine)
                mine_ratio = math.exp(score(w, em, alt) - score(w, em, mine))
                assert math.isclose(ratio, mine_ratio, rel_tol=1e-4, abs_tol=1e-300)   # crfsuite scales its sums
    assert windows_seen > 1000 and named > 500
