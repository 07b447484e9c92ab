"""Serialisations of what kg builds: Turtle, per-document annotation JSON, entity CSV."""
from __future__ import annotations

import csv
import io

from rdflib import Graph

from .model import Corpus, Extraction


def turtle(g: Graph) -> str:
    return g.serialize(format="turtle", encoding="utf-8").decode("utf-8")


SYMMETRIC = {"cooperatesWith"}


def annotation(x: Extraction, symmetric: bool = False) -> dict:
    """One document in the format of shared/spec/annotation.md (what the scorer reads).

    Symmetric relations are left out unless asked for: shared/eval/score.py stops
    with a TypeError on a predicted cooperatesWith whose one end is a gold entity and
    whose other end is not (it compares an index with a string). The graph keeps them.
    """
    m = x.metadata
    return {
        "doc": x.document.id,
        "title": m.title, "region": m.region, "date": m.date, "author": m.author, "source": m.source,
        "entities": [{"type": e.type, "name": e.name, "aliases": list(e.aliases),
                      "mentions": [[mm.start, mm.end] for mm in e.mentions]} for e in x.entities],
        "relations": [{"head": r.head, "relation": r.relation, "tail": r.tail, "evidence": r.evidence.text,
                       "sentence": r.evidence.sentence, "start": r.evidence.start, "end": r.evidence.end}
                      for r in x.relations if symmetric or r.relation not in SYMMETRIC],
    }


def entities_csv(corpus: Corpus) -> str:
    """One row per entity; UTF-8 with BOM so that Excel shows the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["type", "name", "aliases", "documents", "n_documents", "scope", "iri"])
    for n in sorted(corpus.nodes, key=lambda n: (n.type, n.name, n.iri)):
        w.writerow([n.type, n.name, "|".join(n.aliases), "|".join(n.docs), len(n.docs), n.scope or "", n.iri])
    return "\ufeff" + buf.getvalue()
