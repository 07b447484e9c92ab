"""Serialisations of what kg builds: Turtle, per-document annotation JSON, entity CSV."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .model import Corpus, Extraction


TURTLE_PREFIXES = ("rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "prov", "schema", "kg")


def turtle(g: Graph, triples=None) -> str:
    """Turtle written by Oxigraph's serializer (about 3x rdflib's), in a fixed order so that a
    rebuild gives the same file: `triples` (kg.graph.graph_triples: each once, a subject's
    together) in the order made, when they are at hand (then `g` gives only the prefixes);
    else the triples of `g`, sorted."""
    data = write_turtle(None, g, triples)
    return data.decode("utf-8") if data else ""


def write_turtle(output, g: Graph, triples=None) -> bytes | None:
    """`turtle` into `output`, a binary file, as it is made (a build's graph.ttl: no copy of
    the whole text in memory, 670 MB at 100,000 documents); `output` None: the bytes."""
    prefixes = {p: str(ns) for p, ns in g.namespaces() if p in TURTLE_PREFIXES}
    prefixes.setdefault("schema", "https://schema.org/")
    return ox.serialize(ox_triples(g, ordered=True) if triples is None else (ox.Triple(*t) for t in triples),
                        output, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def ox_triples(g, ordered: bool = False) -> Iterable:
    """The triples of an rdflib graph as pyoxigraph Quads in the default graph, made as they
    are read (what a store loads: no list of a million at once); with `ordered`, a list of
    Triples, each once, sorted by its N-Triples line (what a Turtle file is written from: a
    subject's triples stay together, since no IRI holds the "> " that ends a subject)."""
    iris: dict[str, ox.NamedNode] = {}   # each IRI converted once (keyed by plain str: fast)

    def term(t):
        if type(t) is URIRef:
            k = str(t)
            o = iris.get(k)
            if o is None:
                o = iris[k] = ox.NamedNode(k)
            return o
        return _ox(t)

    if not ordered:
        return (ox.Quad(term(s), term(p), term(o)) for s, p, o in g)
    lines = {str(t): t for t in (ox.Triple(term(s), term(p), term(o)) for s, p, o in g)}
    return [lines[k] for k in sorted(lines)]


def _ox(term, _datatypes: dict = {}):
    """An rdflib term as a pyoxigraph term (datatype IRIs made once)."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            dt = _datatypes.get(term.datatype)
            if dt is None:
                dt = _datatypes[term.datatype] = ox.NamedNode(str(term.datatype))
            return ox.Literal(str(term), datatype=dt)
        return ox.Literal(str(term))
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.BlankNode(str(term))


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
        "incentives": [incentive_record(i) for i in x.incentives],
    }


def incentive_record(i) -> dict:
    """An incentive figure in the record format of shared/spec/incentives.md."""
    def num(v):
        return None if v is None else (int(v) if float(v).is_integer() else v)
    return {"kind": i.kind, "kind_text": i.kind_text, "amount_min": num(i.amount_min), "amount_max": num(i.amount_max),
            "currency": i.currency, "quantity": num(i.quantity), "unit": i.unit, "per": i.per, "period": i.period,
            "recipient": i.recipient, "offered_by": i.offered_by, "past": i.past, "evidence": i.evidence.text,
            "sentence": i.evidence.sentence, "start": i.evidence.start, "end": i.evidence.end}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SafeWriter:
    """csv.writer whose cells never start a spreadsheet formula: a cell that begins with
    = + - @ (or a tab or CR) gets a leading apostrophe, which spreadsheets show as text."""

    def __init__(self, buf):
        self.w = csv.writer(buf, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self.w.writerow(["'" + c if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row])


def entities_csv(corpus: Corpus) -> str:
    """One row per entity; UTF-8 with BOM so that Excel shows the Chinese."""
    buf = io.StringIO()
    w = SafeWriter(buf)
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


# Line and paragraph separators that N-Triples allows raw, but that line-splitting readers
# (rdflib's among them) take for line ends: written as \\u escapes, which every reader takes.
LINE_BREAKERS = {c: f"\\u{ord(c):04X}" for c in "\u0085\u2028\u2029\u000b\u000c\u001c\u001d\u001e"}


def ntriples(g: Graph) -> str:
    """N-Triples, one triple a line, sorted so that a rebuild gives the same file."""
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    text = text.translate(str.maketrans(LINE_BREAKERS))
    return "\n".join(sorted(line for line in text.split("\n") if line.strip())) + "\n"


def jsonld(g: Graph) -> str:
    """JSON-LD under kg's context; nodes and values sorted, so a rebuild gives the same file."""
    import json
    data = json.loads(g.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    return json.dumps(canonical(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def canonical(x, key: str | None = None):
    """JSON with every unordered array sorted (an @list keeps its order)."""
    import json
    if isinstance(x, dict):
        return {k: canonical(v, k) for k, v in x.items()}
    if isinstance(x, list):
        items = [canonical(v) for v in x]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return x


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
    """TriG, a named graph per document. Each graph is written as rdflib writes Turtle
    (sorted), the graphs in order of their names: the same file on every rebuild."""
    ds = by_document(g)
    prefixes, blocks = set(), []
    graphs = sorted((c for c in ds.graphs() if len(c)), key=lambda c: (c.identifier != ds.default_graph.identifier,
                                                                       str(c.identifier)))
    for c in graphs:
        one = Graph()
        for prefix, ns in g.namespaces():
            one.bind(prefix, ns)
        for t in c:
            one.add(t)
        body = []
        for line in turtle(one).splitlines():
            (prefixes.add(line) if line.startswith("@prefix") else body.append(line))
        name = "" if c.identifier == ds.default_graph.identifier else c.identifier.n3() + " "
        blocks.append(name + "{\n" + "\n".join("    " + b if b else b for b in body).rstrip() + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


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
        F.add_node(xml_safe(n), label=xml_safe(a["name"]), type=a["type"], type_zh=zh.get(a["type"], a["type"]),
                   aliases=xml_safe("|".join(a["aliases"])), documents=xml_safe("|".join(a["docs"])),
                   importance=round(imp.get(n, 0.0), 6))
    for u, v, k, a in sorted(G.edges(keys=True, data=True)):
        ev = a["evidence"]
        F.add_edge(xml_safe(u), xml_safe(v), key=k, relation=k, label=zh.get(k, k),
                   evidence=xml_safe(ev[0]["text"] if ev else ""),
                   documents=xml_safe("|".join(sorted({e["doc"] for e in ev}))), n_evidence=len(ev))
    return F


XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (GraphML and GEXF are XML)."""
    return XML_INVALID.sub("\ufffd", str(text))


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
    nw, ew = SafeWriter(nb), SafeWriter(eb)
    nw.writerow(["iri", "type", "name", "aliases", "documents", "degree", "importance"])
    for n, a in F.nodes(data=True):
        nw.writerow([n, a["type"], a["label"], a["aliases"], a["documents"], F.degree(n), a["importance"]])
    ew.writerow(["head", "head_name", "relation", "relation_zh", "tail", "tail_name", "documents", "evidence"])
    for u, v, k, a in F.edges(keys=True, data=True):
        ew.writerow([u, F.nodes[u]["label"], k, a["label"], v, F.nodes[v]["label"], a["documents"], a["evidence"]])
    return "\ufeff" + nb.getvalue(), "\ufeff" + eb.getvalue()
