"""How long `kg build` takes, stage by stage, on N generated documents.

    python3 scripts/bench_build.py [-n 1000] [--jobs N] [DIR ...]   (default: seeds/ and ../shared/dev/docs)

Documents are the seed and dev texts, repeated with a numbered line added so that no two
are alike, written to a temporary folder. Prints, for each stage (extract, resolve, graph,
Turtle, page, CSV), wall and CPU seconds; characters per second of extraction; the same
texts through `jieba.lcut` in one process and the ratio, whole and split into the entity
tagger's labelling and the rules (kg's extraction once, after a warm-up on another text;
jieba's the best of three); a rebuild after one file changed; and the peak resident memory
of the process and of its workers.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(dirs: list[str]) -> list[str]:
    from kg.read import read_documents
    docs, _ = read_documents([d for d in dirs if Path(d).exists()])
    return [d.text for d in docs]


def timed(label: str, fn, rows: list):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    rows.append((label, time.perf_counter() - t, time.process_time() - c))
    return out


class Clocked:
    """The entity tagger, timed: extraction's time splits into the tagger's and the rules'."""

    def __init__(self, tagger):
        self.tagger, self.seconds = tagger, 0.0

    def tag(self, *args):
        t = time.perf_counter()
        try:
            return self.tagger.tag(*args)
        finally:
            self.seconds += time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "seeds"), str(ROOT.parent / "shared" / "dev" / "docs")])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--jobs", type=int)
    args = ap.parse_args()

    from kg.analyze import corpus_network
    from kg.batch import Cache, default_jobs, extract_many, paused_gc
    from kg.export import entities_csv, turtle
    from kg.graph import graph_triples, new_graph
    from kg.page import render_html
    from kg.pipeline import build
    from kg.resolve import resolve
    from kg.schema import DEFAULT_BASE

    base = texts(args.dirs)
    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        src, out = Path(tmp) / "docs", Path(tmp) / "out"
        src.mkdir()
        chars = 0
        corpus = []
        for i in range(args.n):
            t = base[i % len(base)] + f"\n（第{i}号）\n"
            corpus.append(t)
            chars += len(t)
            (src / f"doc{i:06d}.txt").write_text(t, encoding="utf-8")
        rows: list = []
        with paused_gc():    # as kg.build does
            xs, _ = timed("extract", lambda: extract_many([src], jobs=jobs, cache=Cache(out, None, None)), rows)
            corpus_ = timed("resolve", lambda: resolve(xs, DEFAULT_BASE), rows)
            triples = timed("graph triples", lambda: list(graph_triples(corpus_, DEFAULT_BASE)), rows)
            timed("turtle", lambda: turtle(new_graph(DEFAULT_BASE), triples), rows)
            triples = None
            timed("page", lambda: render_html(corpus_network(corpus_), "bench"), rows)
            timed("csv", lambda: entities_csv(corpus_), rows)
        xs = corpus_ = None   # let the first build go before the second
        changed = src / "doc000000.txt"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n西宁市设立人才发展专项资金。\n", encoding="utf-8")
        again: list = []
        timed("kg.build again, 1 file changed", lambda: build([src], out, jobs=jobs), again)

        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        j: list = []
        timed("jieba.lcut", lambda: [jieba.lcut(t) for t in corpus], j)
        one: list = []
        sample = corpus[:min(len(corpus), 200)]
        from kg.batch import WARM_UP
        from kg.extract import extract
        from kg.extract.tagger import default_tagger
        from kg.read import make_document
        tagger = default_tagger()
        docs = [make_document(t, f"s{i}.txt") for i, t in enumerate(sample)]
        extract(make_document(WARM_UP, "warm-up.txt"), tagger)   # as a worker does before its first document
        with paused_gc():    # both as kg.build runs them. kg once: a second run over the same
            # texts would find the answers kg remembers (names, head nouns) all there already;
            # jieba, which remembers none, the best of three (its times move by a third)
            clocked = Clocked(tagger)
            timed("extract, one process", lambda: [extract(d, clocked) for d in docs], one)
            lcut: list = []
            for _ in range(3):
                timed("jieba.lcut, same texts", lambda: [jieba.lcut(t) for t in sample], lcut)
            one.append(min(lcut, key=lambda r: r[1]))

    print(f"{args.n} documents, {chars:,} characters, {jobs} worker(s)")
    print(f"{'stage':<36}{'wall s':>9}{'cpu s':>9}")
    for label, wall, cpu in rows + again + j:
        print(f"{label:<36}{wall:>9.2f}{cpu:>9.2f}")
    total = sum(r[1] for r in rows)
    print(f"{'build total':<36}{total:>9.2f}")
    print(f"extraction: {chars / rows[0][1]:,.0f} chars/s on {jobs} worker(s)")
    kg_s, jieba_s = one[0][1], one[1][1]
    print(f"extraction / jieba.lcut, one process, same {len(sample)} texts: {kg_s / jieba_s:.1f}x "
          f"(the tagger {clocked.seconds / jieba_s:.1f}x, the rules {(kg_s - clocked.seconds) / jieba_s:.1f}x)")
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {me:,.0f} MB (this process), {kids:,.0f} MB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
