"""How fast the named queries answer on Oxigraph at about a million triples.

    python3 scripts/bench_queries.py [--copies 75] [--runs 15] [DIR ...]   (default: seeds/ and ../shared/dev/docs)

The seed and dev documents are extracted once and the corpus is made `--copies` times over
(each copy's documents under their own ids, so entities gather mentions from every copy and
the graph grows as a real one does); the graph is built and loaded into an Oxigraph store on
disk (what `--store oxigraph:DIR` opens) and into one in memory (what `kg query`, `kg serve`
and `kg report` make of a graph file), and each named query (`kg queries`) is run `--runs`
times on each after one warm-up. Prints p50 and p95 per query in milliseconds (through kg's
store, results converted as `kg query` gets them), its rows, and whether it is a lookup
(about one entity, document or place: bar 50 ms) or a corpus-wide table (entities-by-type,
one type's entities, is one: bar 300 ms). Figures only, no assertion.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# lookups are run with an entity that the seeds name (the queries' own defaults)
PARAMS = {"document-entities": lambda first_doc: {"doc": first_doc}}
# a parameter that picks a slice of the corpus, not one thing: a corpus-wide table all the same
TABLES = {"entities-by-type"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "seeds"), str(ROOT.parent / "shared" / "dev" / "docs")])
    ap.add_argument("--copies", type=int, default=75)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    from kg.extract import extract
    from kg.extract.tagger import default_tagger
    from kg.graph import build_graph
    from kg.query import library, named_sparql
    from kg.read import read_documents
    from kg.resolve import resolve
    from kg.schema import DEFAULT_BASE
    from kg.store import OxigraphStore

    docs, _ = read_documents([d for d in args.dirs if Path(d).exists()])
    tagger = default_tagger()
    base = [extract(d, tagger) for d in docs]
    xs = [replace(x, document=replace(x.document, id=f"c{k:03d}/{x.document.id}"))
          for k in range(args.copies) for x in base]
    t = time.perf_counter()
    g = build_graph(resolve(xs, DEFAULT_BASE), DEFAULT_BASE)
    built = time.perf_counter() - t
    print(f"{len(xs):,} documents, {len(g):,} triples (resolve + graph {built:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        disk = OxigraphStore(Path(tmp) / "store", create=True)
        t = time.perf_counter()
        disk.load(g)
        print(f"loaded into Oxigraph on disk in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        memory = OxigraphStore.of_graph(g)
        print(f"loaded into Oxigraph in memory in {time.perf_counter() - t:.1f} s")
        del g
        print(f"{'':<44}{'on disk':>20}{'in memory':>20}")
        print(f"{'query':<28}{'kind':>8}{'rows':>8}{'p50 ms':>10}{'p95 ms':>10}{'p50 ms':>10}{'p95 ms':>10}{'bar ms':>8}")
        over = {"on disk": 0, "in memory": 0}
        for name, q in library().items():
            params = PARAMS[name](xs[0].document.id) if name in PARAMS else None
            sparql = named_sparql(name, params)
            kind, bar = ("lookup", 50) if q.params and name not in TABLES else ("table", 300)
            cells, n = "", 0
            for where, store in (("on disk", disk), ("in memory", memory)):
                p50, p95, n = timed(store, sparql, args.runs)
                over[where] += p50 > bar
                cells += f"{p50:>10.1f}{p95:>10.1f}"
            print(f"{name:<28}{kind:>8}{n:>8}{cells}{bar:>8}")
        for where, k in over.items():
            print(f"{where}: {k} quer{'y' if k == 1 else 'ies'} over the bar at p50")
    return 0


def timed(store, sparql: str, runs: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds of `runs` runs after one warm-up, and the rows."""
    store.query(sparql)
    times, n = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        n = len(store.query(sparql).bindings)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], n


if __name__ == "__main__":
    sys.exit(main())
