"""SPARQL over the seed graph: the named analyst queries, on every store, and query errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.query import library, named_sparql, rows
from kg.store import EndpointStore, MemoryStore, OxigraphStore

from .conftest import ROOT

PARAMS = {"document-entities": {"doc": "004_78da3057a77bf2a4.txt"}, "documents-mentioning": {"entity": "人才公寓"},
          "entities-by-type": {"type": "Program"}, "evidence": {"x": "共饮一江水", "y": "西宁市"},
          "relations-of": {"entity": "柔性引进"}}


EMPTY_ON_SEEDS = {"skipped"}     # every seed is read: nothing to list (tests/test_report.py has a skipped file)


def kg(*args):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def stores(seed_graph, seed_build, tmp_path_factory, oxigraph_server):
    ox = OxigraphStore(tmp_path_factory.mktemp("ox") / "store", create=True)
    ox.load(seed_graph)
    ep = EndpointStore(oxigraph_server + "/query")
    ep.load(seed_graph)
    # "file": what `kg query NAME graph.ttl` runs on, the file read into an in-memory Oxigraph
    yield {"memory": MemoryStore(seed_graph), "oxigraph": ox, "endpoint": ep,
           "file": OxigraphStore.of_file(seed_build[1] / "graph.ttl")}
    ox.close()


def answer(stores, name, store="memory", params=None):
    return rows(stores[store].query(named_sparql(name, params if params is not None else PARAMS.get(name))))


def test_there_are_at_least_ten_named_questions():
    lib = library()
    assert len(lib) >= 10
    assert all(q.description for q in lib.values())


@pytest.mark.parametrize("name", sorted(library()))
def test_named_queries_agree_on_every_store(stores, name):
    memory = answer(stores, name, "memory")
    assert memory or name in EMPTY_ON_SEEDS, f"{name} finds nothing on the seed graph"
    assert answer(stores, name, "oxigraph") == memory
    assert answer(stores, name, "endpoint") == memory
    assert answer(stores, name, "file") == memory


def test_programs_by_region(stores):
    got = {(r[0], r[1]) for r in answer(stores, "programs-by-region")}
    assert ("西宁市", "共饮一江水人才交流计划") in got and ("蒸湘区", "万雁入乡行动") in got


def test_mechanisms_shared_by_two_or_more_places(stores):
    got = {r[0]: int(r[1]) for r in answer(stores, "mechanisms-shared")}
    assert got.get("柔性引进") == 2 and got.get("产学研合作") == 2
    assert "首席人才官制度" not in got   # one place only


def test_who_leads_or_issues(stores):
    got = {(r[0], r[1], r[2]) for r in answer(stores, "who-leads-or-issues")}
    assert ("市委", "leads", "市委人才工作领导小组") in got
    assert ("西宁市", "issues", "西宁市加强援宁人才教育服务管理的十条措施") in got
    assert ("西宁市", "establishes", "首席人才官制度") in got


def test_talent_categories_targeted_most(stores):
    got = answer(stores, "talent-categories-targeted")
    top = max(got, key=lambda r: int(r[1]))
    assert top[0] == "高层次人才" and int(top[1]) >= 5


def test_document_entities_and_documents_mentioning(stores):
    got = {(r[0], r[1]) for r in answer(stores, "document-entities")}
    assert ("Region", "蒸湘区") in got and ("Program", "万雁入乡行动") in got and ("Person", "谢铷鸿") in got
    docs = {r[0] for r in answer(stores, "documents-mentioning")}
    assert docs == {"000_7c0e2fcbf58322a0.txt", "001_6c1d71fe02fef3cd.txt", "002_90be30462b663c2e.txt",
                    "003_3fd2aaed58580efd.txt"}   # 人才公寓 (alias of 市级人才公寓 in 003)


def test_evidence_and_relations_of(stores):
    got = answer(stores, "evidence")
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [("西宁市", "implements", "共饮一江水人才交流计划",
                                                         "启动实施“共饮一江水”人才交流计划")]
    rel = {(r[0], r[1], r[2]) for r in answer(stores, "relations-of")}
    assert ("柔性引进", "targets", "高端人才") in rel and ("柔性引进", "reliesOn", "院士工作站") in rel


def test_entities_by_type_with_aliases(stores):
    got = {r[0]: r for r in answer(stores, "entities-by-type")}
    assert "共饮一江水人才交流计划" in got and "共饮一江水" in got["共饮一江水人才交流计划"][2]
    regions = {r[0] for r in answer(stores, "entities-by-type", params={"type": "Region"})}
    assert {"西宁市", "蒸湘区", "粤港澳大湾区"} <= regions


def test_platforms_policies_industries_strategies_reliance(stores):
    assert ("西宁市", "establishes", "人才社区") in {(r[0], r[1], r[2]) for r in answer(stores, "platforms-by-region")}
    policies = {r[0] for r in answer(stores, "policies")}
    assert {"关于深化人才发展体制机制改革的实施意见", "人才政策2.0"} <= policies
    ind = {r[0]: r[1] for r in answer(stores, "industries-by-region")}
    assert "数字经济" in ind["蒸湘区"]
    assert ("西宁市", "党管人才原则") in {(r[0], r[1]) for r in answer(stores, "strategies-by-region")}
    assert ("共享人才行动", "博士服务团") in {(r[0], r[1]) for r in answer(stores, "programs-reliance")}


@pytest.mark.parametrize("store", ["memory", "oxigraph", "endpoint"])
def test_tables_come_in_the_order_their_query_asks_for(stores, store):
    """kg sorts the rows of a final ORDER BY itself (kg.ordering), on every store."""
    def in_order(name):      # the rows as they come (`answer` sorts them to compare stores)
        r = stores[store].query(named_sparql(name))
        return [tuple("" if b.get(v) is None else str(b.get(v)) for v in r.vars) for b in r.bindings]
    docs = [r[0] for r in in_order("documents")]
    assert docs == sorted(docs) and len(docs) == 5
    counts = [int(r[1]) for r in in_order("talent-categories-targeted")]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    offers = in_order("incentives-by-category")
    assert [r[0] for r in offers] == sorted(r[0] for r in offers)
    for category in {r[0] for r in offers}:                     # the largest amount first
        amounts = [float(r[4] or r[3] or 0) for r in offers if r[0] == category]
        assert amounts == sorted(amounts, reverse=True)


def test_an_order_kg_does_not_sort_itself_is_left_to_the_store(stores):
    from rdflib import Variable

    from kg.ordering import split
    from kg.query import select_vars
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE { ?e skos:prefLabel ?name } ORDER BY DESC(STRLEN(?name)) ?name"""
    assert split(q, ["name"])[1] is None and split(q + " LIMIT 3", ["name"])[1] is None
    for store in ("memory", "oxigraph"):
        names = [str(b[Variable("name")]) for b in stores[store].query(q + " LIMIT 3").bindings]
        assert len(names) == 3 and len(names[0]) >= len(names[1]) >= len(names[2]) > 10
    hidden = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE { ?e skos:prefLabel ?name FILTER (lang(?name) = "zh") } ORDER BY ?e"""   # ?e: not returned
    assert select_vars(hidden) == ["name"] and split(hidden, ["name"])[1] is None
    assert split(hidden.replace("SELECT ?name", "SELECT ?name ?e"), ["name", "e"])[1] is not None
    with_e = hidden.replace("SELECT ?name", "SELECT ?name ?e")
    for store in ("memory", "oxigraph"):     # the store's order by ?e is kg's order by ?e
        got = [str(b[Variable("name")]) for b in stores[store].query(hidden).bindings]
        assert got == [str(b[Variable("name")]) for b in stores[store].query(with_e).bindings] and len(got) > 50


def test_cli_lists_and_runs_named_queries(seed_build):
    _, out = seed_build
    r = kg("query", "--list")
    assert r.returncode == 0 and "mechanisms-shared" in r.stdout and "evidence" in r.stdout
    r = kg("query", "documents-mentioning", out / "graph.ttl", "--param", "entity=首席人才官", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [b["doc"]["value"] for b in data["results"]["bindings"]] == ["003_3fd2aaed58580efd.txt"]
    r = kg("query", "documents-mentioning", out / "graph.ttl", "--param", "nope=1")
    assert r.returncode == 1 and "has no parameter 'nope'" in r.stderr
    r = kg("query", "no-such-query", out / "graph.ttl")
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_select_ask_construct_describe_and_formats(seed_build):
    _, out = seed_build
    g = out / "graph.ttl"
    prefix = "PREFIX kg: <https://w3id.org/talentkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    r = kg("query", g, prefix + "ASK { ?p a kg:Program ; skos:prefLabel \"共饮一江水人才交流计划\"@zh }")
    assert r.stdout.strip() == "true"
    r = kg("query", g, prefix + "CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a kg:Policy ; skos:prefLabel ?n }")
    assert r.returncode == 0 and "人才政策2.0" in r.stdout and "skos:prefLabel" in r.stdout
    r = kg("query", g, prefix + "SELECT ?t WHERE { ?p a ?t ; skos:prefLabel \"共饮一江水人才交流计划\"@zh }")
    assert r.returncode == 0 and "│ kg:Program │" in r.stdout      # short, by the file's own prefixes
    r = kg("query", g, prefix + "DESCRIBE ?p WHERE { ?p skos:prefLabel \"首席人才官制度\"@zh }")
    assert r.returncode == 0 and "首席人才官" in r.stdout
    r = kg("query", g, prefix + "SELECT ?n WHERE { ?p a kg:Industry ; skos:prefLabel ?n } ORDER BY ?n LIMIT 2",
           "--format", "tsv")
    lines = r.stdout.splitlines()
    assert lines[0] == "?n" and lines[1].endswith('"@zh') and len(lines) == 3


def test_select_star_columns_come_in_the_order_the_query_names_them(seed_build):
    import os
    _, out = seed_build
    q = ("PREFIX kg: <https://w3id.org/talentkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT * WHERE { ?program a kg:Program ; skos:prefLabel ?name . ?doc kg:mentions ?program } LIMIT 1")
    for seed in ("1", "2", "3"):     # rdflib's set of them, and Oxigraph's sorted list, were other orders
        r = subprocess.run([sys.executable, "-m", "kg", "query", str(out / "graph.ttl"), q, "--format", "tsv"],
                           capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONHASHSEED=seed))
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines()[0] == "?program\t?name\t?doc"


def test_table_aligns_chinese_columns(seed_build):
    _, out = seed_build
    r = kg("query", "programs-by-region", out / "graph.ttl")
    from rich.cells import cell_len
    widths = {cell_len(line[:line.index("│", 1)]) for line in r.stdout.splitlines() if line.startswith("│")}
    assert len(widths) == 1   # every row's first column ends at the same screen column


def test_syntax_error_names_line_and_column(seed_build):
    _, out = seed_build
    r = kg("query", out / "graph.ttl", "SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = )\n}")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "line 3" in r.stderr and "column" in r.stderr


def test_a_query_that_runs_too_long_is_stopped(seed_build):
    _, out = seed_build
    r = kg("query", out / "graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
           "--timeout", "1")
    assert r.returncode == 1
    assert "longer than 1 s" in r.stderr and "Traceback" not in r.stderr


def test_a_server_without_the_graph_store_protocol_is_loaded_by_sparql_update(seed_build, seed_graph, oxigraph_server):
    _, out = seed_build
    ep = EndpointStore(oxigraph_server + "/query", store_url=oxigraph_server + "/no-graph-store-here")
    assert ep.load_file(out / "graph.ttl") == len(seed_graph)       # a 404 for the PUT, then INSERT DATA
    assert answer({"ep": ep}, "mechanisms-shared", "ep") == answer({"m": MemoryStore(seed_graph)}, "mechanisms-shared", "m")


def test_build_loads_into_oxigraph_and_an_endpoint(tmp_path, oxigraph_server):
    from .conftest import SEEDS
    r = kg("build", SEEDS, "-o", tmp_path / "out", "--store", f"oxigraph:{tmp_path / 'store'}", "-q")
    assert r.returncode == 0, r.stderr
    r = kg("query", "mechanisms-shared", "--store", f"oxigraph:{tmp_path / 'store'}", "--format", "csv")
    assert r.returncode == 0 and "柔性引进" in r.stdout
    r = kg("build", SEEDS, "-o", tmp_path / "out2", "--endpoint", oxigraph_server + "/query", "-q")
    assert r.returncode == 0, r.stderr
    r = kg("query", "mechanisms-shared", "--endpoint", oxigraph_server + "/query", "--format", "csv")
    assert r.returncode == 0 and "柔性引进" in r.stdout
    r = kg("query", "mechanisms-shared", "--endpoint", "http://127.0.0.1:9/query")
    assert r.returncode == 1 and "cannot reach" in r.stderr


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.text(max_size=40), min_size=1, max_size=6),
       tag=st.sampled_from([None, "zh", "en-US", "http://example.org/dt"]))
def test_any_text_comes_back_from_oxigraph_as_it_was_stored(values, tag):
    """kg reads Oxigraph's answers through its TSV (kg.oxterms.solutions): tabs, newlines, quotes,
    backslashes, NULs and any script in a value come back unchanged, with their tag, and
    a row with nothing bound stays a row."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef, Variable
    store = OxigraphStore()
    def literal(v):
        if tag is None or tag.startswith("http"):
            return ox.Literal(v, datatype=ox.NamedNode(tag)) if tag else ox.Literal(v)
        return ox.Literal(v, language=tag)
    for i, v in enumerate(values):
        store.store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), literal(v)))
    got = store.query("SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } }")
    want = sorted((f"http://example.org/s{i}", v) for i, v in enumerate(values))
    assert sorted((str(b[Variable("s")]), str(b[Variable("o")])) for b in got.bindings) == want
    for b in got.bindings:
        o = b[Variable("o")]
        assert isinstance(o, Literal) and Variable("none") not in b
        if tag is None:
            assert o.language is None and o.datatype is None
        elif tag.startswith("http"):
            assert o.datatype == URIRef(tag)
        else:
            assert o.language == tag.lower()
    empty = store.query("SELECT ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } }")
    assert empty.bindings == [{} for _ in values]
