"""The benchmark scripts still run and print their figures (run small, on the seeds)."""
import re
import subprocess
import sys

from .conftest import ROOT, SEEDS


def bench(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / script), *args, str(SEEDS)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_build_splits_extraction_time_between_tagger_and_rules():
    out = bench("bench_build.py", "-n", "6", "--jobs", "1")
    m = re.search(r"extraction / jieba.lcut, one process, same 6 texts: ([\d.]+)x "
                  r"\(the tagger ([\d.]+)x, the rules ([\d.]+)x\)", out)
    assert m, out
    whole, tagger, rules = map(float, m.groups())
    assert tagger > 0 and rules > 0 and abs(tagger + rules - whole) <= 0.11
    assert re.search(r"^kg.build again, 1 file changed\s+[\d.]+", out, re.M), out


def test_bench_queries_times_every_named_query_on_disk_and_in_memory():
    from kg.query import library
    out = bench("bench_queries.py", "--copies", "2", "--runs", "1")
    for name in library():
        assert re.search(rf"^{re.escape(name)}\s+(lookup|table)\s+\d+(\s+[\d.]+){{4}}\s+(50|300)$", out, re.M), name
    assert re.search(r"^on disk: \d+ quer", out, re.M) and re.search(r"^in memory: \d+ quer", out, re.M), out
