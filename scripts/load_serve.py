"""Load test of `kg serve`: N concurrent clients send mixed named queries for S seconds.

    python3 scripts/load_serve.py GRAPH_FILE [--clients 50] [--seconds 30] [--workers N]

Starts `kg serve` on a free port of 127.0.0.1, learns each query's answer once, then has
every client ask in turn and compare. Prints answers, wrong answers and errors, answers per
second, and latency percentiles. Exit status 1 if any answer was wrong or failed.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from kg.query import named_sparql

NAMES = ["programs-by-region", "mechanisms-shared", "who-leads-or-issues", "entities-by-type", "policies"]


def ask(url: str, query: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return 0, str(e).encode()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("graph")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "kg", "serve", args.graph, "--port", str(port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(600):
            if ask(url, "ASK {}")[0] == 200:
                break
            time.sleep(0.1)
        expected = {n: ask(url, named_sparql(n))[1] for n in NAMES}
        lat, wrong, failed = [], [], []
        stop = time.time() + args.seconds

        def client(k: int) -> None:
            i = k
            while time.time() < stop:
                n = NAMES[i % len(NAMES)]
                i += 1
                t = time.perf_counter()
                status, body = ask(url, named_sparql(n))
                lat.append(time.perf_counter() - t)
                if status != 200:
                    failed.append((n, status, body[:100]))
                elif body != expected[n]:
                    wrong.append(n)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.time() - t0
    finally:
        proc.terminate()
        proc.wait(10)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0] * 99
    print(f"{args.clients} clients x {args.seconds:g} s: {len(lat)} answers, {len(wrong)} wrong, "
          f"{len(failed)} failed; {len(lat) / wall:.0f} answers/s; latency p50 {q[49] * 1000:.0f} ms, "
          f"p95 {q[94] * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms")
    for f in failed[:5]:
        print("  failed:", f)
    return 1 if wrong or failed else 0


if __name__ == "__main__":
    sys.exit(main())
