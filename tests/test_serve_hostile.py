"""kg serve under load, slow queries and hostile use: a real server on 127.0.0.1, real clients,
a real Chromium page of another origin."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from kg.query import named_sparql

from .conftest import free_port, html_site, wait_for

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@contextmanager
def served(graph, *options):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(graph), "--port", str(port), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_for(url + "?query=ASK%7B%7D", timeout=60)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(10)


def ask(url, query=None, headers=None, data=None, method=None, timeout=30):
    if query is not None:
        url = url + "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.fixture(scope="module")
def endpoint(seed_build):
    with served(seed_build[1] / "graph.ttl", "--timeout", "2") as (url, proc):
        yield url, proc


def test_fifty_concurrent_clients_of_mixed_named_queries_get_every_answer_right(endpoint):
    url, _ = endpoint
    names = ["programs-by-region", "mechanisms-shared", "who-leads-or-issues", "entities-by-type", "policies"]
    expected = {n: ask(url, named_sparql(n), {"Accept": "text/csv"})[2] for n in names}
    assert all(expected.values())
    errors, answers = [], []
    stop = time.time() + 4

    def client(k):
        i = k
        while time.time() < stop:
            n = names[i % len(names)]
            i += 1
            status, _, body = ask(url, named_sparql(n), {"Accept": "text/csv"})
            if status != 200 or body != expected[n]:
                errors.append((n, status, body[:80]))
            answers.append(n)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(answers) > 100


def child_cpu_seconds(pid: int) -> float:
    """CPU time of the processes whose parent is `pid` (the query workers)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def test_a_query_past_the_time_limit_is_stopped_and_frees_its_core(endpoint):
    url, proc = endpoint
    t = time.time()
    status, _, body = ask(url, HEAVY)
    assert status == 503 and b"longer than 2 s" in body and time.time() - t < 10
    time.sleep(5)
    before = child_cpu_seconds(proc.pid)
    time.sleep(2)
    assert child_cpu_seconds(proc.pid) - before < 0.3
    assert ask(url, "ASK { ?s ?p ?o }")[0] == 200      # and the endpoint goes on answering


def test_service_is_refused_and_nothing_is_fetched(endpoint):
    url, _ = endpoint
    hits = []
    with html_site(hits=hits) as other:
        target = other + "/sparql"
        for q in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                  f"select * where {{ service  silent <{target}> {{ ?s ?p ?o }} }}"):
            status, _, body = ask(url, q)
            assert status == 403 and b"SERVICE" in body
        # the word inside a string or an IRI is no clause
        assert ask(url, 'SELECT * WHERE { ?s ?p "SERVICE" }')[0] == 200
        time.sleep(0.5)
        assert hits == []


def test_a_request_addressed_to_another_host_is_refused(endpoint):
    url, _ = endpoint
    port = urllib.parse.urlsplit(url).port
    assert ask(url, "ASK {}", {"Host": f"evil.example:{port}"})[0] == 421
    assert ask(url, "ASK {}", {"Host": f"localhost:{port}"})[0] == 200


def test_an_oversized_request_is_refused_before_it_is_read(endpoint):
    import socket
    url, _ = endpoint
    port = urllib.parse.urlsplit(url).port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Type: application/sparql-query\r\nContent-Length: 50000000\r\n\r\n".encode())
        assert sock.recv(200).split(b"\r\n")[0].endswith(b"413 Request Entity Too Large")
    long_get = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    assert ask(url, long_get)[0] in (413, 414)


def test_no_cors_unless_asked(endpoint):
    url, _ = endpoint
    status, headers, _ = ask(url, "ASK {}", {"Origin": "http://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_a_page_of_another_origin_cannot_read_the_graph_and_the_named_origin_can(seed_build, browser):
    read = """async (u) => { try { const r = await fetch(u); return await r.text(); }
                            catch (e) { return "blocked: " + e.name; } }"""
    q = "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    with html_site() as origin:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(origin + "/")
        with served(seed_build[1] / "graph.ttl") as (url, _):
            assert page.evaluate(read, url + q).startswith("blocked")
        with served(seed_build[1] / "graph.ttl", "--cors", origin) as (url, _):
            assert "bindings" in json.loads(page.evaluate(read, url + q))["results"]
        ctx.close()


@pytest.mark.parametrize("options, words", [
    (["--port", "99999"], "--port 99999"),
    (["--port", "7878", "--timeout", "0"], "--timeout 0"),
    (["--port", "7878", "--workers", "0"], "--workers 0"),
])
def test_bad_options_are_one_line(seed_build, options, words):
    r = subprocess.run([sys.executable, "-m", "kg", "serve", str(seed_build[1] / "graph.ttl"), *options],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and words in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
