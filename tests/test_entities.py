"""Entity extraction on real sentences (taken from the seed documents), one behaviour each."""
from __future__ import annotations

import json

import opencc
import pytest

from kg.extract.entities import extract_entities
from kg.read import make_document, read_document

from .conftest import GOLD, SEEDS


def entities(text):
    doc = make_document(text, "t.txt")
    return {e.name: e for e in extract_entities(doc)}, doc


def has(found, name, etype, *aliases):
    assert name in found, f"{name} not found among {sorted(found)}"
    assert found[name].type == etype, f"{name} is {found[name].type}, not {etype}"
    for a in aliases:
        assert a in found[name].aliases, f"{a} is not an alias of {name}: {found[name].aliases}"


def test_quoted_name_with_its_head_noun():
    found, _ = entities("启动实施“共饮一江水”人才交流计划,协调开展“浦东专家西宁行”活动。")
    has(found, "共饮一江水人才交流计划", "Program", "共饮一江水")
    has(found, "浦东专家西宁行活动", "Program", "浦东专家西宁行")


def test_title_in_book_marks_is_a_policy_without_its_marks():
    found, _ = entities("制定实施《“人才强企”三年行动方案(2022-2024年)》,推动人才链与产业链深度融合。")
    has(found, "人才强企三年行动方案(2022-2024年)", "Policy")


def test_unquoted_names_by_head_noun_with_a_sound_left_boundary():
    found, _ = entities("设立西宁市人才服务中心。探索实施科研项目团队带头人全权负责制,赋予人财物管理权。")
    has(found, "西宁市人才服务中心", "Body", "人才服务中心")
    has(found, "科研项目团队带头人全权负责制", "Mechanism")


def test_verbs_inside_a_name_do_not_cut_it():
    found, _ = entities("建立了高层次人才服务专员制度,为高层次人才提供全方位服务。建立本土技能人才评选机制。")
    has(found, "高层次人才服务专员制度", "Mechanism")
    has(found, "本土技能人才评选机制", "Mechanism")


def test_coordinated_ellipsis_is_expanded():
    found, _ = entities("释放出了党管人才、深入实施人才强国、人才强省战略的强烈信号。")
    has(found, "人才强国战略", "Strategy", "人才强国")
    has(found, "人才强省战略", "Strategy", "人才强省")
    found, _ = entities("全面落实中央和省委、市委人才工作会议部署。")
    for name in ("中央人才工作会议", "省委人才工作会议", "市委人才工作会议"):
        has(found, name, "Event")
    assert "省委" not in found and "中央" not in found


def test_two_units_in_one_quotation_are_two_bodies():
    found, _ = entities("在市政府驻北京联络处成立“西宁市驻京人才工作联络站、援青干部联络站”,前移人才服务窗口。")
    has(found, "西宁市驻京人才工作联络站", "Body")
    has(found, "援青干部联络站", "Body")
    has(found, "市政府驻北京联络处", "Body")
    has(found, "市政府", "Body")        # the parent named inside the office (D08)
    has(found, "北京", "Region")


def test_nested_region_inside_a_program():
    found, _ = entities("协调开展“浦东专家西宁行”活动。")
    has(found, "浦东", "Region")


def test_masked_names():
    found, _ = entities("深入实施“*领航项目”。*市不断完善健全党管人才的领导体制。XX市始终坚持大力度引进人才。")
    has(found, "*领航项目", "Program", "领航项目")
    assert not {"*市", "XX市", "XX"} & set(found)


def test_aliases_of_one_thing_are_one_entity():
    found, _ = entities("西宁市委常委王润宇指出,西宁集中了全省90%的科研机构。在10家单位建立“首席人才官”制度。")
    has(found, "西宁市", "Region", "西宁") if "西宁市" in found else has(found, "西宁", "Region", "西宁市")
    assert not ("西宁" in found and "西宁市" in found)
    has(found, "首席人才官制度", "Mechanism", "首席人才官")


def test_traditional_characters_are_matched_and_reported_as_written():
    trad = opencc.OpenCC("s2t").convert("启动实施“共饮一江水”人才交流计划,建立本土技能人才评选机制。")
    found, doc = entities(trad)
    has(found, "共飲一江水人才交流計劃", "Program", "共飲一江水")
    has(found, "本土技能人才評選機制", "Mechanism")
    for e in found.values():
        for m in e.mentions:
            assert doc.text[m.start:m.end] == m.text


def test_page_chrome_gives_no_entities():
    doc = read_document(SEEDS / "004_78da3057a77bf2a4.txt")
    names = {e.name for e in extract_entities(doc)}
    assert not {"中共湖南省委组织部", "湖南红网新媒体集团", "红星网", "湖南"} & names


@pytest.mark.parametrize("sentence, name, etype", [
    ("瞄准新能源、健康食品、石化新材料等产业对人才的需求", "石化新材料", "Industry"),
    ("引进一批高层次科研人才和创新团队", "高层次科研人才", "TalentCategory"),
    ("鼓励企业通过建立院士工作站、博士后科研工作站、技术研发中心等平台", "博士后科研工作站", "Platform"),
    ("深入学习贯彻党的二十届三中全会精神", "党的二十届三中全会", "Event"),
    ("习近平总书记指出,坚持党对人才工作的全面领导", "习近平", "Person"),
    ("始终坚持党管人才原则", "党管人才原则", "Strategy"),
    ("省里今年陆续出台了人才政策2.0和乡村振兴政策措施22条", "乡村振兴政策措施22条", "Policy"),
    ("(中共蒸湘区委常委、组织部长 谢铷鸿)", "中共蒸湘区委", "Body"),
    ("推行特殊需要人才“一人一策”“特事特办”个性化服务", "特事特办", "Mechanism"),
    ("借助“博士服务团”、援青干部、“京青专家服务团”、东西部协作等项目和载体", "东西部协作", "Program"),
])
def test_each_type_on_a_real_sentence(sentence, name, etype):
    found, _ = entities(sentence)
    has(found, name, etype)


@pytest.mark.parametrize("sentence, generic", [
    ("要大力宣传各类优秀人才的重要贡献", "优秀人才"),
    ("源源不断汇聚而来的各类人才是地方发展的不竭动力", "各类人才"),
    ("形成组织部门牵头抓总、职能部门各司其职的格局", "职能部门"),
    ("加快建立以创新价值、能力、贡献为导向的人才评价体系", "人才评价体系"),
    ("搭建干事创业平台", "干事创业平台"),
])
def test_generic_words_are_not_entities(sentence, generic):
    found, _ = entities(sentence)
    assert generic not in found


def test_mentions_point_at_the_original_text():
    for path in sorted(SEEDS.glob("*.txt")):
        doc = read_document(path)
        for e in extract_entities(doc):
            assert e.mentions, e.name
            for m in e.mentions:
                assert doc.text[m.start:m.end] == m.text
                s = doc.sentences[m.sentence]
                assert s.start <= m.start and m.end <= s.end


def test_the_lexicon_holds_no_names_found_only_in_the_seeds():
    """Field vocabulary yes; the seeds' own programs, policies and events no."""
    from kg.vocab import load
    words = set(load().terms)   # every name and alias of the term files
    for f in sorted(GOLD.glob("*.json")):
        for e in json.loads(f.read_text(encoding="utf-8"))["entities"]:
            if e["type"] in ("Program", "Policy", "Event"):
                assert e["name"] not in words, f"{e['name']} ({f.name}) is a seed name in the lexicon"


@pytest.mark.parametrize("sentence, name, etype", [
    ("市委组织部牵头,市人社局、市科技局、市财政局等部门按职责分工负责。", "市科技局", "Body"),
    ("成都市人民政府办公厅", "成都市人民政府办公厅", "Body"),
    ("支持用人单位建立博士后科研工作站、院士（专家）工作站和海外人才离岸创新创业基地。", "院士（专家）工作站", "Platform"),
    ("包括顶尖人才、国家级领军人才、地方高级人才和青年拔尖人才。", "地方高级人才", "TalentCategory"),
])
def test_policy_text_names(sentence, name, etype):
    """Names as policy texts (办法, 通知) write them."""
    found, _ = entities(sentence)
    has(found, name, etype)
    assert "格局" not in "".join(found)   # a one-character head (局) only where it ends a real word


def test_addressee_line_of_a_notice_is_not_content():
    doc = make_document("关于印发《成都市高层次人才引进办法》的通知\n各区（市）县人民政府，市政府各部门：\n现将《成都市高层次人才引进办法》印发给你们。\n", "n.txt")
    assert [s.boilerplate for s in doc.sentences] == [False, True, False]
    assert "县人民政府" not in {e.name for e in extract_entities(doc)}


def test_a_short_place_name_means_the_city_not_the_county():
    found, _ = entities("加强与长沙、株洲等地的人才协作。")
    assert found["长沙"].type == "Region" and "长沙市" in found["长沙"].aliases
    assert "长沙县" not in found["长沙"].aliases


@pytest.mark.parametrize("sentence, person", [
    ("市委书记张三出席会议并讲话。", "张三"),
    ("院士欧阳明强调,人才是第一资源。", "欧阳明"),
])
def test_a_person_named_after_a_role(sentence, person):
    found, _ = entities(sentence)
    has(found, person, "Person")


def test_role_words_alone_give_no_person():
    found, _ = entities("成立了由市委书记任组长的市委人才工作领导小组。以XXX同志为核心的党中央。")
    assert not [e for e in found.values() if e.type == "Person"]


def test_tiered_categories_with_ellipsis():
    found, _ = entities("对引进的A类、B类人才给予安家补贴。")
    has(found, "A类人才", "TalentCategory")
    has(found, "B类人才", "TalentCategory")


def test_a_short_form_the_document_declares_is_an_alias_not_an_entity():
    """(简称X) / (以下简称“X”) after a name: X is how the document will call it."""
    found, _ = entities("出台了《鄂尔多斯市关于加强新时代人才工作助推高质量发展的若干政策》(简称鄂尔多斯人才新政30条)。")
    has(found, "鄂尔多斯市关于加强新时代人才工作助推高质量发展的若干政策", "Policy", "鄂尔多斯人才新政30条")
    assert "鄂尔多斯人才新政30条" not in found
    found, _ = entities("第十九届中国西部海外高新科技人才洽谈会(简称“海科会”)海外人才及项目签约仪式举行。本届海科会共签约项目50个。")
    has(found, "第十九届中国西部海外高新科技人才洽谈会", "Event", "海科会")
    assert "海科会" not in found
