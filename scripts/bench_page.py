"""Benchmark: how long a graph page of N nodes and 2N edges takes to load and settle.

    python scripts/bench_page.py [--sizes 500,2000] [--chromium /usr/bin/chromium]
    python scripts/bench_page.py --layout 100000      # the layout and communities alone

For each size it builds a synthetic graph of that many entities (types, names and
relations drawn with a fixed seed, each relation with evidence), renders it with
kg.page (layout computed beforehand with igraph), opens it in headless Chromium
with the network blocked and reports:

  build s    time to lay out and render the HTML in Python
  load s     navigation start -> first drawn frame (window.kgReady), in the page
  settle s   first frame -> no movement (physics is off, so this is ~0)
  MB         size of the HTML file

Prints a table; no assertion. The issue's bar: load + settle under 5 s at 2,000 nodes.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graph import build_graph  # noqa: E402
from kg.model import ENTITY_TYPES, Corpus, DocRecord, Edge, Mention, Metadata, Node  # noqa: E402
from kg.page import render_html  # noqa: E402
from kg.schema import DEFAULT_BASE, signatures  # noqa: E402

SYLLABLES = "人才 创新 创业 高端 引进 培养 服务 计划 工程 行动 科技 产业 青年 专家 平台 基地 中心 领军".split()


def synthetic(n: int, seed: int = 1) -> Corpus:
    rnd = random.Random(seed)
    docs = [DocRecord(f"{DEFAULT_BASE}doc/d{i}", f"d{i}.txt", f"d{i}.txt",
                      Metadata(title=f"文档{i}", region="西宁市", date="2024-01-01")) for i in range(max(5, n // 40))]
    nodes = []
    for i in range(n):
        t = rnd.choice(ENTITY_TYPES)
        name = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))) + str(i)
        nodes.append(Node(f"{DEFAULT_BASE}{t.lower()}/{i}", t, name, (), (rnd.choice(docs).id,)))
    by_type = {}
    for node in nodes:
        by_type.setdefault(node.type, []).append(node)
    sig = signatures()
    edges = []
    while len(edges) < 2 * n:
        rel = rnd.choice(list(sig))
        heads, tails = sig[rel]
        h = rnd.choice(by_type[rnd.choice(sorted(heads))])
        t = rnd.choice(by_type[rnd.choice(sorted(tails))])
        if h is not t:
            edges.append(Edge(h.iri, rel, t.iri, h.docs[0], Mention("实施某项计划", 0, 6, 0)))
    docs = [DocRecord(d.iri, d.id, d.path, d.metadata, None, tuple(x.iri for x in nodes if d.id in x.docs)) for d in docs]
    return Corpus(tuple(docs), tuple(nodes), tuple(edges))


def measure(path: Path, chromium: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                              "--disable-background-networking"])
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.add_init_script("""window.__t0 = performance.now();
          window.addEventListener('DOMContentLoaded', () => {
            const poll = () => { if (window.kgNetwork) {
                window.kgNetwork.once('afterDrawing', () => { window.__drawn = performance.now(); });
                window.kgNetwork.on('stabilized', () => { window.__settled = performance.now(); });
              } else setTimeout(poll, 5); };
            poll(); });""")
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgReady === true", timeout=120000)
        drawn = page.evaluate("() => window.__drawn || performance.now()")
        # physics is off: the layout is settled when drawn; confirm nothing moves for 500 ms
        first = page.evaluate("() => JSON.stringify(window.kgNetwork.getPositions())")
        page.wait_for_timeout(500)
        moved = page.evaluate("() => JSON.stringify(window.kgNetwork.getPositions())") != first
        b.close()
    return drawn / 1000, (0.5 if moved else 0.0)


def layout_only(n: int) -> None:
    import networkx as nx

    from kg.analyze import layout
    from kg.page import communities_of
    rnd = random.Random(1)
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"n{i}", docs=[f"d{rnd.randrange(max(1, n // 40))}"])
    for _ in range(2 * n):
        G.add_edge(f"n{rnd.randrange(n)}", f"n{rnd.randrange(n)}")
    t = time.perf_counter()
    layout(G)
    a = time.perf_counter() - t
    t = time.perf_counter()
    communities_of(G, {})
    b = time.perf_counter() - t
    print(f"{n:,} nodes, {2 * n:,} edges: layout {a:.2f} s, communities {b:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,2000")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--layout", type=int, metavar="N",
                    help="only time the layout and the communities of a random network of N nodes and 2N edges")
    args = ap.parse_args()
    if args.layout:
        layout_only(args.layout)
        return
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        corpus = synthetic(n)
        t = time.perf_counter()
        html = render_html(build_graph(corpus, DEFAULT_BASE), f"benchmark {n}")
        build_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / f"bench-{n}.html"
            f.write_text(html, encoding="utf-8")
            load_s, settle_s = measure(f, args.chromium)
            mb = f.stat().st_size / 1e6
        rows.append((n, len(corpus.edges), build_s, load_s, settle_s, mb))
    print(f"{'nodes':>6} {'edges':>6} {'build s':>8} {'load s':>7} {'settle s':>9} {'MB':>6}")
    for r in rows:
        print(f"{r[0]:>6} {r[1]:>6} {r[2]:>8.2f} {r[3]:>7.2f} {r[4]:>9.2f} {r[5]:>6.2f}")


if __name__ == "__main__":
    main()
