"""`kg serve GRAPH`: a local, read-only SPARQL 1.1 Protocol endpoint over a graph file.

    GET  /sparql?query=...                        (also POST, form or application/sparql-query)
    Accept: application/sparql-results+json (default), text/csv, text/tab-separated-values,
            application/sparql-results+xml; CONSTRUCT/DESCRIBE: text/turtle or application/n-triples

Bound to 127.0.0.1 unless told otherwise. Updates are refused (403). Answers carry
CORS headers, so YASGUI in a browser, curl or a notebook can query it. Queries run on
an in-memory Oxigraph store loaded from the file, each with a time limit.
"""
from __future__ import annotations

import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import KgError, QueryError
from .query import format_result, load_graph, query_type
from .store import OxigraphStore

RESULT_TYPES = {  # media type -> kg format
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "application/sparql-results+xml": "xml",
}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt"}


def negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    return default, table[default]


class Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    store: OxigraphStore = None  # set by serve()
    timeout_s: float = 30.0

    def log_message(self, fmt, *args):  # one quiet line per request on stderr
        sys.stderr.write("kg serve: " + (fmt % args) + "\n")

    def _send(self, status: int, body: str | bytes, ctype: str = "text/plain; charset=utf-8"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "") and "query" not in params:
            return self._send(200, "kg read-only SPARQL endpoint: GET or POST /sparql?query=...\n")
        if url.path not in ("/sparql", "/query", "/"):
            return self._send(404, f"no such resource {url.path}; the endpoint is /sparql\n")
        if "update" in params:
            return self._refuse()
        self._answer((params.get("query") or [""])[0])

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
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

    do_PUT = do_DELETE = do_PATCH = lambda self: self._refuse()

    def _refuse(self):
        self._send(403, "this endpoint is read-only: updates are refused\n")

    def _answer(self, sparql: str):
        if not sparql.strip():
            return self._send(400, "no query: give ?query=... (SPARQL 1.1 Protocol)\n")
        try:
            result = self.store.query(sparql, timeout=self.timeout_s)
            if query_type(sparql) in ("CONSTRUCT", "DESCRIBE"):
                media, fmt = negotiate(self.headers.get("Accept"), GRAPH_TYPES, "text/turtle")
                return self._send(200, result.graph.serialize(format=fmt), media + "; charset=utf-8")
            media, fmt = negotiate(self.headers.get("Accept"), RESULT_TYPES, "application/sparql-results+json")
            if fmt == "xml":
                body = result.serialize(format="xml")
            else:
                body = format_result(result, fmt)
            return self._send(200, body, media + "; charset=utf-8")
        except QueryError as e:
            status = 503 if "longer than" in str(e) else 400
            return self._send(status, f"{e}\n")


def serve(graph_file, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, ready=None) -> None:
    store = OxigraphStore()
    store.load(load_graph(graph_file))
    handler = type("KgHandler", (Handler,), {"store": store, "timeout_s": timeout})
    try:
        httpd = ThreadingHTTPServer((host, port), handler)
    except OSError as e:
        raise KgError(f"cannot listen on {host}:{port} ({e.strerror or e}); choose another --port") from None
    url = f"http://{host}:{httpd.server_address[1]}/sparql"
    print(f"kg: serving {graph_file} read-only at {url} (Ctrl-C stops)", flush=True)
    if ready:
        ready(url)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
