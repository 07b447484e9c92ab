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

import io
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import BinaryIO

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph

from .analyze import community_groups, importance, layout, to_networkx
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
    community, communities = communities_of(G, imp)
    top = max(imp.values(), default=1.0) or 1.0
    zh = labels("zh")
    st = styles()
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.node_ids = _Ids()
    for n, attrs in sorted(G.nodes(data=True)):
        style = st.get(attrs["type"], {"color": "#999", "shape": "dot"})
        x, y = pos.get(n, (0.0, 0.0))
        label = attrs["name"] if len(attrs["name"]) <= LABEL_MAX else attrs["name"][: LABEL_MAX - 1] + "…"
        net.add_node(n, label=label, color=style["color"], shape=style["shape"],
                     size=round(10 + 30 * (imp.get(n, 0) / top) ** 0.5, 2), x=round(x, 2), y=round(y, 2),
                     kgType=attrs["type"], kgName=attrs["name"], aliases=attrs["aliases"], docs=attrs["docs"],
                     community=community.get(n, -1))
        net.nodes[-1]["kgLabel"] = net.nodes[-1].pop("label")   # the page draws labels itself, none over another
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
        "communities": overview(G, pos, community, communities, st),
        "communityEdges": between(G, community),
        "overviewAbove": OVERVIEW_ABOVE,
    }
    return net, meta


class _Ids(list):
    """pyvis keeps node ids in a list and checks both ends of every new edge against it, a
    scan each time (minutes at 100,000 nodes); the same list, with set lookups."""

    def __init__(self):
        super().__init__()
        self._set: set = set()

    def __contains__(self, x) -> bool:
        return x in self._set

    def append(self, x) -> None:
        super().append(x)
        self._set.add(x)


OVERVIEW_ABOVE = 1500   # a page with more entities opens on its communities


def overview(G, pos: dict, community: dict, communities: list, st: dict) -> list[dict]:
    """Each community as the page draws it when collapsed: named by its top entity, with its
    size, the colour of that entity's type, at the centre of its members."""
    sums: dict[int, list[float]] = {}
    for n, c in community.items():
        x, y = pos.get(n, (0.0, 0.0))
        acc = sums.setdefault(c, [0.0, 0.0, 0])
        acc[0] += x
        acc[1] += y
        acc[2] += 1
    return [{"id": i, "label": G.nodes[top]["name"], "size": size,
             "color": st.get(G.nodes[top]["type"], {}).get("color", "#999"),
             "x": round(sums[i][0] / sums[i][2], 2), "y": round(sums[i][1] / sums[i][2], 2)}
            for i, (top, size) in enumerate(communities)]


def between(G, community: dict) -> list[list[int]]:
    """[community, community, relations between them] for every linked pair of communities."""
    count = Counter()
    for u, v in G.edges():
        cu, cv = community.get(u, -1), community.get(v, -1)
        if cu >= 0 and cv >= 0 and cu != cv:
            count[(min(cu, cv), max(cu, cv))] += 1
    return [[a, b, k] for (a, b), k in sorted(count.items())]


def communities_of(G, imp: dict) -> tuple[dict, list]:
    """kg.analyze.community_groups as the page uses them: node -> community number, and each
    community's (most important entity, size), the largest first."""
    member, tops = {}, []
    for i, c in enumerate(community_groups(G)):
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
    buf = io.BytesIO()
    write_html(buf, g, title)
    return buf.getvalue().decode("utf-8")


DATA_MARK = "\x00kg-data\x00"   # where the data goes in the rendered template: its last field


def write_html(fh: BinaryIO, g: Graph | nx.MultiDiGraph, title: str = "人才政策知识图谱") -> None:
    """`render_html` into a binary file as it is made: the page's data (every entity, and
    every relation with the sentences that state it: 225 MB at 100,000 documents) is written
    an entity, a relation, a document at a time, never as one string."""
    G = g if isinstance(g, nx.MultiDiGraph) else to_networkx(g)
    net, meta = network(G)
    data = {"title": title, "nodes": net.nodes, "edges": net.edges, "options": OPTIONS, **meta}
    js, css = _vis_assets()
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(resources.files("kg").joinpath("assets", "page.html.j2").read_text(encoding="utf-8"))
    head, tail = template.render(page_title=title, vis_js=Markup(js), vis_css=Markup(css),
                                 data_json=Markup(DATA_MARK)).rsplit(DATA_MARK, 1)
    fh.write(head.encode("utf-8"))
    write_script_json(fh, data)
    fh.write(tail.encode("utf-8"))


def write_script_json(fh: BinaryIO, data: dict) -> None:
    """script_json(data), the same bytes, written a value at a time and a list item by item."""
    fh.write(b"{")
    for i, (key, value) in enumerate(data.items()):
        fh.write((("," if i else "") + script_json(key) + ":").encode("utf-8"))
        if isinstance(value, list):
            fh.write(b"[")
            for k, item in enumerate(value):
                fh.write((("," if k else "") + script_json(item)).encode("utf-8"))
            fh.write(b"]")
        else:
            fh.write(script_json(value).encode("utf-8"))
    fh.write(b"}")
