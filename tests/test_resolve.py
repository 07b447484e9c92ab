"""Identity: IRIs are valid for any name, stable, and scoped where names are relative."""
from __future__ import annotations

import pyoxigraph
from rdflib import Graph

from kg.graph import build_graph
from kg.model import Entity, Extraction, Metadata, Mention
from kg.read import make_document
from kg.resolve import resolve, scope_of, segment

BASE = "https://w3id.org/talentkg/id/"


def extraction(doc_id, region, *entities):
    doc = make_document("正文。", doc_id)
    ents = tuple(Entity(t, n, (), (Mention("正文", 0, 2, 0),)) for t, n in entities)
    return Extraction(doc, Metadata(region=region), ents, ())


def test_hostile_names_give_valid_iris_and_turtle():
    names = ['a"b<c>d', "x\\y`z{}|^", "空 格", "</script><script>alert(1)</script>", "😀零\u200b宽", "长" * 500]
    x = extraction("d.txt", None, *[("Program", n) for n in names])
    corpus = resolve([x], BASE)
    ttl = build_graph(corpus, BASE).serialize(format="turtle")
    g = Graph().parse(data=ttl, format="turtle")
    assert len(list(pyoxigraph.parse(ttl.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))) == len(g)
    labels = {str(o) for o in g.objects(None, None) if getattr(o, "language", None) == "zh"}
    assert set(names) <= labels
    assert all(len(n.iri) < 250 for n in corpus.nodes)


def test_segment_keeps_chinese_readable():
    assert segment("共饮一江水人才交流计划") == "共饮一江水人才交流计划"
    assert segment("1+1+N人才政策体系") == "1%2B1%2BN人才政策体系"


def test_relative_names_are_scoped_and_absolute_ones_are_not():
    assert scope_of("Body", "市委", "西宁市", "003.txt") == "西宁市"
    assert scope_of("Body", "市委", None, "001.txt") == "doc:001"
    assert scope_of("Body", "西宁市人才服务中心", None, "x.txt") is None
    assert scope_of("TalentCategory", "高层次人才", "西宁市", "x.txt") is None
    assert scope_of("Event", "中央人才工作会议", "西宁市", "x.txt") is None


def test_same_category_in_two_documents_is_one_node_but_two_cities_keep_their_own_shiwei():
    a = extraction("a.txt", "西宁市", ("TalentCategory", "高层次人才"), ("Body", "市委"))
    b = extraction("b.txt", "南京市", ("TalentCategory", "高层次人才"), ("Body", "市委"))
    c = extraction("c.txt", "西宁市", ("Body", "市委"))
    corpus = resolve([a, b, c], BASE)
    by = {}
    for n in corpus.nodes:
        by.setdefault((n.type, n.name), []).append(n)
    assert len(by[("TalentCategory", "高层次人才")]) == 1
    assert len(by[("Body", "市委")]) == 2
    assert sorted(len(n.docs) for n in by[("Body", "市委")]) == [1, 2]


def test_iris_are_stable_across_runs():
    a = extraction("a.txt", "西宁市", ("Program", "共饮一江水人才交流计划"))
    assert [n.iri for n in resolve([a], BASE).nodes] == [n.iri for n in resolve([a], BASE).nodes]
