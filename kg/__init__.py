"""kg: Chinese talent-policy documents -> an RDF knowledge graph.

Library API (the `kg` command is a thin layer over it):

    build(paths, out_dir)         documents -> graph.ttl, graph.html, entities.csv
    extract_paths(paths)          documents -> [Extraction] (entities, relations, metadata)
    load_graph(path)              a graph file -> rdflib.Graph
    query(graph, sparql)          SPARQL -> rdflib Result
    to_networkx(graph)            rdflib.Graph -> networkx.MultiDiGraph
"""
from .analyze import importance, to_networkx
from .errors import KgError
from .pipeline import build, extract_paths, write_annotations
from .query import load_graph
from .query import run as query

__all__ = ["build", "extract_paths", "write_annotations", "load_graph", "query", "to_networkx",
           "importance", "KgError"]
__version__ = "0.1.0"
