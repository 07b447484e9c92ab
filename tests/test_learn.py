"""The trained entity tagger: gold projected onto real text, training, the shipped model,
cross-validation, and text the model has never seen."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.extract import extract
from kg.extract.entities import extract_entities
from kg.extract.spans import norm_key
from kg.extract.crf import Weights
from kg.extract.tagger import Tagger, default_model_path, default_tagger, model_info, spans_of, weights_path
from kg.learn.corpus import genre_of, load_corpora, load_pairs
from kg.learn.project import key, project
from kg.learn.train import labels_for, sequences, train
from kg.read import make_document

from .conftest import GOLD, ROOT, SEEDS, assert_offsets_point_at_the_text

SHARED = ROOT.parent / "shared"
DEV = SHARED / "dev"
needs_dev = pytest.mark.skipif(not (DEV / "gold").is_dir(), reason="../shared/dev is not beside the repository")


def kg(*args):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def seed_items():
    return load_pairs(SEEDS, GOLD)


def item(items, stem):
    return next(a for a in items if a.doc.id.startswith(stem))


# --- gold projected onto the text -----------------------------------------------------

def test_a_quoted_name_is_found_across_its_marks(seed_items):
    a = item(seed_items, "003")
    flat, _ = project(a.doc, a.gold)
    spans = {a.doc.text[s.start:s.end] for s in flat if s.name == "共饮一江水人才交流计划"}
    assert "共饮一江水”人才交流计划" in spans   # from the first letter to the head noun, inner mark kept


def test_a_place_inside_a_name_goes_to_the_nested_layer(seed_items):
    a = item(seed_items, "003")
    flat, nested = project(a.doc, a.gold)
    outer = [s for s in flat if s.name == "浦东专家西宁行活动"]
    inner = [s for s in nested if s.name == "浦东"]
    assert outer and inner
    assert any(o.start <= i.start and i.end <= o.end for o in outer for i in inner)


def test_flat_spans_never_overlap_and_each_is_a_gold_form(seed_items):
    for a in seed_items:
        flat, _ = project(a.doc, a.gold)
        forms = {key(f) for e in a.gold["entities"] for f in (e["name"], *e.get("aliases", []))}
        for x, y in zip(flat, flat[1:]):
            assert x.end <= y.start
        for s in flat:
            assert key(a.doc.text[s.start:s.end]) in forms


def test_traditional_text_matches_its_traditional_gold(seed_items):
    import opencc
    a = item(seed_items, "003")
    conv = opencc.OpenCC("s2t").convert
    doc = make_document(conv(a.doc.text), a.doc.id)
    gold = {"entities": [{**e, "name": conv(e["name"]), "aliases": [conv(x) for x in e.get("aliases", [])]}
                         for e in a.gold["entities"]]}
    names = {s.name for s in project(doc, gold)[0]}
    assert conv("共饮一江水人才交流计划") in names and conv("西宁市人才服务中心") in names


def test_labels_and_spans_round_trip(seed_items):
    a = item(seed_items, "000")
    flat, _ = project(a.doc, a.gold)
    n = len(a.doc.text)
    got = [(t.start, t.end, t.type) for t in spans_of(labels_for(n, 0, flat), 0)]
    assert got == [(s.start, s.end, s.type) for s in flat]


def test_genres_from_file_names():
    assert genre_of("d13_shaoxing_bajianrencai_notice") == "policy"
    assert genre_of("d04_haerbin_rencaixinzheng30_policy_trad") == "policy"
    assert genre_of("d41_x_speech") == "speech"
    assert genre_of("000_7c0e2fcbf58322a0") == "other"


# --- training ----------------------------------------------------------------------

def test_training_is_deterministic_and_says_how_the_model_was_made(seed_items, tmp_path):
    seqs = [s for a in seed_items[:3] for s in sequences(a)]
    m1 = train(seqs, tmp_path / "a.crfsuite", {"max_iterations": 15})
    m2 = train(seqs, tmp_path / "b.crfsuite", {"max_iterations": 15})
    assert m1.read_bytes() == m2.read_bytes()
    info = model_info(m1)
    assert info["documents"] == sorted(a.doc.id for a in seed_items[:3])
    assert info["params"]["max_iterations"] == 15
    Tagger(m1)   # loads


def test_the_tagger_reads_the_weights_written_beside_its_model_and_only_that_models(seed_items, tmp_path):
    """kg train writes the weights as arrays beside the model; a tagger reads them instead of
    asking crfsuite (0.2 s at every start), and labels the same; weights left from another
    model are not used."""
    import numpy as np
    seqs = [s for a in seed_items[:3] for s in sequences(a)]
    a = train(seqs, tmp_path / "a.crfsuite", {"max_iterations": 15})
    b = train([s for x in seed_items[3:] for s in sequences(x)], tmp_path / "b.crfsuite", {"max_iterations": 15})
    fast = Tagger(a)
    assert weights_path(a).is_file() and fast._crfsuite is None
    slow = Weights.of_crfsuite(fast.crfsuite().info())
    assert fast.weights.labels == slow.labels and fast.weights.attrs == slow.attrs
    assert np.array_equal(fast.weights.W, slow.W) and np.array_equal(fast.weights.T, slow.T)
    weights_path(b).write_bytes(weights_path(a).read_bytes())    # a's weights beside b
    other = Tagger(b)
    assert other._crfsuite is not None                          # read from crfsuite instead
    assert not np.array_equal(other.weights.T, fast.weights.T)


def test_a_model_that_is_not_one_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "m.crfsuite"
    bad.write_bytes(b"not a model")
    r = kg("extract", SEEDS, "--out", tmp_path / "p", "--model", bad)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert str(bad) in r.stderr and "kg train" in r.stderr
    r = kg("extract", SEEDS, "--out", tmp_path / "p", "--model", tmp_path / "missing.crfsuite")
    assert r.returncode == 1 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_kg_train_writes_a_model_that_kg_extract_uses(tmp_path):
    model = tmp_path / "m.crfsuite"
    r = kg("train", SEEDS, GOLD, "-o", model)
    assert r.returncode == 0, r.stderr
    assert model.is_file() and f"wrote {model}" in r.stdout
    r = kg("extract", SEEDS, "--out", tmp_path / "pred", "--model", model)
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "pred" / "003_3fd2aaed58580efd.json").read_text(encoding="utf-8"))
    assert "共饮一江水人才交流计划" in {e["name"] for e in doc["entities"]}


def test_kg_train_names_a_missing_folder(tmp_path):
    r = kg("train", SEEDS, tmp_path / "nogold")
    assert r.returncode == 1 and "nogold" in r.stderr and "Traceback" not in r.stderr
    r = kg("train", SEEDS)
    assert r.returncode == 1 and "pairs of folders" in r.stderr


# --- the shipped model ------------------------------------------------------------------

def test_kg_ships_a_model_of_its_own_features():
    assert default_model_path().is_file()
    assert default_tagger() is not None


def test_the_model_finds_names_the_rules_miss(seed_items):
    """A person named without a role word before the name (the rules need one)."""
    doc = make_document("8月15日，王润宇深入西宁市城北区调研人才工作。", "t.txt")
    rules = {e.name for e in extract_entities(doc, None)}
    model = {e.name: e.type for e in extract_entities(doc)}
    assert "王润宇" not in rules
    assert model.get("王润宇") == "Person"


@pytest.mark.parametrize("text", [
    "The talent office of Xining launched a new program in 2023.",
    "2023 2024 12345 678.90 -- 100%",
    "人才" * 25000,                                  # a 50,000-character sentence
    "🎉🎉 人才新政 🚀 “共饮一江水”人才交流计划 😀",
    "Xining西宁市 launched “Talent-2.0” 计划 with ＡＢＣ full-width and ｶﾀｶﾅ.",
    "",
])
def test_unseen_text_gives_no_traceback_and_offsets_point_at_the_text(text):
    doc = make_document(text or " ", "t.txt")
    assert_offsets_point_at_the_text(doc, extract(doc))


# --- cross-validation -------------------------------------------------------------------

def test_kg_evaluate_quick_on_the_seeds():
    r = kg("evaluate", SEEDS, GOLD, "--quick")
    assert r.returncode == 0, r.stderr
    assert "5-fold cross-validation over 1 documents" in r.stdout
    assert "model: entity_f1=" in r.stdout and "rules: entity_f1=" in r.stdout
    assert "Program" in r.stdout


def test_kg_evaluate_refuses_too_few_documents():
    r = kg("evaluate", SEEDS, GOLD, "--folds", "9")
    assert r.returncode == 1 and "--folds 9" in r.stderr and "Traceback" not in r.stderr


@needs_dev
def test_cross_validated_model_beats_the_rules_on_documents_it_never_saw():
    """One fold of five over seeds + dev: trained without these documents, scored on them."""
    from kg.learn.evaluate import cross_validate
    items = load_corpora([SEEDS, GOLD, DEV / "docs", DEV / "gold"])
    rep = cross_validate(items, 5, params={"max_iterations": 100}, limit_folds=1)
    model, rules = rep.systems["model"], rep.systems["rules"]
    assert rep.documents == len(items) // 5 + (1 if len(items) % 5 else 0)
    assert model["untyped"][2] >= 0.68, model["untyped"]
    assert model["untyped"][2] > rules["untyped"][2] + 0.03
    assert all(v[2] >= 0.4 for t, v in model["by_type"].items() if v[4] >= 10), model["by_type"]


def test_names_do_not_change_with_the_model_when_quoted(seed_items):
    """Structure wins: a 《title》 is a Policy whatever the tagger says of its words."""
    doc = make_document("制定实施《西宁市加强援宁人才教育服务管理的十条措施》。", "t.txt")
    found = {norm_key(e.name): e.type for e in extract_entities(doc)}
    assert found.get("西宁市加强援宁人才教育服务管理的十条措施") == "Policy"
