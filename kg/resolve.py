"""Identity: Extractions -> Corpus of nodes and edges with deterministic IRIs.

What is the same thing across documents becomes one node: regions (by their
gazetteer name, so 西宁 and 西宁市 meet), talent categories, industries,
strategies, mechanisms, platform kinds, national events. Names relative to their
issuer (市委, 人才服务中心, 高层次人才引进计划) are scoped by the document's region,
or by the document when its region is unknown or masked, so 市委 of one city never
merges with 市委 of another.

IRIs are `<base><type>/<scope>/<name>`: readable (Chinese stays Chinese), valid
whatever a name holds (anything but letters, digits and -._~ is percent-encoded),
and the same on every run for the same input.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

from .extract.spans import norm_key
from .model import Corpus, DocRecord, Edge, Extraction, Node, Offer
from .read import normalise
from .schema import DEFAULT_BASE
from .vocab import load as load_vocab

GLOBAL_TYPES = {"Region", "TalentCategory", "Industry", "Strategy", "Mechanism", "Platform", "Person"}
NATIONAL = re.compile(r"^(党的|中央|全国|国家|中国|中共中央|国务院|党中央)")
BASE_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")


def check_base(base: str) -> str:
    from .errors import KgError
    if not BASE_RE.match(base):
        raise KgError(f"--base {base!r} is not a usable base IRI; give an http(s) IRI ending in / or #, "
                      f"e.g. {DEFAULT_BASE}")
    return base


def _iri_safe(ch: str) -> bool:
    """Letters and digits that RFC 3987 allows unescaped (ucschar), and -._~"""
    if ch.isascii():
        return ch.isalnum() or ch in "-._~"
    o = ord(ch)
    in_ucschar = 0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF \
        or (0x10000 <= o <= 0xEFFFD and (o & 0xFFFE) != 0xFFFE)
    return in_ucschar and unicodedata.category(ch)[0] in "LN"


@lru_cache(maxsize=65536)
def segment(text: str) -> str:
    """One IRI path segment for any text: letters and digits kept, the rest percent-encoded."""
    text = unicodedata.normalize("NFC", text)
    pieces = [ch if _iri_safe(ch) else quote(ch, safe="") for ch in text]
    s = "".join(pieces)
    if len(s) > 120:  # keep IRIs short: long names end in a digest (cut between characters)
        head, n = [], 0
        for p in pieces:
            if n + len(p) > 80:
                break
            head.append(p)
            n += len(p)
        s = "".join(head) + "-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return s or "_"


def scope_of(etype: str, name: str, region: str | None, doc_id: str) -> str | None:
    """None for names that mean the same everywhere; else the region or document they belong to."""
    if etype in GLOBAL_TYPES:
        return None
    if etype == "Event" and NATIONAL.match(name):
        return None
    if etype in ("Body", "Program", "Policy") and NATIONAL.match(name) and not name.startswith("中共"):
        return None
    if names_its_place(name):
        return None  # 西宁市人才服务中心 (and 西寧市人才服務中心) names its place itself
    if region:
        return region
    return "doc:" + doc_id.rsplit(".", 1)[0]


@lru_cache(maxsize=65536)
def names_its_place(name: str) -> bool:
    """Whether a name starts with a place of the gazetteer."""
    regions, simple = load_vocab().regions, normalise(name)
    return any(simple[:n] in regions for n in range(min(len(simple), 8), 1, -1))


LEVELS = "省市区县州旗"


def qualified(etype: str, name: str, place: str | None) -> str:
    """A Body named relative to the level its document speaks at, with the place's name:
    市委 of a document of 西宁市 is 西宁市委, 区人社局 of 西青区 is 西青区人社局."""
    if etype != "Body" or not place or len(name) < 2 or name[0] not in LEVELS or place[-1] != name[0]:
        return name
    if any(c in place for c in "*＊X×某"):      # a masked place stays masked: 市委 of *市 is 市委
        return name
    if name[:2] in ("市场", "区域", "县域", "省份", "州立"):     # words, not a level: 市场监管局 stays
        return name
    return place + name[1:]


def office_key(etype: str, key: str) -> str:
    """区人社 and 区人社局 are one office: a department's short form takes its office suffix."""
    if etype != "Body":
        return key
    offices = load_vocab().offices
    for short, suffix in offices.items():
        if suffix and key.endswith(short) and len(key) > len(short):
            return key + suffix
    return key


@lru_cache(maxsize=65536)
def identity_key(etype: str, name: str) -> str:
    key = norm_key(normalise(name))
    if etype == "Region":
        r = load_vocab().regions.get(key)
        if r:
            return r.name
    return key


def resolve(extractions: Iterable[Extraction], base: str = DEFAULT_BASE, skipped=()) -> Corpus:
    """The corpus of `extractions`, read once in order (a stream will do: each is let go once
    read); `skipped` is read after the last of them."""
    check_base(base)
    names: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, set] = defaultdict(set)
    types: dict[str, str] = {}
    scopes: dict[str, str | None] = {}
    docs_of: dict[str, dict] = defaultdict(dict)   # node -> its documents, in order (a dict: quick to look up)
    edges: list[Edge] = []
    offers: list[Offer] = []
    records: list[DocRecord] = []
    doc_iris: set[str] = set()
    offer_iris: set[str] = set()
    for x in extractions:
        region = x.metadata.region
        local: dict[str, str] = {}
        place = identity_key("Region", region) if region else None     # 西寧市 and 西宁 -> 西宁市
        for e in x.entities:
            name = qualified(e.type, e.name, place)                        # 市委 -> 西宁市委
            scope = scope_of(e.type, name, place, x.document.id)
            key = office_key(e.type, identity_key(e.type, name))           # 区人社 -> 区人社局
            path = f"{e.type.lower()}/" + (f"{segment(scope)}/" if scope else "") + segment(key)
            iri = base + path
            local[e.name] = iri
            types[iri] = e.type
            scopes[iri] = scope
            names[iri][name] += 1
            aliases[iri].update(e.aliases)
            if name != e.name:
                aliases[iri].add(e.name)
            docs_of[iri][x.document.id] = None
        doc_iri = base + "doc/" + segment(x.document.id.rsplit(".", 1)[0])
        n = 1
        while doc_iri in doc_iris:   # a.txt and a.md: the second keeps its extension
            n += 1
            doc_iri = base + "doc/" + segment(x.document.id) + ("" if n == 2 else f"-{n}")
        doc_iris.add(doc_iri)
        region_iri = None
        if region:
            region_iri = next((local[e.name] for e in x.entities
                               if e.type == "Region" and identity_key("Region", e.name) == identity_key("Region", region)), None)
        author = x.metadata.author
        author_iri = next((local[e.name] for e in x.entities if e.type == "Person" and author
                           and identity_key("Person", e.name) == identity_key("Person", author)), None)
        records.append(DocRecord(doc_iri, x.document.id, x.document.path, x.metadata, region_iri,
                                 tuple(sorted(set(local.values()))), author_iri))
        stated = set()    # a relation stated twice at the same place is one statement
        for r in x.relations:
            key = (r.head, r.relation, r.tail, r.evidence.start, r.evidence.end)
            if r.head in local and r.tail in local and key not in stated:
                stated.add(key)
                sent = x.document.sentences[r.evidence.sentence] if r.evidence.sentence < len(x.document.sentences) else None
                edges.append(Edge(local[r.head], r.relation, local[r.tail], x.document.id, r.evidence,
                                  sent.text if sent and sent.start <= r.evidence.start else r.evidence.text))
        for o in offers_of(x, local, types, region_iri, base):
            if o.iri not in offer_iris:     # one figure read twice at the same place is one offer
                offer_iris.add(o.iri)
                offers.append(o)
    nodes = []
    for iri in sorted(types):
        # the most written form; on a tie the full one (区人社局 over 区人社)
        name = sorted(names[iri].items(), key=lambda kv: (-kv[1], office_key(types[iri], identity_key(
            types[iri], kv[0])) != identity_key(types[iri], kv[0]), kv[0]))[0][0]
        al = tuple(sorted(a for a in aliases[iri] | set(names[iri]) if a != name))
        nodes.append(Node(iri, types[iri], name, al, tuple(docs_of[iri]), scopes[iri]))
    return Corpus(tuple(records), tuple(nodes), tuple(edges), tuple(skipped), tuple(offers))


def offers_of(x: Extraction, local: dict[str, str], types: dict[str, str], region_iri: str | None,
              base: str) -> list[Offer]:
    """A document's incentive figures, with the recipient and the giver as nodes where they are."""
    out = []
    for i in x.incentives:
        who = local.get(i.recipient) if i.recipient else None
        who = who if who and types.get(who) == "TalentCategory" else None
        giver = local.get(i.offered_by) if i.offered_by else None
        giver = giver if giver and types.get(giver) in ("Region", "Body") else region_iri
        key = f"{x.document.id}|{i.evidence.start}|{i.amount_min}|{i.amount_max}|{i.quantity}|{i.recipient}|{i.kind}"
        iri = base + "incentive/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        out.append(Offer(iri, i, x.document.id, who, giver))
    return out
