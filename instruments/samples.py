"""Sample data for previews and for checking an uploaded template renders. Fictional values only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

GENERAL = {
    "title": "关于开展春季安全生产大检查的通知",
    "recipient": "各村（社区），镇属各单位",
    "paragraphs": [
        "为切实做好春季安全生产工作，经镇政府研究，决定在全镇范围内开展安全生产大检查。现将有关事项通知如下。",
        "一、检查时间：即日起至本月底。",
        "二、检查内容：企业主体责任落实、重点场所消防安全、道路交通安全隐患。",
        "请各单位高度重视，按时报送检查情况。",
    ],
    "attachments": ["安全生产检查记录表"],
    "note": "联系人：某某，联系电话：略",
    "cc": "区应急管理局，区司法局",
    "printed_by": "党政办公室",
}

SAMPLES = {
    "notice": GENERAL,
    "post_handover": {
        "title": "岗位交接单",
        "position": "综治维稳岗",
        "sector": "平安法治",
        "from_holder": "张某",
        "to_holder": "李某",
        "supervisor": "王某",
        "reason": "岗位调整",
        "duties": ["矛盾纠纷排查调处", "信访事项登记与跟踪", "平安建设台账管理"],
        "pending_items": [
            {"title": "某村土地边界纠纷", "status": "调解中", "deadline": "3月20日"},
            {"title": "某小区噪音投诉", "status": "待回访", "deadline": ""},
        ],
        "materials": "工作台账 2 本，调解卷宗 5 份",
        "note": "在办事项已逐项当面交接。",
    },
}


OFFICERS = [{"name": "李某", "credential": "500100000001", "scope": "综合行政执法"},
            {"name": "王某", "credential": "500100000002", "scope": "综合行政执法"}]

# The fields of enforcement/documents.py::case_context, with fictional values.
ENFORCEMENT = {
    "recipient": "张某",
    "case_number": "某镇执案〔2026〕1号", "procedure": "普通程序", "source": "日常巡查",
    "party_kind": "公民", "party_is_org": False, "party_name": "张某", "party_id_label": "身份证件号码",
    "party_id_number": "500000000000000000", "party_address": "某村某组某号", "party_phone": "13900000000",
    "matter_code": "M0001", "matter_name": "对擅自占用道路从事经营活动的处罚",
    "cause": "对擅自占用道路从事经营活动的处罚",
    "area": "城市管理", "law": "城市市容和环境卫生管理条例", "article": "第三十六条",
    "basis_text": "擅自占用道路从事经营活动的，责令改正，可以并处罚款。",
    "basis_citation": "《城市市容和环境卫生管理条例》第三十六条", "penalty_kinds": "警告、罚款",
    "fine_range": "50.00元以上20000.00元以下", "place": "某村主干道", "facts": "在某村主干道占道经营水果摊。",
    "officers": OFFICERS, "officers_text": "李某（500100000001）、王某（500100000002）", "contact": "李某、王某",
    "proposed_penalty": "罚款500元", "proposed_fine": "500.00", "hearing_offered": False,
    "outcome": "给予行政处罚", "penalty_text": "罚款500元", "fine": "500.00", "decision_number": "某镇罚决〔2026〕1号",
    "served_document": "行政处罚决定书", "service_method": "直接送达", "service_place": "某村某组某号",
    "execution": "罚款500.00元尚未缴纳。", "court": "某区人民法院", "closing_summary": "罚款已缴纳，当事人已改正。",
    "payment_bank": "", "evidence": ["现场检查笔录", "现场照片"],
    "record_title": "现场检查笔录", "record_from": "2026年3月5日9时30分", "record_to": "2026年3月5日10时00分",
    "record_officers": OFFICERS, "recorder": "王某", "device": "执法记录仪 01 号", "credentials_shown": True,
    "record_lines": ["问：你是否看清了我们的执法证件？", "答：看清了。"],
    "statement_waived": False, "statement_text": "初次违法，请求从轻处罚。", "statement_review": "不予采纳。",
    "hearing_host": "赵某", "hearing_mode": "公开举行", "hearing_record_signed": True,
    "review_result": "同意", "review_opinion": "事实清楚，证据确凿，程序合法，适用依据正确。",
    "reviewer_name": "赵某", "reviewer_qualification": "A0000000",
    "participants": "镇长、分管副镇长、综合行政执法办负责人",
    "minutes_lines": ["承办人员汇报案情。", "参会人员发表意见。"],
    "dissent": "", "conclusion": "同意罚款500元。",
    "omit_prefixes": [],
}

MEDIATION = {
    "dispute_code": "TJ20260001", "dispute_kind": "邻里纠纷", "summary": "两户因宅基地边界发生争议。",
    "place": "某村", "committee": "某村人民调解委员会", "mediator": "陈某",
    "parties": [{"side": "申请人", "name": "王某", "phone": "13900000001", "address": "某村一组"},
                {"side": "被申请人", "name": "刘某", "phone": "13900000002", "address": "某村二组"}],
    "copies": 3, "terms": ["以现有界桩为界。"], "performance": "自本协议生效之日起10日内按上述协议内容履行完毕。",
    "paragraphs": ["一、双方以现有界桩为界。", "二、刘某于十日内拆除越界部分围墙。"],
    "signature": "某村人民调解委员会", "note": "案号：TJ20260001", "omit_prefixes": [],
}

PETITION = {
    "recipient": "李某", "petitioner_name": "李某", "petitioner_phone": "13900000003", "petitioner_address": "某村",
    "people": 1, "petition_code": "XF0001", "channel": "来访", "subject": "土地补偿款发放",
    "petition_class": "申诉求决", "handling_unit": "某镇农业服务中心", "opinion": "支持",
    "paragraphs": ["处理意见：支持", "经核实，补偿款已于本月补发。",
                   "如对本处理意见不服，可以自收到本意见书之日起30日内请求原办理机关的上一级机关复查。"],
    "omit_prefixes": [],
}

# enforcement kinds whose sample body reads like the service's lines
ENFORCEMENT_PARAGRAPHS = {
    "penalty_decision": ["违法事实：在某村主干道占道经营水果摊。", "处罚种类和数额：罚款500元。"],
    "notice_of_intended_penalty": ["经调查，你在某村主干道占道经营水果摊。", "本机关拟作出如下行政处罚：罚款500元。"],
}


def sample_context(kind) -> dict:
    today = timezone.localdate()
    if kind.code in SAMPLES:
        context = dict(SAMPLES[kind.code])
    elif kind.code == "mediation_agreement":
        context = {**MEDIATION, "title": kind.name, "agreed_on": today - dt.timedelta(days=1)}
    elif kind.code == "petition_opinion":
        context = {**PETITION, "title": kind.name, "received_on": today - dt.timedelta(days=20)}
    elif kind.category == "enforcement":
        context = {**ENFORCEMENT, "title": kind.name,
                   "paragraphs": ENFORCEMENT_PARAGRAPHS.get(kind.code, [f"（{kind.name}示例正文。）"])}
        for name, days in (("act_date", 10), ("filed_on", 8), ("notice_served_on", 5), ("decided_on", 2),
                           ("served_on", 1), ("hearing_on", 3), ("reviewed_on", 2), ("discussion_on", 2)):
            context[name] = today - dt.timedelta(days=days)
    else:
        context = {**GENERAL, "title": kind.name, "paragraphs": [f"（{kind.name}示例正文。）"]}
    context.setdefault("handover_date", today)
    context.setdefault("printed_date", today)
    context.setdefault("sample_date", today - dt.timedelta(days=1))
    return context
