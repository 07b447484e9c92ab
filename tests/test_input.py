"""Real-world and bad input: encodings, HTML, Word, PDF; broken files; killed and concurrent builds.

Every file here is made by the tests from the seed documents (no binaries in git).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import opencc
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.extract import extract
from kg.read import make_document, read_document

from .conftest import ROOT, SEEDS, assert_offsets_point_at_the_text

SEED = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
S003, S004 = SEED["003_3fd2aaed58580efd"], SEED["004_78da3057a77bf2a4"]


def kg(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def names(path, **kw):
    return {(e.type, e.name) for e in extract(read_document(path, **kw)).entities}


def html_page(text: str) -> str:
    lines = text.strip().splitlines()
    body = "".join(f"<p>{line}</p>\n" for line in lines[1:] if line.strip())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{lines[0]} - 组织工作网</title>
<style>.x {{ color: red }} /* 人才强国战略 in a style */</style>
<script>var menu = "人才工作领导小组"; document.write("高层次人才引进计划");</script></head>
<body><nav><a href="/">首页</a> <a href="/a">人才工作</a> <a href="/b">高层次人才引进计划</a></nav>
<div class="breadcrumb">首页 &gt; 工作动态</div>
<h1>{lines[0]}</h1>
{body}
<footer><p>主办单位:中共湖南省委组织部</p><p>ICP备案号:湘ICP备17016663号-1</p></footer></body></html>"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, browser):
    d = tmp_path_factory.mktemp("messy")
    good = d / "good"
    bad = d / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "utf8.txt").write_text(SEED["000_7c0e2fcbf58322a0"], encoding="utf-8")
    (good / "utf8-bom.txt").write_bytes(b"\xef\xbb\xbf" + SEED["001_6c1d71fe02fef3cd"].encode("utf-8"))
    (good / "gbk.txt").write_bytes(S004.encode("gbk"))
    (good / "gb18030.txt").write_bytes(S003.encode("gb18030"))
    trad = opencc.OpenCC("s2tw").convert(SEED["002_90be30462b663c2e"])
    (good / "big5.txt").write_bytes(trad.encode("big5", errors="replace"))
    (good / "utf16le-nobom.txt").write_bytes(S004.encode("utf-16-le"))
    (good / "utf16-bom.txt").write_bytes(S004.encode("utf-16"))
    (good / "page.html").write_text(html_page(S003), encoding="utf-8")
    damaged = bytearray(S004.encode("utf-8"))
    for pos in (900, 2400):                      # two damaged spots, as a bad copy leaves them
        damaged[pos:pos] = b"\xff\x81"
    (good / "damaged-utf8.txt").write_bytes(bytes(damaged))
    import docx
    word = docx.Document()
    for line in S003.splitlines():
        if line.strip():
            word.add_paragraph(line.strip())
    word.save(good / "report.docx")
    page = browser.new_page()
    page.set_content("<html><body style='font-family: Noto Sans CJK SC'>" +
                     "".join(f"<p>{line}</p>" for line in S003.splitlines() if line.strip()) + "</body></html>")
    page.pdf(path=str(good / "report.pdf"))
    page.close()

    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (bad / "noise.txt").write_bytes(bytes((i * 37 + 11) % 32 for i in range(5000)))
    (bad / "undecodable.txt").write_bytes(bytes(128 + (i * 131 + 7) % 128 for i in range(3000)))
    with open(bad / "huge.txt", "wb") as fh:     # 100 MB, sparse: costs no disk
        fh.truncate(100 * 1024 * 1024)
    (bad / "table.xlsx").write_bytes(b"PK\x03\x04 not really")
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    os.symlink(bad / "nowhere.txt", bad / "dangling.txt")
    os.mkfifo(bad / "pipe.txt")
    os.symlink(d, bad / "loop")                  # a folder that contains itself
    return d


def test_a_gbk_copy_gives_the_same_entities_as_the_utf8_original(corpus, tmp_path):
    utf8 = tmp_path / "004.txt"
    utf8.write_text(S004, encoding="utf-8")
    assert names(corpus / "good" / "gbk.txt") == names(utf8)
    gb = read_document(corpus / "good" / "gb18030.txt")
    assert gb.text == S003 and gb.encoding.replace("_", "").lower() in ("gb18030",)


@pytest.mark.parametrize("name, original", [
    ("utf8-bom.txt", SEED["001_6c1d71fe02fef3cd"]), ("gbk.txt", S004), ("utf16le-nobom.txt", S004),
    ("utf16-bom.txt", S004)])
def test_encodings_are_detected(corpus, name, original):
    assert read_document(corpus / "good" / name).text == original


def test_big5_traditional_document_extracts_and_keeps_its_characters(corpus):
    doc = read_document(corpus / "good" / "big5.txt")
    assert "人才強國" in doc.text
    found = {e.name: e for e in extract(doc).entities}
    assert "人才強國戰略" in found and found["人才強國戰略"].type == "Strategy"
    assert "基層人才學歷提升計劃" in found


def test_a_few_broken_bytes_do_not_lose_the_document(corpus, tmp_path):
    doc = read_document(corpus / "good" / "damaged-utf8.txt")
    assert doc.encoding.startswith("utf-8") and doc.text.count("\ufffd") >= 2
    assert ("Program", "万雁入乡行动") in {(e.type, e.name) for e in extract(doc).entities}


def test_encoding_can_be_given(corpus):
    r = kg("extract", corpus / "good" / "gb18030.txt", "--out", corpus / "pred-wrong", "--encoding", "utf-8")
    assert r.returncode == 1 and "cannot be decoded as utf-8" in r.stderr
    r = kg("extract", corpus / "good" / "gb18030.txt", "--out", corpus / "pred-right", "--encoding", "gb18030")
    assert r.returncode == 0, r.stderr
    r = kg("build", corpus / "good", "--encoding", "klingon", "-o", corpus / "x")
    assert r.returncode == 1 and "not an encoding" in r.stderr


def test_html_page_text_without_scripts_and_navigation(corpus):
    doc = read_document(corpus / "good" / "page.html")
    lines = doc.text.splitlines()
    assert lines[0] == S003.splitlines()[0]           # the headline first, not the <title> with site name
    assert "document.write" not in doc.text and "color: red" not in doc.text
    assert "首页" not in doc.text                      # navigation and breadcrumbs dropped
    chrome = {s.text for s in doc.sentences if s.boilerplate}
    assert any("ICP" in c for c in chrome) and any("来源" in c for c in chrome)
    x = extract(doc)
    assert x.metadata.source == "当代组工干部" and x.metadata.date == "2022-10-11"
    assert x.metadata.author == "王润宇" and x.metadata.region == "西宁市"
    got = {e.name for e in x.entities}
    assert "共饮一江水人才交流计划" in got and "中共湖南省委组织部" not in got


@pytest.mark.parametrize("name", ["report.docx", "report.pdf"])
def test_word_and_pdf_documents(corpus, name, tmp_path):
    plain = tmp_path / "003.txt"
    plain.write_text(S003, encoding="utf-8")
    got, want = names(corpus / "good" / name), names(plain)
    assert ("Program", "共饮一江水人才交流计划") in got and ("Mechanism", "首席人才官制度") in got
    assert len(got & want) >= 0.9 * len(want)


def test_a_batch_with_bad_files_skips_them_with_one_line_each(corpus, tmp_path):
    r = kg("build", corpus, "-o", tmp_path / "out")
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr
    skipped = [line for line in r.stderr.splitlines() if line.startswith("kg: skipped ")]
    reasons = {Path(line.split(": ")[1].split(":")[0]).name: line for line in skipped}
    expect = {"empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "noise.txt": "binary",
              "undecodable.txt": "encoding kg cannot tell",
              "huge.txt": "100 MB", "table.xlsx": "unsupported file type", "broken.docx": "Word",
              "broken.pdf": "PDF", "dangling.txt": "broken link", "pipe.txt": "not a regular file"}
    for name, why in expect.items():
        assert name in reasons, f"{name} not reported: {r.stderr}"
        assert why in reasons[name], reasons[name]
    assert any("folder loop" in line for line in skipped)
    assert "11 documents read" in r.stdout
    assert Graph().parse(tmp_path / "out" / "graph.ttl")


HOSTILE = "启动实施“<img src=x onerror=alert(1)>”计划,推行“\"'\\`\x01\u200b😀”机制,建立“" + "长" * 20 + "”工作站。"


def test_hostile_text_gives_valid_turtle_json_and_a_safe_page(tmp_path, offline_page):
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.txt").write_text("标题</title>\n西宁市委常委 王润宇\n" + HOSTILE * 3, encoding="utf-8")
    r = kg("build", src, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    ttl = (tmp_path / "out" / "graph.ttl").read_bytes()
    g = Graph().parse(data=ttl, format="turtle")
    assert len(list(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE))) == len(g)
    r = kg("extract", src, "--out", tmp_path / "pred")
    import json
    data = json.loads((tmp_path / "pred" / "hostile.json").read_text(encoding="utf-8"))
    assert any("onerror" in e["name"] for e in data["entities"])
    page = offline_page
    page.goto((tmp_path / "out" / "graph.html").as_uri())
    page.wait_for_function("() => window.kgReady === true")
    page.evaluate("() => window.kgSearch('onerror')")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#panel")
    assert page.js_errors == [] and page.blocked_requests == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("“”《》、，。；：人才计划工程制度机制平台中心市委西宁蒸湘区高层次引进实施建立XX*"))),
    max_size=300))
def test_extraction_never_raises_and_offsets_point_at_the_text(text):
    doc = make_document(text, "p.txt")
    assert_offsets_point_at_the_text(doc, extract(doc))


def many_documents(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(SEED.values())
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
    return folder


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_a_build_killed_midway_leaves_the_previous_outputs_whole(tmp_path):
    out = tmp_path / "out"
    r = kg("build", SEEDS, "-o", out, "-q")
    assert r.returncode == 0
    before = {f: (out / f).read_bytes() for f in ("graph.ttl", "graph.html", "entities.csv")}
    big = many_documents(tmp_path / "big", 600)
    cache = out / ".kg-cache"
    cached_before = sum(1 for _ in cache.rglob("*")) if cache.exists() else 0
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "-o", str(out), "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60     # kill it once it has extracted some documents, well before the end
    while time.time() < deadline and (sum(1 for _ in cache.rglob("*")) if cache.exists() else 0) < cached_before + 20:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be killed midway"
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10      # its worker processes end too, not wait for work forever
    while time.time() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    assert workers and not [w for w in workers if Path(f"/proc/{w}").exists()]
    for f, data in before.items():
        assert (out / f).read_bytes() == data, f"{f} was changed by a killed build"
    r = kg("build", SEEDS, "-o", out, "-q")   # and the next build is not blocked by the dead one
    assert r.returncode == 0, r.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_two_builds_into_one_folder_do_not_corrupt_it(tmp_path):
    out = tmp_path / "out"
    big = many_documents(tmp_path / "big", 40)
    procs = [subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "-o", str(out), "-q"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0
    for code, err in results:
        assert code == 0 or "another kg build is writing there" in err, err
    assert len(Graph().parse(out / "graph.ttl")) > 1000
