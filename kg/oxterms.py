"""Oxigraph's terms and answers as rdflib's: kg's stores all answer with an rdflib Result,
so results are formatted by one code path whichever engine ran the query."""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from .errors import QueryError


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    import pyoxigraph as ox
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == str(XSD.string) else Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"unsupported term in a result: {term!r}")


def rdflib_terms():
    """`to_rdflib` that converts each distinct term once (names, kinds, places and IRIs
    repeat across triples and rows)."""
    seen: dict = {}

    def term(t):
        v = seen.get(t)
        if v is None:
            v = seen[t] = to_rdflib(t)
        return v
    return term


def from_oxigraph(res) -> Result:
    import pyoxigraph as ox
    if isinstance(res, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(res)
        return r
    if isinstance(res, ox.QueryTriples):
        r = Result("CONSTRUCT")
        g, term = Graph(), rdflib_terms()
        for t in res:
            g.add((term(t.subject), term(t.predicate), term(t.object)))
        r.graph = g
        return r
    if res.variables:
        return solutions(res)
    r = Result("SELECT")     # no variable (SELECT * of a pattern that binds none): a row per solution
    r.vars, r.bindings = [], [{} for _ in res]
    return r


def solutions(res) -> Result:
    """A SELECT's rows read from Oxigraph's own TSV of them: a Python object made for every
    cell of the answer took more time than the query itself (documents at a million triples:
    9,225 rows, 99 ms to answer, 45 ms more to make the cells' terms). The TSV is made in
    Rust; each distinct cell (names, places and IRIs repeat) is read back once, by Oxigraph's
    own parser, and converted once."""
    import pyoxigraph as ox
    text = res.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    lines = text.split("\n")
    names = [n[1:] for n in lines[0].split("\t")]
    keys = [Variable(n) for n in names]
    rows = [line.split("\t") for line in lines[1:-1]]      # every row ends with a newline
    cells = list(dict.fromkeys(c for row in rows for c in row if c))
    parsed = ox.parse_query_results("?t\n" + "".join(c + "\n" for c in cells), format=ox.QueryResultsFormat.TSV)
    term = {c: to_rdflib(sol[0]) for c, sol in zip(cells, parsed)}
    r = Result("SELECT")
    r.vars = list(keys)     # the same objects as the rows' keys (kg.ordering looks them up)
    r.bindings = [{k: term[c] for k, c in zip(keys, row) if c} for row in rows]
    return r
