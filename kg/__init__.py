"""kg: Chinese talent-policy documents -> an RDF knowledge graph.

Library API (the `kg` command is a thin layer over it):

    build(paths, out_dir)         documents -> graph.ttl, graph.html, entities.csv
    extract_paths(paths)          documents -> [Extraction] (entities, relations, metadata)
    load_graph(path)              a graph file -> rdflib.Graph
    query(graph, sparql)          SPARQL -> rdflib Result
    to_networkx(graph)            rdflib.Graph -> networkx.MultiDiGraph
"""
import sys
import types
from importlib import import_module

from .errors import KgError

# name -> (module, attribute): imported when first used, so that a process that only
# extracts (a --jobs worker) does not load rdflib, networkx and pyvis
_API = {"build": ("pipeline", "build"), "extract_paths": ("pipeline", "extract_paths"),
        "write_annotations": ("pipeline", "write_annotations"), "load_graph": ("query", "load_graph"),
        "to_networkx": ("analyze", "to_networkx"),
        "importance": ("analyze", "importance")}

__all__ = [*_API, "query", "KgError"]
__version__ = "0.1.0"


class _Package(types.ModuleType):
    """kg.query is the function of the API, though kg/query.py is a module of the package:
    importing that module sets the package's attribute `query` to it, which this keeps from
    hiding the function (`from kg.query import ...` is untouched)."""

    @property
    def query(self):
        from .query import run
        return run

    @query.setter
    def query(self, module) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _API:
        module, attr = _API[name]
        return getattr(import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
