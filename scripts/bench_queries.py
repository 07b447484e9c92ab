"""How fast the named queries answer on Oxigraph at about a million triples.

    python3 scripts/bench_queries.py [--copies 75] [--runs 15] [DIR ...]   (default: seeds/ and ../shared/dev/docs)

The seed and dev documents are extracted once and the corpus is made `--copies` times over
(each copy's documents under their own ids, so entities gather mentions from every copy and
the graph grows as a real one does); the graph is built, loaded into an on-disk Oxigraph
store, and each named query (`kg queries`) is run `--runs` times after one warm-up. Prints
p50 and p95 per query in milliseconds (through kg's store, results converted as `kg query`
gets them), its rows, and whether it is a lookup (about one entity, document or place: bar
50 ms) or a corpus-wide table (entities-by-type, one type's entities, is one: bar 300 ms).
Figures only, no assertion.
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
        store = OxigraphStore(Path(tmp) / "store", create=True)
        t = time.perf_counter()
        store.load(g)
        print(f"loaded into Oxigraph in {time.perf_counter() - t:.1f} s")
        del g
        print(f"{'query':<28}{'kind':>8}{'rows':>8}{'p50 ms':>10}{'p95 ms':>10}{'bar ms':>8}")
        over = 0
        for name, q in library().items():
            params = PARAMS[name](xs[0].document.id) if name in PARAMS else None
            sparql = named_sparql(name, params)
            store.query(sparql)                    # warm-up
            times, n = [], 0
            for _ in range(args.runs):
                t = time.perf_counter()
                n = len(store.query(sparql).bindings)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p50, p95 = statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]
            kind, bar = ("lookup", 50) if q.params and name not in TABLES else ("table", 300)
            over += p50 > bar
            print(f"{name:<28}{kind:>8}{n:>8}{p50:>10.1f}{p95:>10.1f}{bar:>8}")
        print(f"{over} quer{'y' if over == 1 else 'ies'} over the bar at p50")
    return 0


if __name__ == "__main__":
    sys.exit(main())
