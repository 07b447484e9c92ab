"""Regenerate kg/lexicon/regions.tsv and kg/lexicon/towns.tsv, the gazetteer of Chinese
administrative divisions.

Maintainers only; kg never runs this. The source is the division table that the
Apache-2.0 JioNLP package ships (jionlp/dictionary/china_location.zip: provinces, cities,
counties with their adcodes and short forms, towns under them; current to 2023) and its
list of renamed divisions (china_location_change.txt), whose former names are kept because
older documents write them (海门市, now 海门区); so are the names of the MIT-licensed cpca
package's older table (cpca/resources/adcodes.csv: 临安市, now 临安区):

    pip download --no-deps jionlp==1.5.31 -d /tmp/jio && unzip -o -q /tmp/jio/*.whl -d /tmp/jio
    unzip -o -q /tmp/jio/jionlp/dictionary/china_location.zip -d /tmp/jio
    pip download --no-deps cpca==0.5.5 -d /tmp/cpca && unzip -o -q /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/make_regions.py /tmp/jio/china_location.txt \\
        /tmp/jio/jionlp/dictionary/china_location_change.txt \\
        /tmp/cpca/cpca/resources/adcodes.csv kg/lexicon

Short forms (西宁 for 西宁市) are kept only where jieba's own dictionary does not
know them as an ordinary word (和平, 高新 ...): a place name must not turn every
"和平" in a text into a Region. Single-character forms are never kept (D11). An
autonomous prefecture or county is also written with its bare level (楚雄州, 长阳县).
Towns (…镇, …乡) go to towns.tsv: they are matched only as written, suffix included.
"""
import csv
import re
import sys
from collections import Counter
from pathlib import Path

import jieba

LEVELS = ("province", "city", "county", "town")
GENERIC = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "郊区", "矿区", "城区"}
AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治([州县旗])$")


def word_tags():
    tags = {}
    with jieba.get_dict_file() as fh:
        for line in fh.read().decode("utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def short_forms(name: str, short: str, tags: dict) -> list[str]:
    """The written short forms of a division that are safe to match: its short forms (克州/克孜勒苏)
    that start as it does and that jieba does not know as an ordinary word, and 楚雄州 for
    楚雄彝族自治州. Forms shared by two divisions (经开区) are dropped by main()."""
    out = [f for f in short.split("/")
           if f and f != name and len(f) >= 2 and f[0] == name[0] and tags.get(f, "ns") == "ns"]
    m = AUTONOMOUS.match(name)
    if m and short and name.startswith(short):
        out.append(short + m.group(2))
    if "左翼" in name or "右翼" in name:   # 科尔沁左翼后旗 -> 科左后旗
        out.append(re.sub(r"^(.).*?([左右])翼", r"\1\2", name))
    return list(dict.fromkeys(s for s in out if s != name))


def divisions(path: str):
    """(name, level, short, parent) of every division, from the indented table."""
    stack: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            depth = len(line) - len(line.lstrip("\t"))
            cols = line.strip().split("\t")
            del stack[depth:]
            stack.append(cols[0])
            if depth >= len(LEVELS):
                continue
            parent = stack[-2] if depth else ""
            if depth == 1 and cols[0] == stack[0]:
                parent = ""        # 上海市 under 上海市: a municipality is its own city
            yield cols[0], LEVELS[depth], cols[2] if len(cols) > 2 else "", parent


def former_names(path: str):
    """(name, level, parent) of divisions renamed or merged since 2000."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            old = line.rstrip("\r\n").split("=>")[0].split("\t")[2:]
            names = old[0::2]
            if names:
                yield names[-1], LEVELS[len(names) - 1], names[-2] if len(names) > 1 else ""


def cpca_names(path: str):
    """(name, level, parent) of every division in cpca's adcode table."""
    with open(path, encoding="utf-8") as fh:
        recs = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(fh)]
    by_code = dict(recs)
    for code, name in recs:
        if code[2:] == "0000":
            yield name, "province", ""
        elif code[4:] == "00":
            yield name, "city", by_code.get(code[:2] + "0000", "")
        else:
            city = by_code.get(code[:4] + "00", "")
            yield name, "county", "" if city in GENERIC else city


def main(table: str, changes: str, older: str, out: str) -> None:
    tags = word_tags()
    rows, towns = {}, {}
    for name, level, short, parent in divisions(table):
        if name in GENERIC or len(name) < 2:
            continue
        if level == "town":
            if name.endswith(("镇", "乡")) and len(name) >= 3:
                towns.setdefault(name, parent)
            continue
        rows.setdefault(name, (level, short_forms(name, short, tags), parent))
    # a form two divisions share goes to the higher one (长沙 is 长沙市, not 长沙县), and to
    # neither when they are at one level (经开区)
    owners = Counter((f, lv) for lv, forms, _ in rows.values() for f in set(forms))
    def owns(f, level):
        higher = LEVELS[:LEVELS.index(level)]
        return owners[(f, level)] == 1 and not any(owners[(f, h)] for h in higher)
    rows = {n: (lv, ",".join(f for f in forms if owns(f, lv) and f not in rows), p)
            for n, (lv, forms, p) in rows.items()}
    for name, level, parent in (*former_names(changes), *cpca_names(older)):
        if name not in GENERIC and len(name) >= 2 and name[-1] in "省市区县州旗盟岛":
            rows.setdefault(name, (level, "", parent))   # 海门市, now 海门区
    head = ["# Gazetteer of Chinese administrative divisions: name<TAB>level<TAB>short forms<TAB>parent.",
            "# Generated by scripts/make_regions.py from JioNLP's division table (Apache-2.0);",
            "# do not edit by hand, add named areas that are not divisions to regions_extra.txt."]
    lines = [f"{n}\t{lv}\t{s}\t{p}" for n, (lv, s, p) in sorted(rows.items())]
    Path(out, "regions.tsv").write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    head = ["# Towns (镇, 乡) of China: name<TAB>county. Generated by scripts/make_regions.py from",
            "# JioNLP's division table (Apache-2.0); matched only as written, suffix included."]
    lines = [f"{n}\t{p}" for n, p in sorted(towns.items())]
    Path(out, "towns.tsv").write_text("\n".join(head + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:5])
