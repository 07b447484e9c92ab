"""Many documents: every core, the same outputs whatever the number of workers, and a
rebuild that extracts only what changed."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kg.batch import Cache, extract_many, extract_stream

from .conftest import SEEDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Ten real documents: the seeds, twice, in two folders."""
    root = tmp_path_factory.mktemp("corpus")
    for sub in ("2023", "2024"):
        shutil.copytree(SEEDS, root / sub)
    return root


def build(corpus, out, *options):
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "-q", *options],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return {n: (out / n).read_bytes() for n in ("graph.ttl", "graph.html", "entities.csv")}


def test_one_worker_and_two_give_byte_identical_outputs(corpus, tmp_path):
    assert build(corpus, tmp_path / "one", "--jobs", "1", "--no-cache") == \
        build(corpus, tmp_path / "two", "--jobs", "2", "--no-cache")


def test_a_rebuild_extracts_only_the_file_that_changed(corpus, tmp_path):
    work = tmp_path / "docs"
    shutil.copytree(corpus, work)
    cache = Cache(tmp_path / "out", None, None)
    first, _ = extract_many([work], cache=cache, jobs=1)
    assert cache.hits == 0 and len(first) == 10
    again = Cache(tmp_path / "out", None, None)
    second, _ = extract_many([work], cache=again, jobs=1)
    assert again.hits == 10 and [x.entities for x in second] == [x.entities for x in first]
    changed = sorted((work / "2024").glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n西宁市设立人才发展专项资金。\n", encoding="utf-8")
    third_cache = Cache(tmp_path / "out", None, None)
    third, _ = extract_many([work], cache=third_cache, jobs=1)
    assert third_cache.hits == 9
    assert [x.document.id for x in third] == [x.document.id for x in first]


def test_the_stream_gives_each_document_in_order_as_it_goes_with_the_skipped_noted_on_the_way(corpus, tmp_path):
    """What kg build reads: one extraction at a time, in the order of the files, a bad file
    noted in `skipped` when the stream reaches it; the same as the list extract_many gives."""
    work = tmp_path / "docs"
    shutil.copytree(corpus, work)
    (work / "2024" / "0_bad.txt").write_bytes(b"\x00\x01\x02" * 200)    # not text: skipped
    whole, whole_skipped = extract_many([work], jobs=2)
    skipped: list = []
    stream = extract_stream([work], skipped, jobs=2)
    first = next(stream)
    assert first.document.id == whole[0].document.id and skipped == []
    rest = list(stream)
    assert [x.document.id for x in [first, *rest]] == [x.document.id for x in whole]
    assert [x.relations for x in [first, *rest]] == [x.relations for x in whole]
    assert skipped == whole_skipped and [p for p, _ in skipped] == [str(work / "2024" / "0_bad.txt")]


def test_a_cache_entry_that_breaks_is_extracted_again(corpus, tmp_path):
    first, _ = extract_many([corpus], cache=Cache(tmp_path / "out", None, None), jobs=1)
    entries = sorted(p for p in (tmp_path / "out" / ".kg-cache").rglob("*") if p.is_file())
    entries[0].write_bytes(b"not a pickle")
    again = Cache(tmp_path / "out", None, None)
    second, _ = extract_many([corpus], cache=again, jobs=1)
    assert again.hits == 9 and [x.entities for x in second] == [x.entities for x in first]
    third = Cache(tmp_path / "out", None, None)
    extract_many([corpus], cache=third, jobs=1)
    assert third.hits == 10       # and it was written again


def test_no_cache_extracts_everything_again(corpus, tmp_path):
    extract_many([corpus], cache=Cache(tmp_path / "out", None, None), jobs=1)
    fresh = Cache(tmp_path / "out", None, None, refresh=True)
    extract_many([corpus], cache=fresh, jobs=1)
    assert fresh.hits == 0
    assert len(list((tmp_path / "out" / ".kg-cache").rglob("*"))) > 10     # and it wrote them again


def test_a_cache_made_with_another_model_is_not_used(corpus, tmp_path):
    from kg.extract.tagger import default_model_path
    model = tmp_path / "other.crfsuite"
    shutil.copy(default_model_path(), model)
    shutil.copy(str(default_model_path()) + ".json", str(model) + ".json")
    with open(model, "ab") as fh:
        fh.write(b"\0")             # another model file (it still loads): another fingerprint
    extract_many([corpus], cache=Cache(tmp_path / "out", None, None), jobs=1)
    other = Cache(tmp_path / "out", str(model), None)
    extract_many([corpus], model=model, cache=other, jobs=1)
    assert other.hits == 0
    again = Cache(tmp_path / "out", None, None)
    extract_many([corpus], cache=again, jobs=1)
    assert again.hits == 10


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_a_bad_jobs_value_is_one_line(corpus, tmp_path, jobs):
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path), "--jobs", jobs],
                       capture_output=True, text=True)
    assert r.returncode != 0 and f"--jobs {jobs}" in r.stderr and "Traceback" not in r.stderr


def test_a_dask_cluster_of_two_workers_gives_the_outputs_of_a_local_build(corpus, tmp_path):
    """The same per-document function mapped over a real local Dask cluster (two worker processes)."""
    from dask.distributed import LocalCluster
    local = build(corpus, tmp_path / "local", "--jobs", "1", "--no-cache")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        assert len(cluster.workers) == 2
        assert build(corpus, tmp_path / "dask", "--scheduler", cluster.scheduler_address, "--no-cache") == local


def test_an_unreachable_scheduler_is_one_line(corpus, tmp_path):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path),
                        "--scheduler", f"tcp://127.0.0.1:{port}", "--no-cache"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0 and "--scheduler" in r.stderr and "Traceback" not in r.stderr
