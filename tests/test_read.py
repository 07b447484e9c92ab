"""Reading documents: sentences, offsets, normalisation, page chrome."""
from __future__ import annotations

from kg.read import make_document, normalise, read_documents

from .conftest import SEEDS


def test_sentences_point_into_the_text():
    docs, skipped = read_documents([SEEDS])
    assert len(docs) == 5 and not skipped
    for d in docs:
        assert len(d.norm) == len(d.text)
        for s in d.sentences:
            assert d.text[s.start:s.end] == s.text


def test_normalise_keeps_length_and_simplifies():
    text = "人才發展體制機制改革，“共飲一江水”（ＡＢＣ）"
    n = normalise(text)
    assert len(n) == len(text)
    assert n.startswith("人才发展体制机制改革,")
    assert "ABC" in n


def test_page_chrome_is_marked_not_content():
    doc = make_document("标题\n\n来源:《当代组工干部》    日期:2022-10-11    浏览量:\n正文第一句。正文第二句!\nICP备案号:湘ICP备17016663号-1\n", "x.txt")
    chrome = [s.text for s in doc.sentences if s.boilerplate]
    content = [s.text for s in doc.sentences if not s.boilerplate]
    assert any("来源" in c for c in chrome) and any("ICP" in c for c in chrome)
    assert content == ["标题", "正文第一句。", "正文第二句!"]


def test_menus_breadcrumbs_and_credits_are_page_chrome():
    doc = make_document("首页 | 机构概况 | 政务公开 | 人才工作 | 组织建设\n首页 > 人才工作 > 工作动态\n"
                        "首页 新闻中心 政务公开 人才服务 互动交流\n"
                        "以中央人才工作会议精神为指引 高质量建设青藏高原人才强市\n"
                        "启动实施“共饮一江水”人才交流计划。\n（责任编辑：张三）\n", "x.txt")
    assert [s.boilerplate for s in doc.sentences] == [True, True, True, False, False, True]


def test_the_title_is_the_first_line_that_is_not_chrome():
    from kg.extract.metadata import extract_metadata
    doc = make_document("首页 | 机构概况 | 政务公开 | 人才工作\n\n关于印发《西宁市人才办法》的通知\n来源：西宁晚报\n正文。", "x.txt")
    m = extract_metadata(doc)
    assert (m.title, m.source, m.region) == ("关于印发《西宁市人才办法》的通知", "西宁晚报", "西宁市")
