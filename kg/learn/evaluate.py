"""Honest figures: document-level k-fold cross-validation with fixed folds.

Documents are sorted by id and document i goes to fold i mod k. In each fold the tagger
is trained on the other folds only, then the held-out documents are extracted with it
and scored with the project's scorer (kg/learn/scorer.py, a copy of shared/eval/score.py).
Nothing the extractor reads is derived from gold but the model, so the model is all
that is rebuilt per fold; the lexicons hold field vocabulary only (tests check it).
"""
from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..export import annotation
from ..extract import extract
from ..extract.tagger import Tagger
from . import incentive_scorer, scorer
from .corpus import Annotated
from .train import sequences, train


@dataclass(frozen=True)
class Report:
    systems: dict          # system name -> scorer result over all held-out documents
    by_genre: dict         # system name -> genre -> scorer result
    folds: int
    documents: int
    incentives: dict | None = None   # system name -> incentive scorer result (with incentive gold)


def fold_of(items: list[Annotated], k: int) -> dict[str, int]:
    ids = sorted(a.doc.id for a in items)
    return {d: i % k for i, d in enumerate(ids)}


def cross_validate(items: list[Annotated], k: int = 5, params: dict | None = None,
                   rules_too: bool = True, limit_folds: int | None = None,
                   on_step: Callable[[str], None] | None = None,
                   incentive_gold: dict[str, list] | None = None) -> Report:
    """Train k models, each without one fold, and score every document with the model
    that never saw it. `limit_folds` runs only the first folds (a quick check).
    `incentive_gold` ({document stem: records}): incentive figures are scored too, read
    between the entities of the same held-out models."""
    say = on_step or (lambda _: None)
    folds = fold_of(items, k)
    seqs = {}
    for n, a in enumerate(items, 1):
        seqs[a.doc.id] = sequences(a)
        if n % 20 == 0 or n == len(items):
            say(f"features: {n}/{len(items)} documents")
    preds: dict[str, dict[str, dict]] = defaultdict(dict)
    golds: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
        for f in range(k if limit_folds is None else min(k, limit_folds)):
            train_seqs = [s for a in items if folds[a.doc.id] != f for s in seqs[a.doc.id]]
            held = [a for a in items if folds[a.doc.id] == f]
            say(f"fold {f + 1}/{k}: training on {len(items) - len(held)} documents")
            model = train(train_seqs, Path(tmp) / f"fold{f}.crfsuite", params)
            tagger = Tagger(model)
            for a in held:
                stem = Path(a.doc.id).stem
                golds[stem] = a.gold
                preds["model"][stem] = annotation(extract(a.doc, tagger))
                if rules_too:
                    preds["rules"][stem] = annotation(extract(a.doc, None))
    genre = {Path(a.doc.id).stem: a.genre for a in items}
    systems, by_genre = {}, {}
    for name, pred in preds.items():
        systems[name] = scorer.score(golds, pred)
        by_genre[name] = {}
        for g in sorted(set(genre[d] for d in golds)):
            sub = {d: v for d, v in golds.items() if genre[d] == g}
            by_genre[name][g] = scorer.score(sub, {d: pred[d] for d in sub}) | {"documents": len(sub)}
    incentives = None
    if incentive_gold is not None:
        held = {d: recs for d, recs in incentive_gold.items() if d in golds}
        incentives = {name: incentive_scorer.score(held, {d: pred[d].get("incentives", []) for d in pred})
                      for name, pred in preds.items()}
    return Report(systems, by_genre, k, len(golds), incentives)


def headline(res: dict) -> str:
    return "entity_f1={:.3f} typed_entity_f1={:.3f} relation_f1={:.3f} untyped_relation_f1={:.3f}".format(
        res["untyped"][2], res["typed"][2], res["relations"][2], res["untyped_relations"][2])


def prf_table(rep: Report, heading: str, key: str) -> list[str]:
    """P/R/F1 rows of every system side by side, one row per entity or relation type."""
    names = list(rep.systems)
    lines = [f"{heading:<16}" + "".join(f"{n + ' P':>9}{n + ' R':>9}{n + ' F1':>9}" for n in names)]
    for t in sorted({t for r in rep.systems.values() for t in r[key] if t}):
        row = f"{t:<16}"
        for n in names:
            v = rep.systems[n][key].get(t, (0, 0, 0))
            row += f"{v[0]:>9.3f}{v[1]:>9.3f}{v[2]:>9.3f}"
        lines.append(row)
    return lines


def format_report(rep: Report) -> str:
    lines = [f"{rep.folds}-fold cross-validation over {rep.documents} documents "
             f"(each scored by a model trained without it)", ""]
    names = list(rep.systems)
    lines += prf_table(rep, "type", "by_type") + [""] + prf_table(rep, "relation", "relations_by_type") + [""]
    meta = rep.systems[names[0]]["metadata"]
    lines.append("metadata (rules, nothing learned): " + "  ".join(
        f"{k} {v:.2f}" for k, v in sorted(meta.items()) if v is not None))
    lines.append("")
    lines.append(f"{'genre':<10}{'docs':>5}" + "".join(f"{n + ' entity F1':>18}{n + ' typed':>14}" for n in names))
    genres = list(next(iter(rep.by_genre.values())))
    for g in genres:
        row = f"{g:<10}{rep.by_genre[names[0]][g]['documents']:>5}"
        for n in names:
            r = rep.by_genre[n][g]
            row += f"{r['untyped'][2]:>18.3f}{r['typed'][2]:>14.3f}"
        lines.append(row)
    lines.append("")
    if rep.incentives:
        for n in names:
            lv = rep.incentives[n]["levels"]
            lines.append(f"{n} incentives: incentive_f1={lv['amount'][2]:.3f} incentive_recipient_f1="
                         f"{lv['recipient'][2]:.3f} incentive_full_f1={lv['full'][2]:.3f} "
                         f"({lv['amount'][5]} gold figures)")
        lines.append("")
    for n in names:
        lines.append(f"{n}: {headline(rep.systems[n])}")
    return "\n".join(lines)
