"""Extraction of many documents: on every core, and only what changed since the last build.

  jobs   documents go to a pool of worker processes (`--jobs N`, default all cores); each
         worker reads and extracts whole documents, and results come back in input order,
         so the outputs are byte-identical whatever the number of workers.
  cache  a document's Extraction is kept under the output folder (.kg-cache/), keyed by the
         file's bytes, its id, the encoding asked for, and a fingerprint of the extractor
         (kg's version, its code, lexicons and model); a rebuild extracts only files that
         changed. `--no-cache` ignores and rewrites it.
  dask   past one machine: `--scheduler tcp://HOST:PORT` maps the same per-document
         function over a Dask distributed cluster (the workers need kg installed and the
         documents at the same paths, e.g. on a shared file system) and gathers the
         results in input order: the outputs are those of a local build.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from .errors import KgError
from .model import Extraction
from .read import MAX_BYTES, collect, display, read_or_skip, unsupported

SMALL = 8                 # fewer documents than this are extracted in-process
# what a worker extracts before its first document: a title, a quotation, a person and
# figures, so that what kg loads on first use (vocabulary, segmenters, the tagger's tables,
# the numeral converter) is loaded
WARM_UP = ("西宁市人才工作领导小组印发《西宁市人才发展若干措施》，对新引进的博士给予安家费十万元、硕士5万元，"
           "实施“昆仑英才”计划。\n市委书记王建军出席会议并讲话。")
CACHE_DIR = ".kg-cache"


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:        # not Linux
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=4)
def fingerprint(model: str | None) -> str:
    """What an extraction depends on besides the document: kg's code, data and model."""
    from . import __version__
    h = hashlib.sha256(__version__.encode())
    root = resources.files("kg")
    for sub in ("extract", "lexicon", "models"):
        for f in sorted(root.joinpath(sub).iterdir(), key=lambda f: f.name):
            if f.is_file() and not f.name.endswith(".pyc"):
                h.update(f.name.encode())
                h.update(f.read_bytes())
    for name in ("read.py", "model.py", "vocab.py"):
        h.update(root.joinpath(name).read_bytes())
    if model:
        h.update(Path(model).read_bytes())
    return h.hexdigest()[:20]


class Cache:
    def __init__(self, folder: Path, model: str | None, encoding: str | None, refresh: bool = False):
        self.folder = Path(folder) / CACHE_DIR
        self.version = fingerprint(model)
        self.encoding = encoding or ""
        self.refresh = refresh
        self.hits = 0

    def key(self, path: Path, doc_id: str) -> str | None:
        """None for what is not a readable regular file within the size limit (a FIFO would
        block, a huge file is refused by the reader anyway): such files are never cached."""
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        h = hashlib.sha256(data)
        h.update(f"\0{doc_id}\0{self.encoding}\0{self.version}".encode("utf-8", "backslashreplace"))
        return h.hexdigest()

    def has(self, key: str | None) -> bool:
        return key is not None and not self.refresh and os.path.isfile(self.target(key))

    def get(self, key: str | None) -> Extraction | None:
        if key is None or self.refresh:
            return None
        try:
            with open(self.folder / key[:2] / key, "rb") as fh:
                x = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        self.hits += 1
        return x

    def target(self, key: str | None) -> str | None:
        """Where the Extraction of a key is kept."""
        return None if key is None else str(self.folder / key[:2] / key)

    def put(self, key: str | None, x: Extraction) -> None:
        keep(self.target(key), x)


def keep(target: str | None, x: Extraction) -> None:
    """Write an Extraction to the cache (atomically); a cache that cannot be written is no
    cache, not an error."""
    if target is None:
        return
    path = Path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(x, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


# --- one document, in whichever process ---------------------------------------------------

_TAGGER: dict = {}       # model path (or None: the shipped one) -> tagger, per process


def start_worker(model: str | None) -> None:
    """A worker process: one thread of numeric work (two workers on two cores each starting a
    thread per core ran slower than one); the tagger, the vocabulary and the segmenter loaded
    before the first document."""
    import gc

    from threadpoolctl import threadpool_limits
    from .extract import extract
    from .read import make_document
    threadpool_limits(1)
    watch_parent()
    extract(make_document(WARM_UP, "warm-up.txt"), tagger_for(model))
    gc.freeze()   # what lives as long as the worker is never scanned by the cycle collector again


def watch_parent(every: float = 0.5) -> None:
    """End this worker when the build that started it is gone (killed, say): a pool's worker
    waits for work forever otherwise."""
    import threading
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="kg-watch-parent").start()


def tagger_for(model: str | None):
    """The entity tagger of a model file (None: the shipped one), loaded once per process."""
    if model not in _TAGGER:
        from .extract.tagger import load_tagger
        _TAGGER[model] = load_tagger(model)
    return _TAGGER[model]


def extract_one(item: tuple) -> tuple[Extraction | None, str | None]:
    """(path, id, encoding, model[, cache target]) -> (Extraction, None) or (None, why it was
    skipped). With a cache target, the worker keeps the Extraction there itself."""
    from .extract import extract
    path, doc_id, encoding, model, *target = item
    doc, why = read_or_skip(path, encoding, doc_id)
    if doc is None:
        return None, why
    try:
        x = extract(doc, tagger_for(model))
    except Exception as e:
        return None, f"extraction failed ({type(e).__name__}: {e}); please report this document"
    if target:
        keep(target[0], x)
    return x, None


def extract_many(paths, encoding: str | None = None, model=None, exclude=(), jobs: int | None = None,
                 cache: Cache | None = None, on_document: Callable[[str], None] | None = None,
                 scheduler: str | None = None) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Every document under `paths`, extracted (in input order) or skipped with its reason."""
    skipped: list[tuple[str, str]] = []
    out = list(extract_stream(paths, skipped, encoding, model, exclude, jobs, cache, on_document, scheduler))
    return out, skipped


def extract_stream(paths, skipped: list, encoding: str | None = None, model=None, exclude=(),
                   jobs: int | None = None, cache: Cache | None = None,
                   on_document: Callable[[str], None] | None = None,
                   scheduler: str | None = None) -> Iterator[Extraction]:
    """Every document under `paths`, extracted, in input order, each as soon as it and those
    before it are done: whoever reads the stream holds one document's extraction at a time,
    not all of them (kg build of 100,000 documents: 6.4 GB at its peak when it held them
    all). A document that is skipped goes into `skipped` as (path, why) when the stream
    reaches it, so `skipped` is whole once the stream is."""
    files, found = collect(paths, exclude)
    skipped += found
    todo, keys, cached = [], {}, set()
    model = str(model) if model else None
    for f, doc_id in files:
        if why := unsupported(f):
            skipped.append((display(f), why))
            continue
        key = keys[doc_id] = cache.key(f, doc_id) if cache else None
        if cache and cache.has(key):
            cached.add(doc_id)    # read when the stream reaches it
        else:
            todo.append((str(f), doc_id, encoding, model))
    jobs = jobs or default_jobs()
    pool = None
    kept = False      # whether the workers write the cache (not on a cluster: its disks are not ours)
    if scheduler and todo:
        results = iter(on_dask(scheduler, todo))
    elif jobs > 1 and len(todo) >= SMALL:
        import multiprocessing as mp
        kept = cache is not None
        items = [t + (cache.target(keys[t[1]]),) for t in todo] if kept else todo
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                   initializer=start_worker, initargs=(model,))
        results = pool.map(extract_one, items, chunksize=4)
    else:
        results = map(extract_one, todo)
    try:
        for f, doc_id in files:
            if doc_id not in keys:
                continue        # unsupported: skipped above
            if doc_id in cached:
                x, why = cache.get(keys[doc_id]), None
                if x is None:        # gone or unreadable since it was found: extracted here after all
                    x, why = extract_one((str(f), doc_id, encoding, model, cache.target(keys[doc_id])))
            else:
                x, why = next(results)
                if x is not None and cache and not kept:
                    cache.put(keys[doc_id], x)
            if on_document:
                on_document(str(f))
            if x is None:
                skipped.append((display(f), why))
                continue
            yield x
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def on_dask(scheduler: str, todo: list) -> list:
    """extract_one over a Dask distributed cluster, results in the order of `todo`."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise KgError("--scheduler needs Dask: pip install 'kg[dask]' (dask[distributed])") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as e:
        raise KgError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({e}); "
                      f"check the address (tcp://HOST:PORT) and that it runs") from None
    with client:
        return client.gather(client.map(extract_one, todo, pure=False))


@contextmanager
def paused_gc():
    """Python's cycle collector off while a build makes its millions of small objects: it
    would scan them again and again (half the time of resolve, graph, Turtle and page at
    1,000 documents) though they are freed by reference counting; it runs again after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
