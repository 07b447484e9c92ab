"""Shared fixtures: the seed corpus built once, and a real headless Chromium."""
from __future__ import annotations

import os
from contextlib import contextmanager
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "data" / "gold"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")


def assert_offsets_point_at_the_text(doc, x):
    """Every mention and every evidence of an Extraction is exactly the text at its offsets."""
    for e in x.entities:
        for m in e.mentions:
            assert doc.text[m.start:m.end] == m.text
    for r in x.relations:
        assert doc.text[r.evidence.start:r.evidence.end] == r.evidence.text


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """kg build seeds/ into a temporary folder, through the library API."""
    import kg
    out = tmp_path_factory.mktemp("seed-build")
    result = kg.build([SEEDS], out)
    return result, out


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build[0].graph


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: browser tests need Debian's chromium "
                    f"(run tests/setup.sh, or set KG_CHROMIUM to a Chromium binary)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A page whose every non-file request is refused and recorded."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    requests = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.blocked_requests = requests
    page.js_errors = errors
    yield page
    ctx.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def copy_seeds(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.iterdir():
        shutil.copy(f, dest / f.name)
    return dest


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> None:
    import time
    import urllib.request
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server (the `oxigraph` package's binary) on 127.0.0.1."""
    import subprocess
    import sysconfig
    exe = shutil.which("oxigraph") or str(Path(sysconfig.get_path("scripts")) / "oxigraph")
    if not Path(exe).exists():
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/query?query=ASK%7B%7D")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def html_site(port: int = 0, hits: list | None = None):
    """A plain local web server, no SPARQL endpoint: every GET, POST and PUT gets a small HTML
    page, and its path goes into `hits`. Yields the server's base URL."""
    import http.server
    import threading

    class Site(http.server.BaseHTTPRequestHandler):
        def answer(self):
            if hits is not None:
                hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b"<!doctype html><title>elsewhere</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", port), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()
