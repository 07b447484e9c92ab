"""Corpus -> the triples of its graph under the kg ontology. The only module that makes them.

Each relation is two things in the graph:

  - the plain triple  <head> kg:implements <tail>  that queries use, and
  - a kg:Assertion (an rdf:Statement) per statement of it in a document, with the
    evidence sentence, its index and character offsets, and prov:wasDerivedFrom
    the document. Standard reification keeps the file plain Turtle that every
    tool reads, and lets one relation carry evidence from many documents.

The triples are made as pyoxigraph terms (an rdflib Literal takes ten times as long to
make): the Turtle of a build is written from them directly; `build_graph` gives them as
an rdflib Graph to whoever asks for one.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Namespace
from rdflib.namespace import DCTERMS, PROV, SKOS

from .model import Corpus
from .schema import KG, incentive_kinds, ontology
from .vocab import load as load_vocab

LEVELS = ("province", "city", "county")


class Terms:
    """A vocabulary's terms as pyoxigraph NamedNodes, each made once: Terms(SKOS).prefLabel."""

    def __init__(self, namespace):
        self._ns = str(namespace)
        self._made: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        t = self._made.get(name)
        if t is None:
            t = self._made[name] = ox.NamedNode(self._ns + name)
        return t

    __getattr__ = __getitem__


rdf, rdfs, xsd, dcterms, prov, skos, kg, schema = (Terms(ns) for ns in (
    RDF, RDFS, XSD, DCTERMS, PROV, SKOS, KG, "https://schema.org/"))
DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), xsd.date),
              (re.compile(r"^\d{4}-\d{2}$"), xsd.gYearMonth),
              (re.compile(r"^\d{4}$"), xsd.gYear))
# Characters XML 1.0 and most tools refuse inside a literal; dropped from text.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str, lang: str | None = "zh") -> ox.Literal:
    value = BAD_CHARS.sub("", value)
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def iri(value: str, _made: dict = {}) -> ox.NamedNode:
    """An IRI of the graph (each made once: the same node is named in many triples)."""
    t = _made.get(value)
    if t is None:
        if len(_made) > 1_000_000:
            _made.clear()
        t = _made[value] = ox.NamedNode(value)
    return t


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


def places(corpus: Corpus) -> dict[str, list[tuple]]:
    """Each Region of the gazetteer gets its level, the names of its province and city, and
    kg:within its parent where the parent is a node of the graph too: node -> (predicate, object)s."""
    iri_of = {}
    entry = {}
    for n in corpus.nodes:
        if n.type == "Region" and (r := gazetteer_entry(n.name, n.aliases)):
            entry[n.iri] = r
            iri_of.setdefault(r.name, n.iri)
    out: dict[str, list[tuple]] = {}
    for node, r in entry.items():
        po = out[node] = [(kg.adminLevel, ox.Literal(r.level))]
        for a in ancestors(r):
            if a.level in ("province", "city"):
                po.append((kg.inProvince if a.level == "province" else kg.inCity, text(a.name)))
        if r.parent and r.parent in iri_of and iri_of[r.parent] != node:
            po.append((kg.within, iri(iri_of[r.parent])))
    return out


def build_graph(corpus: Corpus, base: str, triples: Iterable | None = None) -> Graph:
    """The corpus's graph as an rdflib Graph (of `triples`, when `graph_triples` already made them)."""
    from .oxterms import rdflib_terms
    g, term = new_graph(base), rdflib_terms()
    for s, p, o in graph_triples(corpus, base) if triples is None else triples:
        g.add((term(s), term(p), term(o)))
    return g


def graph_triples(corpus: Corpus, base: str) -> Iterator[tuple]:
    """Every triple of the corpus's graph, each once, as pyoxigraph terms, made as they are
    read, a subject's together: its Turtle (kg.export.turtle) and its rdflib Graph
    (`build_graph`) are made from them without a list of a million. (resolve makes every
    document, statement and offer its own IRI, and every relation's head a node.)"""
    place = places(corpus)
    relations: dict[str, set] = defaultdict(set)     # head (a node) -> (relation, tail): the plain triples
    for e in corpus.edges:
        relations[e.head].add((e.relation, e.tail))
    for n in corpus.nodes:
        s = iri(n.iri)
        yield (s, rdf.type, kg[n.type])
        yield (s, skos.prefLabel, text(n.name))
        yield (s, rdfs.label, text(n.name))
        for a in dict.fromkeys(text(a) for a in n.aliases):
            yield (s, skos.altLabel, a)
        if n.scope:
            yield (s, kg.scope, text(n.scope, None))
        for p, o in place.get(n.iri, ()):
            yield (s, p, o)
        for rel, t in sorted(relations.get(n.iri, ())):
            yield (s, kg[rel], iri(t))
    for d in corpus.documents:
        s = iri(d.iri)
        m = d.metadata
        yield (s, rdf.type, kg.Document)
        yield (s, dcterms.identifier, ox.Literal(d.id))
        if m.title:
            yield (s, dcterms.title, text(m.title))
        if m.date:
            for rx, dtype in DATE_TYPES:
                if rx.match(m.date):
                    yield (s, dcterms.date, ox.Literal(m.date, datatype=dtype))
        if d.author_iri:
            yield (s, dcterms.creator, iri(d.author_iri))
        if m.source:
            yield (s, dcterms.source, text(m.source, None))
        if d.region_iri:
            yield (s, dcterms.spatial, iri(d.region_iri))
        for node in d.mentions:
            yield (s, kg.mentions, iri(node))
    doc_iri = {d.id: d.iri for d in corpus.documents}
    for e in corpus.edges:
        digest = hashlib.sha1(f"{e.doc}|{e.head}|{e.relation}|{e.tail}|{e.evidence.start}|{e.evidence.end}"
                              .encode("utf-8")).hexdigest()[:16]
        a = iri(base + "assertion/" + digest)
        yield (a, rdf.type, kg.Assertion)
        yield (a, rdf.subject, iri(e.head))
        yield (a, rdf.predicate, kg[e.relation])
        yield (a, rdf.object, iri(e.tail))
        yield (a, kg.evidenceText, text(e.evidence.text, None))
        if e.sentence and e.sentence != e.evidence.text:
            yield (a, kg.sentenceText, text(e.sentence, None))
        yield (a, kg.sentenceIndex, ox.Literal(str(e.evidence.sentence), datatype=xsd.integer))
        yield (a, kg.startOffset, ox.Literal(str(e.evidence.start), datatype=xsd.integer))
        yield (a, kg.endOffset, ox.Literal(str(e.evidence.end), datatype=xsd.integer))
        yield (a, prov.wasDerivedFrom, iri(doc_iri[e.doc]))
    yield from offer_triples(corpus, doc_iri)
    skipped: dict[str, str] = {}
    for path, reason in corpus.skipped:
        skipped.setdefault(path, reason)
    for path, reason in skipped.items():      # what the build could not read, for the report
        s = iri(base + "skipped/" + hashlib.sha1(path.encode("utf-8", "backslashreplace")).hexdigest()[:16])
        yield (s, rdf.type, kg.SkippedFile)
        yield (s, dcterms.identifier, ox.Literal(BAD_CHARS.sub("", path)))
        yield (s, rdfs.comment, text(reason, None))


def offer_triples(corpus: Corpus, doc_iri: dict[str, str]) -> Iterator[tuple]:
    """One kg:Incentive per stated figure: kind (a concept of kg:IncentiveKinds), amount as
    schema:minValue/maxValue/currency (a schema:MonetaryAmount) or kg:quantity/kg:unit,
    recipient, giver, per, period, past, and its evidence like every relation's."""
    kinds = incentive_kinds()
    onto = ontology()
    for concept in sorted({kinds[o.incentive.kind] for o in corpus.offers}):   # the graph carries its kinds' labels
        c = iri(str(concept))
        yield (c, rdf.type, skos.Concept)
        yield (c, skos.inScheme, kg.IncentiveKinds)
        for lab in onto.objects(concept, SKOS.prefLabel):
            yield (c, skos.prefLabel, text(str(lab), getattr(lab, "language", None)))
    for o in corpus.offers:
        i, s = o.incentive, iri(o.iri)
        yield (s, rdf.type, kg.Incentive)
        yield (s, kg.incentiveKind, iri(str(kinds[i.kind])))
        yield (s, kg.kindText, text(i.kind_text))
        if i.currency:
            yield (s, rdf.type, schema.MonetaryAmount)
            yield (s, schema.currency, ox.Literal(i.currency))
        for prop, v in ((schema.minValue, i.amount_min), (schema.maxValue, i.amount_max), (kg.quantity, i.quantity)):
            if v is not None:
                yield (s, prop, number(v))
        if i.unit:
            yield (s, kg.unit, ox.Literal(i.unit))
        for prop, v in ((kg.per, i.per), (kg.period, i.period)):
            if v:
                yield (s, prop, ox.Literal(v))
        yield (s, kg.past, ox.Literal(bool(i.past)))
        if o.recipient_iri:
            yield (s, kg.recipient, iri(o.recipient_iri))
        elif i.recipient:
            yield (s, kg.recipientText, text(i.recipient))
        if o.offered_by_iri:
            yield (s, kg.offeredBy, iri(o.offered_by_iri))
        yield (s, rdfs.label, text(offer_label(i)))
        yield (s, kg.evidenceText, text(i.evidence.text, None))
        yield (s, kg.sentenceIndex, ox.Literal(str(i.evidence.sentence), datatype=xsd.integer))
        yield (s, kg.startOffset, ox.Literal(str(i.evidence.start), datatype=xsd.integer))
        yield (s, kg.endOffset, ox.Literal(str(i.evidence.end), datatype=xsd.integer))
        yield (s, prov.wasDerivedFrom, iri(doc_iri[o.doc]))


def number(v: float) -> ox.Literal:
    """An amount as xsd:integer when whole (100000), else xsd:decimal (1.5): forms that rdflib
    and Oxigraph both write back unchanged (a whole xsd:decimal is 100000.0 in one, 100000 in the other)."""
    if float(v).is_integer():
        return ox.Literal(str(int(v)), datatype=xsd.integer)
    return ox.Literal(repr(float(v)), datatype=xsd.decimal)


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
