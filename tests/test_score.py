"""Extraction quality on the seed gold, measured with the project's scorer."""
from __future__ import annotations

import pytest

import kg
from kg.export import annotation

from kg.learn import scorer
from .conftest import GOLD, SEEDS


@pytest.fixture(scope="module")
def scores():
    extractions, skipped = kg.extract_paths([SEEDS])
    assert not skipped
    pred = {x.document.id.rsplit(".", 1)[0]: annotation(x) for x in extractions}
    gold = scorer.load(GOLD)
    return scorer.score(gold, pred)


def test_entity_f1_on_seed_gold(scores):
    assert scores["untyped"][2] >= 0.90


def test_typed_entity_f1_on_seed_gold(scores):
    assert scores["typed"][2] >= 0.85


def test_every_entity_type_on_seed_gold(scores):
    low = {t: round(v[2], 3) for t, v in scores["by_type"].items() if v[2] < 0.75}
    assert not low, f"entity types under F1 0.75: {low}"


def test_metadata_on_seed_gold(scores):
    assert all(v >= 0.9 for v in scores["metadata"].values()), scores["metadata"]


def test_relation_f1_on_seed_gold(scores):
    assert scores["relations"][2] >= 0.65
    assert scores["untyped_relations"][2] >= 0.75
