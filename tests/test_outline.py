"""The document's outline (numbered items, the signature block) and the relations it gives,
on real documents of ../shared/dev."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract
from kg.extract.outline import numbered, outline
from kg.read import read_documents

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev" / "docs"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev is not beside the repository")


def dev_doc(prefix: str):
    docs, _ = read_documents([next(DEV.glob(prefix + "*.txt"))])
    return docs[0]


@pytest.mark.parametrize("line, level", [
    ("第一章 总 则", 1), ("第三条 为了进一步加强领军人才队伍建设", 2), ("一、指导思想和目标任务", 2),
    ("（二）完善人才评价机制", 3), ("1.实施急需、紧缺人才引进计划。", 4), ("(3)加强服务保障", 5),
])
def test_outline_numbers_and_their_levels(line, level):
    assert numbered(line)[0] == level


@pytest.mark.parametrize("line", ["2023年5月8日,市委召开会议", "10月17日,我区召开座谈会", "1.5亿元用于人才", "一流人才"])
def test_dates_amounts_and_words_are_no_outline_numbers(line):
    assert numbered(line) is None


@needs_dev
def test_items_nest_under_their_headings():
    doc = dev_doc("d22_")
    ol = outline(doc)
    text = {it.lead: doc.sentences[it.lead].text for it in ol.items}
    top = [it for it in ol.items if it.level == 2]
    assert text[top[0].lead].startswith("一、实施富有竞争力的人才引进工程")
    first = next(it for it in ol.items if text[it.lead].startswith("1.实施急需"))
    assert first.level == 4 and top[0].lead < first.lead <= first.last <= top[0].last
    # the item ends where the next one starts
    second = next(it for it in ol.items if text[it.lead].startswith("2.实施创新创业"))
    assert first.last == second.lead - 1


@needs_dev
def test_the_program_an_item_opens_with_targets_the_categories_of_the_item():
    x = extract(dev_doc("d22_"))
    targets = {(r.head, r.tail) for r in x.relations if r.relation == "targets"}
    # 1.实施急需、紧缺人才引进计划。未来五年引进全日制博士研究生和正高职称专业技术人才50?80名…
    assert ("急需、紧缺人才引进计划", "全日制博士研究生") in targets
    assert ("急需、紧缺人才引进计划", "正高职称专业技术人才") in targets
    # a category of the next item belongs to that item's program, not to this one
    assert ("急需、紧缺人才引进计划", "省级领军人才") not in targets
    assert ("创新创业科研团队和领军人才引进计划", "省级领军人才") in targets


@needs_dev
def test_the_signers_of_a_notice_issue_it():
    doc = dev_doc("d13_")
    ol = outline(doc)
    assert [doc.sentences[i].text for i in ol.signature] == ["中共绍兴市委人才工作领导小组办公室", "2009年12月16日"]
    x = extract(doc)
    issued = [r for r in x.relations if r.relation == "issues" and r.head == "中共绍兴市委人才工作领导小组办公室"]
    assert [r.tail for r in issued] == ["关于选拔第七批市级专业技术拔尖人才、学术技术带头人及其后备人才的通知"]
    assert doc.text[issued[0].evidence.start:issued[0].evidence.end] == issued[0].evidence.text


@needs_dev
def test_a_web_page_without_a_signature_has_none():
    assert outline(dev_doc("d01_")).signature == ()
