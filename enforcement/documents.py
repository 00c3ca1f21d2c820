"""Structured context for the enforcement instruments' dedicated DOCX templates.

``case_context(kind_code, case)`` returns the fields a dedicated template of ``kind_code`` uses (party, matter,
legal basis, officers and their credential numbers, dates …), merged by ``services._render`` under the step's
own ``paragraphs``. It is evaluated in the official language (see ``core.i18n``).

An instrument is the official document, so the party's ID number, phone and address are given in clear here
(decrypted); lists and public pages keep masking them.

``omit_prefixes`` lists the openings of the lines a service writes that the kind's dedicated layout already shows
in its own fields; the layout prints ``paragraphs|omit(omit_prefixes)`` as its body, so everything else a
step says still appears. A town's own template may ignore both and print ``paragraphs`` as before.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EvidenceKind, Outcome, PartyKind

PARTY = "当事人："
REMEDY = "如不服本决定"

# kind code → openings of the service lines the dedicated layout shows in its own fields
OMIT_PREFIXES = {
    "filing_approval": ["案件编号：", "执法事项：", PARTY, "案情摘要：", "立案依据：", "承办人员："],
    "investigation_report": ["案件编号：", PARTY, "违法事实：", "证据：", "适用依据："],
    "inspection_record": ["案件编号：", "执法人员：", "记录内容："],
    "interview_record": ["案件编号：", "执法人员：", "记录内容："],
    "statement_record": ["案件编号：", "陈述申辩意见：", "复核意见：", "当事人明确放弃"],
    "hearing_record": ["听证主持人：", "听证日期：", "当事人签字确认："],
    "collective_discussion_record": ["讨论日期：", "参加人员：", "讨论记录：", "不同意见：", "讨论决定："],
    "legal_review_opinion": ["案件编号：", "执法事项：", "拟处罚内容：", "审核结论：", "审核意见：", "审核人员："],
    "closing_report": ["案件编号：", "处理结果：", "决定书文号：", "执行情况：", "结案报告："],
    "proof_of_service": ["受送达人：", "送达文书：", "送达方式：", "送达日期："],
    "onspot_decision": [PARTY, "违法事实：", "处罚依据：", "处罚内容：", "执法人员：", REMEDY],
    "penalty_decision": [PARTY, REMEDY],
    "no_penalty_decision": [PARTY, REMEDY],
    "enforcement_application": [PARTY],
    "sampling_notice": [PARTY],
    "preservation_notice": [PARTY],
    "preservation_decision": [PARTY],
    "seizure_decision": [PARTY, REMEDY],
    "seizure_extension": [PARTY, REMEDY],
    "seizure_release": [PARTY],
    "seizure_disposal": [PARTY, REMEDY],
}

# kinds whose layout reads the latest field record of that kind
RECORD_KINDS = {EvidenceKind.INSPECTION_RECORD.value, EvidenceKind.INTERVIEW_RECORD.value}


def _person(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or str(user)


def _moment(value) -> str:
    """"2026年3月5日9时30分" for a datetime (local time), "" for none."""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}".replace(",", "")


def _officers(officers) -> list[dict]:
    return [{"name": o.name, "credential": o.credential, "scope": o.credential_scope} for o in officers]


def _execution(case) -> str:
    if case.paid_on:
        text = _("{d}已缴纳罚款{a}元").format(d=f"{case.paid_on.year}年{case.paid_on.month}月{case.paid_on.day}日",
                                        a=_money(case.paid_amount))
        if case.late_fine:
            text += _("（含加处罚款{l}元）").format(l=_money(case.late_fine))
        return text + "。"
    if case.court_applied_on:
        return _("已申请{c}强制执行。").format(c=case.court or _("人民法院"))
    if case.fine:
        return _("罚款{f}元尚未缴纳。").format(f=_money(case.fine))
    return _("无罚款。")


def case_context(kind_code: str, case) -> dict:
    """The fields of ``case`` the dedicated layouts use; a few queries (officers, and the record the kind is
    about), whatever the kind."""
    matter = case.matter
    officers = list(case.officers.all())
    is_org = case.party_kind == PartyKind.ORG
    fine_range = ""
    if matter.fine_min is not None and matter.fine_max is not None:
        fine_range = _("{a}元以上{b}元以下").format(a=_money(matter.fine_min), b=_money(matter.fine_max))
    decision_kind = {Outcome.PENALTY: _("行政处罚决定书"), Outcome.NO_PENALTY: _("不予行政处罚决定书"),
                     Outcome.TRANSFER: _("案件移送函")}.get(case.outcome, _("行政处罚决定书"))
    if case.procedure == "summary":
        decision_kind = _("当场行政处罚决定书")
    context = {
        "case_number": case.number,
        "procedure": case.get_procedure_display(),
        "source": case.get_source_display(),
        "party_kind": case.get_party_kind_display(),
        "party_is_org": is_org,
        "party_name": case.party_name,
        "party_id_label": _("统一社会信用代码") if is_org else _("身份证件号码"),
        "party_id_number": case.party_id_number or "",
        "party_address": case.party_address or "",
        "party_phone": case.party_phone or "",
        "matter_code": matter.code,
        "matter_name": matter.name,
        "cause": matter.name,
        "area": matter.area,
        "law": matter.law,
        "article": matter.article,
        "basis_text": matter.basis_text,
        "basis_citation": matter.basis_citation,
        "penalty_kinds": matter.penalty_kinds,
        "fine_range": fine_range,
        "place": case.place,
        "act_date": case.act_date,
        "filed_on": case.filed_on,
        "facts": case.facts,
        "officers": _officers(officers),
        "officers_text": "、".join(f"{o.name}（{o.credential}）" for o in officers),
        "contact": "、".join(o.name for o in officers),
        "proposed_penalty": case.proposed_penalty,
        "proposed_fine": _money(case.proposed_fine),
        "notice_served_on": case.notice_served_on,
        "hearing_offered": case.hearing_offered,
        "outcome": case.get_outcome_display() if case.outcome else "",
        "penalty_text": case.penalty_text,
        "fine": _money(case.fine),
        "decision_number": case.decision_number,
        "decided_on": case.decided_on,
        "served_document": decision_kind,
        "served_on": case.served_on,
        "service_method": case.get_service_method_display() if case.service_method else "",
        "service_place": case.party_address or case.place,
        "execution": _execution(case),
        "court": case.court,
        "closing_summary": case.closing_summary,
        "payment_bank": "",
        "omit_prefixes": list(OMIT_PREFIXES.get(kind_code, [])),
    }
    if kind_code in RECORD_KINDS:
        context.update(_record_context(kind_code, case))
    elif kind_code == "investigation_report":
        context["evidence"] = list(case.evidence.values_list("title", flat=True))
    elif kind_code == "statement_record":
        context.update({"statement_waived": case.statement_waived, "statement_text": case.statement_text,
                        "statement_review": case.statement_review})
    elif kind_code == "hearing_record":
        context.update({"hearing_on": case.hearing_on,
                        "hearing_host": _person(case.hearing_host) if case.hearing_host_id else "",
                        "hearing_mode": _("公开举行"), "hearing_record_signed": case.hearing_record_signed,
                        "recorder": ""})
    elif kind_code == "legal_review_opinion":
        context.update(_review_context(case))
    elif kind_code == "collective_discussion_record":
        context.update(_discussion_context(case))
    # dates the layouts print even when unset: "" and an empty *_cn rather than a missing variable
    for name, value in list(context.items()):
        if value is None and name not in ("payment_bank",):
            context[name] = ""
            if name in DATE_FIELDS:
                context[f"{name}_cn"] = ""
    return context


DATE_FIELDS = {"act_date", "filed_on", "notice_served_on", "decided_on", "served_on", "hearing_on"}


def _record_context(kind_code: str, case) -> dict:
    """现场检查/询问笔录: the latest field record of that kind (the one the service has just saved)."""
    evidence = (case.evidence.filter(kind=kind_code).select_related("created_by").prefetch_related("officers")
                .order_by("-id").first())
    if evidence is None:
        return {"record_title": "", "record_from": "", "record_to": "", "record_officers": [], "recorder": "",
                "device": "", "credentials_shown": False, "record_lines": []}
    return {
        "record_title": evidence.title,
        "record_from": _moment(evidence.recorded_from),
        "record_to": _moment(evidence.recorded_to),
        "record_officers": _officers(evidence.officers.all()),
        "recorder": _person(evidence.created_by),
        "device": evidence.device,
        "credentials_shown": evidence.credentials_shown,
        "record_lines": _lines(evidence.description) or [evidence.title],
    }


def _review_context(case) -> dict:
    from .models import Reviewer

    review = case.reviews.select_related("reviewer").order_by("-reviewed_on", "-id").first()
    if review is None:
        return {"review_result": "", "review_opinion": "", "reviewed_on": "", "reviewed_on_cn": "",
                "reviewer_name": "", "reviewer_qualification": ""}
    reviewer = Reviewer.objects.filter(town_id=case.town_id, user_id=review.reviewer_id).first()
    return {
        "review_result": review.get_result_display(),
        "review_opinion": review.opinion,
        "reviewed_on": review.reviewed_on,
        "reviewer_name": reviewer.name if reviewer else _person(review.reviewer),
        "reviewer_qualification": reviewer.qualification_number if reviewer else "",
    }


def _discussion_context(case) -> dict:
    discussion = case.discussions.select_related("created_by").order_by("-held_on", "-id").first()
    if discussion is None:
        return {"discussion_on": "", "discussion_on_cn": "", "participants": "", "minutes_lines": [],
                "dissent": "", "conclusion": "", "recorder": ""}
    return {
        "discussion_on": discussion.held_on,
        "participants": discussion.participants,
        "minutes_lines": _lines(discussion.minutes),
        "dissent": discussion.dissent,
        "conclusion": discussion.conclusion,
        "recorder": _person(discussion.created_by),
    }
