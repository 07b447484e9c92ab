"""The `kg` command: parse options, call one library function, print. Nothing else.

Errors the user can cause come out as one line `kg: <what and what to do>` and a
non-zero exit status, never a traceback. Exit status: 0 done; 1 error; 2 bad
usage; 3 done, but some input was skipped.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rich.markup import escape

from .errors import KgError
from .model import ENTITY_TYPES, RELATION_TYPES
from .cli_options import parser

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def run() -> None:
    """The process's entry point (the `kg` command, python -m kg): main, then exit without a
    last scan of the cycle collector over everything the command made (half a second after
    a build of 1,000 documents; the memory goes back with the process anyway)."""
    import gc
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    from contextlib import nullcontext

    from .batch import paused_gc
    try:
        # a command makes its objects and ends: the cycle collector would only rescan them
        # (a long-running server keeps it)
        with nullcontext() if args.command == "serve" else paused_gc():
            return COMMANDS[args.command](args)
    except KgError as e:
        print(f"kg: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are whole, the rest were not written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def cmd_build(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .analyze import ranking
    from .pipeline import build
    from .read import collect

    console = Console(stderr=False, quiet=args.quiet)
    exclude = [args.out]          # never read kg's own outputs as documents
    total = len(collect(args.paths, exclude)[0])
    if args.encoding:
        import codecs
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise KgError(f"--encoding {args.encoding!r} is not an encoding; use e.g. utf-8, gb18030, big5, utf-16") from None
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[doc]}"), console=Console(stderr=True, quiet=args.quiet),
                  transient=True) as progress:
        task = progress.add_task("extracting", total=total, doc="")

        def tick(path):
            progress.update(task, advance=1, doc=escape(Path(path).name))

        if args.jobs is not None and args.jobs < 1:
            raise KgError(f"--jobs {args.jobs}: give 1 or more")
        result = build(args.paths, args.out, base=args.base, title=args.title, on_document=tick,
                       encoding=args.encoding, model=args.model, jobs=args.jobs, cache=not args.no_cache,
                       scheduler=args.scheduler)
    if not result.corpus.documents:
        for path, reason in result.skipped:
            print(f"kg: skipped {path}: {reason}", file=sys.stderr)
        print(f"kg: no document could be read from {' '.join(map(str, args.paths))}; nothing was written, "
              f"the outputs in {args.out} are as they were", file=sys.stderr)
        return EXIT_ERROR
    print_summary(console, result, ranking(result.network, top=10))
    if args.store or args.endpoint:
        from .store import open_store
        store = open_store(args.store, args.endpoint, create=True)
        try:
            n = store.load_file(Path(args.out) / "graph.ttl")     # the Turtle just written
        finally:
            store.close()
        console.print(f"loaded {n} triples into {escape(args.store or args.endpoint)}")
    for path, reason in result.skipped:
        print(f"kg: skipped {path}: {reason}", file=sys.stderr)
    return EXIT_SKIPPED if result.skipped else EXIT_OK


def print_summary(console, result, top) -> None:
    from rich.table import Table

    c = result.corpus
    ent = Counter(n.type for n in c.nodes)
    rel = Counter(e.relation for e in {(e.head, e.relation, e.tail): e for e in c.edges}.values())
    console.print(f"[bold]{len(c.documents)}[/] documents read, [bold]{len(result.skipped)}[/] skipped; "
                  f"[bold]{len(c.nodes)}[/] entities, [bold]{sum(rel.values())}[/] relations")
    t = Table(title="entities per type")
    t.add_column("type"); t.add_column("n", justify="right")
    for k in ENTITY_TYPES:
        if ent[k]:
            t.add_row(k, str(ent[k]))
    r = Table(title="relations per type")
    r.add_column("relation"); r.add_column("n", justify="right")
    for k in RELATION_TYPES:
        if rel[k]:
            r.add_row(k, str(rel[k]))
    imp = Table(title="most connected entities (PageRank)")
    imp.add_column("name"); imp.add_column("type"); imp.add_column("degree", justify="right")
    for name, etype, _, degree in top:
        imp.add_row(escape(name), etype, str(degree))
    from rich.columns import Columns
    console.print(Columns([t, r, imp]))
    for f in result.files:
        console.print(f"wrote {escape(str(f))}")


def cmd_extract(args) -> int:
    from .pipeline import extraction_stream, write_annotations

    if args.jobs is not None and args.jobs < 1:
        raise KgError(f"--jobs {args.jobs}: give 1 or more")
    skipped: list = []      # each document's file is written as it comes (no list of them all)
    files = write_annotations(extraction_stream(args.paths, skipped, encoding=args.encoding, model=args.model,
                                                exclude=[args.out], jobs=args.jobs), args.out)
    print(f"wrote {len(files)} file(s) to {args.out}")
    for path, reason in skipped:
        print(f"kg: skipped {path}: {reason}", file=sys.stderr)
    if not files:
        return EXIT_ERROR
    return EXIT_SKIPPED if skipped else EXIT_OK


def progress(what: str, n: int, total: int) -> None:
    """`what: n/total`, updated in place on a terminal; every 20th step and the last elsewhere."""
    last = n >= total
    if sys.stderr.isatty():
        print(f"\r{what}: {n}/{total}", end="\n" if last else "", file=sys.stderr, flush=True)
    elif last or n % 20 == 0:
        print(f"{what}: {n}/{total}", file=sys.stderr, flush=True)


def cmd_train(args) -> int:
    from .extract.tagger import default_model_path
    from .learn.corpus import load_corpora
    from .learn.train import PARAMS, sequences, train

    out = Path(args.out) if args.out else default_model_path()
    items = load_corpora(args.data)
    seqs = []
    for n, a in enumerate(items, 1):
        seqs += sequences(a)
        progress("documents read", n, len(items))
    chars = sum(len(s.labels) for s in seqs)
    print(f"training on {len(items)} documents ({chars:,} characters) ...", file=sys.stderr)
    iters = PARAMS["max_iterations"]
    path = train(seqs, out, on_progress=lambda i: progress("training iteration", i, iters))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from .learn.corpus import load_corpora
    from .learn.evaluate import cross_validate, format_report

    if args.folds < 2:
        raise KgError(f"--folds {args.folds}: give 2 or more folds")
    items = load_corpora(args.data)
    if len(items) < args.folds:
        raise KgError(f"--folds {args.folds}: only {len(items)} annotated documents; give fewer folds")
    incentive_gold = None
    if args.incentives:
        from .learn.incentive_scorer import load
        incentive_gold = {}
        for d in args.incentives:
            try:
                incentive_gold.update(load(d, gold=True))
            except ValueError as e:
                raise KgError(f"--incentives {d}: {e}") from None
    rep = cross_validate(items, args.folds, rules_too=not args.no_rules, limit_folds=1 if args.quick else None,
                         params={"max_iterations": 100} if args.quick else None,
                         on_step=lambda m: print(m, file=sys.stderr, flush=True), incentive_gold=incentive_gold)
    print(format_report(rep))
    return EXIT_OK


def cmd_export(args) -> int:
    from .pipeline import export
    from .store import open_store

    store = open_store(args.store, args.endpoint, args.graph)
    try:
        g = store.dump()
    finally:
        store.close()
    for f in export(g, args.format, args.out):
        print(f"wrote {f}")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    if args.workers is not None and args.workers < 1:
        raise KgError(f"--workers {args.workers}: give 1 or more")
    serve(args.graph, host=args.host, port=args.port, timeout=args.timeout, cors=args.cors, workers=args.workers)
    return EXIT_OK


def cmd_report(args) -> int:
    from .output import Staged
    from .query import load_graph
    from .report import render_html, render_md, write_csv

    g = load_graph(args.graph)
    base = Path(args.out) if args.out else Path(args.graph).with_name("report." + ("csv" if args.format == "csv" else args.format))
    staged = Staged()
    try:
        if args.format == "html":
            staged.write(base, render_html(g, args.title) if args.title else render_html(g))
        elif args.format == "md":
            staged.write(base, render_md(g))
        else:
            stem = base.with_suffix("") if base.suffix.lower() == ".csv" else base / "report"
            for name, text in write_csv(g).items():
                staged.write(Path(f"{stem}-{name}.csv"), text)
        files = staged.commit()
    finally:
        staged.discard()
    for f in files:
        print(f"wrote {f}")
    return EXIT_OK


def cmd_render(args) -> int:
    from .pipeline import render

    r = render(args.graph, args.out, focus=args.focus, hops=args.hops, types=args.types, docs=args.docs,
               min_degree=args.min_degree, title=args.title)
    print(f"wrote {r.file} ({r.nodes} entities, {r.edges} relations)")
    return EXIT_OK


LARGE_GRAPH = 100_000_000    # bytes of a graph file above which kg query suggests a store (some 2.5 s to read)


def cmd_query(args) -> int:
    from pathlib import Path

    from .query import bind, format_result, library, named_sparql, parse_params
    from .store import open_store

    if args.list:
        from rich.console import Console
        from rich.table import Table
        t = Table(title="named queries: kg query NAME GRAPH [--param k=v]")
        t.add_column("name")
        t.add_column("parameters")
        t.add_column("question", overflow="fold")
        for q in library().values():
            t.add_row(q.name, ", ".join(q.params), q.description)
        Console(width=140).print(t)
        return EXIT_OK
    params = parse_params(args.param)
    rest = list(args.args)
    named = None
    if rest and rest[0] in library() and not Path(rest[0]).exists():
        named = rest.pop(0)
    remote = bool(args.store or args.endpoint)
    graph = None if remote else (rest.pop(0) if rest else None)
    if graph and Path(graph).is_file() and Path(graph).stat().st_size > LARGE_GRAPH:
        print(f"kg: {graph} is {Path(graph).stat().st_size / 1e6:.0f} MB, read into memory again for every query. "
              f"Load it once into an on-disk store and query that: kg build DOCS --store oxigraph:kgstore/ "
              f"then kg query ... --store oxigraph:kgstore/ (or kg serve {graph})", file=sys.stderr)
    if named:
        sparql = named_sparql(named, params)
        params = {}
    elif args.file:
        try:
            sparql = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise KgError(f"{args.file}: cannot read the query ({getattr(e, 'strerror', None) or e})") from None
    elif rest:
        sparql = rest.pop(0)
    else:
        raise KgError("no query given: pass the SPARQL text, --file QUERY.rq, or a named query (kg query --list)")
    if rest:
        raise KgError(f"unexpected argument {rest[0]!r}; kg query GRAPH 'SPARQL' or kg query NAME GRAPH")
    store = open_store(args.store, args.endpoint, graph)
    try:
        result = store.query(bind(sparql, params), timeout=args.timeout)
        out = format_result(result, args.format, store.prefixes)
    finally:
        store.close()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "extract": cmd_extract, "render": cmd_render, "query": cmd_query,
            "export": cmd_export, "serve": cmd_serve, "report": cmd_report, "train": cmd_train, "evaluate": cmd_evaluate}
