"""Training the entity tagger: gold projected onto the text, the rules' candidates and the
text as features, python-crfsuite's CRF (L-BFGS with L1 + L2) -> a model file.

Deterministic: documents, sentences and features come in a fixed order, and L-BFGS has
no randomness, so the same data gives the same model.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..extract.entities import sentence_candidates
from ..extract.names import settle
from ..extract.tagger import FEATURES_VERSION, features, info_path, rule_spans, span_labels, windows
from ..output import write_atomic
from ..vocab import load as load_vocab
from .corpus import Annotated
from .project import project

PARAMS = {"c1": 0.01, "c2": 0.01, "max_iterations": 500, "feature.possible_transitions": True}


@dataclass(frozen=True)
class Sequence:
    doc: str
    feats: list
    labels: list


def labels_for(n: int, offset: int, spans) -> list[str]:
    """B/I/E/S-Type labels of n characters from `offset`, O elsewhere."""
    out = ["O"] * n
    for sp in spans:
        a, b = sp.start - offset, min(sp.end, offset + n) - offset
        if 0 <= a < b:
            out[a:b] = span_labels(b - a, sp.type)
    return out


def sequences(item: Annotated) -> list[Sequence]:
    """One training sequence per non-chrome sentence (or window of a long one)."""
    v = load_vocab()
    doc = item.doc
    flat, _ = project(doc, item.gold)
    out = []
    for s in doc.sentences:
        if s.boilerplate:
            continue
        spans = rule_spans(settle(sentence_candidates(doc, s, v)))
        for a, b in windows(s):
            feats = features(doc, s, spans, v, a, b)
            out.append(Sequence(doc.id, feats, labels_for(b - a, a, [x for x in flat if a <= x.start < b])))
    return out


def train(seqs: list[Sequence], model_path, params: dict | None = None,
          on_progress: Callable[[int], None] | None = None) -> Path:
    """Train on `seqs`, write the model to `model_path` and how it was made beside it
    (`model_path`.json), each atomically."""
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        def message(self, message):   # crfsuite's log: told as progress, never printed
            if self.logparser.feed(message) == "iteration" and on_progress:
                on_progress(self.logparser.last_iteration.get("num", 0))

    trainer = Trainer(verbose=True)
    for sq in seqs:
        trainer.append(sq.feats, sq.labels)
    trainer.set_params({**PARAMS, **(params or {})})
    path = Path(model_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    trainer.train(str(tmp))
    settings = {**PARAMS, **(params or {})}
    info = {"features": FEATURES_VERSION, "trainer": "python-crfsuite CRF, L-BFGS",
            "params": {k: settings[k] for k in sorted(settings)},
            "documents": sorted({sq.doc for sq in seqs}), "characters": sum(len(sq.labels) for sq in seqs)}
    write_atomic(info_path(path), json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    tmp.replace(path)
    save_weights(path)
    return path


def save_weights(model_path) -> Path:
    """The model's weights as arrays beside it, read by the tagger in milliseconds."""
    import pycrfsuite

    from ..extract.crf import Weights
    from ..extract.tagger import model_digest, weights_path
    t = pycrfsuite.Tagger()
    t.open(str(model_path))
    Weights.of_crfsuite(t.info()).save(weights_path(model_path), model_digest(model_path))
    return weights_path(model_path)
