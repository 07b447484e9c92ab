"""A query's ORDER BY done by kg on the rows, not by the store.

Oxigraph sorts by reading each compared string back from its store: on disk, at a million
triples, `ORDER BY ?doc` over 9,000 documents took 350 ms of a 580 ms query. So a query
whose last clause is an ORDER BY of variables, ASC(?v), DESC(?v) or DESC(COALESCE(?a, ?b,
number)) runs without it, and its rows are sorted here in SPARQL's order (unbound, blank
nodes, IRIs, then literals: numbers by value, the rest by their text), ties broken by the
whole row, so every store gives the same rows in the same order. Any other ORDER BY (an
expression, one followed by LIMIT or OFFSET, or of a variable the query does not return)
is left to the store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Literal, URIRef, Variable

CLAUSE = re.compile(r"\bORDER\s+BY\s+(?P<conds>[^{}]+?)\s*$", re.IGNORECASE)   # the last clause
VAR = re.compile(r"[?$]\w+")
CONDITION = re.compile(r"(?P<dir>ASC|DESC)\s*\(\s*(?:[?$](?P<inner>\w+)|COALESCE\s*\((?P<args>[^()]*)\))\s*\)"
                       r"|[?$](?P<var>\w+)", re.IGNORECASE)
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Condition:
    terms: tuple            # variable names and, last, perhaps a number (COALESCE)
    descending: bool = False


def split(sparql: str, projected) -> tuple[str, list[Condition] | None]:
    """The query without its final ORDER BY, and the conditions; (sparql, None) when the
    ORDER BY is not one kg sorts itself, or orders by a variable that is not among the
    `projected` ones (the rows would not have it)."""
    m = CLAUSE.search(sparql)
    if not m:
        return sparql, None
    conds, rest = [], m.group("conds")
    pos = 0
    for c in CONDITION.finditer(rest):
        if rest[pos:c.start()].strip():
            return sparql, None
        pos = c.end()
        if c.group("dir") is None:
            conds.append(Condition((c.group("var"),)))
            continue
        if c.group("args") is not None:
            args = [a.strip() for a in c.group("args").split(",")]
            terms = []
            for k, a in enumerate(args):
                if VAR.fullmatch(a):
                    terms.append(a[1:])
                elif k == len(args) - 1 and NUMBER.match(a):
                    terms.append(Decimal(a))
                else:
                    return sparql, None
            conds.append(Condition(tuple(terms), c.group("dir").upper() == "DESC"))
        else:
            conds.append(Condition((c.group("inner"),), c.group("dir").upper() == "DESC"))
    names = {str(v) for v in projected}
    if rest[pos:].strip() or not conds or any(isinstance(t, str) and t not in names for c in conds for t in c.terms):
        return sparql, None
    return sparql[:m.start()], conds


def key(term) -> tuple:
    """SPARQL's order of terms (unbound first), numbers by value."""
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, Literal):
        v = term.toPython() if term.datatype else None
        if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            return (3, 0, Decimal(str(v)) if isinstance(v, float) else Decimal(v), str(term))
        return (3, 1, str(term), term.language or "", str(term.datatype or ""))
    if isinstance(term, Decimal):
        return (3, 0, term, str(term))
    return (4, str(term))


def sort_rows(bindings: list[dict], variables: list, conds: list[Condition]) -> list[dict]:
    """The rows in the order of `conds` (of `split`: on the rows' variables), ties by the whole row."""
    # the rows' own Variable objects where given: a dict finds a key that is the same object
    # without calling rdflib's __eq__
    variables = [v if isinstance(v, Variable) else Variable(str(v)) for v in variables]
    named = {str(v): v for v in variables}
    # each term's key made once (a table repeats its names and places), found by the term's
    # identity: a store's answer gives one object for each distinct term (kg.store),
    # and rdflib's hashing of a term in Python took most of the sort. The rows hold every
    # term, so no identity is reused while this runs; equal terms of distinct objects just
    # get their key twice
    keys: dict = {}

    def key_of(term):
        k = keys.get(id(term))
        if k is None:
            k = keys[id(term)] = key(term)
        return k
    terms = [tuple(named.get(t) or Variable(t) if isinstance(t, str) else t for t in c.terms) for c in conds]

    def value(row, c_terms):
        for t in c_terms:
            got = row.get(t) if isinstance(t, Variable) else t
            if got is not None:
                return got
        return None
    tiebreak = [tuple(key_of(r.get(v)) for v in variables) for r in bindings]
    by = [[key_of(value(r, ts)) for r in bindings] for ts in terms]
    if all(not c.descending or all(k[:2] == (3, 0) for k in col) for c, col in zip(conds, by)):
        # one sort: a descending condition on numbers is an ascending one on their negation
        for c, col in zip(conds, by):
            if c.descending:
                col[:] = [(3, 0, -k[2]) for k in col]
        order = sorted(range(len(bindings)), key=lambda i: (*(col[i] for col in by), tiebreak[i]))
    else:
        order = sorted(range(len(bindings)), key=tiebreak.__getitem__)
        for c, col in reversed(list(zip(conds, by))):
            order.sort(key=col.__getitem__, reverse=c.descending)
    return [bindings[i] for i in order]
