"""SPARQL over a built graph: load a graph file, run a query, format the results."""
from __future__ import annotations

import io
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import GraphFileError, QueryError

FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
           ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}


def load_graph(path) -> Graph:
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: unknown graph format '{path.suffix}'; give a .ttl file written by 'kg build' "
                             f"(or one of {', '.join(sorted(FORMATS))})")
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run 'kg build' first or check the path")
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except Exception as e:  # rdflib raises many parser-specific types
        raise GraphFileError(f"{path}: not a valid {fmt} file ({_first_line(e)}); rebuild it with 'kg build'") from None
    return g


def run(g: Graph, sparql: str, params: dict[str, str] | None = None) -> Result:
    """Run a SPARQL query; `params` bind variables (?x) to plain literals."""
    from rdflib.plugins.sparql import prepareQuery
    try:
        q = prepareQuery(sparql, initNs=dict(g.namespaces()))
    except Exception as e:
        raise QueryError(syntax_message(sparql, e)) from None
    bindings = {k: Literal(v) for k, v in (params or {}).items()}
    try:
        return g.query(q, initBindings=bindings)
    except Exception as e:
        raise QueryError(f"query failed: {_first_line(e)}") from None


def parse_params(pairs) -> dict[str, str]:
    """["x=首席人才官", ...] -> {"x": "首席人才官"}."""
    out = {}
    for p in pairs or ():
        name, sep, value = p.partition("=")
        if not sep or not name.strip().isidentifier():
            raise QueryError(f"--param {p!r} is not NAME=VALUE; write e.g. --param x=首席人才官")
        out[name.strip()] = value
    return out


def syntax_message(sparql: str, e: Exception) -> str:
    line, col = getattr(e, "lineno", None), getattr(e, "col", None)
    msg = getattr(e, "msg", None) or _first_line(e)
    if line is not None and col is not None:
        src = sparql.splitlines()[line - 1] if 0 < line <= len(sparql.splitlines()) else ""
        return f"SPARQL syntax error at line {line}, column {col}: {msg}\n  {src}\n  {' ' * (col - 1)}^"
    return f"SPARQL syntax error: {msg}"


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def cell(term, g: Graph | None = None) -> str:
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


def format_result(result: Result, fmt: str = "table", g: Graph | None = None, width: int | None = None) -> str:
    """Result as text: an aligned table, or CSV / JSON (W3C SPARQL results formats)."""
    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8")
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    if fmt == "csv":
        return result.serialize(format="csv").decode("utf-8")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    if fmt != "table":
        raise QueryError(f"unknown --format {fmt!r}; use table, csv or json")
    from rich.console import Console
    from rich.table import Table
    table = Table(show_lines=False, header_style="bold")
    names = [str(v) for v in result.vars]
    for n in names:
        table.add_column(n, overflow="fold")
    for row in result:
        table.add_row(*(cell(t, g) for t in row))
    buf = io.StringIO()
    Console(file=buf, width=width or 160, force_terminal=False, color_system=None).print(table)
    return buf.getvalue() + f"{len(result)} row(s)\n"
