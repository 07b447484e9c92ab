"""graph.html in a real headless Chromium with the network blocked."""
from __future__ import annotations

from .conftest import artifact


def open_page(page, path):
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=30000)


def test_page_draws_every_entity_offline(seed_build, offline_page):
    result, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    assert page.blocked_requests == []
    assert page.js_errors == []
    drawn = page.evaluate("Object.keys(window.kgNetwork.getPositions()).length")
    assert drawn == len(result.corpus.nodes)
    # the canvas really has pixels on it, not a blank page
    assert page.evaluate("""(() => { const c = document.querySelector('#graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++; return ink; })()""") > 1000
    # Chinese is rendered and the legend lists the types
    assert "人才项目" in page.inner_text("#legend")
    page.screenshot(path=str(artifact("seed-graph.png")))


def test_page_keeps_two_relations_between_one_pair(seed_build, offline_page):
    result, out = seed_build
    pairs = {}
    for e in {(e.head, e.relation, e.tail) for e in result.corpus.edges}:
        pairs.setdefault(frozenset((e[0], e[2])), set()).add(e[1])
    n_edges = len({(e.head, e.relation, e.tail) for e in result.corpus.edges})
    open_page(offline_page, out / "graph.html")
    assert offline_page.evaluate("window.kgEdges.length") == n_edges
    assert any(len(r) > 1 for r in pairs.values()), "the seeds state two relations between one pair (issues+implements)"
