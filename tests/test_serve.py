"""kg serve: a real local SPARQL 1.1 Protocol endpoint, read-only, on 127.0.0.1."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.query import named_sparql, rows
from kg.store import EndpointStore, MemoryStore

from .conftest import free_port, wait_for


@pytest.fixture(scope="module")
def endpoint(seed_build):
    _, out = seed_build
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(out / "graph.ttl"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_for(url + "?query=ASK%7B%7D")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def get(url, headers=None, data=None, method=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode("utf-8")


Q = "PREFIX kg: <https://w3id.org/talentkg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Program }"


def test_get_and_post_answer_with_w3c_formats(endpoint, seed_graph):
    n = int(MemoryStore(seed_graph).query(Q).bindings[0]["n"])
    status, ctype, body = get(endpoint + "?" + urllib.parse.urlencode({"query": Q}))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == n
    status, ctype, body = get(endpoint, {"Content-Type": "application/sparql-query", "Accept": "text/csv"},
                              Q.encode("utf-8"), "POST")
    assert status == 200 and ctype.startswith("text/csv") and body.splitlines() == ["n", str(n)]
    status, ctype, body = get(endpoint, {"Content-Type": "application/x-www-form-urlencoded",
                                         "Accept": "text/tab-separated-values"},
                              urllib.parse.urlencode({"query": Q}).encode("utf-8"), "POST")
    assert status == 200 and body.splitlines()[0] == "?n"


def test_named_queries_give_the_same_rows_as_in_memory(endpoint, seed_graph):
    remote = EndpointStore(endpoint)
    for name in ("programs-by-region", "mechanisms-shared", "who-leads-or-issues"):
        q = named_sparql(name)
        assert rows(remote.query(q)) == rows(MemoryStore(seed_graph).query(q))


def test_updates_are_refused(endpoint, seed_graph):
    upd = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert get(endpoint, {"Content-Type": "application/sparql-update"}, upd.encode(), "POST")[0] == 403
    assert get(endpoint, {"Content-Type": "application/x-www-form-urlencoded"},
               urllib.parse.urlencode({"update": upd}).encode(), "POST")[0] == 403
    status, _, body = get(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { <urn:a> <urn:b> <urn:c> }"}))
    assert json.loads(body)["boolean"] is False


def test_bad_query_is_a_400_with_the_position(endpoint):
    status, _, body = get(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x"}))
    assert status == 400 and "line 1" in body


def test_bound_to_loopback_only(endpoint):
    assert urllib.parse.urlsplit(endpoint).hostname == "127.0.0.1"
    status, _, _ = get(endpoint.replace("/sparql", "/") + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200
