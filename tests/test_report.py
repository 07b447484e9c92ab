"""kg report: an offline overview page whose numbers are what SPARQL says over the same graph."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from kg.report import render_md, tables

from .conftest import SEEDS

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev" / "docs"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """kg build over seeds + dev (seeds alone where dev is not beside the repository), and its report."""
    out = tmp_path_factory.mktemp("report")
    inputs = [SEEDS] + ([DEV] if DEV.is_dir() else [])
    r = subprocess.run([sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "kg", "report", str(out / "graph.ttl")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out, Graph().parse(out / "graph.ttl")


def count(g: Graph, q: str) -> int:
    pre = """PREFIX kg: <https://w3id.org/talentkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
             PREFIX skos: <http://www.w3.org/2004/02/skos/core#> """
    return int(next(iter(g.query(pre + q)))[0])


def test_the_report_opens_offline_with_its_charts_drawn(corpus, offline_page):
    out, _ = corpus
    page = offline_page
    page.goto((out / "report.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.chart svg').length >= 3", timeout=20000)
    assert page.evaluate("document.querySelectorAll('#chart-regions svg .mark-rect path').length") > 0
    assert page.evaluate("document.querySelectorAll('#chart-incentives svg .mark-symbol path').length") > 0
    assert page.blocked_requests == [] and page.js_errors == []
    # every document row is a link target of the rows that cite it
    targets = page.evaluate("Array.from(document.querySelectorAll('a[href^=\"#doc-\"]')).map(a => a.hash.slice(1))")
    assert targets and all(page.evaluate(f"!!document.getElementById({t!r})") for t in set(targets))


def test_a_table_sorts_when_its_heading_is_clicked(corpus, offline_page):
    out, _ = corpus
    page = offline_page
    page.goto((out / "report.html").as_uri())
    table = page.locator("#regions-table")
    table.locator("th").nth(3).click()
    first = [int(x) for x in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert first == sorted(first)
    table.locator("th").nth(3).click()
    assert [int(x) for x in table.locator("tbody tr td:nth-child(4)").all_inner_texts()] == sorted(first, reverse=True)


def test_the_numbers_agree_with_sparql(corpus):
    _, g = corpus
    t = tables(g)
    assert len(t["documents"]) == count(g, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }")
    assert sum(r["documents"] for r in t["regions"]) == count(
        g, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document ; dcterms:spatial ?r }")
    assert len(t["incentives"]) == count(g, """SELECT (COUNT(?i) AS ?n) WHERE { ?i a kg:Incentive
        FILTER NOT EXISTS { ?i kg:past true } { ?i kg:recipient ?c } UNION { ?i kg:recipientText ?c } }""")
    # who has which mechanism: one row per region and mechanism named by its documents
    assert sum(1 for r in t["adopted"] if r["type"] == "Mechanism") == count(g, """SELECT (COUNT(*) AS ?n) WHERE {
        SELECT DISTINCT ?r ?e WHERE { ?d dcterms:spatial/skos:prefLabel ?r ; kg:mentions ?e . ?e a kg:Mechanism } }""")
    years = Counter(str(d["date"])[:4] for d in t["documents"] if d["date"])
    assert {r["year"]: r["documents"] for r in t["years"]} == dict(years)


def test_the_same_tables_as_markdown_and_csv(corpus, tmp_path):
    out, g = corpus
    md = render_md(g)
    assert "## incentives" in md and "## adopted" in md
    r = subprocess.run([sys.executable, "-m", "kg", "report", str(out / "graph.ttl"), "--format", "csv",
                        "-o", str(tmp_path / "r.csv")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in tmp_path.glob("r-*.csv"))
    assert "r-incentives.csv" in names and "r-adopted.csv" in names and len(names) == len(tables(g))


def test_the_report_says_what_was_skipped(tmp_path):
    import shutil
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), docs)
    (docs / "broken.docx").write_bytes(b"not a zip at all")
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "-o", str(tmp_path / "out"), "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 3, r.stderr        # built, with a skipped file
    t = tables(Graph().parse(tmp_path / "out" / "graph.ttl"))
    assert [(Path(s["file"]).name, "Word" in s["reason"]) for s in t["skipped"]] == [("broken.docx", True)]
    r = subprocess.run([sys.executable, "-m", "kg", "report", str(tmp_path / "out" / "graph.ttl")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "broken.docx" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
