"""Exports: every RDF format parses back to an isomorphic graph; Gephi's formats and CSV read back."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.pipeline import export


@pytest.mark.parametrize("fmt, parse_as", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_round_trip(seed_graph, tmp_path, fmt, parse_as):
    (f,) = export(seed_graph, fmt, tmp_path / f"graph.{fmt}")
    back = Graph().parse(f, format=parse_as)
    assert len(back) == len(seed_graph)
    assert isomorphic(back, seed_graph)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_kg_reads_back_every_graph_file_it_writes(seed_graph, tmp_path, fmt):
    from kg.query import load_graph
    from kg.store import OxigraphStore
    (f,) = export(seed_graph, fmt, tmp_path / f"graph.{fmt}")
    assert isomorphic(load_graph(f), seed_graph)      # a trig file's graphs merged into one
    assert len(OxigraphStore.of_file(f).store) == len(seed_graph)


def test_jsonld_has_a_compact_context(seed_graph, tmp_path):
    (f,) = export(seed_graph, "jsonld", tmp_path / "graph.jsonld")
    data = json.loads(f.read_text(encoding="utf-8"))
    assert data["@context"]["name"] == {"@id": "skos:prefLabel", "@language": "zh"}
    text = f.read_text(encoding="utf-8")
    assert '"name": "共饮一江水人才交流计划"' in text   # compact: no @value/@language noise


def test_trig_has_a_named_graph_per_document(seed_graph, tmp_path):
    (f,) = export(seed_graph, "trig", tmp_path / "graph.trig")
    ds = Dataset()
    ds.parse(f, format="trig")
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, seed_graph)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert sum(1 for n in names if "/doc/" in n) == 5


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_formats_read_back_with_networkx(seed_graph, tmp_path, fmt, read):
    (f,) = export(seed_graph, fmt, tmp_path / f"graph.{fmt}")
    G = read(f)
    labels = {a["label"]: a for _, a in G.nodes(data=True)}
    assert labels["共饮一江水人才交流计划"]["type"] == "Program"
    relations = {a["relation"] for _, _, a in G.edges(data=True)}
    assert {"implements", "targets", "reliesOn"} <= relations
    n_rel = len(set(seed_graph.triples((None, None, None))) & {
        t for t in seed_graph if str(t[1]).startswith("https://w3id.org/talentkg/ontology#")
        and str(t[1]).split("#")[1] in ("leads", "establishes", "implements", "issues", "targets", "focusesOn",
                                         "cooperatesWith", "partOf", "locatedIn", "reliesOn")})
    assert G.number_of_edges() == n_rel


def test_csv_nodes_and_edges_for_excel(seed_graph, tmp_path):
    nodes_f, edges_f = export(seed_graph, "csv", tmp_path / "graph.csv")
    assert nodes_f.name == "graph-nodes.csv" and edges_f.name == "graph-edges.csv"
    for f in (nodes_f, edges_f):
        assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    edges = list(csv.DictReader(io.StringIO(edges_f.read_text(encoding="utf-8-sig"))))
    assert any(e["head_name"] == "西宁市" and e["relation_zh"] == "实施" and e["tail_name"] == "共饮一江水人才交流计划"
               for e in edges)


def test_export_cli_from_a_store(seed_build, tmp_path):
    import subprocess
    import sys
    _, out = seed_build
    r = subprocess.run([sys.executable, "-m", "kg", "build", "seeds", "-o", tmp_path / "o", "-q",
                        "--store", f"oxigraph:{tmp_path / 'st'}"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "kg", "export", "--store", f"oxigraph:{tmp_path / 'st'}",
                        "--format", "nt", "-o", tmp_path / "g.nt"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert isomorphic(Graph().parse(tmp_path / "g.nt", format="nt"), Graph().parse(out / "graph.ttl"))
    for source in (["--store", f"oxigraph:{tmp_path / 'st'}"], [out / "graph.ttl"]):   # Turtle keeps kg's prefixes
        r = subprocess.run([sys.executable, "-m", "kg", "export", *source, "--format", "ttl", "-o", tmp_path / "g.ttl"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
        assert "@prefix kg: <https://w3id.org/talentkg/ontology#>" in text and "a kg:Assertion" in text
        assert isomorphic(Graph().parse(tmp_path / "g.ttl"), Graph().parse(out / "graph.ttl"))
