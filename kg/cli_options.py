"""The `kg` command's options: one sub-command each, with its arguments and help."""
from __future__ import annotations

import argparse

from .schema import DEFAULT_BASE


def parser() -> argparse.ArgumentParser:
    from . import __version__
    p = argparse.ArgumentParser(prog="kg", description="Chinese talent-policy documents -> knowledge graph.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build graph.ttl, graph.html and entities.csv from documents")
    b.add_argument("paths", nargs="+", metavar="DIR_OR_FILE", help="documents, or folders of them")
    b.add_argument("-o", "--out", default="output", help="output folder (default: output/)")
    b.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of the graph's nodes (default: {DEFAULT_BASE})")
    b.add_argument("--title", help="heading of the graph page")
    b.add_argument("--encoding", help="text encoding of the documents (default: detected), e.g. gb18030, big5")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--model", metavar="MODEL", help="entity model written by 'kg train' (default: the one kg ships)")
    b.add_argument("--jobs", type=int, metavar="N", help="worker processes for extraction (default: all cores)")
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="extract on a Dask distributed cluster (workers need kg and the same document paths)")
    b.add_argument("--no-cache", action="store_true",
                   help="extract every document again (default: reuse what the last build in -o extracted)")
    store_options(b, loading=True)

    e = sub.add_parser("extract", help="write one annotation JSON per document (the scorer's input)")
    e.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    e.add_argument("--out", required=True, metavar="PRED_DIR", help="folder for the JSON files")
    e.add_argument("--encoding", help="text encoding of the documents (default: detected), e.g. gb18030, big5")
    e.add_argument("--model", metavar="MODEL", help="entity model written by 'kg train' (default: the one kg ships)")
    e.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
    e.add_argument("--symmetric", action="store_true", help=argparse.SUPPRESS)  # kept for old scripts: a no-op

    t = sub.add_parser("train", help="train the entity tagger on annotated documents",
                       description="Train the entity tagger on pairs of folders (documents, gold JSON files in "
                                   "the format of the annotation guideline) and write the model.")
    t.add_argument("data", nargs="+", metavar="DOCS_DIR GOLD_DIR", help="one or more pairs of folders")
    t.add_argument("-o", "--out", metavar="MODEL", help="model file to write (default: the model kg ships, "
                                                       "kg/models/entities.crfsuite)")

    ev = sub.add_parser("evaluate", help="cross-validate the entity tagger on annotated documents",
                        description="Document-level k-fold cross-validation with fixed folds: each document is "
                                    "scored by a model trained without it. Prints per-type and per-genre figures.")
    ev.add_argument("data", nargs="+", metavar="DOCS_DIR GOLD_DIR", help="one or more pairs of folders")
    ev.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    ev.add_argument("--quick", action="store_true",
                    help="the first fold only, 100 training iterations (a check, not a figure to report)")
    ev.add_argument("--no-rules", action="store_true", help="do not also score the rules alone")
    ev.add_argument("--incentives", action="append", metavar="GOLD_DIR", default=[],
                    help="a folder of incentive gold (shared/spec/incentives.md) to score too; repeatable")

    x = sub.add_parser("export", help="write the graph in a format other tools read")
    x.add_argument("graph", nargs="?", metavar="GRAPH_FILE", help="e.g. output/graph.ttl (or use --store/--endpoint)")
    x.add_argument("--format", required=True, choices=("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "csv"))
    x.add_argument("-o", "--out", required=True, metavar="FILE",
                   help="file to write (csv: NAME.csv gives NAME-nodes.csv and NAME-edges.csv)")
    store_options(x)

    v = sub.add_parser("serve", help="serve a graph file as a local read-only SPARQL endpoint")
    v.add_argument("graph", metavar="GRAPH_FILE")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    v.add_argument("--port", type=int, default=7878)
    v.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="time limit per query, parsing included (30)")
    v.add_argument("--cors", metavar="ORIGIN",
                   help="let pages of this one origin read the answers (e.g. http://localhost:8080); off by default")
    v.add_argument("--workers", type=int, metavar="N", help="query worker processes (default: cores, at most 4)")

    rp = sub.add_parser("report", help="an overview of a corpus: documents, who has what since when, incentives, "
                                       "who runs what, the network's core")
    rp.add_argument("graph", metavar="GRAPH_FILE", help="e.g. output/graph.ttl")
    rp.add_argument("-o", "--out", metavar="FILE",
                    help="file to write (default: report.html, report.md or report-TABLE.csv beside the graph)")
    rp.add_argument("--format", choices=("html", "md", "csv"), default="html",
                    help="html: one offline page with charts (default); md: Markdown; csv: one file per table")
    rp.add_argument("--title", help="the report's title")

    r = sub.add_parser("render", help="write a smaller, focused graph page from a built graph")
    r.add_argument("graph", metavar="GRAPH_FILE", help="e.g. output/graph.ttl")
    r.add_argument("-o", "--out", metavar="FILE", help="page to write (default: view.html beside the graph)")
    r.add_argument("--focus", metavar="NAME", help="only what is within --hops of this entity (name or alias)")
    r.add_argument("--hops", type=int, default=1, help="how far from --focus (default 1)")
    r.add_argument("--types", type=csv_list, metavar="T,...", help="only these entity types, e.g. Program,Body")
    r.add_argument("--docs", type=csv_list, metavar="D,...", help="only these documents (file names) or regions")
    r.add_argument("--min-degree", type=int, default=0, metavar="K", help="only entities with K or more relations")
    r.add_argument("--title", help="heading of the page")

    q = sub.add_parser("query", help="run SPARQL (or a named analyst query) over a graph file or store",
                       description="kg query GRAPH 'SPARQL' | kg query GRAPH --file q.rq | kg query NAME GRAPH "
                                   "[--param k=v] | kg query --list; GRAPH may be replaced by --store or --endpoint")
    q.add_argument("args", nargs="*", metavar="NAME|GRAPH|SPARQL",
                   help="a named query and/or a graph file, and/or the query text")
    q.add_argument("--file", "-f", metavar="QUERY.rq", help="read the query from a file")
    q.add_argument("--list", action="store_true", help="list the named analyst queries")
    q.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table",
                   help="table (default), or a W3C SPARQL results format; CONSTRUCT/DESCRIBE give Turtle")
    q.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                   help="bind a parameter, e.g. --param entity=首席人才官 (repeatable)")
    q.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="stop a query after this long (60)")
    store_options(q)
    return p


def store_options(p, loading: bool = False) -> None:
    what = "also load the graph into" if loading else "query"
    p.add_argument("--store", metavar="oxigraph:PATH", help=f"{what} a persistent Oxigraph store on disk")
    p.add_argument("--endpoint", metavar="URL", help=f"{what} a remote SPARQL 1.1 server (its query URL)")


def csv_list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]
