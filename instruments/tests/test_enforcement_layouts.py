"""Enforcement instruments rendered from real cases (enforcement factories and services) through their dedicated
layouts: the DOCX holds the layout's labels and the case's values, in Chinese whatever the reader's language."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document

from enforcement import documents, services
from enforcement.models import EvidenceKind, Outcome, ReviewResult
from enforcement.tests.conftest import build_world
from instruments.models import Instrument

from .layout_helpers import document_of, full_text

pytestmark = pytest.mark.django_db

ID_NUMBER, PHONE, ADDRESS = "500101199001011234", "13900001111", "和平村3组12号"
REMEDY = "如不服本决定"


@pytest.fixture
def w(town, make_user):
    return build_world(town, make_user)


def open_case(w, **kw):
    kw.setdefault("officers", [w.a, w.b])
    return services.case_open(town=w.town, matter=w.matter, actor=w.officer, party_name="张三",
                              facts="占道经营水果摊。", party_id_number=ID_NUMBER, party_phone=PHONE,
                              party_address=ADDRESS, place="和平村主干道", **kw)


def investigate(w, case):
    services.case_file(case=case, actor=w.leader, reason="证据初步确凿。")
    services.case_fire(case=case, action="investigate", actor=w.officer)
    services.evidence_add(case=case, kind=EvidenceKind.INSPECTION_RECORD, title="现场检查笔录", actor=w.officer,
                          officers=[w.a, w.b], credentials_shown=True, device="执法记录仪01",
                          description="现场摆放水果摊三处。\n占用人行道约6平方米。")
    services.evidence_add(case=case, kind=EvidenceKind.INTERVIEW_RECORD, title="询问张三", actor=w.officer,
                          officers=[w.a, w.b], credentials_shown=True, description="问：摊位是你的吗？\n答：是的。")
    services.evidence_add(case=case, kind=EvidenceKind.PHOTO, title="现场照片", actor=w.officer,
                          upload=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"x" * 50, content_type="image/jpeg"))
    services.case_fire(case=case, action="close_investigation", actor=w.officer, reason="建议罚款500元。")
    return case


def rendered(case, code):
    instrument = (Instrument.objects.filter(object_id=str(case.pk), content_type__model="case", kind__code=code)
                  .order_by("-id").first())
    assert instrument is not None, code
    assert instrument.template_label == "系统默认模板", code
    return full_text(document_of(instrument))


def assert_all(text, expected, code=""):
    for item in expected:
        assert item in text, f"{code}: {item!r} missing"


def test_ordinary_procedure_instruments(w):
    case = investigate(w, open_case(w))
    services.notice_serve(case=case, proposed_penalty="罚款500元", proposed_fine="500", actor=w.officer)
    services.statement_record(case=case, statement="初次违法，请求从轻。", review="不予采纳：情节不属轻微。",
                              actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    services.payment_record(case=case, paid_on=case.served_on, amount="500", actor=w.officer)
    services.case_close(case=case, summary="罚款已缴纳，当事人已改正。", actor=w.leader)
    case.refresh_from_db()
    party = ("张三", ID_NUMBER, PHONE, ADDRESS)

    text = rendered(case, "filing_approval")
    assert_all(text, ("案件来源", "日常巡查", "案由", w.matter.name, "当事人类型", "公民", "身份证件号码", *party,
                      "简要案情", "占道经营水果摊。", "立案依据", w.matter.basis_citation, w.matter.basis_text,
                      "承办人意见", f"李执法（执法证号：{w.a.credential}）", f"王执法（执法证号：{w.b.credential}）",
                      "承办机构意见", "负责人审批意见", "审批意见：同意立案。证据初步确凿。", case.number))
    assert text.count("占道经营水果摊。") == 1  # shown in its field, not repeated from the service's lines

    text = rendered(case, "inspection_record")
    assert_all(text, ("检查时间", "检查地点", "和平村主干道", "执法人员及证号", w.a.credential, "记录设备",
                      "执法记录仪01", "被检查人", *party, "执法人员已出示执法证件：是", "现场摆放水果摊三处。",
                      "占用人行道约6平方米。", "被检查人签名：", "执法人员签名："), "inspection_record")
    text = rendered(case, "interview_record")
    assert_all(text, ("询问时间", "询问人及证号", "被询问人", "问：摊位是你的吗？", "答：是的。", "被询问人签名："))

    text = rendered(case, "investigation_report")
    assert_all(text, ("违法事实", "证据", "1. 现场检查笔录", "现场照片", "适用依据", "处罚种类和幅度", "警告、罚款",
                      "50.00元以上20000.00元以下", "调查人员意见", "建议罚款500元。", *party))

    text = rendered(case, "notice_of_intended_penalty")
    assert_all(text, ("行政处罚事先告知书", "张三：", "罚款500元", "陈述和申辩", "视为放弃上述权利",
                      "联系人：李执法、王执法"))

    text = rendered(case, "statement_record")
    assert_all(text, ("陈述申辩意见", "初次违法，请求从轻。", "复核意见", "不予采纳：情节不属轻微。",
                      "陈述申辩人签名："))

    document = document_of(Instrument.objects.get(kind__code="penalty_decision", object_id=str(case.pk)))
    text = full_text(document)
    assert_all(text, (case.decision_number, "甲镇人民政府", "行政处罚决定书", "当事人：张三", *party,
                      "违法事实：占道经营水果摊。", "处罚种类和数额：罚款500元", "十五日内", "六十日内",
                      "六个月内", "申请人民法院强制执行", "（印章）"))
    assert text.count(REMEDY) == 1 and "（公民）；身份证号" not in text
    number = next(p for p in document.paragraphs if p.text == case.decision_number)
    assert number.alignment == 2  # 文号 flush right

    text = rendered(case, "correction_order")
    assert_all(text, ("责令（限期）改正通知书", "张三：", "责令你（单位）立即改正"))

    text = rendered(case, "proof_of_service")
    assert_all(text, ("送达文书名称及文号", f"行政处罚决定书（{case.decision_number}）", "受送达人", "送达地点",
                      ADDRESS, "送达方式", "直接送达", "送达人", w.a.credential, "收件人签名", "代收人及代收理由",
                      "见证人"))

    text = rendered(case, "closing_report")
    assert_all(text, ("结案报告", "罚款已缴纳，当事人已改正。", "执行情况", "已缴纳罚款500.00元", "决定书文号",
                      case.decision_number, "处理结果", "给予行政处罚", "负责人审批意见"))


def test_hearing_review_and_discussion_records(w):
    case = investigate(w, open_case(w, complex_case=True))
    services.notice_serve(case=case, proposed_penalty="罚款6000元", proposed_fine="6000", hearing_offered=True,
                          actor=w.officer)
    services.hearing_request(case=case, actor=w.officer)
    services.hearing_hold(case=case, host=w.leader, held_on=dt.date.today(), record_text="当事人陈述：已自行整改。",
                          signed=True, actor=w.officer)
    services.review_submit(case=case, actor=w.officer)
    services.legal_review_record(case=case, result=ReviewResult.PASSED, opinion="事实清楚，程序合法。",
                                 actor=w.reviewer_user)
    services.discussion_record(case=case, held_on=dt.date.today(), participants="镇长、分管副镇长",
                               minutes="承办人汇报。\n与会人员讨论。", conclusion="同意罚款6000元。", actor=w.leader)
    text = rendered(case, "hearing_record")
    assert_all(text, ("听证时间", "听证主持人", "当事人", "张三", "案件调查人员", w.a.credential, "听证记录",
                      "当事人陈述：已自行整改。", "当事人已核对并签字确认。", "听证主持人签名："))
    text = rendered(case, "legal_review_opinion")
    assert_all(text, ("审核结论", "同意", "审核意见", "事实清楚，程序合法。", "审核人员", "赵审核", "A2020001",
                      "拟处理意见", "罚款6000元"))
    assert text.count("事实清楚，程序合法。") == 1
    text = rendered(case, "collective_discussion_record")
    assert_all(text, ("出席人员", "镇长、分管副镇长", "讨论记录", "承办人汇报。", "与会人员讨论。", "不同意见", "无",
                      "讨论决定", "同意罚款6000元。"))


def test_summary_decision_form_and_enforcement_documents(w):
    case = services.case_summary_decide(town=w.town, matter=w.matter, actor=w.officer, party_name="李四",
                                        facts="占道经营。", penalty_text="罚款200元", fine="200",
                                        officers=[w.a, w.b], party_address="和平村", place="和平村路口")
    text = rendered(case, "onspot_decision")
    assert_all(text, ("当场行政处罚决定书", case.decision_number, "李四", "和平村", "违法事实", "处罚依据",
                      "处罚内容", "罚款200元", "罚款缴纳方式和期限", "十五日内到指定银行", "救济途径",
                      "六十日内", "六个月内", "执法人员及证号", w.b.credential, "当事人签收"))
    assert text.count(REMEDY) == 1

    case = investigate(w, open_case(w))
    services.notice_serve(case=case, proposed_penalty="罚款1000元", proposed_fine="1000", actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款1000元", fine="1000",
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    due = services.payment_due_date(case)
    services.demand_serve(case=case, actor=w.officer, on_date=due + dt.timedelta(days=1))
    from clocks.models import Clock

    demand = Clock.objects.filter(object_id=case.pk, rule_code="penalty.enforce.demand").order_by("-id").first()
    services.court_apply(case=case, court="某区人民法院", actor=w.officer, on_date=demand.due_date)
    text = rendered(case, "demand_notice")
    assert_all(text, ("履行催告书", "张三：", "十个工作日内履行"))
    text = rendered(case, "enforcement_application")
    assert_all(text, ("行政强制执行申请书", "申请人：甲镇人民政府", "被申请人：", "当事人：张三", ID_NUMBER, "此致",
                      "某区人民法院", "行政处罚决定：", "附件：1. 行政处罚决定书及送达回证"))


def test_no_penalty_decision_gets_the_remedy_clause(w):
    case = investigate(w, open_case(w))
    services.notice_serve(case=case, proposed_penalty="不予处罚", actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.NO_PENALTY, penalty_text="违法行为轻微并及时改正。",
                         actor=w.leader, first_offence_waiver=True)
    text = rendered(case, "no_penalty_decision")
    assert_all(text, ("不予行政处罚决定书", "当事人：张三", "决定不予行政处罚", "六十日内", "六个月内"))


def test_instruments_are_chinese_when_the_officer_reads_english(w):
    with translation.override("en"):
        case = open_case(w)
        services.case_file(case=case, actor=w.leader)
        english = [translation.gettext(s) for s in ("日常巡查", "公民", "承办人意见")]
    text = rendered(case, "filing_approval")
    assert_all(text, ("立案审批表", "案件来源", "日常巡查", "当事人类型", "公民", "负责人审批意见", "张三", ID_NUMBER))
    for word in english:
        if word not in ("日常巡查", "公民", "承办人意见"):
            assert word not in text, word


def test_case_context_is_cheap(w, django_assert_max_num_queries):
    case = investigate(w, open_case(w))
    case = type(case).objects.select_related("matter").get(pk=case.pk)
    for code in ("filing_approval", "penalty_decision", "proof_of_service", "investigation_report"):
        with django_assert_max_num_queries(2):
            documents.case_context(code, case)
    with django_assert_max_num_queries(4):
        context = documents.case_context("inspection_record", case)
    assert context["record_officers"] and context["party_id_number"] == ID_NUMBER


def test_transfer_and_seizure_instruments(w):
    """The kinds the transfer and coercive-measure workflows added render through their own layouts too."""
    from e2e.helpers import seed_calendar_around_today

    seed_calendar_around_today()
    w.matter.coercive_measures_allowed = True
    w.matter.save()
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    measure = services.measure_decide(case=case, kind="seize", items="水果10箱\n电子秤1台", place="和平村主干道",
                                      officers=[w.a, w.b], actor=w.leader)
    text = rendered(case, "seizure_decision")
    assert_all(text, ("查封（扣押）决定书", measure.decision_number, "当事人：张三", ID_NUMBER, "和平村主干道",
                      "六十日内", "六个月内"))
    assert text.count(REMEDY) == 1
    text = rendered(case, "seizure_list")
    assert_all(text, ("物品清单", "1. 水果10箱", "2. 电子秤1台", "当事人确认", w.a.credential))
    services.measure_end(measure=measure, outcome="released", reason="经检验合格。", actor=w.leader)
    assert_all(rendered(case, "seizure_release"), ("解除查封（扣押）决定书", "当事人：张三", "经检验合格。"))

    case = investigate(w, open_case(w))
    services.notice_serve(case=case, proposed_penalty="罚款500元", proposed_fine="500", actor=w.officer)
    transfer = services.transfer_report(case=case, suspected_offence="非法经营罪", report="经营数额巨大。",
                                        actor=w.officer)
    services.transfer_decide(transfer=transfer, approve=True, opinion="同意移送", actor=w.leader)
    services.transfer_send(transfer=transfer, organ="某县公安局", materials="移送书\n调查报告", actor=w.officer)
    text = rendered(case, "crime_transfer")
    assert_all(text, ("涉嫌犯罪案件移送书", "某县公安局：", "非法经营罪", "经营数额巨大。", "（印章）"))
    assert text.count("某县公安局：") == 1  # the service's own salutation line is not repeated
    text = rendered(case, "transfer_materials")
    assert_all(text, ("移送材料清单", "接收机关", "某县公安局", "移送材料", "调查报告", "接收人"))


def test_english_request_still_yields_chinese_instruments(w, client):
    """A head reading the interface in English approves the filing and serves: the DOCX is Chinese."""
    from django.urls import reverse

    case = open_case(w)
    client.force_login(w.leader)
    client.cookies["django_language"] = "en"
    try:
        response = client.post(reverse("enforcement:case_act", args=[case.pk, "file"]), follow=True)
    finally:  # LocaleMiddleware leaves the request's language active in this thread
        translation.activate(settings.LANGUAGE_CODE)
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"
    text = rendered(case, "filing_approval")
    assert_all(text, ("立案审批表", "案件来源", "日常巡查", "案由", "当事人类型", "公民", "身份证件号码", ID_NUMBER,
                      "承办人意见", "执法人员：", "负责人审批意见", "签名"))
    with translation.override("en"):
        english = {translation.gettext(s) for s in ("日常巡查", "公民", "普通程序")} - {"日常巡查", "公民", "普通程序"}
    assert english and not any(word in text for word in english)


def test_every_shipped_enforcement_layout_renders_a_real_case_context(w):
    """Each shipped enforcement layout renders case_context() of a real, decided case with the party's data."""
    from instruments.docx_builder import BUILDERS, DOCUMENT_SPECS, TEMPLATES_DIR
    from instruments.models import InstrumentKind
    from instruments.rendering import render_docx
    from instruments.services import _context

    case = investigate(w, open_case(w))
    services.notice_serve(case=case, proposed_penalty="罚款500元", proposed_fine="500", actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    codes = set(InstrumentKind.objects.filter(category="enforcement").values_list("code", flat=True))
    shipped = {name[:-5] for name in BUILDERS} & codes
    assert len(shipped) >= 25
    for code in sorted(shipped):
        kind = InstrumentKind.objects.get(code=code)
        context = documents.case_context(code, case)
        context.update({"issuer": "甲镇人民政府", "signature": "甲镇人民政府", "recipient": "张三",
                        "paragraphs": [f"{kind.name}正文一。", "当事人：张三（公民）"]})
        data = render_docx((TEMPLATES_DIR / f"{code}.docx").read_bytes(),
                           _context(town=w.town, kind=kind, number="甲镇测〔2026〕1号", on_date=dt.date(2026, 3, 5),
                                    context=context))
        text = full_text(Document(io.BytesIO(data)))
        assert f"{kind.name}正文一。" in text, code
        assert "张三" in text, code
        if code in DOCUMENT_SPECS:  # decision-type instruments: signature and date
            assert "甲镇人民政府\n2026年3月5日" in text and "甲镇测〔2026〕1号" in text, code
