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
    d = extraction("d.txt", None, ("Body", "市委"))
    corpus = resolve([a, b, c, d], BASE)
    by = {}
    for n in corpus.nodes:
        by.setdefault((n.type, n.name), []).append(n)
    assert len(by[("TalentCategory", "高层次人才")]) == 1
    # 市委 of a document of 西宁市 is 西宁市委, written 市委 (an alias)
    assert [(len(n.docs), n.aliases) for n in by[("Body", "西宁市委")]] == [(2, ("市委",))]
    assert len(by[("Body", "南京市委")]) == 1
    assert [n.scope for n in by[("Body", "市委")]] == ["doc:d"]     # no place named: its document's own


def test_iris_are_stable_across_runs():
    a = extraction("a.txt", "西宁市", ("Program", "共饮一江水人才交流计划"))
    assert [n.iri for n in resolve([a], BASE).nodes] == [n.iri for n in resolve([a], BASE).nodes]


def real(text: str, doc_id: str):
    from kg.extract import extract
    return extract(make_document(text, doc_id))


# Real sentences of the seeds and of dev documents, in both scripts.
XINING = "西宁市委常委、组织部部长 王润宇\n\n近年来，市委坚持党管人才原则，出台《西宁市加强援宁人才教育服务管理的十条措施》。\n"
XINING_TRAD = "西寧市人才工作綜述\n\n作者：王潤宇\n\n西寧市委高度重視人才工作，市委出台人才新政。\n"
YANHU = "盐湖区人才工作会议召开\n\n区委书记出席会议。区人社、区财政局等部门做好保障。\n"
YANHU_2 = "盐湖区优秀人才座谈会\n\n区人社局负责落实人才引进政策。\n"


def test_one_office_whatever_script_or_short_form():
    corpus = resolve([real(XINING, "a.txt"), real(XINING_TRAD, "b.txt"), real(YANHU, "c.txt"),
                      real(YANHU_2, "d.txt")], BASE)
    bodies = {n.name: n for n in corpus.nodes if n.type == "Body"}
    # 市委 (西宁市), 西宁市委 and 西寧市委 (a traditional document of 西宁) are one node, one scope
    shiwei = [n for n in corpus.nodes if n.type == "Body" and "市委" in (n.name, *n.aliases) and "西" in n.name]
    assert len(shiwei) == 1 and set(shiwei[0].docs) == {"a.txt", "b.txt"} and shiwei[0].scope is None
    assert "西寧市委" in shiwei[0].aliases + (shiwei[0].name,) or "西寧市委" == shiwei[0].name
    # 区人社 and 区人社局 of 盐湖区 are one office, 盐湖区人社局
    renshe = [n for n in bodies.values() if "人社" in n.name]
    assert [(n.name, sorted(n.docs)) for n in renshe] == [("盐湖区人社局", ["c.txt", "d.txt"])]


def test_a_person_named_in_both_scripts_is_every_documents_author():
    corpus = resolve([real(XINING, "a.txt"), real(XINING_TRAD, "b.txt")], BASE)
    people = [n for n in corpus.nodes if n.type == "Person"]
    assert len(people) == 1
    assert {d.id: d.author_iri for d in corpus.documents} == {"a.txt": people[0].iri, "b.txt": people[0].iri}


def test_pinyin_glosses_are_removed_when_a_document_is_read(tmp_path):
    from kg.read import read_documents
    (tmp_path / "p.txt").write_text("市委人才工作領(lǐng)導(dǎo)小組召開會議，研究人才(AI)工作。\n", encoding="utf-8")
    doc = read_documents([tmp_path])[0][0]
    assert doc.text.startswith("市委人才工作領導小組召開會議") and "(AI)" in doc.text
    names = {e.name for e in real(doc.text, "p.txt").entities}
    assert "市委人才工作領導小組" in names
