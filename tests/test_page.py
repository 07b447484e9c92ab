"""graph.html in a real headless Chromium with the network blocked."""
from __future__ import annotations

from pathlib import Path

from .conftest import artifact


def open_page(page, path, view: str = ""):
    """Open a page; `view` is a URL hash ("isolated=1": entities without a relation drawn too)."""
    page.goto(path.resolve().as_uri() + (f"#{view}" if view else ""))
    page.wait_for_function("() => window.kgReady === true", timeout=30000)


def test_page_draws_every_entity_offline(seed_build, offline_page):
    result, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html", "isolated=1")
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
    assert offline_page.evaluate("window.kgEdges.get({filter: e => !e.kgBetween}).length") == n_edges
    assert any(len(r) > 1 for r in pairs.values()), "the seeds state two relations between one pair (issues+implements)"


def node_id(page, name):
    return page.evaluate("(name) => window.kgNodes.get({filter: n => n.kgName === name})[0].id", name)


def visible_count(page):
    return page.evaluate("() => window.kgNetwork.body.data.nodes.length")


def test_search_focuses_a_program_by_partial_name(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    page.fill("#search", "共饮一江")
    page.press("#search", "Enter")
    target = node_id(page, "共饮一江水人才交流计划")
    assert page.evaluate("() => window.kgNetwork.getSelectedNodes()") == [target]
    assert "共饮一江水人才交流计划" in page.inner_text("#panel")
    assert "启动实施“共饮一江水”人才交流计划" in page.inner_text("#panel")   # its evidence


def test_type_filter_hides_nodes_and_keeps_the_layout(seed_build, offline_page):
    result, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html", "isolated=1")
    n_programs = sum(1 for n in result.corpus.nodes if n.type == "Program")
    region = node_id(page, "西宁市")
    before = page.evaluate("(id) => window.kgNetwork.getPositions([id])[id]", region)
    page.click("[data-type=Program] input")
    assert visible_count(page) == len(result.corpus.nodes) - n_programs
    after = page.evaluate("(id) => window.kgNetwork.getPositions([id])[id]", region)
    assert after == before
    page.click("[data-type=Program] input")
    assert visible_count(page) == len(result.corpus.nodes)


def test_document_and_region_filters(seed_build, offline_page):
    result, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html", "isolated=1")
    page.select_option("#region", "蒸湘区")
    only_004 = [n for n in result.corpus.nodes if "004_78da3057a77bf2a4.txt" in n.docs]
    assert visible_count(page) == len(only_004)


def test_click_on_a_node_shows_its_relations_and_evidence(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    target = node_id(page, "首席人才官制度")
    page.evaluate("(id) => window.kgNetwork.focus(id, {scale: 1.5, animation: false})", target)
    box = page.locator("#graph").bounding_box()
    xy = page.evaluate("(id) => window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions([id])[id])", target)
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    panel = page.inner_text("#panel")
    assert "首席人才官制度" in panel
    assert "建立“首席人才官”制度" in panel            # the evidence sentence
    assert "以中央人才工作会议精神为指引" in panel     # its document's title
    assert "2022-10-11" in panel and "西宁市" in panel  # date and region
    page.screenshot(path=str(artifact("seed-graph-panel.png")))


HOSTILE = ['</script><script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">',
           "引号\"'与反斜杠\\计划", "{{ 7*7 }}${alert(1)}", "长" * 200]


def test_hostile_text_is_shown_as_text_and_never_runs(tmp_path, offline_page):
    from kg.graph import build_graph
    from kg.model import Entity, Extraction, Mention, Metadata, Relation
    from kg.page import render_html
    from kg.read import make_document
    from kg.resolve import resolve
    text = "。".join(HOSTILE) + "。"
    doc = make_document(text, "<b>hostile</b>.txt")
    ents = tuple(Entity("Program", n, (f"<i>{k}</i>",), (Mention(n, text.index(n), text.index(n) + len(n), k),))
                 for k, n in enumerate(HOSTILE))
    ents += (Entity("Region", "西宁市", (), (Mention("正", 0, 1, 0),)),)
    rels = tuple(Relation("西宁市", "implements", e.name, e.mentions[0]) for e in ents[:-1])
    x = Extraction(doc, Metadata(title="<script>window.__pwned=3</script>", region="西宁市"), ents, rels)
    base = "https://w3id.org/talentkg/id/"
    page_file = tmp_path / "hostile.html"
    page_file.write_text(render_html(build_graph(resolve([x], base), base), title="</title><script>window.__pwned=4</script>"),
                         encoding="utf-8")
    page = offline_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, page_file)
    for name in HOSTILE:
        page.evaluate("(q) => window.kgSearch(q)", name)
        assert name in page.inner_text("#panel")
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == [] and page.js_errors == [] and page.blocked_requests == []
    assert "</title><script>" in page.title()
    page.screenshot(path=str(artifact("hostile.png")))


def test_render_views(seed_build, offline_page, tmp_path):
    import kg.pipeline as p
    result, out = seed_build
    ego = p.render(out / "graph.ttl", tmp_path / "ego.html", focus="首席人才官", hops=1)
    assert 2 <= ego.nodes < len(result.corpus.nodes)
    typed = p.render(out / "graph.ttl", tmp_path / "pb.html", types=["Program", "Body"])
    assert typed.nodes == sum(1 for n in result.corpus.nodes if n.type in ("Program", "Body"))
    region = p.render(out / "graph.ttl", tmp_path / "xn.html", docs=["西宁市"])
    assert region.nodes == sum(1 for n in result.corpus.nodes if "003_3fd2aaed58580efd.txt" in n.docs)
    page = offline_page
    open_page(page, tmp_path / "ego.html")
    names = page.evaluate("() => window.kgNodes.get().map(n => n.kgName)")
    assert "首席人才官制度" in names and "西宁市" in names
    assert page.blocked_requests == []


def test_physics_is_off_and_the_control_turns_it_on(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    assert page.evaluate("() => window.kgNetwork.physics.options.enabled") is False
    still = page.evaluate("() => JSON.stringify(window.kgNetwork.getPositions())")
    page.wait_for_timeout(300)
    assert page.evaluate("() => JSON.stringify(window.kgNetwork.getPositions())") == still
    page.click("#physics")
    assert page.evaluate("() => window.kgNetwork.physics.options.enabled") is True
    assert "开" in page.inner_text("#physics")


# --- reading the page at a glance (issue: labels, isolated nodes, panel, shareable state, export) ---

def _labels(page):
    return page.evaluate("window.kgLabels")


def _overlapping(labels):
    return [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


def test_the_top_entities_are_labelled_readably_at_the_opening_view(seed_build, offline_page):
    _, out = seed_build
    open_page(offline_page, out / "graph.html")
    offline_page.wait_for_timeout(300)
    labels = _labels(offline_page)
    top = set(offline_page.evaluate("window.kgTop"))
    shown = [x for x in labels if x["id"] in top]
    assert len(shown) >= 10 and all(x["bottom"] - x["top"] >= 12 for x in shown)
    assert _overlapping(labels) == []


def test_zooming_in_shows_more_labels_and_none_covers_another(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    before = len(_labels(page))
    page.evaluate("window.kgNetwork.moveTo({scale: window.kgNetwork.getScale() * 4})")
    page.wait_for_timeout(300)
    after = _labels(page)
    assert len(after) > before
    assert _overlapping(after) == []
    assert all(x["bottom"] - x["top"] >= 10 for x in after)     # whatever is drawn can be read


def test_isolated_entities_wait_behind_a_toggle_that_counts_them(seed_build, offline_page):
    result, out = seed_build
    linked = {e.head for e in result.corpus.edges} | {e.tail for e in result.corpus.edges}
    isolated = len(result.corpus.nodes) - len(linked)
    page = offline_page
    open_page(page, out / "graph.html")
    assert str(isolated) in page.inner_text("#isolated")
    assert page.evaluate("Object.keys(window.kgNetwork.getPositions()).length") == len(linked)
    page.click("#isolated")
    assert page.evaluate("Object.keys(window.kgNetwork.getPositions()).length") == len(result.corpus.nodes)
    assert "isolated=1" in page.evaluate("location.hash")


def test_the_legend_shows_each_types_shape_and_colour(seed_build, offline_page):
    from kg.page import styles
    _, out = seed_build
    open_page(offline_page, out / "graph.html")
    shown = offline_page.evaluate("""Array.from(document.querySelectorAll('#types [data-type]')).map(r =>
        [r.dataset.type, r.querySelector('svg').dataset.shape, r.querySelector('svg').getAttribute('fill')])""")
    assert shown and all([t, s, c] == [t, styles()[t]["shape"], styles()[t]["color"]] for t, s, c in shown)


def test_the_panel_shows_relations_first_with_the_whole_sentence_and_the_span_marked(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    found = page.evaluate("""(() => { for (const e of window.kgEdges.get()) for (const ev of e.evidence)
        if (ev.sentence && ev.sentence !== ev.text && ev.sentence.includes(ev.text)) return [e.from, ev.text, ev.sentence];
        return null; })()""")
    assert found, "the seeds have evidence that is part of a longer sentence"
    node, span, sentence = found
    page.evaluate("id => window.kgNetwork.emit('click', {nodes: [id], edges: []})", node)
    assert sentence in page.inner_text("#panel")
    assert span in page.eval_on_selector_all("#panel mark", "ms => ms.map(m => m.textContent)")
    # relations come before the list of documents
    assert page.evaluate("""(() => { const p = document.getElementById('panel');
        const r = p.querySelector('.relgroup'), d = document.getElementById('node-docs');
        return !!r && !!d && (r.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING) > 0; })()""")


def test_a_link_with_the_view_in_its_hash_opens_the_same_view(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    node = page.evaluate("window.kgTop[0]")
    name = page.evaluate("id => window.kgNodes.get(id).kgName", node)
    page.evaluate("id => window.kgNetwork.emit('click', {nodes: [id], edges: []})", node)
    page.click("#types [data-type='Industry'] input")
    link = page.url
    assert "node=" in link and "types=Industry" in link
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_function("() => window.kgReady === true", timeout=30000)
    other.wait_for_timeout(300)
    assert other.inner_text("#panel h2") == name
    assert other.evaluate("window.kgNetwork.getSelectedNodes()") == [node]
    industries = other.evaluate("window.kgNodes.get({filter: n => n.kgType === 'Industry'}).map(n => n.id)")
    drawn = set(other.evaluate("Object.keys(window.kgNetwork.getPositions())"))
    assert industries and not drawn & set(industries)
    assert not other.is_checked("#types [data-type='Industry'] input")


def test_the_visible_view_exports_as_csv_and_png(seed_build, offline_page):
    import csv
    import io
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    page.click("#types [data-type='Industry'] input")
    with page.expect_download() as d:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    nodes = [r for r in rows[1:] if r[0] == "node"]
    assert len(nodes) == page.evaluate("Object.keys(window.kgNetwork.getPositions()).length")
    assert not any(r[2] == "Industry" for r in nodes) and any(r[0] == "edge" for r in rows)
    with page.expect_download() as d:
        page.click("#export-png")
    assert Path(d.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.blocked_requests == []


def big_page(tmp_path, n: int = 2100) -> Path:
    """A page of n entities in chains of ten (a network with clear communities)."""
    import networkx as nx

    from kg.page import render_html
    G = nx.MultiDiGraph(documents={"d.txt": {"title": "文档", "date": "2024-01-01", "region": "西宁市"}})
    for i in range(n):
        G.add_node(f"n{i}", type="Program" if i % 10 else "Body", name=f"计划{i}", aliases=[], docs=["d.txt"])
    for i in range(n):
        if i % 10:
            G.add_edge(f"n{i - i % 10}", f"n{i}", key="implements", relation="implements",
                       evidence=[{"text": "实施", "sentence": "实施", "doc": "d.txt", "title": "文档", "date": "",
                                  "region": "", "start": 0, "end": 2}])
    path = tmp_path / "big.html"
    path.write_text(render_html(G, "big"), encoding="utf-8")
    return path


def test_a_large_page_opens_on_its_communities_and_a_click_opens_one(tmp_path, offline_page):
    page = offline_page
    open_page(page, big_page(tmp_path))
    drawn = page.evaluate("Object.keys(window.kgNetwork.getPositions()).length")
    communities = page.evaluate("window.kgNetwork.body.data.nodes.length") and \
        page.evaluate("Object.keys(window.kgNetwork.getPositions()).filter(id => window.kgIsCommunity(id)).length")
    assert 0 < communities <= drawn < 2100 / 5
    named = [x for x in _labels(page) if x["id"].startswith("community:")]
    assert named and all(x["text"].startswith("计划") and " 等 " in x["text"] for x in named)  # top entity, size
    assert min(x["bottom"] - x["top"] for x in named) >= 11       # and the names read at the opening zoom
    label = [named[0]["id"]]
    page.evaluate("id => { window.kgNetwork.selectNodes([id]); window.kgNetwork.emit('selectNode', {nodes: [id]}); }",
                  label[0])
    assert page.evaluate("Object.keys(window.kgNetwork.getPositions()).length") > drawn
    page.click("#overview")      # 展开全部: every entity
    assert page.evaluate("Object.keys(window.kgNetwork.getPositions()).length") == 2100
    assert page.js_errors == [] and page.blocked_requests == []


def test_a_small_page_opens_on_its_entities_and_can_show_its_communities(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    before = page.evaluate("Object.keys(window.kgNetwork.getPositions()).length")
    assert page.evaluate("Object.keys(window.kgNetwork.getPositions()).some(id => window.kgIsCommunity(id))") is False
    page.click("#overview")
    assert 0 < page.evaluate("Object.keys(window.kgNetwork.getPositions()).length") < before


def test_a_tooltip_is_made_when_a_node_is_first_hovered(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    node = page.evaluate("window.kgTop[0]")
    assert page.evaluate("id => window.kgNodes.get(id).title", node) is None
    page.evaluate("id => window.kgNetwork.emit('hoverNode', {node: id})", node)
    name = page.evaluate("id => window.kgNodes.get(id).kgName", node)
    assert page.evaluate("id => window.kgNodes.get(id).title.textContent", node).startswith(name)


def test_entities_can_be_coloured_by_community_and_the_link_keeps_it(seed_build, offline_page):
    _, out = seed_build
    page = offline_page
    open_page(page, out / "graph.html")
    region = node_id(page, "西宁市")
    by_type = page.evaluate("id => window.kgNodes.get(id).color", region)
    page.click("#colour")
    community = page.evaluate("id => window.kgNodes.get(id).community", region)
    coloured = page.evaluate("id => window.kgNodes.get(id).color", region)
    assert community >= 0 and coloured != by_type
    members = page.evaluate("c => window.kgNodes.get({filter: n => n.community === c}).map(n => n.color)", community)
    assert len(members) > 1 and set(members) == {coloured}            # one colour a community
    assert "colour=community" in page.evaluate("location.hash")
    link = page.evaluate("location.href")
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_function("() => window.kgReady === true", timeout=30000)
    assert page.evaluate("id => window.kgNodes.get(id).color", region) == coloured
    page.click("#colour")
    assert page.evaluate("id => window.kgNodes.get(id).color", region) == by_type
    assert page.js_errors == []


def test_the_page_data_written_piece_by_piece_is_the_json_of_the_whole():
    """A build writes the page's data an item at a time (kg.page.write_script_json); it must
    be byte for byte the escaped JSON of the whole, whatever the strings hold."""
    import io

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.page import script_json, write_script_json
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                          max_leaves=12)

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.text(), values | st.lists(values, max_size=6), max_size=6))
    def check(data):
        out = io.BytesIO()
        write_script_json(out, data)
        assert out.getvalue() == script_json(data).encode("utf-8")
    check()
