"""The ontology as Python sees it: a closed namespace, relation signatures, labels.

Domain and range of each relation are read from ontology/kg.ttl, so the extractor,
the graph and the SHACL shapes cannot disagree about them.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import OWL, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS, DefinedNamespace

from .model import ENTITY_TYPES, RELATION_TYPES

ONTOLOGY_IRI = "https://w3id.org/talentkg/ontology"
DEFAULT_BASE = "https://w3id.org/talentkg/id/"


class KG(DefinedNamespace):
    """Terms of ontology/kg.ttl; a typo (KG.implemnts) fails at once."""
    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    Entity: URIRef
    Program: URIRef
    Body: URIRef
    Mechanism: URIRef
    Policy: URIRef
    Platform: URIRef
    TalentCategory: URIRef
    Region: URIRef
    Industry: URIRef
    Strategy: URIRef
    Event: URIRef
    Person: URIRef
    Document: URIRef
    Assertion: URIRef
    leads: URIRef
    establishes: URIRef
    implements: URIRef
    issues: URIRef
    targets: URIRef
    focusesOn: URIRef
    cooperatesWith: URIRef
    partOf: URIRef
    locatedIn: URIRef
    reliesOn: URIRef
    mentions: URIRef
    evidenceText: URIRef
    sentenceIndex: URIRef
    startOffset: URIRef
    endOffset: URIRef
    scope: URIRef
    within: URIRef
    Incentive: URIRef
    SkippedFile: URIRef
    sentenceText: URIRef
    IncentiveKinds: URIRef
    incentiveKind: URIRef
    recipient: URIRef
    offeredBy: URIRef
    kindText: URIRef
    recipientText: URIRef
    quantity: URIRef
    unit: URIRef
    per: URIRef
    period: URIRef
    past: URIRef
    adminLevel: URIRef
    inProvince: URIRef
    inCity: URIRef


def ontology_file(name: str = "kg.ttl"):
    """A file of ontology/, installed as the data package kg.ontology."""
    try:
        return resources.files("kg.ontology").joinpath(name)
    except ModuleNotFoundError:  # a source checkout that was not installed
        return Path(__file__).resolve().parent.parent / "ontology" / name


@lru_cache(maxsize=1)
def ontology() -> Graph:
    g = Graph()
    with resources.as_file(ontology_file("kg.ttl")) as path:
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes() -> Graph:
    g = Graph()
    with resources.as_file(ontology_file("shapes.ttl")) as path:
        g.parse(path, format="turtle")
    return g


def _members(g: Graph, node) -> frozenset[str]:
    if isinstance(node, URIRef):
        return frozenset({node.split("#")[-1]})
    union = g.value(node, OWL.unionOf)
    return frozenset(m.split("#")[-1] for m in Collection(g, union))


@lru_cache(maxsize=1)
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """relation -> (head types, tail types), from rdfs:domain / rdfs:range."""
    g = ontology()
    out = {}
    for rel in RELATION_TYPES:
        out[rel] = (_members(g, g.value(KG[rel], RDFS.domain)), _members(g, g.value(KG[rel], RDFS.range)))
    return out


@lru_cache(maxsize=1)
def incentive_kinds() -> dict[str, URIRef]:
    """The concepts of kg:IncentiveKinds by their Chinese label (安家费 -> kg:SettlementAllowance)."""
    g = ontology()
    out = {}
    for c in g.subjects(SKOS.inScheme, KG.IncentiveKinds):
        for lab in g.objects(c, SKOS.prefLabel):
            if getattr(lab, "language", None) == "zh":
                out[str(lab)] = c
    return out


@lru_cache(maxsize=1)
def labels(lang: str = "zh") -> dict[str, str]:
    """Local name -> label in `lang`, for every class and relation."""
    g = ontology()
    out = {}
    for name in (*ENTITY_TYPES, *RELATION_TYPES, "Document"):
        for lab in g.objects(KG[name], RDFS.label):
            if getattr(lab, "language", None) == lang:
                out[name] = str(lab)
    return out
