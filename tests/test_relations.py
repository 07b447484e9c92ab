"""Relations with evidence, on real sentences (from the seeds), and their provenance in the graph."""
from __future__ import annotations

import pytest

from kg.extract import extract
from kg.read import make_document

from .conftest import SEEDS


def relations(text, byline="西宁市委常委、组织部部长 王润宇"):
    """Extract from `text` as the body of a document whose byline names its region.

    Relations are keyed by canonical names; a region may be written short (西宁) with
    its full name as alias, so names are mapped to the full gazetteer form here."""
    doc = make_document(f"标题\n\n{byline}\n\n{text}\n", "t.txt")
    x = extract(doc)
    full = {e.name: next((a for a in e.aliases if a.startswith(e.name)), e.name) if e.type == "Region" else e.name
            for e in x.entities}
    return {(full.get(r.head, r.head), r.relation, full.get(r.tail, r.tail)): r for r in x.relations}, x, doc


def test_unnamed_actor_is_the_documents_region():
    rels, x, _ = relations("启动实施“共饮一江水”人才交流计划,协调开展“浦东专家西宁行”活动。")
    assert x.metadata.region == "西宁市"
    assert ("西宁市", "implements", "共饮一江水人才交流计划") in rels
    assert ("西宁市", "implements", "浦东专家西宁行活动") in rels


def test_no_unnamed_actor_when_the_region_is_masked():
    rels, x, _ = relations("启动实施“共饮一江水”人才交流计划。", byline="*市委常委、组织部部长 王润宇")
    assert x.metadata.region is None
    assert not any(r == "implements" for _, r, _ in rels)


def test_a_cue_reaches_every_item_of_its_list():
    rels, _, _ = relations("借助“智汇三江源·助力新青海”人才项目洽谈会平台,采取“兼职引才”“顾问指导”“退休特聘”等灵活多样的方式。")
    for m in ("兼职引才", "顾问指导", "退休特聘"):
        assert ("西宁市", "implements", m) in rels
        assert (m, "reliesOn", "智汇三江源·助力新青海人才项目洽谈会") in rels


def test_coordinated_subjects_both_act_across_clauses():
    rels, _, _ = relations("近年来,市委、市政府始终坚持把人才作为第一资源,深入实施人才强市战略。", byline="")
    assert ("市委", "implements", "人才强市战略") in rels
    assert ("市政府", "implements", "人才强市战略") in rels


def test_issues_and_implements_from_one_cue_pair():
    rels, _, _ = relations("制定实施《西宁市加强和改进新时代人才工作的实施方案》。")
    assert ("西宁市", "issues", "西宁市加强和改进新时代人才工作的实施方案") in rels
    assert ("西宁市", "implements", "西宁市加强和改进新时代人才工作的实施方案") in rels


def test_leads_and_establishes():
    rels, _, _ = relations("成立了由市委书记任组长的市委人才工作领导小组。", byline="")
    assert ("市委", "leads", "市委人才工作领导小组") in rels


def test_a_place_after_zai_is_no_actor_and_gives_located_in():
    rels, _, _ = relations("在市政府驻北京联络处成立“西宁市驻京人才工作联络站、援青干部联络站”,前移人才服务窗口。")
    assert ("西宁市", "establishes", "援青干部联络站") in rels
    assert ("援青干部联络站", "locatedIn", "北京市") in rels   # 北京, written short
    assert ("市政府驻北京联络处", "partOf", "市政府") in rels
    assert not any(h.startswith("北京") for h, _, _ in rels)


def test_targets_from_a_name_and_from_a_talent_verb():
    rels, _, _ = relations("鼓励企业通过建立院士工作站、博士后科研工作站等平台,柔性引进一批高端人才和急需紧缺人才。")
    assert ("柔性引进", "targets", "高端人才") in rels
    assert ("柔性引进", "reliesOn", "院士工作站") in rels
    rels, _, _ = relations("深入实施“高层次人才引进计划”。")
    assert ("高层次人才引进计划", "targets", "高层次人才") in rels


def test_platform_only_as_means_gets_no_targets():
    """D55: 依托 X … 引入创业导师 does not make X target 创业导师."""
    rels, _, _ = relations("依托易创空间孵化基地,积极与粤港澳大湾区深度融合,引入一批创业导师。", byline="(中共蒸湘区委常委、组织部长 谢铷鸿)")
    assert not any(r == "targets" for _, r, _ in rels)
    assert ("蒸湘区", "cooperatesWith", "粤港澳大湾区") in rels


def test_focus_on_sectors():
    rels, _, _ = relations("着力培养一批城市规划设计、数字经济、现代物流、文化旅游等方面的优秀专业技术人才。",
                           byline="(中共蒸湘区委常委、组织部长 谢铷鸿)")
    for ind in ("数字经济", "现代物流", "文化旅游"):
        assert ("蒸湘区", "focusesOn", ind) in rels


def test_evidence_is_a_fragment_of_one_sentence():
    for path in sorted(SEEDS.glob("*.txt")):
        doc = make_document(path.read_text(encoding="utf-8"), path.name)
        for r in extract(doc).relations:
            s = doc.sentences[r.evidence.sentence]
            assert s.start <= r.evidence.start < r.evidence.end <= s.end
            assert doc.text[r.evidence.start:r.evidence.end] == r.evidence.text


def test_saved_query_finds_the_evidence_for_a_link(seed_graph):
    from kg.query import named_sparql
    from kg.store import MemoryStore
    q = named_sparql("evidence", {"x": "共饮一江水人才交流计划", "y": "西宁"})
    rows = MemoryStore(seed_graph).query(q).bindings
    assert rows, "no evidence for 西宁市 – 共饮一江水人才交流计划"
    by_rel = {str(r["relation"]): {str(k): str(v) for k, v in r.items()} for r in rows}
    r = by_rel["implements"]
    assert r["evidence"] == "启动实施“共饮一江水”人才交流计划"
    assert r["doc"] == "003_3fd2aaed58580efd.txt"
    assert r["date"] == "2022-10-11"
    text = (SEEDS / "003_3fd2aaed58580efd.txt").read_text(encoding="utf-8")
    assert text[int(r["start"]):int(r["end"])] == r["evidence"]


def test_documents_are_nodes_with_metadata(seed_graph):
    q = """PREFIX kg: <https://w3id.org/talentkg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?title ?date ?author ?source ?region (COUNT(?e) AS ?n) WHERE {
      ?d a kg:Document ; dcterms:identifier "004_78da3057a77bf2a4.txt" ; dcterms:title ?title ;
         dcterms:date ?date ; dcterms:creator/skos:prefLabel ?author ; dcterms:source ?source ;
         dcterms:spatial/skos:prefLabel ?region ; kg:mentions ?e .
    } GROUP BY ?title ?date ?author ?source ?region"""
    rows = list(seed_graph.query(q))
    assert len(rows) == 1
    r = rows[0]
    assert (str(r.date), str(r.author), str(r.source), str(r.region)) == ("2022-12-11", "谢铷鸿", "红星网", "蒸湘区")
    assert int(r.n) > 30


def test_partners_after_yu_are_not_actors():
    rels, _, _ = relations("鼓励企业与四川大学、电子科技大学等高校开展产学研合作。")
    assert not any(h in ("四川大学", "电子科技大学") for h, _, _ in rels)


def test_a_fronted_object_of_jiang():
    """现将《X》印发给你们: the document's region issues X."""
    rels, _, _ = relations("现将《西宁市高层次人才引进办法》印发给你们,请认真贯彻执行。")
    assert ("西宁市", "issues", "西宁市高层次人才引进办法") in rels


def test_author_from_a_news_credit_line():
    doc = make_document("衡阳市举办人才洽谈会\n发布时间：2023年06月12日 09:08  来源：衡阳日报  作者：李明\n"
                        "本报讯（记者 李明 通讯员 王芳）6月10日，洽谈会在衡阳举行。\n", "n.txt")
    m = extract(doc).metadata
    assert (m.author, m.date, m.source, m.region) == ("李明", "2023-06-12", "衡阳日报", "衡阳市")


@pytest.mark.parametrize("title, region", [
    ("成都市出台人才新政", "成都市"),
    ("关于印发《成都市高层次人才引进办法》的通知", "成都市"),
    ("中共蒸湘区委关于加强人才工作的意见", "蒸湘区"),
    ("学习贯彻中央人才工作会议精神 助力西宁高质量发展", None),   # named, but not the speaker
    ("武汉江夏区:A类人才首次购房给予房款100%房票补贴", "江夏区"),   # the parent is no part of it (R01)
    ("中共黔东南州委关于实施人才强州战略的决定", "黔东南州"),          # an autonomous prefecture as written
    ("西藏出台《关于加强和改进新时代西藏人才工作的若干措施》", "西藏自治区"),
    ("九连山镇2020年度人才工作总结", "九连山镇"),                     # a town, from the full gazetteer
    ("陜西省深化職稱制度改革", "陜西省"),                              # a variant character, as written
    ("彬州市:“人才驿站”激活乡村振兴", "彬州市"),                       # a county-level city named in 2018
])
def test_region_from_a_headline(title, region):
    from kg.extract.metadata import extract_metadata
    assert extract_metadata(make_document(title + "\n正文。\n", "t.txt")).region == region


def test_region_from_the_voice_of_the_text():
    """No byline, and the headline does not open with the place: the place the opening and
    the acting bodies name, at the level the text speaks at, with its suffix (R01)."""
    doc = make_document(
        "您当前的位置:资讯 > >正文\n厚植人才沃土 建设人才高地 河西区以人才引领开创发展新局面\n\n"
        "时间:2023-06-19 19:14:56   来源:天津日报\n\n党的二十大报告提出,功以才成、业由才广。"
        "一直以来,河西区始终高度重视人才工作,以落实“海河英才”行动计划为抓手。\n", "d.txt")
    assert extract(doc).metadata.region == "河西区"
    doc = make_document("近年来，温州坚持人才强市战略。温州市委出台人才新政，我市引进博士500名。\n", "w.txt")
    assert extract(doc).metadata.region == "温州市"


def test_a_district_the_text_names_bare_at_the_level_it_speaks_at():
    """大丰 is no gazetteer short form (jieba knows it as a word), but a text that speaks as a
    district (我区, 区委) and names 大丰 speaks for 大丰区; an ordinary word that is also a
    county's bare name (资源 of 资源县) never counts."""
    doc = make_document("10月17日,我区召开高层次人才代表座谈会。区委书记出席并讲话,为大丰经济社会发展提供坚实人才支撑。"
                        "大丰将持续优化人才发展环境。\n", "d.txt")
    assert extract(doc).metadata.region == "大丰区"
    doc = make_document("我县整合资源,区委、县委统筹各类人才资源,资源共享。\n", "z.txt")
    assert extract(doc).metadata.region is None


def test_a_place_inside_the_place_most_named_is_the_documents_voice():
    doc = make_document("近日,天津市西青区首批博士后工作站授牌。天津市人社局副局长出席,天津市将支持西青区"
                        "建设人才高地。西青区委书记讲话。天津市博士后工作持续推进。\n", "x.txt")
    assert extract(doc).metadata.region == "西青区"


def test_a_masked_document_speaks_for_no_region():
    doc = make_document("聚焦我县主导特色产业,组织人事部门定期开展人才需求调研,形成*县人才需求目录。"
                        "支持衡阳市企业来我县设立研发中心。\n", "m.txt")
    assert extract(doc).metadata.region is None


def test_the_head_of_a_named_body_leads_it_and_a_deputy_does_not():
    """R17: 组长/书记/主任 … of an annotated Body, then the person's name."""
    x = extract(make_document("5月16日,区委书记、区委人才工作领导小组组长黄辉灿主持召开区委人才工作领导小组会议,"
                              "区委副书记、领导小组副组长李明出席。\n", "l.txt"))
    rels = {(r.head, r.relation, r.tail) for r in x.relations}
    assert ("黄辉灿", "leads", "区委人才工作领导小组") in rels
    assert not any(r.head == "李明" and r.relation == "leads" for r in x.relations)


def test_a_unit_named_with_its_parent_is_part_of_it_and_a_policy_names_its_issuer():
    x = extract(make_document("鄂尔多斯市委组织部发布《鄂尔多斯市关于加强新时代人才工作助推高质量发展的若干政策》，"
                              "鄂尔多斯市委常委、组织部部长出席。\n", "p.txt"))
    rels = {(r.head, r.relation, r.tail) for r in x.relations}
    assert ("鄂尔多斯市委组织部", "partOf", "鄂尔多斯市委") in rels, rels
    assert ("鄂尔多斯市", "issues", "鄂尔多斯市关于加强新时代人才工作助推高质量发展的若干政策") in rels, rels


def test_metadata_from_page_lines_datelines_and_signatures():
    """Titles under site chrome, 来源 values in any line, dates in the opening or the
    signature block (Chinese numerals too), as real pages and policy texts write them."""
    doc = make_document("人民網\n简体|繁體\n高技能領軍人才培育計劃實施\n2023-05-22      来源: 吉林广播电视台\n"
                        "近日，人社部印发计划。\n", "a.txt")
    m = extract(doc).metadata
    assert (m.title, m.source, m.date) == ("高技能領軍人才培育計劃實施", "吉林广播电视台", "2023-05-22")
    doc = make_document("关于加快建设人才强县的若干意见\n为深入实施人才强县战略，提出如下意见。\n"
                        "中共临朐县委\n二〇二三年六月十二日\n", "b.txt")
    assert extract(doc).metadata.date == "2023-06-12"
    doc = make_document("中新网4月3日电 据报道，全省人才工作会议召开。\n", "c.txt")
    assert extract(doc).metadata.source == "中新网"


def test_a_unit_brings_its_parent_body():
    """R12: 自治区党委办公厅 names 自治区党委, a Body of its own that the office is part of."""
    x = extract(make_document("根据自治区党委办公厅、自治区人民政府办公厅印发的《关于深化人才发展体制机制改革的实施意见》，"
                              "结合我市实际，制定本办法。\n", "u.txt"))
    names = {e.name: e.type for e in x.entities}
    rels = {(r.head, r.relation, r.tail) for r in x.relations}
    assert names.get("自治区党委") == "Body", names
    assert ("自治区党委办公厅", "partOf", "自治区党委") in rels, rels


def test_authors_from_credits_as_pages_write_them():
    """R15: the first reporter of a byline or a closing credit."""
    for text, author in [
        ("本报讯(特约通讯员陈勇)孔雀西南飞广西人才基地集中授牌。\n", "陈勇"),
        ("本網訊(雷海超)11月18日，三峽集團召開人才工作會議。\n", "雷海超"),
        ("人才工作会议召开。\n会议强调要抓好落实。(通讯员 林清珍)\n", "林清珍"),
        ("本报北京6月3日电 记者罗旭从中央人才工作协调小组获悉，博士服务团出发。\n", "罗旭"),
    ]:
        assert extract(make_document(text, "a.txt")).metadata.author == author, text


def test_sources_from_outlet_lines_and_datelines():
    """R16: an outlet's name alone near the top, after an empty 来源 label, or in a dateline."""
    for text, source in [
        ("辽宁人才工作座谈会在大连召开\n\n辽宁日报2018-07-20\n\n会议强调，要抓好人才工作。\n", "辽宁日报"),
        ("人才大会召开\n来源:\n温州日报\n昨天，2017年人才大会召开。\n", "温州日报"),
        ("厦门发布若干措施\n央广网厦门9月28日消息 厦门发布集成电路人才措施。\n", "央广网"),
    ]:
        assert extract(make_document(text, "s.txt")).metadata.source == source, text


def test_a_policy_named_for_an_industry_focuses_on_it():
    """What a name says: 《厦门市进一步加快推进集成电路产业发展的若干措施》 is about 集成电路 (dev d128)."""
    x = extract(make_document("近日，厦门市出台《厦门市进一步加快推进集成电路产业发展的若干措施》，对集成电路人才给予奖励。\n",
                              "t.txt"))
    rels = {(r.head, r.relation, r.tail) for r in x.relations}
    policy = "厦门市进一步加快推进集成电路产业发展的若干措施"
    assert ("厦门市", "issues", policy) in rels
    assert any(h == policy and rel == "focusesOn" and "集成电路" in t for h, rel, t in rels)
