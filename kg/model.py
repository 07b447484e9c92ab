"""Typed data that passes between the stages.

    read -> Document -> extract -> Extraction -> resolve -> Corpus -> graph -> rdflib.Graph

Every class is a frozen dataclass: a stage never changes what an earlier stage
made, it returns something new.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = (
    "Program", "Body", "Mechanism", "Policy", "Platform", "TalentCategory",
    "Region", "Industry", "Strategy", "Event", "Person",
)
RELATION_TYPES = (
    "leads", "establishes", "implements", "issues", "targets",
    "focusesOn", "cooperatesWith", "partOf", "locatedIn", "reliesOn",
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: `text == document.text[start:end]`."""
    index: int
    start: int
    end: int
    text: str
    boilerplate: bool = False  # page chrome (来源, ICP, counters): feeds metadata only


@dataclass(frozen=True)
class Document:
    """One input document, decoded.

    `text` is the text as written; `norm` is a copy of the same length used for
    matching (full-width forms folded, traditional characters simplified), so an
    offset into one is an offset into the other.
    """
    id: str                 # the file name, e.g. "003_3fd2aaed58580efd.txt"
    path: str               # where it was read from
    text: str
    norm: str
    sentences: tuple[Sentence, ...]
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Mention:
    """A span of a document: `document.text[start:end] == text`."""
    text: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Entity:
    type: str
    name: str                          # canonical form, as the document writes it
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Relation:
    head: str          # Entity.name of the same Extraction
    relation: str      # one of RELATION_TYPES
    tail: str
    evidence: Mention  # the fragment of one sentence that states it


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    region: str | None = None   # the named place the document speaks for
    date: str | None = None     # YYYY-MM-DD, YYYY-MM or YYYY
    author: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Incentive:
    """A stated incentive figure (shared/spec/incentives.md): what is offered, how much, to whom."""
    kind: str                     # one of the spec's closed list (安家费, 项目资助 …)
    kind_text: str                # the benefit word as written
    amount_min: float | None      # in the currency's unit (yuan)
    amount_max: float | None
    currency: str | None          # CNY, HKD, MOP, USD …; None for an in-kind record
    quantity: float | None        # in-kind: 3 (年), 90 (平方米), 2000 (套)
    unit: str | None
    per: str | None               # person, team, project, organisation, total
    period: str | None            # once, year, month
    recipient: str | None         # the TalentCategory (or group) it is offered to
    offered_by: str | None        # the Region or Body that offers it
    past: bool
    evidence: Mention             # the clause that states it


@dataclass(frozen=True)
class Extraction:
    document: Document
    metadata: Metadata
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    incentives: tuple[Incentive, ...] = ()


@dataclass(frozen=True)
class Node:
    """An entity of the whole corpus, after identity resolution."""
    iri: str
    type: str
    name: str
    aliases: tuple[str, ...]
    docs: tuple[str, ...]        # Document.id of every document that mentions it
    scope: str | None = None     # region or document a relative name belongs to


@dataclass(frozen=True)
class Edge:
    head: str          # Node.iri
    relation: str
    tail: str          # Node.iri
    doc: str           # Document.id
    evidence: Mention
    sentence: str = ""  # the whole sentence the evidence is part of


@dataclass(frozen=True)
class DocRecord:
    iri: str
    id: str
    path: str
    metadata: Metadata
    region_iri: str | None = None
    mentions: tuple[str, ...] = ()   # Node.iri of every entity it mentions
    author_iri: str | None = None    # the Person node of its author


@dataclass(frozen=True)
class Offer:
    """An incentive figure of the corpus, tied to the nodes it names."""
    iri: str
    incentive: Incentive
    doc: str                      # Document.id
    recipient_iri: str | None     # the TalentCategory node, where the recipient is one
    offered_by_iri: str | None    # the Region or Body node


@dataclass(frozen=True)
class Corpus:
    documents: tuple[DocRecord, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (path, reason)
    offers: tuple[Offer, ...] = ()
