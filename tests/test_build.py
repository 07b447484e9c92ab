"""End to end: kg build seeds/ writes a graph that parses, conforms and answers."""
from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest
from rdflib import Graph

from kg.schema import ontology, shapes

from .conftest import SEEDS

PREFIXES = """
PREFIX kg: <https://w3id.org/talentkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def test_build_writes_the_three_files(seed_build):
    result, out = seed_build
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["entities.csv", "graph.html", "graph.ttl"]
    assert len(result.corpus.documents) == 5
    assert result.skipped == ()


def test_turtle_parses_with_rdflib_and_oxigraph_to_the_same_triples(seed_build):
    _, out = seed_build
    ttl = out / "graph.ttl"
    g = Graph().parse(ttl, format="turtle")
    with open(ttl, "rb") as fh:
        quads = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) > 1000
    assert len(quads) == len(g)


def test_graph_conforms_to_the_shacl_shapes(seed_graph):
    from pyshacl import validate
    conforms, _, report = validate(seed_graph, shacl_graph=shapes(), ont_graph=ontology(), inference="none",
                                   advanced=True, allow_warnings=False)
    assert conforms, report


def test_shapes_reject_a_relation_outside_its_domain(seed_graph):
    """The shapes can fail: a Policy that 'implements' something is not allowed."""
    from pyshacl import validate
    from rdflib import URIRef
    from kg.schema import KG
    g = Graph()
    for t in seed_graph:
        g.add(t)
    policy = next(g.subjects(predicate=None, object=KG.Policy))
    strategy = next(g.subjects(predicate=None, object=KG.Strategy))
    g.add((URIRef(policy), KG.implements, URIRef(strategy)))
    conforms, _, _ = validate(g, shacl_graph=shapes(), ont_graph=ontology(), inference="none", advanced=True)
    assert not conforms


@pytest.mark.parametrize("name, etype", [
    ("共饮一江水人才交流计划", "Program"),
    ("人才工作领导小组", "Body"),
    ("首席人才官", "Mechanism"),
])
def test_sparql_finds_the_analysts_examples(seed_graph, name, etype):
    q = PREFIXES + """
    SELECT ?e WHERE {
      ?e a ?type .
      { ?e skos:prefLabel ?label } UNION { ?e skos:altLabel ?label }
      FILTER(STR(?label) = ?name)
    }"""
    from rdflib import Literal
    from kg.schema import KG
    rows = list(seed_graph.query(q, initBindings={"type": KG[etype], "name": Literal(name)}))
    assert rows, f"{name} is not a {etype} in the seed graph"


def test_entities_csv_opens_in_excel_with_chinese(seed_build):
    _, out = seed_build
    raw = (out / "entities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    names = {r["name"] for r in rows}
    assert "共饮一江水人才交流计划" in names
    assert {"type", "name", "aliases", "documents", "iri"} <= set(rows[0])


def test_rebuild_is_byte_identical(seed_build, tmp_path):
    """Another process, with another hash seed, writes the same bytes."""
    import os
    import subprocess
    import sys
    _, out = seed_build
    env = dict(os.environ, PYTHONHASHSEED="12345")
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(tmp_path), "-q"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    for name in ("graph.ttl", "graph.html", "entities.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_relative_names_are_scoped_by_region(seed_graph):
    """市委 of two documents is not one node unless they speak for the same place."""
    q = PREFIXES + """SELECT ?e WHERE { ?e a kg:Body ; skos:prefLabel "市委"@zh }"""
    bodies = [str(r.e) for r in seed_graph.query(q)]
    assert len(bodies) == 2  # 001 and 002 both say 市委; neither names its city
    q = PREFIXES + """SELECT ?e WHERE { ?e a kg:TalentCategory ; skos:prefLabel "高层次人才"@zh }"""
    assert len(list(seed_graph.query(q))) == 1  # a category is one node for the corpus


def test_places_carry_their_level_and_parents_from_the_gazetteer(seed_graph):
    """An analyst can ask for everything in 湖南省 without listing its counties."""
    q = PREFIXES + """SELECT ?n ?level ?city ?province WHERE { ?r kg:adminLevel ?level ; skos:prefLabel ?n .
        OPTIONAL { ?r kg:inCity ?city } OPTIONAL { ?r kg:inProvince ?province } }"""
    rows = {str(r.n): (str(r.level), r.city and str(r.city), r.province and str(r.province))
            for r in seed_graph.query(q)}
    assert rows["蒸湘区"] == ("county", "衡阳市", "湖南省")
    assert rows["西宁市"] == ("city", None, "青海省")
    # where the parent is a node of the graph too, the two are linked
    q = PREFIXES + """SELECT ?p WHERE { ?r skos:prefLabel "西宁市"@zh ; kg:within/skos:prefLabel ?p }"""
    assert [str(r.p) for r in seed_graph.query(q)] == ["青海"]


def test_every_relation_has_evidence_in_its_document(seed_graph):
    q = PREFIXES + """
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?text ?start ?end ?id WHERE {
      ?a a kg:Assertion ; kg:evidenceText ?text ; kg:startOffset ?start ; kg:endOffset ?end ;
         prov:wasDerivedFrom ?d . ?d dcterms:identifier ?id }"""
    rows = list(seed_graph.query(q))
    assert rows
    for text, start, end, doc_id in rows:
        source = (SEEDS / str(doc_id)).read_text(encoding="utf-8")
        assert source[int(start):int(end)] == str(text)


def test_the_page_of_a_build_shows_the_network_of_its_graph(tmp_path):
    """kg build draws its page from the corpus, not from an rdflib graph: the network must be
    the one `to_networkx` reads back from the Turtle (nodes, names, aliases, documents,
    relations and their evidence), here on the seeds and dev documents, one of which
    (d81) states a relation twice."""
    import shutil

    from rdflib import RDF

    import kg
    from kg.analyze import corpus_network, to_networkx
    from kg.query import load_graph
    from kg.schema import KG

    from .conftest import ROOT
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    dev = ROOT.parent / "shared" / "dev" / "docs"
    for f in sorted(dev.glob("*.txt"))[:40] + sorted(dev.glob("d81_*.txt")):
        shutil.copy(f, docs / f.name)
    result = kg.build([docs], tmp_path / "out")
    assert_each_triple_once_and_each_subject_together(result)
    built = corpus_network(result.corpus)
    read = to_networkx(load_graph(tmp_path / "out" / "graph.ttl"))
    assert built.number_of_edges() > 100
    assert built.graph == read.graph
    assert dict(built.nodes(data=True)) == dict(read.nodes(data=True))
    assert sorted(built.edges(keys=True, data=True), key=str) == sorted(read.edges(keys=True, data=True), key=str)
    # each statement is its own assertion with one text, one sentence and one place (the
    # shapes' maxCount 1): d81 states 人才强市战略 twice, in its title and in its sixth sentence
    g = result.graph
    for p in (KG.evidenceText, KG.startOffset, KG.endOffset, KG.sentenceIndex):
        assert all(len(list(g.objects(a, p))) == 1 for a in g.subjects(RDF.type, KG.Assertion))
    twice = [e for e in built.edges(data=True) if e[1].endswith("人才强市战略")
             and sum(ev["doc"].startswith("d81_") for ev in e[2]["evidence"]) == 2]
    assert twice


def assert_each_triple_once_and_each_subject_together(result):
    """The build writes its Turtle from graph_triples in the order made: each triple once,
    a subject's triples one after the other, so each subject is one block of the file."""
    from kg.graph import graph_triples
    triples = list(graph_triples(result.corpus, result.base))
    assert len(triples) == len(set(triples)) == len(result.graph)
    subjects = [t[0] for i, t in enumerate(triples) if i == 0 or triples[i - 1][0] != t[0]]
    assert len(subjects) == len(set(subjects))


def test_two_documents_of_one_name_stay_two_documents(tmp_path):
    """a.txt and a.md are two documents: each its own kg:Document with its own title
    (their IRIs were once the same, and the graph held one document with two of each)."""
    import kg
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("西宁市人才工作会议召开\n西宁市实施“昆仑英才”计划。\n", encoding="utf-8")
    (docs / "a.md").write_text("海东市人才工作会议召开\n海东市设立人才发展专项资金。\n", encoding="utf-8")
    g = kg.build([docs], tmp_path / "out").graph
    q = """PREFIX kg: <https://w3id.org/talentkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?d (COUNT(?id) AS ?ids) (COUNT(?t) AS ?titles) WHERE { ?d a kg:Document ; dcterms:identifier ?id .
OPTIONAL { ?d dcterms:title ?t } } GROUP BY ?d"""
    rows = [(str(r[0]), int(r[1]), int(r[2])) for r in kg.query(g, q)]
    assert len(rows) == 2 and all(ids == 1 and titles <= 1 for _, ids, titles in rows)
    assert len({d for d, _, _ in rows}) == 2


def test_the_python_api_of_the_readme_in_a_fresh_process(tmp_path):
    """The README's three lines, run as a user runs them: kg.query is the query function
    even after kg's own query module has been imported (the lazy API once let the module
    hide it)."""
    import subprocess
    import sys
    code = f"""
import kg
result = kg.build([{str(SEEDS)!r}], {str(tmp_path / 'out')!r})
import kg.query
rows = kg.query(result.graph, "SELECT ?s WHERE {{ ?s a <https://w3id.org/talentkg/ontology#Program> }}")
G = kg.to_networkx(result.graph)
assert len(list(rows)) > 5, "no programs"
assert G.number_of_nodes() == result.network.number_of_nodes() > 50
assert len(kg.load_graph({str(tmp_path / 'out' / 'graph.ttl')!r})) == len(result.graph)
print("ok")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
