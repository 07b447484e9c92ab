"""The whole pipeline as library calls; the CLI is a thin layer over these.

    read -> extract -> resolve -> graph -> outputs (Turtle, HTML page, CSV)

    >>> import kg
    >>> result = kg.build(["seeds/"], "output/")          # doctest: +SKIP
    >>> result.graph.query("SELECT ...")                   # doctest: +SKIP
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx
from rdflib import Graph

from .analyze import corpus_network
from .batch import paused_gc
from .export import annotation, entities_csv, write_turtle
from .graph import build_graph, graph_triples, new_graph
from .model import Corpus, Extraction
from .output import Staged, exclusive, write_atomic, write_atomic_with
from .page import write_html
from .resolve import check_base, resolve
from .schema import DEFAULT_BASE


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    files: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...]
    base: str = DEFAULT_BASE
    network: nx.MultiDiGraph | None = None   # the entities and relations, as drawn on the page

    @cached_property
    def graph(self) -> Graph:
        """The corpus's rdflib graph, made when first asked for: a build writes its outputs
        without one (an rdflib graph of 10,000 documents takes seconds and a gigabyte)."""
        with paused_gc():
            return build_graph(self.corpus, self.base)


def extract_paths(paths, encoding: str | None = None,
                  on_document: Callable[[str], None] | None = None,
                  model=None, exclude=(), jobs: int | None = None, cache_dir=None,
                  refresh_cache: bool = False, scheduler: str | None = None
                  ) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Read and extract every document under `paths`; a bad one is skipped with its reason.

    `model`: an entity model file of `kg train` (default: the one kg ships); `exclude`:
    folders never read (an output folder inside the input); `jobs`: worker processes
    (default: all cores; the result is the same whatever the number); `cache_dir`: keep
    each document's extraction there and reuse it while the file and kg are unchanged;
    `scheduler`: a Dask distributed scheduler's address to extract on its cluster."""
    skipped: list[tuple[str, str]] = []
    out = list(extraction_stream(paths, skipped, encoding, on_document, model, exclude, jobs, cache_dir,
                                 refresh_cache, scheduler))
    return out, skipped


def extraction_stream(paths, skipped: list, encoding: str | None = None,
                      on_document: Callable[[str], None] | None = None,
                      model=None, exclude=(), jobs: int | None = None, cache_dir=None,
                      refresh_cache: bool = False, scheduler: str | None = None) -> Iterator[Extraction]:
    """What `extract_paths` gives, one document at a time in the same order (kg.batch.extract_stream):
    `skipped` fills as the stream goes."""
    from .batch import Cache, extract_stream, tagger_for
    tagger_for(str(model) if model else None)   # a bad --model is one line before any work starts
    cache = Cache(cache_dir, str(model) if model else None, encoding, refresh_cache) if cache_dir else None
    return extract_stream(paths, skipped, encoding, model, exclude, jobs, cache, on_document, scheduler)


def build(paths, out_dir="output", base: str = DEFAULT_BASE, title: str | None = None,
          on_document: Callable[[str], None] | None = None, encoding: str | None = None,
          model=None, jobs: int | None = None, cache: bool = True, scheduler: str | None = None) -> BuildResult:
    """Build graph.ttl, graph.html and entities.csv in `out_dir` from the documents under `paths`.

    One build at a time per folder; the three files are replaced together at the end,
    so an interrupted build leaves the previous ones as they were. The output folder is
    never read as input. A build that read no document writes nothing (`files` is empty)
    and leaves the previous outputs as they were. With `cache` (the default), a document
    whose file and extractor are unchanged since the last build is not extracted again."""
    check_base(base)
    out = Path(out_dir)
    with exclusive(out), paused_gc():
        skipped: list[tuple[str, str]] = []
        # each document's extraction goes into the corpus as it comes and is let go: what the
        # graph needs of it is in the corpus then, and the documents' texts are never all held
        corpus = resolve(extraction_stream(paths, skipped, encoding, on_document, model, [out], jobs, out,
                                           not cache, scheduler), base=base, skipped=skipped)
        if not corpus.documents:
            return BuildResult(corpus, (), tuple(skipped), base)
        staged = Staged()
        try:
            staged.write_with(out / "graph.ttl", lambda fh: write_turtle(fh, new_graph(base), graph_triples(corpus, base)))
            network = corpus_network(corpus)
            staged.write_with(out / "graph.html", lambda fh: write_html(fh, network, title or default_title(corpus)))
            staged.write(out / "entities.csv", entities_csv(corpus))
            files = tuple(staged.commit())
        finally:
            staged.discard()
    return BuildResult(corpus, files, tuple(skipped), base, network)


@dataclass(frozen=True)
class RenderResult:
    file: Path
    nodes: int
    edges: int


def render(graph_file, out_file=None, focus: str | None = None, hops: int = 1, types=None, docs=None,
           min_degree: int = 0, title: str | None = None) -> RenderResult:
    """Write a smaller, focused page from a built graph (an ego network, some types, some documents)."""
    import difflib

    from .analyze import find_nodes, to_networkx, view
    from .errors import KgError
    from .model import ENTITY_TYPES
    from .query import load_graph

    G = to_networkx(load_graph(graph_file))
    if types:
        bad = [t for t in types if t not in ENTITY_TYPES]
        if bad:
            raise KgError(f"--types: unknown type {bad[0]!r}; use some of {','.join(ENTITY_TYPES)}")
    doc_ids = None
    if docs:
        known = G.graph["documents"]
        doc_ids = set()
        for d in docs:
            hit = {i for i, m in known.items() if d in (i, Path(i).stem, m.get("region"))}
            if not hit:
                raise KgError(f"--docs: no document or region {d!r} in {graph_file}; "
                              f"documents: {', '.join(sorted(known)) or '(none)'}")
            doc_ids |= hit
    focus_nodes = None
    if focus:
        focus_nodes = find_nodes(G, focus)
        if not focus_nodes:
            names = sorted({a["name"] for _, a in G.nodes(data=True)})
            close = difflib.get_close_matches(focus, names, n=3, cutoff=0.4)
            hint = f"; did you mean {', '.join(close)}?" if close else "; search the page, or kg query, for the name"
            raise KgError(f"--focus: no entity named {focus!r} in {graph_file}{hint}")
    if hops < 0 or min_degree < 0:
        raise KgError("--hops and --min-degree must be 0 or more")
    H = view(G, focus=focus_nodes, hops=hops, types=types, docs=doc_ids, min_degree=min_degree)
    out = Path(out_file) if out_file else Path(graph_file).with_name("view.html")
    parts = [f"围绕 {focus}（{hops} 步）" if focus else None, "、".join(types) if types else None,
             "、".join(docs) if docs else None, f"度 ≥ {min_degree}" if min_degree else None]
    heading = title or "人才政策知识图谱 · " + (" · ".join(p for p in parts if p) or "全部")
    write_atomic_with(out, lambda fh: write_html(fh, H, heading))
    return RenderResult(out, H.number_of_nodes(), H.number_of_edges())


def export(graph: Graph, fmt: str, out) -> list[Path]:
    """Write `graph` in an exchange format; csv writes NAME-nodes.csv and NAME-edges.csv."""
    from . import export as ex
    from .errors import KgError
    out = Path(out)
    writers = {"ttl": ex.turtle, "nt": ex.ntriples, "jsonld": ex.jsonld, "trig": ex.trig,
               "graphml": ex.graphml, "gexf": ex.gexf}
    if fmt == "csv":
        nodes, edges = ex.nodes_edges_csv(graph)
        stem = out.with_suffix("") if out.suffix.lower() == ".csv" else out / "graph"
        return [write_atomic(Path(f"{stem}-nodes.csv"), nodes), write_atomic(Path(f"{stem}-edges.csv"), edges)]
    if fmt not in writers:
        raise KgError(f"--format {fmt!r}: use one of {', '.join(ex.EXPORT_FORMATS)}")
    return [write_atomic(out, writers[fmt](graph))]


def default_title(corpus: Corpus) -> str:
    n = len(corpus.documents)
    return f"人才政策知识图谱 · {n} 篇文档"


def write_annotations(extractions: Iterable[Extraction], out_dir) -> list[Path]:
    """One JSON per document in the annotation format (what shared/eval/score.py reads)."""
    out = Path(out_dir)
    files = []
    for x in extractions:
        data = json.dumps(annotation(x), ensure_ascii=False, indent=1) + "\n"
        files.append(write_atomic(out / Path(x.document.id).with_suffix(".json"), data))
    return files
