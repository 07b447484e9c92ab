"""Serialisations of what kg builds: Turtle, per-document annotation JSON, entity CSV."""
from __future__ import annotations

import csv
import io

from rdflib import Graph

from .model import Corpus, Extraction


def turtle(g: Graph) -> str:
    return g.serialize(format="turtle", encoding="utf-8").decode("utf-8")


SYMMETRIC = {"cooperatesWith"}


def annotation(x: Extraction) -> dict:
    """One document in the format of shared/spec/annotation.md (what the scorer reads)."""
    m = x.metadata
    return {
        "doc": x.document.id,
        "title": m.title, "region": m.region, "date": m.date, "author": m.author, "source": m.source,
        "entities": [{"type": e.type, "name": e.name, "aliases": list(e.aliases),
                      "mentions": [[mm.start, mm.end] for mm in e.mentions]} for e in x.entities],
        "relations": [{"head": r.head, "relation": r.relation, "tail": r.tail, "evidence": r.evidence.text,
                       "sentence": r.evidence.sentence, "start": r.evidence.start, "end": r.evidence.end}
                      for r in x.relations],
    }


def entities_csv(corpus: Corpus) -> str:
    """One row per entity; UTF-8 with BOM so that Excel shows the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["type", "name", "aliases", "documents", "n_documents", "scope", "iri"])
    for n in sorted(corpus.nodes, key=lambda n: (n.type, n.name, n.iri)):
        w.writerow([n.type, n.name, "|".join(n.aliases), "|".join(n.docs), len(n.docs), n.scope or "", n.iri])
    return "\ufeff" + buf.getvalue()


# --- exports of a built graph ------------------------------------------------------------

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "csv")

JSONLD_CONTEXT = {
    "kg": "https://w3id.org/talentkg/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "name": {"@id": "skos:prefLabel", "@language": "zh"},
    "alias": {"@id": "skos:altLabel", "@language": "zh"},
    "label": {"@id": "rdfs:label", "@language": "zh"},
    "mentions": {"@id": "kg:mentions", "@type": "@id"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object", "@type": "@id"},
    "evidence": "kg:evidenceText",
    "sentence": {"@id": "kg:sentenceIndex", "@type": "xsd:integer"},
    "start": {"@id": "kg:startOffset", "@type": "xsd:integer"},
    "end": {"@id": "kg:endOffset", "@type": "xsd:integer"},
    "document": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
}


def ntriples(g: Graph) -> str:
    """N-Triples, one triple a line, sorted so that a rebuild gives the same file."""
    lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def jsonld(g: Graph) -> str:
    return g.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, indent=1, ensure_ascii=False)


def by_document(g: Graph):
    """rdflib Dataset: a named graph per document (named by the document's IRI) with what
    it states (its metadata, mentions, relations and their evidence); the default graph
    has what holds everywhere (each entity's type, names and scope)."""
    from rdflib import RDF, Dataset
    from rdflib.namespace import PROV

    from .schema import KG
    ds = Dataset()
    for prefix, ns in g.namespaces():
        ds.bind(prefix, ns)
    docs = set(g.subjects(RDF.type, KG.Document))
    stated_in = {}
    for a in g.subjects(RDF.type, KG.Assertion):
        d = g.value(a, PROV.wasDerivedFrom)
        stated_in.setdefault(a, set()).add(d)
        key = (g.value(a, RDF.subject), g.value(a, RDF.predicate), g.value(a, RDF.object))
        stated_in.setdefault(key, set()).add(d)
    for s, p, o in g:
        if s in docs:
            homes = {s}
        elif s in stated_in:
            homes = stated_in[s]
        elif (s, p, o) in stated_in:
            homes = stated_in[(s, p, o)]
        else:
            homes = None
        if homes:
            for d in homes:
                ds.graph(d).add((s, p, o))
        else:
            ds.default_graph.add((s, p, o))
    return ds


def trig(g: Graph) -> str:
    return by_document(g).serialize(format="trig")


def flat_network(g: Graph):
    """The graph as a networkx MultiDiGraph whose attributes are all plain values
    (what GraphML and GEXF can hold): Chinese labels, type, relation, evidence."""
    import networkx as nx

    from .analyze import importance, to_networkx
    from .schema import labels
    G = to_networkx(g)
    imp = importance(G)
    zh = labels("zh")
    F = nx.MultiDiGraph()
    for n, a in sorted(G.nodes(data=True)):
        F.add_node(n, label=a["name"], type=a["type"], type_zh=zh.get(a["type"], a["type"]),
                   aliases="|".join(a["aliases"]), documents="|".join(a["docs"]), importance=round(imp.get(n, 0.0), 6))
    for u, v, k, a in sorted(G.edges(keys=True, data=True)):
        ev = a["evidence"]
        F.add_edge(u, v, key=k, relation=k, label=zh.get(k, k), evidence=ev[0]["text"] if ev else "",
                   documents="|".join(sorted({e["doc"] for e in ev})), n_evidence=len(ev))
    return F


def graphml(g: Graph) -> str:
    import networkx as nx
    return "\n".join(nx.generate_graphml(flat_network(g), encoding="utf-8", prettyprint=True)) + "\n"


def gexf(g: Graph) -> str:
    import networkx as nx
    return "\n".join(nx.generate_gexf(flat_network(g), encoding="utf-8", prettyprint=True)) + "\n"


def nodes_edges_csv(g: Graph) -> tuple[str, str]:
    """nodes.csv and edges.csv (UTF-8 with BOM, for Excel)."""
    F = flat_network(g)
    nb, eb = io.StringIO(), io.StringIO()
    nw, ew = csv.writer(nb, lineterminator="\r\n"), csv.writer(eb, lineterminator="\r\n")
    nw.writerow(["iri", "type", "name", "aliases", "documents", "degree", "importance"])
    for n, a in F.nodes(data=True):
        nw.writerow([n, a["type"], a["label"], a["aliases"], a["documents"], F.degree(n), a["importance"]])
    ew.writerow(["head", "head_name", "relation", "relation_zh", "tail", "tail_name", "documents", "evidence"])
    for u, v, k, a in F.edges(keys=True, data=True):
        ew.writerow([u, F.nodes[u]["label"], k, a["label"], v, F.nodes[v]["label"], a["documents"], a["evidence"]])
    return "\ufeff" + nb.getvalue(), "\ufeff" + eb.getvalue()
