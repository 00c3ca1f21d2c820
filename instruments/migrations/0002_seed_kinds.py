"""The kinds every town needs first: general notices, the post handover form, and the standard
enforcement instrument set (shared/reference/domain.md §5.3). Abbreviations are editable data."""

from django.db import migrations

# code, name, abbreviation, category, numbered, template file, basis
KINDS = [
    ("notice", "通知", "府发", "general", True, "notice.docx", "GB/T 9704-2012"),
    ("post_handover", "岗位交接单", "岗交", "org", True, "post_handover.docx", ""),
    ("lead_register", "案源登记表", "案源", "enforcement", True, "", "行政处罚法第五十四条"),
    ("filing_approval", "立案审批表", "立", "enforcement", True, "", "行政处罚法第五十四条第二款"),
    ("interview_record", "询问（调查）笔录", "", "enforcement", False, "", "行政处罚法第五十五条"),
    ("inspection_record", "现场检查（勘验）笔录", "", "enforcement", False, "", "行政处罚法第四十六条、第五十五条"),
    ("sampling_notice", "抽样取证通知书", "抽样", "enforcement", True, "", "行政处罚法第五十六条"),
    ("preservation_approval", "先行登记保存证据审批表", "", "enforcement", False, "", "行政处罚法第五十六条"),
    ("preservation_notice", "先行登记保存证据通知书", "登存", "enforcement", True, "", "行政处罚法第五十六条"),
    ("preservation_decision", "先行登记保存物品处理决定书", "登存决", "enforcement", True, "", "行政处罚法第五十六条"),
    ("seizure_decision", "查封（扣押）决定书", "查扣决", "enforcement", True, "", "行政强制法第十八条、第二十四条"),
    ("seizure_list", "查封（扣押）物品清单", "", "enforcement", False, "", "行政强制法第二十四条"),
    ("seizure_extension", "延长查封（扣押）期限决定书", "查扣延", "enforcement", True, "", "行政强制法第二十五条"),
    ("seizure_release", "解除查封（扣押）决定书", "解查扣", "enforcement", True, "", "行政强制法第二十七条、第二十八条"),
    ("correction_order", "责令（限期）改正通知书", "责改", "enforcement", True, "", "行政处罚法第二十八条"),
    ("investigation_report", "案件调查终结报告", "", "enforcement", False, "", "行政处罚法第五十七条"),
    ("notice_of_intended_penalty", "行政处罚事先告知书", "罚告", "enforcement", True, "", "行政处罚法第四十四条、第六十三条"),
    ("statement_record", "陈述申辩笔录", "", "enforcement", False, "", "行政处罚法第四十五条"),
    ("hearing_notice", "听证通知书", "听通", "enforcement", True, "", "行政处罚法第六十四条"),
    ("hearing_record", "听证笔录", "", "enforcement", False, "", "行政处罚法第六十四条"),
    ("hearing_report", "听证报告", "", "enforcement", False, "", "行政处罚法第六十五条"),
    ("legal_review_opinion", "法制审核意见书", "法审", "enforcement", True, "", "行政处罚法第五十八条"),
    ("collective_discussion_record", "案件集体讨论笔录", "", "enforcement", False, "", "行政处罚法第五十七条第二款"),
    ("decision_approval", "行政处罚决定审批表", "", "enforcement", False, "", "行政处罚法第五十七条"),
    ("penalty_decision", "行政处罚决定书", "罚决", "enforcement", True, "", "行政处罚法第五十七条、第五十九条"),
    ("no_penalty_decision", "不予行政处罚决定书", "不罚决", "enforcement", True, "", "行政处罚法第五十七条"),
    ("onspot_decision", "当场行政处罚决定书", "当罚", "enforcement", True, "", "行政处罚法第五十二条"),
    ("proof_of_service", "送达回证", "", "enforcement", False, "", "行政处罚法第六十一条"),
    ("eservice_consent", "送达地址确认书", "", "enforcement", False, "", "行政处罚法第六十一条；民事诉讼法第八十七条"),
    ("payment_deferral", "延期（分期）缴纳罚款决定书", "缓罚", "enforcement", True, "", "行政处罚法第六十六条"),
    ("fine_receipt", "罚没款专用票据", "", "enforcement", False, "", "行政处罚法第七十条"),
    ("confiscation_record", "罚没物品处理记录", "", "enforcement", False, "", "行政处罚法第七十四条"),
    ("demand_notice", "履行催告书", "催告", "enforcement", True, "", "行政强制法第三十五条、第五十四条"),
    ("enforcement_application", "行政强制执行申请书", "强执申", "enforcement", True, "", "行政强制法第五十三条"),
    ("transfer_letter", "案件移送函", "移送", "enforcement", True, "", "行政处罚法第二十七条、第五十七条"),
    ("closing_report", "结案审批表", "", "enforcement", False, "", ""),
    ("file_cover", "卷宗封面", "", "enforcement", False, "", "行政处罚法第四十七条"),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("instruments", "InstrumentKind")
    for order, (code, name, abbreviation, category, numbered, template, basis) in enumerate(KINDS, start=1):
        Kind.objects.update_or_create(code=code, defaults={
            "name": name, "abbreviation": abbreviation, "category": category, "numbered": numbered,
            "template_file": template, "basis": basis, "order": order,
        })


def unseed(apps, schema_editor):
    apps.get_model("instruments", "InstrumentKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
