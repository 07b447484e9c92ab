"""The graph as a network: rdflib Graph -> networkx views and measures.

Pure functions over a built graph; anything random takes an explicit seed.

    >>> from kg.analyze import to_networkx, importance
    >>> G = to_networkx(load_graph("output/graph.ttl"))        # doctest: +SKIP
    >>> top = sorted(importance(G).items(), key=lambda kv: -kv[1])[:10]   # doctest: +SKIP
"""
from __future__ import annotations

import random
from collections import defaultdict
from contextlib import contextmanager

import networkx as nx
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS, PROV, SKOS

from .model import ENTITY_TYPES, RELATION_TYPES
from .schema import KG


def _values(g: Graph, predicate) -> dict:
    """subject -> one object of `predicate` (one pass over the predicate's triples, not a
    lookup per subject)."""
    out = {}
    for s, o in g.subject_objects(predicate):
        out.setdefault(s, o)
    return out


def documents(g: Graph, pref: dict | None = None) -> dict[str, dict]:
    """Document IRI -> {id, title, date, region}. (`pref`: the prefLabels, when at hand.)"""
    ident, title, date, spatial = (_values(g, p) for p in (DCTERMS.identifier, DCTERMS.title, DCTERMS.date,
                                                           DCTERMS.spatial))
    pref = _values(g, SKOS.prefLabel) if pref is None else pref
    out = {}
    for d in g.subjects(RDF.type, KG.Document):
        region = spatial.get(d)
        out[str(d)] = {
            "id": str(ident.get(d) or ""),
            "title": str(title.get(d) or ""),
            "date": str(date.get(d) or ""),
            "region": str(pref.get(region)) if region is not None and region in pref else "",
        }
    return out


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (type, name, aliases, docs), relations as keyed edges with evidence;
    `G.graph["documents"]` maps each document id to its title, date and region.

    Every relation between two nodes is its own edge (key = relation name), so two
    relations between the same pair are both kept.
    """
    pref = _values(g, SKOS.prefLabel)
    docs = documents(g, pref)
    G = nx.MultiDiGraph(documents={d["id"]: {k: d[k] for k in ("title", "date", "region")} for d in docs.values()})
    mentioned = defaultdict(list)
    for d, _, e in g.triples((None, KG.mentions, None)):
        mentioned[e].append(docs.get(str(d), {}).get("id", str(d)))
    alt = defaultdict(list)
    for s, a in g.subject_objects(SKOS.altLabel):
        alt[s].append(str(a))
    for etype in ENTITY_TYPES:
        for s in g.subjects(RDF.type, KG[etype]):
            G.add_node(str(s), type=etype, name=str(pref.get(s) or s), aliases=sorted(alt[s]),
                       docs=sorted(mentioned[s]))
    subj, pred, obj, source, text, sentence, start, end = (
        _values(g, p) for p in (RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KG.evidenceText,
                                KG.sentenceText, KG.startOffset, KG.endOffset))
    evidence = defaultdict(list)
    for a in g.subjects(RDF.type, KG.Assertion):
        doc = docs.get(str(source.get(a)), {})
        evidence[(subj.get(a), pred.get(a), obj.get(a))].append({
            "text": str(text.get(a) or ""),
            "sentence": str(sentence.get(a) or text.get(a) or ""),
            "doc": doc.get("id", ""), "title": doc.get("title", ""),
            "date": doc.get("date", ""), "region": doc.get("region", ""),
            "start": int(start.get(a) or 0), "end": int(end.get(a) or 0),
        })
    for rel in RELATION_TYPES:
        for s, o in g.subject_objects(KG[rel]):
            if str(s) in G and str(o) in G:
                ev = sorted(evidence[(s, KG[rel], o)], key=lambda e: (e["doc"], e["start"]))
                G.add_edge(str(s), str(o), key=rel, relation=rel, evidence=ev)
    return G


def importance(G: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank over the relations, read as undirected links (a region that implements
    many programs and a program run by many regions both matter)."""
    if G.number_of_nodes() == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(G.nodes)
    for u, v in G.edges():
        w = simple[u][v]["weight"] + 1 if simple.has_edge(u, v) else 1
        simple.add_edge(u, v, weight=w)
    return nx.pagerank(simple, weight="weight")


def layout(G: nx.MultiDiGraph, seed: int = 7, scale: float | None = None) -> dict[str, tuple[float, float]]:
    """Node positions computed once, so the page need not simulate and never moves.

    Documents act as hidden anchors: each entity is pulled towards the documents
    that mention it, so what one document talks about sits together, and an entity
    that many documents share sits between them. The force-directed layout is
    igraph's Fruchterman-Reingold (C), on a grid from 1,000 nodes up (repulsion from
    neighbouring cells only: 0.1 s for 4,000 nodes where the exact one takes 8 s),
    started from positions drawn with `seed`, so a rebuild is identical.
    """
    import igraph

    n = G.number_of_nodes()
    if n == 0:
        return {}
    scale = scale or max(500.0, 110.0 * n ** 0.5)
    names = sorted(G.nodes)
    anchors = sorted({"\0doc:" + d for _, docs in G.nodes(data="docs") for d in docs or ()})
    index = {v: i for i, v in enumerate(names + anchors)}
    pairs: dict[tuple[int, int], float] = {}   # edge -> weight (relations 1.0, document anchors 0.4)
    for u, v in G.edges():
        key = tuple(sorted((index[u], index[v])))
        if key[0] != key[1]:
            pairs[key] = 1.0
    for node, docs in G.nodes(data="docs"):
        for d in docs or ():
            pairs.setdefault(tuple(sorted((index[node], index["\0doc:" + d]))), 0.4)
    edges = sorted(pairs)
    g = igraph.Graph(n=len(index), edges=edges)
    rnd = random.Random(seed)
    # start spread over the area the layout will fill: the grid that makes FR linear-ish
    # on large graphs only helps when the nodes do not all start in one cell
    r = len(index) ** 0.5 / 2
    start = [[rnd.uniform(-r, r), rnd.uniform(-r, r)] for _ in range(len(index))]
    with seeded_igraph(seed):   # FR draws random numbers too
        coords = g.layout_fruchterman_reingold(weights=[pairs[e] for e in edges] if edges else None,
                                               niter=200, seed=start, grid="auto")
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {v: ((coords[index[v]][0] - cx) / span * 2 * scale, (coords[index[v]][1] - cy) / span * 2 * scale)
            for v in names}


def corpus_network(corpus) -> nx.MultiDiGraph:
    """The network `to_networkx` reads from the corpus's graph, made from the Corpus itself
    (a build needs no rdflib graph for its page and summary): the same nodes, attributes,
    edges and evidence (tests/test_build.py compares the two)."""
    from .graph import BAD_CHARS, DATE_TYPES

    def clean(value: str) -> str:
        return BAD_CHARS.sub("", value)
    names = {n.iri: clean(n.name) for n in corpus.nodes}
    docs = {}
    for d in corpus.documents:
        m = d.metadata
        docs[d.id] = {"title": clean(m.title or ""),
                      "date": m.date if m.date and any(rx.match(m.date) for rx, _ in DATE_TYPES) else "",
                      "region": names.get(d.region_iri, "") if d.region_iri else ""}
    G = nx.MultiDiGraph(documents=docs)
    mentioned = defaultdict(set)
    for d in corpus.documents:
        for iri in d.mentions:
            mentioned[iri].add(d.id)
    for etype in ENTITY_TYPES:
        for n in corpus.nodes:
            if n.type == etype and n.iri not in G:
                G.add_node(n.iri, type=etype, name=names[n.iri], aliases=sorted({clean(a) for a in n.aliases}),
                           docs=sorted(mentioned[n.iri]))
    evidence = defaultdict(list)     # each statement of a relation (an assertion of the graph)
    for e in corpus.edges:
        d, text = docs.get(e.doc, {}), clean(e.evidence.text)
        evidence[(e.head, e.relation, e.tail)].append({
            "text": text, "sentence": clean(e.sentence) if e.sentence and e.sentence != e.evidence.text else text,
            "doc": e.doc, "title": d.get("title", ""), "date": d.get("date", ""), "region": d.get("region", ""),
            "start": e.evidence.start, "end": e.evidence.end})
    heads = {rel: {} for rel in RELATION_TYPES}   # relation -> tail -> heads, in the order first stated
    for e in corpus.edges:
        if e.relation in heads:
            heads[e.relation].setdefault(e.tail, {}).setdefault(e.head, None)
    for rel in RELATION_TYPES:
        for t, hs in heads[rel].items():
            for h in hs:
                if h not in G or t not in G:
                    continue
                G.add_edge(h, t, key=rel, relation=rel,
                           evidence=sorted(evidence[(h, rel, t)], key=lambda e: (e["doc"], e["start"])))
    return G


@contextmanager
def seeded_igraph(seed: int):
    """igraph's random numbers drawn from random.Random(seed) inside the block, so that what
    it computes is the same on every run."""
    import igraph
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def community_groups(G) -> list[set]:
    """Communities of the relation network by modularity: igraph's Leiden (Louvain's
    refinement, in C: 0.6 s at 100,000 nodes where networkx's Louvain takes 10 s), fixed
    seed; the largest first, singletons left out. The page and the report share them."""
    import igraph
    names = sorted({n for e in G.edges() for n in e})
    index = {n: i for i, n in enumerate(names)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v})
    if not pairs:
        return []
    with seeded_igraph(7):
        parts = igraph.Graph(n=len(names), edges=pairs).community_leiden(objective_function="modularity",
                                                                         n_iterations=2)
    groups = [{names[i] for i in c} for c in parts if len(c) > 1]
    return sorted(groups, key=lambda c: (-len(c), min(c)))


def ranking(G: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, str, float, int]]:
    """(name, type, importance, degree) of the most important nodes."""
    imp = importance(G)
    rows = [(G.nodes[n]["name"], G.nodes[n]["type"], imp.get(n, 0.0), G.degree(n)) for n in G.nodes]
    return sorted(rows, key=lambda r: (-r[2], r[0]))[:top]


def find_nodes(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose name or alias is `name`; failing that, those that contain it."""
    exact = [n for n, a in G.nodes(data=True) if name == a["name"] or name in a["aliases"]]
    if exact:
        return sorted(exact)
    return sorted(n for n, a in G.nodes(data=True) if name in a["name"] or any(name in x for x in a["aliases"]))


def view(G: nx.MultiDiGraph, focus: list[str] | None = None, hops: int = 1, types=None, docs=None,
         min_degree: int = 0) -> nx.MultiDiGraph:
    """A smaller network: nodes within `hops` of the `focus` nodes, of the given `types`,
    mentioned by the given `docs`, with at least `min_degree` relations. Pure: G is unchanged."""
    keep = set(G.nodes)
    if docs is not None:
        docs = set(docs)
        keep = {n for n in keep if docs & set(G.nodes[n]["docs"])}
    if types is not None:
        keep = {n for n in keep if G.nodes[n]["type"] in set(types)}
    H = G.subgraph(keep)
    if focus:
        reach = set()
        undirected = H.to_undirected(as_view=True)
        for f in focus:
            if f in H:
                reach |= set(nx.single_source_shortest_path_length(undirected, f, cutoff=hops))
        H = H.subgraph(reach)
    if min_degree:
        H = H.subgraph([n for n in H if H.degree(n) >= min_degree or (focus and n in focus)])
    out = nx.MultiDiGraph(H)
    out.graph = dict(G.graph)
    if docs is not None:
        out.graph["documents"] = {k: v for k, v in G.graph.get("documents", {}).items() if k in docs}
    return out
