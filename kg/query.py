"""SPARQL: graph files, the library of named analyst queries, parameters, result formats.

Named queries are files kg/queries/NAME.rq. Their first comment lines describe
them; a line "# Parameters: name (what it is), ..." lists parameters, each bound
in the query by a line `VALUES ?name { "default" }`, which `bind()` rewrites. So a
named query is plain SPARQL that runs as it is on any engine, with its defaults.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import GraphFileError, QueryError

FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
           ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
RESULT_FORMATS = ("table", "csv", "tsv", "json")
VALUES_RE = r"VALUES\s+\?{name}\s*\{{[^}}]*\}}"


# each graph-file format as Oxigraph's parser names it
OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
              "json-ld": "JSON_LD", "xml": "RDF_XML"}


def read_graph_file(path, sink) -> tuple[dict[str, str], int]:
    """Give a graph file's triples to `sink` (a function that reads through an iterable of
    pyoxigraph Quads, all in the default graph: a dataset's graphs are merged into one) as
    they are read; return the prefixes the file declares and the number of triples.
    Oxigraph's parser reads a file about fifty times as fast as rdflib's. Relative IRIs
    resolve against the file's own URI."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: unknown graph format '{path.suffix}'; give a .ttl file written by 'kg build' "
                             f"(or one of {', '.join(sorted(FORMATS))})")
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run 'kg build' first or check the path")
    import pyoxigraph as ox
    try:     # the file is opened here; a sink's own errors (a full disk, say) stay its own
        parser = ox.parse(path=str(path), format=getattr(ox.RdfFormat, OX_FORMATS[fmt]),
                          base_iri=path.resolve().as_uri())
    except OSError as e:
        raise GraphFileError(f"{path}: cannot read the graph file ({_first_line(e)})") from None
    count = 0

    def quads():
        nonlocal count
        dataset, default = fmt in ("trig", "nquads"), ox.DefaultGraph()
        for q in parser:
            count += 1
            yield ox.Quad(q.subject, q.predicate, q.object) if dataset and q.graph_name != default else q
    try:
        sink(quads())
    except (SyntaxError, ValueError) as e:    # the parser's (a bad byte is a SyntaxError too)
        raise GraphFileError(f"{path}: not a valid {fmt} file ({_first_line(e)}); rebuild it with 'kg build'") from None
    return dict(parser.prefixes), count


def load_graph(path) -> Graph:
    """A graph file as an rdflib Graph (read by Oxigraph's parser: `read_graph_file`)."""
    from rdflib.plugins.stores.memory import SimpleMemory

    from .oxterms import rdflib_terms
    g = Graph(store=SimpleMemory())     # triples only, no contexts: twice as quick to fill as rdflib's default
    term = rdflib_terms()

    def fill(quads):
        add = g.add
        for q in quads:
            add((term(q.subject), term(q.predicate), term(q.object)))
    prefixes, _ = read_graph_file(path, fill)
    for prefix, ns in prefixes.items():
        g.bind(prefix, ns)
    return g


# --- syntax --------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _prepare(sparql: str):
    from rdflib.plugins.sparql import prepareQuery
    return prepareQuery(sparql)


def check_syntax(sparql: str) -> None:
    """Raise one QueryError with line and column for a malformed query."""
    try:
        _prepare(sparql)
    except Exception as e:
        raise QueryError(syntax_message(sparql, e)) from None


def query_type(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    name = _prepare(sparql).algebra.name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(name, "SELECT")


SELECT_ALL_RE = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.I)


def select_vars(sparql: str) -> list[str]:
    """The variables a SELECT query returns; for SELECT *, all in scope, in the order the
    query first names them (rdflib gives them as a set, in another order in every process,
    and Oxigraph sorts them)."""
    names = [str(v) for v in _prepare(sparql).algebra.get("PV", [])]
    if SELECT_ALL_RE.search(sparql):
        def first(name: str) -> int:
            m = re.search(rf"[?$]{re.escape(name)}\b", sparql)
            return m.start() if m else len(sparql)
        names.sort(key=first)
    return names


def syntax_message(sparql: str, e: Exception) -> str:
    line, col = getattr(e, "lineno", None), getattr(e, "col", None)
    msg = getattr(e, "msg", None) or _first_line(e)
    if line is not None and col is not None:
        src = sparql.splitlines()[line - 1] if 0 < line <= len(sparql.splitlines()) else ""
        return f"SPARQL syntax error at line {line}, column {col}: {msg}\n  {src}\n  {' ' * (col - 1)}^"
    return f"SPARQL syntax error: {msg}"


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


# --- parameters ----------------------------------------------------------------------

def literal(value: str) -> str:
    """A SPARQL string literal for any text."""
    return '"' + (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")) + '"'


def bind(sparql: str, params: dict[str, str] | None) -> str:
    """The query with each parameter bound: its `VALUES ?name {...}` line rewritten (keeping
    the default's language tag: names are "…"@zh), or a VALUES line added at the start of
    the outermost WHERE group."""
    for name, value in (params or {}).items():
        rx = re.compile(VALUES_RE.format(name=re.escape(name)), re.I)
        m = rx.search(sparql)
        if m:
            tag = re.search(r'"\s*(@[A-Za-z-]+)\s*\}$', m.group())
            line = f"VALUES ?{name} {{ {literal(value)}{tag.group(1) if tag else ''} }}"
            sparql = sparql[:m.start()] + line + sparql[m.end():]
        else:
            m = re.search(r"\bWHERE\s*\{", sparql, re.I) or re.search(r"\{", sparql)
            if not m:
                raise QueryError(f"--param {name}: the query has no WHERE group to bind it in")
            sparql = sparql[:m.end()] + f"\n  VALUES ?{name} {{ {literal(value)} }}\n" + sparql[m.end():]
    return sparql


def parse_params(pairs) -> dict[str, str]:
    """["x=首席人才官", ...] -> {"x": "首席人才官"}."""
    out = {}
    for p in pairs or ():
        name, sep, value = p.partition("=")
        if not sep or not name.strip().isidentifier():
            raise QueryError(f"--param {p!r} is not NAME=VALUE; write e.g. --param entity=首席人才官")
        out[name.strip()] = value
    return out


# --- the library of named queries ----------------------------------------------------

@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[str, ...]
    text: str


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    out = {}
    for f in sorted(resources.files("kg").joinpath("queries").iterdir(), key=lambda f: f.name):
        if not f.name.endswith(".rq"):
            continue
        text = f.read_text(encoding="utf-8")
        desc, params = [], ()
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            body = line.lstrip("#").strip()
            if body.lower().startswith("parameters:"):
                spec = re.sub(r"\([^)]*\)", "", body.split(":", 1)[1])   # drop "(what it is)"
                params = tuple(p.strip() for p in spec.split(",") if p.strip())
            elif body:
                desc.append(body)
        name = f.name[:-3]
        out[name] = NamedQuery(name, " ".join(desc), params, text)
    return out


def named(name: str) -> NamedQuery:
    lib = library()
    if name not in lib:
        import difflib
        close = difflib.get_close_matches(name, list(lib), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'kg query --list' shows them"
        raise QueryError(f"no named query {name!r}{hint}")
    return lib[name]


def named_sparql(name: str, params: dict[str, str] | None = None) -> str:
    q = named(name)
    unknown = set(params or {}) - set(q.params)
    if unknown:
        raise QueryError(f"query {name!r} has no parameter {sorted(unknown)[0]!r}"
                         + (f"; its parameters: {', '.join(q.params)}" if q.params else "; it takes none"))
    return bind(q.text, params)


# --- running (on a graph in hand) -------------------------------------------------------

def run(g: Graph, sparql: str, params: dict[str, str] | None = None) -> Result:
    """Run a SPARQL query over an rdflib graph; `params` bind variables to literals. The graph
    is copied into an in-memory Oxigraph for the query: on seeds + dev (20,000 triples) the
    copy takes 0.14 s, and rdflib's own engine took 1.6 s for who-runs-what and over a
    minute for evidence."""
    from .store import OxigraphStore
    store = OxigraphStore.of_graph(g)
    try:
        return store.query(bind(sparql, params))
    finally:
        store.close()


# --- formatting ----------------------------------------------------------------------

def cell(term, g: Graph | None = None) -> str:
    """A term as a table shows it: IRIs short where `g` binds their namespace."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, URIRef) and g is not None:
        try:
            return g.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def tsv(result: Result) -> str:
    """W3C SPARQL 1.1 TSV: a header of ?variables, terms in N-Triples syntax."""
    lines = ["\t".join("?" + str(v) for v in result.vars)]
    for row in result.bindings:
        lines.append("\t".join(tsv_term(row[v]) if row.get(v) is not None else "" for v in result.vars))
    return "\n".join(lines) + "\n"


def tsv_term(t) -> str:
    """A term in N-Triples syntax with every control character escaped, so a value can
    never break its row or column."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04X}", t.n3())


def rows(result: Result) -> list[tuple[str, ...]]:
    """A SELECT result as plain strings, for comparing results across stores. Lists made
    by GROUP_CONCAT (" | "-separated) are sorted: their order is the engine's choice."""
    def norm(t):
        s = "" if t is None else str(t)
        return " | ".join(sorted(s.split(" | "))) if " | " in s else s
    return sorted(tuple(norm(row.get(v)) for v in result.vars) for row in result.bindings)


def format_result(result: Result, fmt: str = "table", prefixes: dict[str, str] | None = None,
                  width: int | None = None) -> str:
    """Result as text: an aligned table, or the W3C SPARQL results formats (CSV, TSV, JSON);
    CONSTRUCT and DESCRIBE results as Turtle. `prefixes` (prefix -> namespace, as the
    graph's file declares them) shorten IRIs in tables and Turtle."""
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown --format {fmt!r}; use {', '.join(RESULT_FORMATS)}")
    g = None
    if prefixes:
        g = Graph()
        for prefix, ns in prefixes.items():
            g.bind(prefix, ns)
    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8")
        if fmt in ("csv", "tsv"):
            return "_askResult\n" + ("true" if result.askAnswer else "false") + "\n"
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = result.graph
        if g is not None:
            for prefix, ns in g.namespaces():
                out.bind(prefix, ns, override=False)
        return out.serialize(format="turtle")
    if fmt == "csv":
        return result.serialize(format="csv").decode("utf-8")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    if fmt == "tsv":
        return tsv(result)
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    table = Table(show_lines=False, header_style="bold")
    for v in result.vars:
        table.add_column(str(v), overflow="fold")
    for row in result.bindings:   # Text: a value is shown as it is, never read as markup ([/bold])
        table.add_row(*(Text(cell(row.get(v), g)) for v in result.vars))
    buf = io.StringIO()
    Console(file=buf, width=width or 160, force_terminal=False, color_system=None).print(table)
    return buf.getvalue() + f"{len(result.bindings)} row(s)\n"
