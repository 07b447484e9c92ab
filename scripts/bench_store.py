"""Benchmark: SPARQL on a large graph, rdflib's in-memory engine against Oxigraph on disk.

    python scripts/bench_store.py [--nodes 42000] [--timeout 600]

Builds a synthetic kg graph (entities, relations with evidence; about 24 triples
per entity, so 42,000 entities give about 1M triples), loads it into a MemoryStore
and into an OxigraphStore in a temporary folder, runs some named analyst queries on
both and prints a table of seconds and the speed-up. No assertion: figures only.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_page import synthetic  # noqa: E402

from kg.errors import QueryError  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.query import named_sparql, rows  # noqa: E402
from kg.schema import DEFAULT_BASE  # noqa: E402
from kg.store import MemoryStore, OxigraphStore  # noqa: E402

QUERIES = ["programs-by-region", "mechanisms-shared", "talent-categories-targeted", "who-leads-or-issues",
           "entities-by-type"]


def timed(store, sparql, timeout):
    t = time.perf_counter()
    try:
        r = store.query(sparql, timeout=timeout)
        return time.perf_counter() - t, len(r.bindings), r
    except QueryError:
        return None, None, None


def timed_forked(store, sparql, timeout):
    """rdflib in a forked child (the graph is shared copy-on-write), killed at the limit,
    so a query that runs over does not slow down the next one."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work():
        r = store.query(sparql, timeout=timeout * 2)
        child.send(rows(r))

    t = time.perf_counter()
    p = ctx.Process(target=work, daemon=True)
    p.start()
    if parent.poll(timeout):
        got = parent.recv()
        elapsed = time.perf_counter() - t
        p.join()
        return elapsed, len(got), got
    p.kill()
    p.join()
    return None, None, None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=42000)
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    t = time.perf_counter()
    g = build_graph(synthetic(args.nodes, seed=3), DEFAULT_BASE)
    print(f"graph: {len(g):,} triples built in {time.perf_counter() - t:.1f} s", flush=True)
    memory = MemoryStore(g)
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        ox = OxigraphStore(Path(d) / "store", create=True)
        ox.load(g)
        print(f"oxigraph: loaded in {time.perf_counter() - t:.1f} s", flush=True)
        print(f"{'query':28} {'rows':>7} {'rdflib s':>9} {'oxigraph s':>11} {'speed-up':>9}  same rows")
        for name in QUERIES:
            q = named_sparql(name)
            to, n, ro = timed(ox, q, args.timeout)
            tm, _, rm = timed_forked(memory, q, args.timeout)
            same = "yes" if rm is not None and ro is not None and rm == rows(ro) else "-"
            mem = f"{tm:9.2f}" if tm is not None else f"{'>' + format(args.timeout, 'g'):>9}"
            ratio = f"{tm / to:8.0f}x" if tm and to else f"{'>' + format(args.timeout / to, '.0f') + 'x':>9}"
            print(f"{name:28} {n:>7} {mem} {to:11.3f} {ratio}  {same}", flush=True)
        ox.close()


if __name__ == "__main__":
    main()
