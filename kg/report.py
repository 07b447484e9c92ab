"""`kg report GRAPH`: an overview of a corpus that an analyst can print or mail.

Every table is a named SPARQL query of kg/queries (documents, adopted-since,
incentives-by-category, who-runs-what) or networkx and igraph over the same graph
(PageRank and the page's communities), so the report says what `kg query` says. `tables(graph)` gives
them to Python (pandas DataFrames when pandas is installed and asked for, else lists of
dicts); `render_html` writes one offline page (Vega-Lite charts through Altair, the
vega-embed bundle of vl-convert inlined: no network request), `render_md` Markdown, and
`write_csv` one CSV per table.
"""
from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from decimal import Decimal
from importlib import resources

from rdflib import Graph

from .query import named_sparql
from .store import OxigraphStore, Store

TOP_COMMUNITIES = 8
MATRIX_ROWS = 25      # most widely adopted mechanisms / programs / platforms shown per matrix
CHART_CATEGORIES = 6  # talent categories charted (the table lists them all)


def _select(store: Store, name: str) -> list[dict]:
    r = store.query(named_sparql(name))
    return [{str(v): _plain(row.get(v)) for v in r.vars} for row in r.bindings]


def _plain(term):
    """An RDF term as a plain value: numbers as int or float, booleans, text otherwise."""
    if term is None:
        return None
    v = term.toPython()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)):
        return int(v) if float(v).is_integer() else float(v)
    return str(v)


def _text(v) -> str:
    return "" if v is None else str(v)


def tables(g: Graph, frames: bool = False) -> dict[str, list[dict]]:
    """The report's tables: documents, regions, years, adopted, incentives, who_runs_what,
    central, communities. `frames=True`: pandas DataFrames (pandas must be installed)."""
    from .analyze import importance, to_networkx

    store = OxigraphStore.of_graph(g)
    docs = _select(store, "documents")
    for d in docs:
        d["year"] = str(d["date"])[:4] if d.get("date") else None
        d["genre"] = genre_of(d.get("title"))
    genres = Counter(d["genre"] for d in docs)
    regions = Counter((d["region"], d.get("level"), d.get("province")) for d in docs if d.get("region"))
    years = Counter(d["year"] for d in docs if d["year"])
    adopted = _select(store, "adopted-since")
    for a in adopted:
        a["since"] = None if a["since"] is None else str(a["since"])
    incentives = _select(store, "incentives-by-category")
    who = _select(store, "who-runs-what")
    G = to_networkx(g)
    imp = importance(G)
    central = [{"name": G.nodes[n]["name"], "type": G.nodes[n]["type"], "pagerank": round(imp[n], 5),
                "degree": G.degree(n), "documents": len(G.nodes[n]["docs"])}
               for n in sorted(imp, key=lambda n: (-imp[n], G.nodes[n]["name"]))[:20]]
    out = {
        "documents": docs,
        "regions": [{"region": r, "level": lv, "province": p, "documents": n}
                    for (r, lv, p), n in sorted(regions.items(), key=lambda kv: (-kv[1], kv[0][0]))],
        "years": [{"year": y, "documents": n} for y, n in sorted(years.items())],
        "genres": [{"genre": k, "documents": n} for k, n in genres.most_common()],
        "skipped": _select(store, "skipped"),
        "adopted": adopted,
        "incentives": incentives,
        "who_runs_what": who,
        "central": central,
        "communities": communities(G, imp),
    }
    if frames:
        import pandas as pd
        return {k: pd.DataFrame(v) for k, v in out.items()}
    return out


def genre_of(title) -> str:
    """policy, speech, report or news, from the words of a title (kg/lexicon/genres.tsv)."""
    from .vocab import genre_words
    for genre, words in genre_words():
        if title and any(w in title for w in words):
            return genre
    return "news"


def communities(G, imp: dict) -> list[dict]:
    """The communities of the relation network (the page's: kg.analyze.community_groups),
    each named by its top entities."""
    from .analyze import community_groups
    rows = []
    for c in community_groups(G):
        top = sorted(c, key=lambda n: (-imp.get(n, 0), G.nodes[n]["name"]))
        rows.append({"community": " · ".join(G.nodes[n]["name"] for n in top[:3]), "size": len(c),
                     "members": "、".join(G.nodes[n]["name"] for n in top[:12])})
    return rows[:TOP_COMMUNITIES]


# --- charts ------------------------------------------------------------------------------

def charts(t: dict) -> dict[str, dict]:
    """Vega-Lite specs (Altair) of the corpus and of what places offer."""
    import altair as alt
    out = {}
    if t["regions"]:
        regions = [dict(r, level=r["level"] or "—") for r in t["regions"][:30]]
        out["regions"] = alt.Chart(alt.Data(values=regions)).mark_bar().encode(
            x=alt.X("documents:Q", title="文档数"), y=alt.Y("region:N", sort="-x", title=None),
            color=alt.Color("level:N", title="级别"), tooltip=["region:N", "level:N", "province:N", "documents:Q"],
        ).properties(width=420, height=alt.Step(16)).to_dict()
    if t["years"]:
        out["years"] = alt.Chart(alt.Data(values=t["years"])).mark_bar().encode(
            x=alt.X("year:O", title="年份"), y=alt.Y("documents:Q", title="文档数"), tooltip=["year:O", "documents:Q"],
        ).properties(width=420, height=160).to_dict()
    money = [dict(r, amount=r["max"] if r.get("max") is not None else r.get("min"), place=r.get("place") or "—")
             for r in t["incentives"] if (r.get("max") or r.get("min"))]
    top = [c for c, _ in Counter(r["category"] for r in money).most_common(CHART_CATEGORIES)]
    if top:
        # a dot per figure on a log axis: 3,000 元 and 1 亿元 side by side
        out["incentives"] = alt.Chart(alt.Data(values=[r for r in money if r["category"] in top])).mark_circle(
            size=90, opacity=0.85).encode(
            x=alt.X("amount:Q", title="金额（元，对数）", scale=alt.Scale(type="log")),
            y=alt.Y("place:N", title=None), color=alt.Color("kind:N", title="类别"),
            row=alt.Row("category:N", title=None, sort=top, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=["category:N", "place:N", "kind:N", "amount:Q", "evidence:N"],
        ).properties(width=380).resolve_scale(y="independent").to_dict()
    return out


# --- writers -----------------------------------------------------------------------------

def matrix(adopted: list[dict], etype: str) -> tuple[list[str], list[dict]]:
    """Region × name, the cell the year since when (or ✓): the most widely adopted first."""
    rows = [a for a in adopted if a["type"] == etype]
    by_name: dict[str, dict] = defaultdict(dict)
    for a in rows:
        by_name[a["name"]][a["region"]] = (a["since"] or "✓")[:4]
    regions = [r for r, _ in Counter(a["region"] for a in rows).most_common(12)]
    names = sorted(by_name, key=lambda n: (-len(by_name[n]), n))[:MATRIX_ROWS]
    return regions, [{"name": n, "cells": [by_name[n].get(r, "") for r in regions], "places": len(by_name[n])}
                     for n in names]


def render_html(g: Graph, title: str = "人才政策知识图谱 · 报告") -> str:
    import jinja2
    import vl_convert

    t = tables(g)
    env = jinja2.Environment(autoescape=True)
    tmpl = env.from_string(resources.files("kg").joinpath("assets", "report.html.j2").read_text(encoding="utf-8"))
    mats = {k: matrix(t["adopted"], k) for k in ("Mechanism", "Program", "Platform")}
    by_cat: dict[str, list] = defaultdict(list)
    for r in t["incentives"]:
        by_cat[r["category"]].append(r)
    return tmpl.render(title=title, t=t, mats=mats, by_cat=sorted(by_cat.items(), key=lambda kv: (-len(kv[1]), kv[0])),
                       specs=json.dumps(charts(t), ensure_ascii=False).replace("</", "<\\/"),
                       bundle=vl_convert.javascript_bundle().replace("</script", "<\\/script"),
                       money=money_text, anchor=anchor)


def money_text(r: dict) -> str:
    lo, hi = r.get("min"), r.get("max")
    def m(v):
        v = float(v)
        return f"{v / 1e4:g}万元" if v >= 1e4 else f"{v:g}元"
    if lo is not None and hi is not None:
        return m(hi) if float(lo) == float(hi) else f"{m(lo)}–{m(hi)}"
    if hi is not None:
        return "最高" + m(hi)
    if lo is not None:
        return "不低于" + m(lo)
    return f"{r.get('quantity'):g}{r.get('unit') or ''}" if r.get("quantity") is not None else ""


def anchor(doc) -> str:
    return "doc-" + "".join(c if c.isalnum() else "-" for c in _text(doc))


def render_md(g: Graph) -> str:
    t = tables(g)
    lines = ["# 人才政策知识图谱 · 报告", "", f"{len(t['documents'])} 篇文档。", ""]
    for name, rows in t.items():
        if not rows:
            continue
        cols = list(rows[0])
        lines += [f"## {name}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for r in rows:
            lines.append("| " + " | ".join(_text(r[c]).replace("|", "\\|").replace("\n", " ") for c in cols) + " |")
        lines.append("")
    return "\n".join(lines)


def write_csv(g: Graph) -> dict[str, str]:
    """{table name: CSV text} for every table (the caller writes them)."""
    from .export import SafeWriter
    texts = {}
    for name, rows in tables(g).items():
        buf = io.StringIO()
        w = SafeWriter(buf)
        cols = list(rows[0]) if rows else []
        w.writerow(cols)
        for r in rows:
            w.writerow([_text(r[c]) for c in cols])
        texts[name] = "\ufeff" + buf.getvalue()
    return texts


__all__ = ["tables", "render_html", "render_md", "write_csv"]
