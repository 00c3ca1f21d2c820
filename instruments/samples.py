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


def sample_context(kind) -> dict:
    today = timezone.localdate()
    context = dict(SAMPLES.get(kind.code, {
        **GENERAL,
        "title": kind.name,
        "paragraphs": [f"（{kind.name}示例正文。）"],
    }))
    context.setdefault("handover_date", today)
    context.setdefault("printed_date", today)
    context.setdefault("sample_date", today - dt.timedelta(days=1))
    return context
