"""Extraction stage: Document -> Extraction (metadata, entities with mentions, relations)."""
from __future__ import annotations

from ..model import Document, Entity, Extraction, Mention
from ..vocab import load as load_vocab
from .entities import DEFAULT, extract_entities
from .incentives import extract_incentives
from .metadata import extract_metadata
from .outline import outline
from .relations import extract_relations
from .spans import norm_key


def extract(doc: Document, tagger=DEFAULT) -> Extraction:
    """`tagger`: the entity model to use (default: the shipped one; None: rules alone)."""
    v = load_vocab()
    meta = extract_metadata(doc, v)
    entities = extract_entities(doc, tagger)
    entities = _with_metadata_entities(doc, entities, meta)
    ol = outline(doc)
    relations = extract_relations(doc, entities, meta.region, ol)
    incentives = extract_incentives(doc, entities, meta.region, ol)
    return Extraction(document=doc, metadata=meta, entities=tuple(entities), relations=tuple(relations),
                      incentives=tuple(incentives))


def _with_metadata_entities(doc, entities: list[Entity], meta) -> list[Entity]:
    """The author and the document's region are entities of the document too."""
    out = list(entities)
    known = {norm_key(n) for e in out for n in (e.name, *e.aliases)}
    for etype, name in (("Person", meta.author), ("Region", meta.region)):
        if name and norm_key(name) not in known:
            i = doc.text.find(name)
            mentions = ()
            if i >= 0:
                sent = next((s.index for s in doc.sentences if s.start <= i < s.end), 0)
                mentions = (Mention(name, i, i + len(name), sent),)
            out.append(Entity(etype, name, (), mentions))
            known.add(norm_key(name))
    return out


__all__ = ["extract", "extract_entities", "extract_metadata", "extract_relations"]
