"""The kg command as a user runs it: real subprocesses, real files."""
from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

import pytest

from .conftest import ROOT, SEEDS


def kg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-build")
    r = kg("build", SEEDS, "-o", out)
    assert r.returncode == 0, r.stderr
    return out, r


def test_build_prints_a_summary(built):
    out, r = built
    assert "5 documents read" in r.stdout
    assert "Program" in r.stdout and "implements" in r.stdout
    assert (out / "graph.ttl").exists()


def test_query_prints_an_aligned_table(built):
    out, _ = built
    q = """PREFIX kg: <https://w3id.org/talentkg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?name WHERE { ?p a kg:Program ; skos:prefLabel ?name } ORDER BY ?name"""
    r = kg("query", out / "graph.ttl", q)
    assert r.returncode == 0, r.stderr
    assert "共饮一江水人才交流计划" in r.stdout
    assert "row(s)" in r.stdout


def test_query_csv_and_json(built, tmp_path):
    out, _ = built
    q = tmp_path / "q.rq"
    q.write_text("PREFIX kg: <https://w3id.org/talentkg/ontology#>\n"
                 "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Program }\n", encoding="utf-8")
    r = kg("query", out / "graph.ttl", "--file", q, "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "n" and int(r.stdout.splitlines()[1]) > 10
    r = kg("query", out / "graph.ttl", "--file", q, "--format", "json")
    data = json.loads(r.stdout)
    assert data["head"]["vars"] == ["n"]


def test_bad_query_is_one_message_with_line_and_column(built):
    out, _ = built
    r = kg("query", out / "graph.ttl", "SELECT ?x WHERE {\n  ?x ?y \n}")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("kg: SPARQL syntax error at line")


@pytest.mark.parametrize("args, needle", [
    (("query", "no/such/graph.ttl", "SELECT * {}"), "no such graph file"),
    (("query", "README.md", "SELECT * {}"), "unknown graph format"),
    (("build", "no/such/folder"), "no such file or folder"),
    (("build", SEEDS, "--base", "not an iri"), "is not a usable base IRI"),
])
def test_user_errors_are_one_clear_line(args, needle, tmp_path):
    r = kg(*args, "-o", tmp_path) if args[0] == "build" else kg(*args)
    assert r.returncode in (1, 3)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_broken_graph_file_is_named(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    r = kg("query", bad, "SELECT * {}")
    assert r.returncode == 1 and str(bad) in r.stderr and "Traceback" not in r.stderr
    assert "not a valid turtle file" in r.stderr and "line 1" in r.stderr
    bad.write_bytes("<http://a> <http://b> \"".encode() + "人才".encode("gb18030") + b'" .\n')
    r = kg("query", bad, "SELECT * {}")
    assert r.returncode == 1 and "not a valid turtle file" in r.stderr and "Traceback" not in r.stderr


def test_extract_writes_one_annotation_json_per_document(tmp_path):
    r = kg("extract", SEEDS, "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    doc = json.loads((tmp_path / "003_3fd2aaed58580efd.json").read_text(encoding="utf-8"))
    assert doc["doc"] == "003_3fd2aaed58580efd.txt"
    assert doc["region"] == "西宁市" and doc["date"] == "2022-10-11" and doc["author"] == "王润宇"
    names = {e["name"] for e in doc["entities"]}
    assert "共饮一江水人才交流计划" in names


def test_python_dash_m_and_console_script_agree():
    import shutil
    import sysconfig
    installed = Path(sysconfig.get_path("scripts")) / "kg"   # where pip put it (pyenv may not shim it)
    script = str(installed) if installed.exists() else shutil.which("kg")
    assert script, "the kg console script is not installed (pip install -e .)"
    via_m = kg("--help")
    via_script = subprocess.run([script, "--help"], capture_output=True, text=True)
    assert via_m.returncode == via_script.returncode == 0
    assert via_m.stdout.replace("python -m kg", "kg") == via_script.stdout
    assert "build" in via_script.stdout and "serve" in via_script.stdout


def test_query_parameters_bind_literals(built):
    out, _ = built
    r = kg("query", out / "graph.ttl", "--file", "kg/queries/evidence.rq", "-p", "x=首席人才官", "-p", "y=西宁市",
           "--format", "csv", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "建立“首席人才官”制度" in r.stdout and "003_3fd2aaed58580efd.txt" in r.stdout
    r = kg("query", out / "graph.ttl", "--file", "kg/queries/evidence.rq", "-p", "oops", cwd=ROOT)
    assert r.returncode == 1 and "is not NAME=VALUE" in r.stderr


def test_the_readme_examples_are_what_kg_prints(built):
    """The README shows real output; it must stay true."""
    out, _ = built
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    r = kg("query", out / "graph.ttl", "--file", "kg/queries/programs-by-region.rq", cwd=ROOT)
    block = readme.split("kg/queries/programs-by-region.rq` on the seeds prints:\n\n```\n", 1)[1].split("```", 1)[0]
    assert r.stdout == block
    r = kg("query", out / "graph.ttl", "--file", "kg/queries/evidence.rq", "-p", "x=首席人才官", "-p", "y=西宁市",
           "--format", "csv", cwd=ROOT)
    for line in r.stdout.splitlines():
        assert line in readme


def test_a_large_graph_file_suggests_a_store(built, monkeypatch, capsys):
    from kg import cli
    out, _ = built
    monkeypatch.setattr(cli, "LARGE_GRAPH", 1000)     # the seed graph stands in for a large one
    assert cli.main(["query", "programs-by-region", str(out / "graph.ttl"), "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert "--store oxigraph:" in err and "kg serve" in err
