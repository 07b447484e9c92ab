"""rdflib Graph -> one self-contained interactive HTML page (pyvis network, our template).

pyvis builds the network (nodes, edges, vis options); the page itself comes from
kg/assets/page.html.j2 because pyvis's own templates load Bootstrap and vis-network
from CDNs and write names into the page unescaped. Here:

  - vis-network's JS and CSS (shipped inside the pyvis package) are inlined, and a
    Content-Security-Policy forbids every network request;
  - all document text travels as JSON in a <script type="application/json"> block
    with <, >, & escaped, and the page only ever sets it as textContent;
  - positions are computed beforehand (networkx spring layout, fixed seed) and
    physics is off, so a large graph draws at once and stays still.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph

from .analyze import importance, layout, to_networkx
from .model import ENTITY_TYPES, RELATION_TYPES
from .schema import labels

VIS_DIR = "lib/vis-9.1.2"
LABEL_MAX = 24   # longer names are cut on the canvas; tooltip and panel show them whole


@lru_cache(maxsize=1)
def styles() -> dict:
    data = json.loads(resources.files("kg").joinpath("assets", "styles.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath(*VIS_DIR.split("/"))
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    # only "</script" (or "</style") could end the element early; vis-network has none today
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I), re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def script_json(obj) -> str:
    """JSON that is safe inside a <script> element whatever strings it holds."""
    s = json.dumps(obj, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def network(G) -> tuple[Network, dict]:
    """A pyvis Network of a networkx view (directed, positions fixed) and page metadata."""
    pos = layout(G)
    imp = importance(G)
    community, communities = louvain(G, imp)
    top = max(imp.values(), default=1.0) or 1.0
    zh = labels("zh")
    st = styles()
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    for n, attrs in sorted(G.nodes(data=True)):
        style = st.get(attrs["type"], {"color": "#999", "shape": "dot"})
        x, y = pos.get(n, (0.0, 0.0))
        label = attrs["name"] if len(attrs["name"]) <= LABEL_MAX else attrs["name"][: LABEL_MAX - 1] + "…"
        net.add_node(n, label=label, color=style["color"], shape=style["shape"],
                     size=round(10 + 30 * (imp.get(n, 0) / top) ** 0.5, 2), x=round(x, 2), y=round(y, 2),
                     kgType=attrs["type"], kgName=attrs["name"], aliases=attrs["aliases"], docs=attrs["docs"],
                     community=community.get(n, -1))
    parallel = Counter()
    for i, (u, v, key, attrs) in enumerate(sorted(G.edges(keys=True, data=True))):
        k = parallel[frozenset((u, v))]  # the k-th relation between one pair bends further out
        parallel[frozenset((u, v))] += 1
        net.add_edge(u, v, id=f"e{i}", label=zh.get(key, key), relation=key, arrows="to",
                     smooth={"enabled": True, "type": "curvedCW", "roundness": round(0.1 + 0.2 * k, 2)},
                     evidence=attrs["evidence"])
    type_counts = Counter(a["type"] for _, a in G.nodes(data=True))
    rel_counts = Counter(k for _, _, k in G.edges(keys=True))
    docs = G.graph.get("documents", {})
    doc_counts = Counter(d for _, a in G.nodes(data=True) for d in a["docs"])
    meta = {
        "documents": [{"id": d, **docs.get(d, {}), "count": doc_counts[d]} for d in sorted(doc_counts)],
        "types": [{"type": t, "label": zh.get(t, t), "count": type_counts[t], **st.get(t, {})}
                  for t in ENTITY_TYPES if type_counts[t]],
        "relations": [{"relation": r, "label": zh.get(r, r), "count": rel_counts[r]}
                      for r in RELATION_TYPES if rel_counts[r]],
        "communities": [{"id": i, "label": G.nodes[top]["name"], "size": size,
                         "color": st.get(G.nodes[top]["type"], {}).get("color", "#999")}
                        for i, (top, size) in enumerate(communities)],
        "overviewAbove": OVERVIEW_ABOVE,
    }
    return net, meta


OVERVIEW_ABOVE = 1500   # a page with more entities opens on its communities


def louvain(G, imp: dict) -> tuple[dict, list]:
    """Louvain communities of the relation network (fixed seed): node -> community number, and
    each community's (most important entity, size), the largest first. Singletons get none."""
    simple = nx.Graph()
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    if simple.number_of_edges() == 0:
        return {}, []
    groups = [c for c in nx.community.louvain_communities(simple, seed=7) if len(c) > 1]
    groups.sort(key=lambda c: (-len(c), min(c)))
    member, tops = {}, []
    for i, c in enumerate(groups):
        for n in c:
            member[n] = i
        tops.append((max(sorted(c), key=lambda n: imp.get(n, 0)), len(c)))
    return member, tops


OPTIONS = {
    "physics": {"enabled": False, "solver": "barnesHut",
                "stabilization": {"enabled": True, "iterations": 200, "fit": False}},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "multiselect": False},
    "nodes": {"font": {"size": 14, "face": "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"},
              "borderWidth": 1},
    "edges": {"font": {"size": 11, "align": "middle", "color": "#555"}, "color": {"color": "#999", "highlight": "#333"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
}


def render_html(g: Graph | nx.MultiDiGraph, title: str = "人才政策知识图谱") -> str:
    """The page for a graph, or for a networkx view of one (kg.analyze.view)."""
    G = g if isinstance(g, nx.MultiDiGraph) else to_networkx(g)
    net, meta = network(G)
    data = {"title": title, "nodes": net.nodes, "edges": net.edges, "options": OPTIONS, **meta}
    js, css = _vis_assets()
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(resources.files("kg").joinpath("assets", "page.html.j2").read_text(encoding="utf-8"))
    return template.render(page_title=title, vis_js=Markup(js), vis_css=Markup(css), data_json=Markup(script_json(data)))
