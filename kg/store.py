"""Where the graph lives, behind one small interface: load it, query it, dump it.

  OxigraphStore   Oxigraph (pyoxigraph), embedded: a graph file read into memory (the
                  default; nothing to start), or a persistent store on disk for graphs
                  too large to read again for each query: `oxigraph:PATH`
  MemoryStore     an rdflib Graph in hand, queried by rdflib's engine (the tests' second
                  engine, which every named query must agree with)
  EndpointStore   a remote SPARQL 1.1 server: queries over the SPARQL Protocol,
                  loading with the Graph Store Protocol (PUT of Turtle) or, where
                  the server has none, SPARQL Update: `--endpoint URL`

Every store answers with an rdflib Result, so formatting is one code path and the
named queries give the same rows everywhere.
"""
from __future__ import annotations

import io
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import Graph, Variable
from rdflib.query import Result

from .errors import KgError, QueryError
from .ordering import sort_rows
from .ordering import split as split_order
from .oxterms import from_oxigraph
from .query import check_syntax, query_type, read_graph_file, select_vars
from .schema import KG

DEFAULT_TIMEOUT = 60.0


class Store:
    name = "store"
    prefixes: dict[str, str] = {}     # prefix -> namespace, for showing IRIs short

    def load(self, g: Graph) -> None:
        raise NotImplementedError

    def load_file(self, graph_file) -> int:
        """Load a graph file in place of what the store holds; the number of triples loaded."""
        from .query import load_graph
        g = load_graph(graph_file)
        self.load(g)
        return len(g)

    def query(self, sparql: str, timeout: float = DEFAULT_TIMEOUT) -> Result:
        """`sparql`'s answer; a final ORDER BY of variables is done by kg on the rows
        (kg.ordering: quicker than the store's on a large graph, and the same on every store),
        and the columns of SELECT * come in the order the query first names them (Oxigraph
        would sort them by name)."""
        check_syntax(sparql)
        select = query_type(sparql) == "SELECT"
        names = select_vars(sparql) if select else []
        bare, order = split_order(sparql, names) if select else (sparql, None)

        def run() -> Result:
            r = self._query(bare)
            if r.type == "SELECT":
                if order is not None:
                    r.bindings = sort_rows(list(r.bindings), list(r.vars or ()), order)
                if sorted(names) == sorted(str(v) for v in r.vars or ()):
                    r.vars = [Variable(n) for n in names]
            return r
        return with_timeout(run, timeout)

    def _query(self, sparql: str) -> Result:
        raise NotImplementedError

    def dump(self) -> Graph:
        """The whole graph, with the store's prefixes and kg's own (so Turtle made from it
        writes kg:Assertion, not the full IRI)."""
        g = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", timeout=3600).graph
        g.bind("kg", KG._NS)
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, ns)
        return g

    def close(self) -> None:
        pass


def with_timeout(fn, timeout: float):
    """Run fn in a worker thread; give up (QueryError) after `timeout` seconds."""
    box: dict = {}

    def work():
        try:
            box["value"] = fn()
        except BaseException as e:  # handed back to the caller's thread
            box["error"] = e

    t = threading.Thread(target=work, daemon=True, name="kg-query")
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise QueryError(f"the query ran longer than {timeout:g} s and was stopped; narrow it (LIMIT, "
                         f"more specific patterns) or give a larger --timeout")
    if "error" in box:
        raise box["error"]
    return box["value"]


# --- memory --------------------------------------------------------------------------

class MemoryStore(Store):
    name = "memory"

    def __init__(self, g: Graph | None = None):
        self.graph = g if g is not None else Graph()

    @property
    def prefixes(self) -> dict[str, str]:   # type: ignore[override]
        return {p: str(ns) for p, ns in self.graph.namespaces()}

    def load(self, g: Graph) -> None:
        self.graph = g

    def _query(self, sparql: str) -> Result:
        try:
            r = self.graph.query(sparql, initNs=dict(self.graph.namespaces()))
            if r.type == "SELECT":
                r.bindings = list(r.bindings)  # evaluate now, inside the time limit
            return r
        except Exception as e:
            raise QueryError(f"query failed: {first_line(e)}") from None

    def dump(self) -> Graph:
        return self.graph


# --- oxigraph ------------------------------------------------------------------------

class OxigraphStore(Store):
    """`path`: a folder. Opening one that holds no store is an error unless `create`; a load
    goes into a new store beside it that replaces the old one when complete, so a load that is
    killed leaves the previous store (or none) — never a half-loaded or empty one."""
    name = "oxigraph"

    def __init__(self, path=None, create: bool = False):
        self.path = Path(path) if path is not None else None
        self.store = None
        if self.path is None:
            import pyoxigraph as ox
            self.store = ox.Store()
            return
        recover(self.path)
        if not (self.path / "CURRENT").is_file():
            if not create:
                hint = "it is not an Oxigraph store" if self.path.exists() else "there is no store there"
                raise KgError(f"oxigraph:{self.path}: {hint}; check the path, or load one with "
                              f"'kg build DOCS --store oxigraph:{self.path}'")
            return
        self._open()

    @classmethod
    def of_file(cls, graph_file) -> "OxigraphStore":
        """An in-memory store holding a graph file (read by Oxigraph's parser), with its prefixes."""
        store = cls()
        store.prefixes, _ = read_graph_file(graph_file, store.store.bulk_extend)
        return store

    @classmethod
    def of_graph(cls, g: Graph) -> "OxigraphStore":
        """An in-memory store holding a copy of an rdflib graph (its queries take a fraction
        of rdflib's time: who-runs-what on seeds + dev, 5 ms where rdflib took 1.6 s)."""
        store = cls()
        store.load(g)
        return store

    def _open(self) -> None:
        import pyoxigraph as ox
        try:
            self.store = ox.Store(str(self.path))
        except OSError as e:
            raise KgError(f"oxigraph:{self.path}: cannot open the store ({first_line(e)}); is another kg using it?") from None

    def load(self, g: Graph) -> None:
        from .export import ox_triples
        quads = ox_triples(g)
        self._replace(lambda store: store.bulk_extend(quads))

    def load_file(self, graph_file) -> int:
        """Straight from the file, by Oxigraph's parser (no rdflib Graph on the way)."""
        _, count = self._replace(lambda store: read_graph_file(graph_file, store.bulk_extend))
        return count

    def _replace(self, fill):
        """The store's content replaced by what `fill(pyoxigraph store)` puts in (what fill
        returns is returned): on disk, in a new store that takes the old one's place only
        when it is whole."""
        import pyoxigraph as ox
        if self.path is None:
            self.store.clear()
            return fill(self.store)
        fresh, old = loading_path(self.path), retired_path(self.path)
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            new = ox.Store(str(fresh))
            got = fill(new)
            new.flush()
            del new
        except BaseException as e:     # the half-made store goes; the old one stays
            shutil.rmtree(fresh, ignore_errors=True)
            if isinstance(e, OSError):
                raise KgError(f"oxigraph:{self.path}: cannot write the store ({first_line(e)}); "
                              f"check the disk and the folder's permissions") from None
            raise
        self.store = None                     # let go of the old one before it is moved
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(fresh, self.path)
        shutil.rmtree(old, ignore_errors=True)
        self._open()
        return got

    def _query(self, sparql: str) -> Result:
        try:
            return from_oxigraph(self.store.query(sparql))
        except (SyntaxError, OSError, ValueError) as e:
            raise QueryError(f"query failed: {first_line(e)}") from None

    def close(self) -> None:
        self.store = None


def loading_path(path: Path) -> Path:
    return path.with_name(path.name + ".loading")


def retired_path(path: Path) -> Path:
    return path.with_name(path.name + ".previous")


def recover(path: Path) -> None:
    """Finish or undo a swap that a kill interrupted: the new store was complete once it was
    renamed, so a missing store with a retired one beside it means put the retired one back."""
    old = retired_path(path)
    if not path.exists() and old.exists():
        os.replace(old, path)
    elif path.exists() and old.exists():
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(loading_path(path), ignore_errors=True)


# --- a remote SPARQL 1.1 server ------------------------------------------------------

class EndpointStore(Store):
    """Queries go to `url` (SPARQL Protocol); loading PUTs Turtle to the Graph Store
    Protocol endpoint, or falls back to SPARQL Update. The defaults follow Oxigraph
    (/query, /update, /store); Fuseki (/ds/query, /ds/update, /ds/data), GraphDB and
    Virtuoso take the same calls with their own URLs."""
    name = "endpoint"

    def __init__(self, url: str, update_url: str | None = None, store_url: str | None = None, timeout: float = 60):
        if not url.startswith(("http://", "https://")):
            raise KgError(f"--endpoint {url!r} is not an http(s) URL of a SPARQL query endpoint")
        self.url = url
        base = url.rsplit("/", 1)[0] if url.rstrip("/").endswith(("/query", "/sparql")) else url.rstrip("/")
        self.update_url = update_url or base + "/update"
        self.store_url = store_url or base + "/store"
        self.timeout = timeout

    def _request(self, url, data=None, headers=None, method=None, timeout=None):
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace").strip().splitlines()
            return e.code, "", ("\n".join(body[:3])).encode("utf-8")
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise KgError(f"{url}: cannot reach the SPARQL server ({reason}); check --endpoint and that it runs") from None

    def load(self, g: Graph) -> None:
        if not self._put(g.serialize(format="turtle", encoding="utf-8")):
            self._insert(g)
        self.check_loaded(len(g))

    def load_file(self, graph_file) -> int:
        """A Turtle file is sent as it is (Graph Store Protocol); other files, or a server
        without the protocol, go through an rdflib Graph."""
        from .query import load_graph
        path = Path(graph_file)
        if path.suffix.lower() not in (".ttl", ".turtle"):
            return super().load_file(path)
        from collections import deque
        _, count = read_graph_file(path, lambda quads: deque(quads, maxlen=0))   # a valid file, and its size
        if not self._put(path.read_bytes()):
            self._insert(load_graph(path))
        self.check_loaded(count)
        return count

    def _put(self, turtle: bytes) -> bool:
        """PUT the default graph; False when the server has no Graph Store Protocol."""
        status, _, body = self._request(self.store_url + "?default", data=turtle, method="PUT",
                                        headers={"Content-Type": "text/turtle; charset=utf-8"}, timeout=600)
        if status in (200, 201, 204):
            return True
        if status not in (404, 405, 501):
            raise KgError(f"{self.store_url}: the server refused the graph (HTTP {status}: "
                          f"{body.decode('utf-8', 'replace')})")
        return False

    def _insert(self, g: Graph) -> None:
        """The default graph replaced by SPARQL Update, for servers without the Graph Store Protocol."""
        self.update("DROP SILENT DEFAULT")
        nt = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        for i in range(0, len(nt), 5000):
            self.update("INSERT DATA {\n" + "\n".join(nt[i:i + 5000]) + "\n}")

    def check_loaded(self, expected: int) -> None:
        """Ask the server how many triples it holds: a web server that is no SPARQL server (it
        answers 200 to anything) or one that dropped the data is caught here."""
        try:
            r = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=120)
            n = int(r.bindings[0][Variable("n")])
        except (QueryError, KgError, ValueError, KeyError, IndexError, TypeError):
            raise KgError(f"{self.url}: does not answer as a SPARQL endpoint after the load; "
                          f"check --endpoint (a SPARQL 1.1 query URL, e.g. http://host:7878/query)") from None
        if n < expected:
            raise KgError(f"{self.url}: holds {n} triples after loading {expected}; the server did not keep the graph")

    def update(self, text: str) -> None:
        status, _, body = self._request(self.update_url, data=text.encode("utf-8"), method="POST",
                                        headers={"Content-Type": "application/sparql-update; charset=utf-8"}, timeout=600)
        if status not in (200, 204):
            raise KgError(f"{self.update_url}: update refused (HTTP {status}: {body.decode('utf-8', 'replace')})")

    def query(self, sparql: str, timeout: float = DEFAULT_TIMEOUT) -> Result:
        check_syntax(sparql)
        kind = query_type(sparql)
        accept = "text/turtle" if kind in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        status, ctype, body = self._request(self.url, data=urllib.parse.urlencode({"query": sparql}).encode("utf-8"),
                                            method="POST", timeout=timeout, headers={
                                                "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        if status != 200:
            raise QueryError(f"{self.url}: the server answered HTTP {status}: {body.decode('utf-8', 'replace')}")
        try:
            if kind in ("CONSTRUCT", "DESCRIBE"):
                r = Result("CONSTRUCT")
                r.graph = Graph().parse(data=body, format="turtle")
                return r
            return Result.parse(io.BytesIO(body), format="json")
        except Exception:
            raise QueryError(f"{self.url}: the answer is no SPARQL result ({ctype or 'no content type'}); "
                             f"is this a SPARQL endpoint?") from None


# --- choosing one --------------------------------------------------------------------

def open_store(spec: str | None = None, endpoint: str | None = None, graph_file=None,
               create: bool = False) -> Store:
    """A store from what the user gave: --endpoint URL, --store oxigraph:PATH, or a graph file.
    `create`: the store is about to be loaded (kg build), so it need not exist yet."""
    if endpoint:
        return EndpointStore(endpoint)
    if spec:
        kind, sep, where = spec.partition(":")
        if kind == "oxigraph" and sep and where:
            return OxigraphStore(Path(where), create=create)
        if kind == "memory" and not where:
            return MemoryStore()
        raise KgError(f"--store {spec!r}: use oxigraph:PATH (a folder for an on-disk store)")
    if graph_file is None:
        raise KgError("no graph given: name a graph file (e.g. output/graph.ttl), --store oxigraph:PATH or --endpoint URL")
    return OxigraphStore.of_file(graph_file)


def first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


__all__ = ["Store", "MemoryStore", "OxigraphStore", "EndpointStore", "open_store", "with_timeout"]
