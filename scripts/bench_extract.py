"""Extraction speed, with the trained tagger and with the rules alone, on the same documents.

    python3 scripts/bench_extract.py [--baseline CHECKOUT] [DIR ...]
                                        (default: seeds/ and ../shared/dev/docs)

Prints characters per second for each, best of three runs, one process, and the ratio.
With --baseline, also times `extract` of another checkout of kg (for example
`git worktree add /tmp/old 8be0bfc`, the last commit before the tagger) on the same
documents in a fresh process, and prints how much slower today's extraction is.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from kg.extract import extract
from kg.extract.tagger import default_tagger
from kg.read import read_documents

ROOT = Path(__file__).resolve().parent.parent


def best_of(docs, tagger, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        for d in docs:
            extract(d, tagger)
        best = min(best, time.perf_counter() - t)
    return best


BASELINE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from kg.extract import extract
from kg.read import read_documents
docs, _ = read_documents(sys.argv[2:])
extract(docs[0])
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    for d in docs:
        extract(d)
    best = min(best, time.perf_counter() - t)
print(best)
"""


def baseline(checkout: str, dirs: list[str]) -> float:
    out = subprocess.run([sys.executable, "-c", BASELINE, checkout, *dirs], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def main(argv: list[str]) -> int:
    base = None
    if argv[:1] == ["--baseline"]:
        base, argv = argv[1], argv[2:]
    dirs = argv or [str(ROOT / "seeds"), str(ROOT.parent / "shared" / "dev" / "docs")]
    docs, skipped = read_documents([d for d in dirs if Path(d).exists()])
    if not docs:
        print("no documents to read", file=sys.stderr)
        return 1
    chars = sum(len(d.text) for d in docs)
    tagger = default_tagger()
    extract(docs[0], tagger)   # warm up jieba and the model
    rules = best_of(docs, None)
    model = best_of(docs, tagger)
    print(f"{len(docs)} documents, {chars:,} characters")
    print(f"rules alone:        {rules:6.2f} s  {chars / rules:10,.0f} chars/s")
    print(f"rules + tagger:     {model:6.2f} s  {chars / model:10,.0f} chars/s")
    print(f"ratio:              {model / rules:6.2f}x")
    if base:
        old = baseline(base, [d for d in dirs if Path(d).exists()])
        print(f"baseline {base}: {old:6.2f} s  {chars / old:10,.0f} chars/s")
        print(f"today / baseline:   {model / old:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
