"""`kg serve GRAPH`: a local, read-only SPARQL 1.1 Protocol endpoint over a graph file.

    GET  /sparql?query=...                        (also POST, form or application/sparql-query)
    Accept: application/sparql-results+json (default), text/csv, text/tab-separated-values,
            application/sparql-results+xml; CONSTRUCT/DESCRIBE: text/turtle or application/n-triples

How it holds under load and hostile use:

- The graph is bulk-loaded once into an on-disk Oxigraph store in a private temporary
  folder. Queries run in worker processes (one per core by default), each with the store
  opened read-only: no parser or engine state is shared between two requests, and a query
  that passes `--timeout` (parsing included) is stopped by ending its worker, which is
  replaced. A request waits for a free worker at most `--timeout` too (503 otherwise).
- Updates are refused (403); so are SERVICE (the endpoint fetches nothing on a query's
  behalf) and requests larger than MAX_BODY (413).
- Bound to 127.0.0.1 unless told otherwise; on a loopback address the Host header must
  name it (a page of another site cannot reach it through DNS rebinding). No CORS header
  is sent unless `--cors ORIGIN` names the one origin whose pages may read the answers.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import re
import shutil
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import KgError
from .query import read_graph_file

RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "text/csv": "CSV", "text/tab-separated-values": "TSV", "application/sparql-results+xml": "XML",
}
GRAPH_TYPES = {"text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES"}
MAX_BODY = 1_000_000          # bytes of a request body or query string
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    return default, table[default]


# --- what a query may not do ---------------------------------------------------------

# strings, IRIs and comments hide nothing: they are blanked before looking for keywords
_OPAQUE_RE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                        r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_FORBIDDEN_RE = re.compile(r"(?<![\w:?$])(SERVICE|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|COPY|MOVE|ADD)(?![\w:])",
                           re.IGNORECASE)


def forbidden(sparql: str) -> str | None:
    """The first keyword of `sparql` that a read-only endpoint refuses (SERVICE, updates)."""
    m = _FORBIDDEN_RE.search(_OPAQUE_RE.sub(" ", sparql))
    return m.group(1).upper() if m else None


# --- the workers -----------------------------------------------------------------------

def _work(location: str, conn) -> None:
    """A worker process: answers (sparql, format name) with (status, media, bytes)."""
    import pyoxigraph as ox
    store = ox.Store.read_only(location)
    conn.send("ready")
    while True:
        try:
            sparql, accept = conn.recv()
        except EOFError:
            return
        try:
            res = store.query(sparql)
            if isinstance(res, ox.QueryTriples):
                media, fmt = negotiate(accept, GRAPH_TYPES, "text/turtle")
                body = res.serialize(format=getattr(ox.RdfFormat, fmt))
            else:
                media, fmt = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
                body = res.serialize(format=getattr(ox.QueryResultsFormat, fmt))
            conn.send((200, media + "; charset=utf-8", body or b""))
        except SyntaxError as e:
            conn.send((400, "text/plain; charset=utf-8", syntax_message(e).encode("utf-8")))
        except Exception as e:   # an engine error is the query's, never the server's
            line = (str(e).strip().splitlines() or [type(e).__name__])[0]
            conn.send((400, "text/plain; charset=utf-8", f"query failed: {line}\n".encode("utf-8")))


def syntax_message(e: SyntaxError) -> str:
    """error at 1:21: expected … -> query syntax error at line 1, column 21: expected …"""
    text = str(e).strip()
    m = re.match(r"error at (\d+):(\d+): ?(.*)", text, re.DOTALL)
    if m:
        text = f"line {m.group(1)}, column {m.group(2)}: {m.group(3)}"
    return "query syntax error at " + " ".join(text.split())[:300] + "\n"


class Worker:
    def __init__(self, location: str):
        ctx = mp.get_context("spawn")     # the server has threads: never fork it
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_work, args=(location, child), daemon=True, name="kg-serve-worker")
        self.proc.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != "ready":
            self.stop()
            raise KgError("a query worker did not start; try again, or free memory")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    """Worker processes over one read-only store; a query that runs too long ends its worker."""

    def __init__(self, location: str, size: int):
        self.location = location
        self.idle: queue.Queue[Worker] = queue.Queue()
        for _ in range(size):
            self.idle.put(Worker(location))

    def run(self, sparql: str, accept: str, timeout: float) -> tuple[int, str, bytes]:
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", b"every query worker is busy; try again shortly\n"
        try:
            w.conn.send((sparql, accept))
            if w.conn.poll(timeout):
                answer = w.conn.recv()
                self.idle.put(w)
                return answer
        except (OSError, EOFError):
            pass
        w.stop()          # too slow, or it died: end it and start another in its place
        threading.Thread(target=self._replace, daemon=True).start()
        return 503, "text/plain; charset=utf-8", (
            f"the query ran longer than {timeout:g} s and was stopped; narrow it (LIMIT, more specific "
            f"patterns) or start kg serve with a larger --timeout\n").encode("utf-8")

    def _replace(self) -> None:
        try:
            self.idle.put(Worker(self.location))
        except KgError as e:
            sys.stderr.write(f"kg serve: {e}\n")

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return


# --- HTTP ------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/2"
    protocol_version = "HTTP/1.1"
    timeout = 30                  # seconds a client may take to send its request
    pool: Pool = None             # set by serve()
    timeout_s: float = 30.0
    cors: str | None = None
    hosts: frozenset[str] | None = None

    def log_message(self, fmt, *args):  # one quiet line per request on stderr
        sys.stderr.write("kg serve: " + (fmt % args) + "\n")

    def _send(self, status: int, body: str | bytes, ctype: str = "text/plain; charset=utf-8"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _host_ok(self) -> bool:
        if self.hosts is None:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host in self.hosts:
            return True
        self._send(421, "this endpoint answers only requests addressed to it by its own address\n")
        return False

    def do_OPTIONS(self):
        if not self._host_ok():
            return
        self.send_response(204)
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if not self._host_ok():
            return
        if len(self.path) > MAX_BODY:
            return self._send(413, f"the request is larger than {MAX_BODY:,} bytes\n")
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "") and "query" not in params:
            return self._send(200, "kg read-only SPARQL endpoint: GET or POST /sparql?query=...\n")
        if url.path not in ("/sparql", "/query", "/"):
            return self._send(404, f"no such resource {url.path}; the endpoint is /sparql\n")
        if "update" in params:
            return self._refuse()
        self._answer((params.get("query") or [""])[0])

    do_HEAD = do_GET

    def do_POST(self):
        if not self._host_ok():
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._send(400, "Content-Length is not a number\n")
        if length > MAX_BODY or length < 0:
            self.close_connection = True
            return self._send(413, f"the request is larger than {MAX_BODY:,} bytes\n")
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path in ("/update", "/store", "/data") or ctype == "application/sparql-update":
            return self._refuse()
        if ctype == "application/sparql-query":
            return self._answer(body)
        form = urllib.parse.parse_qs(body)
        if "update" in form:
            return self._refuse()
        self._answer((form.get("query") or urllib.parse.parse_qs(url.query).get("query") or [""])[0])

    def do_PUT(self):
        if self._host_ok():
            self._refuse()

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self):
        self._send(403, "this endpoint is read-only: updates are refused\n")

    def _answer(self, sparql: str):
        if not sparql.strip():
            return self._send(400, "no query: give ?query=... (SPARQL 1.1 Protocol)\n")
        word = forbidden(sparql)
        if word == "SERVICE":
            return self._send(403, "SERVICE is refused: this endpoint queries its own graph only\n")
        if word:
            return self._refuse()
        status, ctype, body = self.pool.run(sparql, self.headers.get("Accept") or "", self.timeout_s)
        self._send(status, body, ctype)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """Host headers a loopback-bound endpoint answers; None (any) when bound to a network."""
    if host not in LOOPBACK:
        return None
    names = {"127.0.0.1", "localhost", "[::1]"} | ({host} if host != "::1" else set())
    return frozenset(f"{n}:{port}" for n in names) | frozenset(names)


def build_store(graph_file, location: str) -> None:
    import pyoxigraph as ox
    store = ox.Store(location)
    read_graph_file(graph_file, store.bulk_extend)
    store.flush()
    del store


def serve(graph_file, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, ready=None,
          cors: str | None = None, workers: int | None = None) -> None:
    if not 0 <= port <= 65535:
        raise KgError(f"--port {port}: a port is a number from 0 to 65535")
    if timeout <= 0:
        raise KgError(f"--timeout {timeout:g}: give a number of seconds above 0")
    location = tempfile.mkdtemp(prefix="kg-serve-")
    pool = None
    try:
        build_store(graph_file, location)
        try:
            httpd = Server((host, port), Handler)
        except (OSError, OverflowError) as e:
            raise KgError(f"cannot listen on {host}:{port} ({getattr(e, 'strerror', None) or e}); "
                          f"choose another --port") from None
        bound = httpd.server_address[1]
        pool = Pool(location, workers or min(4, mp.cpu_count() or 1))
        httpd.RequestHandlerClass = type("KgHandler", (Handler,), {
            "pool": pool, "timeout_s": timeout, "cors": cors, "hosts": allowed_hosts(host, bound)})
        url = f"http://{host}:{bound}/sparql"
        print(f"kg: serving {graph_file} read-only at {url} (Ctrl-C stops)", flush=True)
        if ready:
            ready(url)
        try:
            httpd.serve_forever()
        finally:
            httpd.server_close()
    finally:
        if pool:
            pool.close()
        shutil.rmtree(location, ignore_errors=True)
