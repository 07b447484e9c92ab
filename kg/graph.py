"""Corpus -> rdflib Graph under the kg ontology. The only module that adds triples.

Each relation is two things in the graph:

  - the plain triple  <head> kg:implements <tail>  that queries use, and
  - a kg:Assertion (an rdf:Statement) per document that states it, with the
    evidence sentence, its index and character offsets, and prov:wasDerivedFrom
    the document. Standard reification keeps the file plain Turtle that every
    tool reads, and lets one relation carry evidence from many documents.
"""
from __future__ import annotations

import hashlib
import re

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .model import Corpus
from .schema import KG, incentive_kinds, ontology
from .vocab import load as load_vocab

LEVELS = ("province", "city", "county")
DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
              (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
              (re.compile(r"^\d{4}$"), XSD.gYear))
# Characters XML 1.0 and most tools refuse inside a literal; dropped from text.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str, lang: str | None = "zh") -> Literal:
    return Literal(BAD_CHARS.sub("", value), lang=lang)


def new_graph(base: str) -> Graph:
    g = Graph(bind_namespaces="core")
    g.bind("kg", KG._NS)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    g.bind("id", Namespace(base))
    return g


def gazetteer_entry(name: str, aliases=()):
    """The gazetteer's division for a Region node (its name or an alias; either script)."""
    from .read import normalise
    regions = load_vocab().regions
    for form in (name, *aliases):
        r = regions.get(normalise(form))
        if r and r.level in LEVELS:
            return r
    return None


def ancestors(r) -> list:
    """蒸湘区 -> [衡阳市, 湖南省]: the parents of a division, nearest first."""
    regions, out = load_vocab().regions, []
    while r and r.parent and r.parent in regions and len(out) < 3:
        r = regions[r.parent]
        out.append(r)
    return out


def add_places(g: Graph | Triples, corpus: Corpus) -> None:
    """Each Region of the gazetteer gets its level, the names of its province and city, and
    kg:within its parent where the parent is a node of the graph too."""
    iri_of = {}
    entry = {}
    for n in corpus.nodes:
        if n.type == "Region" and (r := gazetteer_entry(n.name, n.aliases)):
            entry[n.iri] = r
            iri_of.setdefault(r.name, n.iri)
    for iri, r in entry.items():
        s = URIRef(iri)
        g.add((s, KG.adminLevel, Literal(r.level)))
        for a in ancestors(r):
            if a.level in ("province", "city"):
                g.add((s, KG.inProvince if a.level == "province" else KG.inCity, text(a.name)))
        if r.parent and r.parent in iri_of and iri_of[r.parent] != iri:
            g.add((s, KG.within, URIRef(iri_of[r.parent])))


class Triples(list):
    """The triples of a graph as they are made, in order (what `graph_triples` collects)."""

    def add(self, triple) -> None:
        self.append(triple)


def build_graph(corpus: Corpus, base: str, triples: list | None = None) -> Graph:
    """The graph of a corpus (of `triples`, when `graph_triples` already made them)."""
    g = new_graph(base)
    for t in graph_triples(corpus, base) if triples is None else triples:
        g.add(t)
    return g


def graph_triples(corpus: Corpus, base: str) -> Triples:
    """Every triple of the corpus's graph, as rdflib terms (some more than once): the graph
    and its Turtle are both made from them (kg.export.turtle), which is quicker than reading
    the triples back out of an rdflib store."""
    g = Triples()
    add_places(g, corpus)
    for n in corpus.nodes:
        s = URIRef(n.iri)
        g.add((s, RDF.type, KG[n.type]))
        g.add((s, SKOS.prefLabel, text(n.name)))
        g.add((s, RDFS.label, text(n.name)))
        for a in n.aliases:
            g.add((s, SKOS.altLabel, text(a)))
        if n.scope:
            g.add((s, KG.scope, text(n.scope, None)))
    for d in corpus.documents:
        s = URIRef(d.iri)
        m = d.metadata
        g.add((s, RDF.type, KG.Document))
        g.add((s, DCTERMS.identifier, Literal(d.id)))
        if m.title:
            g.add((s, DCTERMS.title, text(m.title)))
        if m.date:
            for rx, dtype in DATE_TYPES:
                if rx.match(m.date):
                    g.add((s, DCTERMS.date, Literal(m.date, datatype=dtype)))
        if d.author_iri:
            g.add((s, DCTERMS.creator, URIRef(d.author_iri)))
        if m.source:
            g.add((s, DCTERMS.source, text(m.source, None)))
        if d.region_iri:
            g.add((s, DCTERMS.spatial, URIRef(d.region_iri)))
        for iri in d.mentions:
            g.add((s, KG.mentions, URIRef(iri)))
    doc_iri = {d.id: d.iri for d in corpus.documents}
    for e in corpus.edges:
        h, p, t = URIRef(e.head), KG[e.relation], URIRef(e.tail)
        g.add((h, p, t))
        digest = hashlib.sha1(f"{e.doc}|{e.head}|{e.relation}|{e.tail}".encode("utf-8")).hexdigest()[:16]
        a = URIRef(base + "assertion/" + digest)
        g.add((a, RDF.type, KG.Assertion))
        g.add((a, RDF.subject, h))
        g.add((a, RDF.predicate, p))
        g.add((a, RDF.object, t))
        g.add((a, KG.evidenceText, text(e.evidence.text, None)))
        if e.sentence and e.sentence != e.evidence.text:
            g.add((a, KG.sentenceText, text(e.sentence, None)))
        g.add((a, KG.sentenceIndex, Literal(e.evidence.sentence, datatype=XSD.integer)))
        g.add((a, KG.startOffset, Literal(e.evidence.start, datatype=XSD.integer)))
        g.add((a, KG.endOffset, Literal(e.evidence.end, datatype=XSD.integer)))
        g.add((a, PROV.wasDerivedFrom, URIRef(doc_iri[e.doc])))
    add_offers(g, corpus, doc_iri)
    for path, reason in corpus.skipped:      # what the build could not read, for the report
        s = URIRef(base + "skipped/" + hashlib.sha1(path.encode("utf-8", "backslashreplace")).hexdigest()[:16])
        g.add((s, RDF.type, KG.SkippedFile))
        g.add((s, DCTERMS.identifier, Literal(BAD_CHARS.sub("", path))))
        g.add((s, RDFS.comment, text(reason, None)))
    return g


SCHEMA = Namespace("https://schema.org/")


def add_offers(g: Graph | Triples, corpus: Corpus, doc_iri: dict[str, str]) -> None:
    """One kg:Incentive per stated figure: kind (a concept of kg:IncentiveKinds), amount as
    schema:minValue/maxValue/currency (a schema:MonetaryAmount) or kg:quantity/kg:unit,
    recipient, giver, per, period, past, and its evidence like every relation's."""
    kinds = incentive_kinds()
    onto = ontology()
    for c in sorted({kinds[o.incentive.kind] for o in corpus.offers}):   # the graph carries its kinds' labels
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, KG.IncentiveKinds))
        for lab in onto.objects(c, SKOS.prefLabel):
            g.add((c, SKOS.prefLabel, lab))
    for o in corpus.offers:
        i, s = o.incentive, URIRef(o.iri)
        g.add((s, RDF.type, KG.Incentive))
        g.add((s, KG.incentiveKind, kinds[i.kind]))
        g.add((s, KG.kindText, text(i.kind_text)))
        if i.currency:
            g.add((s, RDF.type, SCHEMA.MonetaryAmount))
            g.add((s, SCHEMA.currency, Literal(i.currency)))
        for prop, v in ((SCHEMA.minValue, i.amount_min), (SCHEMA.maxValue, i.amount_max), (KG.quantity, i.quantity)):
            if v is not None:
                g.add((s, prop, number(v)))
        if i.unit:
            g.add((s, KG.unit, Literal(i.unit)))
        for prop, v in ((KG.per, i.per), (KG.period, i.period)):
            if v:
                g.add((s, prop, Literal(v)))
        g.add((s, KG.past, Literal(i.past)))
        if o.recipient_iri:
            g.add((s, KG.recipient, URIRef(o.recipient_iri)))
        elif i.recipient:
            g.add((s, KG.recipientText, text(i.recipient)))
        if o.offered_by_iri:
            g.add((s, KG.offeredBy, URIRef(o.offered_by_iri)))
        g.add((s, RDFS.label, text(offer_label(i))))
        g.add((s, KG.evidenceText, text(i.evidence.text, None)))
        g.add((s, KG.sentenceIndex, Literal(i.evidence.sentence, datatype=XSD.integer)))
        g.add((s, KG.startOffset, Literal(i.evidence.start, datatype=XSD.integer)))
        g.add((s, KG.endOffset, Literal(i.evidence.end, datatype=XSD.integer)))
        g.add((s, PROV.wasDerivedFrom, URIRef(doc_iri[o.doc])))


def number(v: float) -> Literal:
    """An amount as xsd:integer when whole (100000), else xsd:decimal (1.5): forms that rdflib
    and Oxigraph both write back unchanged (a whole xsd:decimal is 100000.0 in one, 100000 in the other)."""
    if float(v).is_integer():
        return Literal(str(int(v)), datatype=XSD.integer)
    return Literal(repr(float(v)), datatype=XSD.decimal)


def offer_label(i) -> str:
    """安家费 10万元 → 博士研究生: how a figure reads in a list."""
    def money(v):
        return f"{v / 1e4:g}万" if v >= 1e4 else f"{v:g}"
    if i.amount_min is not None and i.amount_max is not None and i.amount_min != i.amount_max:
        amount = f"{money(i.amount_min)}–{money(i.amount_max)}元"
    elif i.amount_max is not None:
        amount = ("最高" if i.amount_min is None else "") + money(i.amount_max) + "元"
    elif i.amount_min is not None:
        amount = "不低于" + money(i.amount_min) + "元"
    else:
        amount = f"{i.quantity:g}{i.unit or ''}"
    if i.currency and i.currency != "CNY":
        amount += f" ({i.currency})"
    return f"{i.kind} {amount}" + (f" → {i.recipient}" if i.recipient else "")
