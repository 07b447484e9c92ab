"""The whole pipeline as library calls; the CLI is a thin layer over these.

    read -> extract -> resolve -> graph -> outputs (Turtle, HTML page, CSV)

    >>> import kg
    >>> result = kg.build(["seeds/"], "output/")          # doctest: +SKIP
    >>> result.graph.query("SELECT ...")                   # doctest: +SKIP
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib import Graph

from .export import annotation, entities_csv, turtle
from .extract import extract
from .graph import build_graph
from .model import Corpus, Extraction
from .output import write_atomic
from .page import render_html
from .read import read_documents
from .resolve import check_base, resolve
from .schema import DEFAULT_BASE

OUTPUTS = ("graph.ttl", "graph.html", "entities.csv")


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    graph: Graph
    files: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...]


def extract_paths(paths, encoding: str | None = None,
                  on_document: Callable[[str], None] | None = None) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Read and extract every document under `paths`; a bad one is skipped with its reason."""
    docs, skipped = read_documents(paths)
    out = []
    for doc in docs:
        if on_document:
            on_document(doc.path)
        try:
            out.append(extract(doc))
        except Exception as e:  # a bug must not cost the user the rest of the batch
            skipped.append((doc.path, f"extraction failed ({type(e).__name__}: {e}); please report this document"))
    return out, skipped


def build(paths, out_dir="output", base: str = DEFAULT_BASE, title: str | None = None,
          on_document: Callable[[str], None] | None = None) -> BuildResult:
    """Build graph.ttl, graph.html and entities.csv in `out_dir` from the documents under `paths`."""
    check_base(base)
    extractions, skipped = extract_paths(paths, on_document=on_document)
    corpus = resolve(extractions, base=base, skipped=skipped)
    g = build_graph(corpus, base)
    out = Path(out_dir)
    files = (
        write_atomic(out / "graph.ttl", turtle(g)),
        write_atomic(out / "graph.html", render_html(g, title or default_title(corpus))),
        write_atomic(out / "entities.csv", entities_csv(corpus)),
    )
    return BuildResult(corpus, g, files, tuple(skipped))


def default_title(corpus: Corpus) -> str:
    n = len(corpus.documents)
    return f"人才政策知识图谱 · {n} 篇文档"


def write_annotations(extractions: list[Extraction], out_dir, symmetric: bool = False) -> list[Path]:
    """One JSON per document in the annotation format (what shared/eval/score.py reads)."""
    out = Path(out_dir)
    files = []
    for x in extractions:
        stem = Path(x.document.id).stem
        data = json.dumps(annotation(x, symmetric), ensure_ascii=False, indent=1) + "\n"
        files.append(write_atomic(out / f"{stem}.json", data))
    return files
