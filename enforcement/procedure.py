"""The case status machine (domain.md §5.2) and its guards (statutes.md §2.3).

Ordinary: lead → filed → investigating → investigation_closed → notice_served → [hearing] → [legal_review]
→ [collective_discussion] → decided → served → [executing] → closed → archived.
Summary: lead → decided_on_spot → served → filed_with_agency → [executing] → closed → archived.

Every guard raises ``DomainError`` naming the rule code of the statute registry, so the message carries
the article. Thresholds and rates come from ``clocks.registry``, never from literals here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from clocks import registry
from core.errors import DomainError
from core.procedure import Procedure, Transition

from .models import (
    TRANSFER_PENDING,
    Case,
    CaseStatus,
    Outcome,
    PartyKind,
    PowerSource,
    ProcedureKind,
    ReviewResult,
    ServiceMethod,
    TransferStatus,
)

S = CaseStatus


def _day(ctx):
    return ctx.on_date or timezone.localdate()


def threshold(code: str) -> Decimal:
    return Decimal(str(registry.get(code).value))


def summary_max_fine(party_kind: str) -> Decimal:
    code = "penalty.summary.max_fine.org" if party_kind == PartyKind.ORG else "penalty.summary.max_fine.person"
    return threshold(code)


def hearing_threshold(case: Case) -> Decimal:
    if case.party_kind == PartyKind.ORG:
        own = case.matter.hearing_threshold_org
        return own if own is not None else threshold("penalty.hearing.threshold.org")
    own = case.matter.hearing_threshold_person
    return own if own is not None else threshold("penalty.hearing.threshold.person")


# --- guards ------------------------------------------------------------------------------------
def check_power(matter, town) -> None:
    """penalty.guard.power: a matter of this town's list, active, with its source and instrument."""
    if matter is None or matter.town_id != town.pk or not matter.active:
        raise DomainError(_("该事项不在本镇街的执法事项清单内，不能立案。"), rule="penalty.guard.power", field="matter")
    if not matter.source:
        raise DomainError(_("执法事项“{m}”没有权力来源，不能立案。").format(m=matter.name),
                          rule="penalty.guard.power", field="matter")
    if matter.source in (PowerSource.DELEGATED, PowerSource.ENTRUSTED, PowerSource.SECONDED) \
            and not matter.source_document.strip():
        raise DomainError(_("“{m}”为{s}事项，须登记赋权决定、委托书或派驻文件后方可实施。").format(
            m=matter.name, s=matter.get_source_display()), rule="penalty.guard.power", field="matter")
    if matter.source == PowerSource.ENTRUSTED and not matter.acting_body.strip():
        raise DomainError(_("委托事项“{m}”须登记委托机关名称（以委托机关名义作出决定）。").format(m=matter.name),
                          rule="penalty.guard.power", field="matter")


def guard_power(case, ctx) -> None:
    check_power(case.matter, case.town)


def check_officers(officers, on_date) -> None:
    """penalty.guard.two_officers: at least two officers whose credentials are valid on that day."""
    officers = list(officers)
    expired = [o for o in officers if not o.credential_valid(on_date)]
    if expired:
        raise DomainError(_("执法人员{names}的执法证不在有效期内或已离岗，不能从事执法活动。").format(
            names="、".join(o.name for o in expired)), rule="penalty.guard.two_officers", field="officers")
    if len(officers) < 2:
        raise DomainError(_("执法人员不得少于两人，且须持有有效执法证件。"), rule="penalty.guard.two_officers",
                          field="officers")


def guard_two_officers(case, ctx) -> None:
    officers = list(case.officers.all())
    check_officers(officers, _day(ctx))
    recused = set(case.recused.values_list("pk", flat=True))
    if any(o.pk in recused for o in officers):
        raise DomainError(_("已回避的执法人员不得参与办理本案。"), rule="penalty.guard.recusal", field="officers")


def guard_evidence(case, ctx) -> None:
    if not case.evidence.exists():
        raise DomainError(_("尚未登记任何证据或笔录，不能终结调查。"), rule="penalty.guard.full_record",
                          field="evidence")


def guard_hearing_offered(case, ctx) -> None:
    """penalty.guard.hearing_offered: a fine at or above the threshold must be notified with the hearing right."""
    fine = ctx.data.get("proposed_fine")
    offered = ctx.data.get("hearing_offered")
    if fine is not None and Decimal(fine) >= hearing_threshold(case) and not offered:
        raise DomainError(_("拟罚款{fine}元已达到听证标准（{t}元），必须告知当事人有要求听证的权利。").format(
            fine=fine, t=hearing_threshold(case)), rule="penalty.guard.hearing_offered", field="hearing_offered")


def guard_hearing_in_time(case, ctx) -> None:
    """penalty.hearing.request: within 5 working days of the notice (the clock's due date)."""
    from django.contrib.contenttypes.models import ContentType

    from clocks.models import Clock

    if not case.hearing_offered:
        raise DomainError(_("本案未告知听证权利，不适用听证程序。"), rule="penalty.guard.hearing_offered")
    clock = (Clock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
                                  rule_code="penalty.hearing.request").order_by("-id").first())
    if clock is not None and clock.due_date and _day(ctx) > clock.due_date:
        raise DomainError(_("听证申请期限已于{d}届满，当事人视为放弃听证。").format(d=clock.due_date),
                          rule="penalty.hearing.request", field="on_date")


def guard_hearing_record(case, ctx) -> None:
    if case.hearing_requested_on and not (case.hearing_on and case.hearing_record.strip()
                                          and case.hearing_record_signed):
        raise DomainError(_("经听证的案件须有当事人签字确认的听证笔录后方可继续。"),
                          rule="penalty.guard.hearing_record", field="hearing_record")


def guard_notice_first(case, ctx) -> None:
    if not case.notice_served_on and not case.statement_waived:
        raise DomainError(_("尚未送达行政处罚事先告知书，且当事人未明确放弃陈述申辩，不得作出处罚决定。"),
                          rule="penalty.guard.notice_first")


def guard_legal_review(case, ctx) -> None:
    if not case.legal_review_mandatory:
        return
    latest = case.reviews.order_by("-reviewed_on", "-id").first()
    if latest is None or latest.result != ReviewResult.PASSED:
        raise DomainError(_("本案属于须经法制审核的情形，未经法制审核或审核未通过，不得作出决定。"),
                          rule="penalty.guard.legal_review")


def guard_collective(case, ctx) -> None:
    if case.collective_mandatory and not case.discussions.exists():
        raise DomainError(_("情节复杂或重大违法行为给予行政处罚，须经负责人集体讨论决定。"),
                          rule="penalty.guard.collective")


def guard_decision(case, ctx) -> None:
    """Art. 45 para 2 (no heavier), Art. 59 (contents), Art. 28 (correction order)."""
    data = ctx.data
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise DomainError(_("请选择处理结果。"), field="outcome")
    if outcome == Outcome.PENALTY:
        fine = data.get("fine")
        if not (data.get("penalty_text") or "").strip():
            raise DomainError(_("处罚决定书应载明处罚种类。"), rule="penalty.guard.contents", field="penalty_text")
        if fine is not None:
            fine = Decimal(fine)
            if fine < 0:
                raise DomainError(_("罚款数额不能为负数。"), field="fine")
            matter = case.matter
            if matter.fine_max is not None and fine > matter.fine_max:
                raise DomainError(_("罚款{f}元超过该事项的法定上限{m}元。").format(f=fine, m=matter.fine_max),
                                  rule="penalty.guard.power", field="fine")
            if case.proposed_fine is not None and case.notice_served_on and fine > case.proposed_fine:
                raise DomainError(_("罚款{f}元重于事先告知的{p}元；加重处罚须重新告知。").format(
                    f=fine, p=case.proposed_fine), rule="penalty.guard.no_heavier", field="fine")
        if not data.get("correction_ordered"):
            raise DomainError(_("实施行政处罚时，应当责令当事人改正或者限期改正违法行为。"),
                              rule="penalty.guard.correction_order", field="correction_ordered")
    missing = []
    if not case.party_name.strip():
        missing.append(_("当事人姓名或名称"))
    if not case.party_address.strip():
        missing.append(_("当事人地址"))
    if not case.facts.strip():
        missing.append(_("违法事实"))
    if outcome != Outcome.TRANSFER and not case.evidence.exists():
        missing.append(_("证据"))
    if missing:
        raise DomainError(_("决定书缺少应当载明的事项：{items}。").format(items="、".join(str(m) for m in missing)),
                          rule="penalty.guard.contents")


def guard_transfer(case, ctx) -> None:
    """penalty.guard.transfer_pending (移送规定 Art. 11): no administrative decision while a transfer to the
    judicial organs is pending; once the public-security organ has filed the case, no fine instead of the
    criminal proceedings (a warning, an order to stop production or a licence penalty may still be imposed)."""
    statuses = set(case.transfers.values_list("status", flat=True))
    if statuses & set(TRANSFER_PENDING):
        raise DomainError(_("本案已报告或移送公安机关，在公安机关作出是否立案的决定前，不得作出行政处罚决定。"),
                          rule="penalty.guard.transfer_pending")
    fine = ctx.data.get("fine")
    if TransferStatus.ACCEPTED in statuses and ctx.data.get("outcome") == Outcome.PENALTY and fine \
            and Decimal(fine) > 0:
        raise DomainError(_("公安机关已对本案立案，不得以罚款代替移送；"
                            "警告、责令停产停业、暂扣或者吊销许可证照仍可依法作出。"),
                          rule="penalty.guard.transfer_pending", field="fine")


def guard_transfer_accepted(case, ctx) -> None:
    if not case.transfers.filter(status=TransferStatus.ACCEPTED).exists():
        raise DomainError(_("公安机关尚未对移送的案件立案，不能以移送结案。"), rule="penalty.guard.crime_transfer")


def guard_summary(case, ctx) -> None:
    """penalty.guard.summary with the thresholds penalty.summary.max_fine.person/org (Art. 51)."""
    if not case.matter.summary_allowed:
        raise DomainError(_("事项“{m}”不适用简易程序。").format(m=case.matter.name), rule="penalty.guard.summary",
                          field="matter")
    fine = ctx.data.get("fine")
    if fine is not None and Decimal(fine) > 0:
        code = "penalty.summary.max_fine.org" if case.party_kind == PartyKind.ORG else "penalty.summary.max_fine.person"
        limit = threshold(code)
        if Decimal(fine) > limit:
            raise DomainError(_("当场处罚的罚款不得超过{limit}元（{who}），本案应适用普通程序。").format(
                limit=limit, who=case.get_party_kind_display()), rule=code, field="fine")
    if not (ctx.data.get("penalty_text") or "").strip():
        raise DomainError(_("请填写处罚内容（警告或罚款）。"), rule="penalty.guard.summary", field="penalty_text")
    check_officers(ctx.data.get("officers") or case.officers.all(), _day(ctx))


def guard_eservice(case, ctx) -> None:
    method = ctx.data.get("method")
    if method not in ServiceMethod.values:
        raise DomainError(_("请选择送达方式。"), field="method")
    if method == ServiceMethod.ELECTRONIC and not (ctx.data.get("eservice_consent") or case.eservice_consent):
        raise DomainError(_("当事人未签署电子送达确认书，不得采用电子方式送达。"), rule="penalty.guard.e_service",
                          field="method")


def guard_close(case, ctx) -> None:
    """penalty.guard.full_record: the record of every step exists before closing."""
    missing = []
    if case.procedure == ProcedureKind.ORDINARY:
        if not case.filed_on:
            missing.append(_("立案"))
        if not case.evidence.exists():
            missing.append(_("调查取证"))
    if not case.decided_on:
        missing.append(_("决定"))
    if not case.served_on:
        missing.append(_("送达"))
    if case.outcome == Outcome.PENALTY and case.fine and not case.paid_on and not case.court_applied_on \
            and not case.revoked_on:
        missing.append(_("执行（罚款缴纳或申请法院强制执行）"))
    if missing:
        raise DomainError(_("执法全过程记录不完整，缺少：{items}。").format(items="、".join(str(m) for m in missing)),
                          rule="penalty.guard.full_record")


# --- the machine ---------------------------------------------------------------------------------
def apply_set(obj, ctx) -> list[str]:
    """Field values the service passes in ``data["set"]`` change in the same audited, version-checked update."""
    values = ctx.data.get("set") or {}
    for name, value in values.items():
        setattr(obj, name, value)
    return list(values)


HANDLE, APPROVE = "enforcement.case_handle", "enforcement.case_approve"
BEFORE_DECISION = [S.FILED, S.INVESTIGATING, S.INVESTIGATION_CLOSED, S.NOTICE_SERVED, S.HEARING, S.LEGAL_REVIEW,
                   S.COLLECTIVE_DISCUSSION]
DECIDE_FROM = [S.INVESTIGATION_CLOSED, S.NOTICE_SERVED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE_DISCUSSION]

_TRANSITIONS = [
        Transition("file", source=[S.LEAD], target=S.FILED, label=_l("批准立案"), permission=APPROVE,
                   guards=[guard_power], style="success"),
        Transition("drop", source=[S.LEAD], target=S.DROPPED, label=_l("不予立案"), permission=APPROVE,
                   requires_reason=True, style="secondary"),
        Transition("investigate", source=[S.FILED], target=S.INVESTIGATING, label=_l("开始调查"), permission=HANDLE,
                   guards=[guard_two_officers]),
        Transition("close_investigation", source=[S.INVESTIGATING], target=S.INVESTIGATION_CLOSED,
                   label=_l("调查终结"), permission=HANDLE, guards=[guard_two_officers, guard_evidence]),
        Transition("serve_notice", source=[S.INVESTIGATION_CLOSED, S.NOTICE_SERVED], target=S.NOTICE_SERVED,
                   label=_l("送达事先告知书"), permission=HANDLE, guards=[guard_hearing_offered],
                   stop_clocks=["penalty.preservation.decide"]),
        Transition("request_hearing", source=[S.NOTICE_SERVED], target=S.HEARING, label=_l("当事人申请听证"),
                   permission=HANDLE, guards=[guard_hearing_in_time], stop_clocks=["penalty.hearing.request"]),
        Transition("submit_review", source=[S.NOTICE_SERVED, S.HEARING], target=S.LEGAL_REVIEW,
                   label=_l("提交法制审核"), permission=HANDLE, guards=[guard_hearing_record]),
        Transition("discuss", source=[S.NOTICE_SERVED, S.HEARING, S.LEGAL_REVIEW], target=S.COLLECTIVE_DISCUSSION,
                   label=_l("集体讨论"), permission="enforcement.collective", guards=[guard_hearing_record]),
        Transition("decide", source=DECIDE_FROM, target=S.DECIDED, label=_l("作出决定"), permission=APPROVE,
                   guards=[guard_power, guard_transfer, guard_notice_first, guard_hearing_record,
                           guard_legal_review, guard_collective, guard_decision],
                   stop_clocks=["penalty.decision", "penalty.hearing.request", "penalty.statement.window"],
                   style="success"),
        Transition("decide_on_spot", source=[S.LEAD], target=S.DECIDED_ON_SPOT, label=_l("当场处罚"),
                   permission=HANDLE, guards=[guard_power, guard_summary], start_clocks=["penalty.summary.file"],
                   style="success"),
        Transition("serve", source=[S.DECIDED, S.DECIDED_ON_SPOT], target=S.SERVED, label=_l("送达决定书"),
                   permission=HANDLE, guards=[guard_eservice], stop_clocks=["penalty.serve"]),
        Transition("file_with_agency", source=[S.SERVED], target=S.FILED_WITH_AGENCY, label=_l("报机关备案"),
                   permission=HANDLE, stop_clocks=["penalty.summary.file"]),
        Transition("execute", source=[S.SERVED, S.FILED_WITH_AGENCY], target=S.EXECUTING, label=_l("进入执行"),
                   permission=HANDLE),
        Transition("close", source=[S.SERVED, S.FILED_WITH_AGENCY, S.EXECUTING], target=S.CLOSED,
                   label=_l("结案"), permission=APPROVE, guards=[guard_close],
                   stop_clocks=["penalty.fine.payment"], style="dark"),
        Transition("close_transferred", source=BEFORE_DECISION, target=S.CLOSED, label=_l("移送结案"),
                   permission=APPROVE, guards=[guard_transfer_accepted],
                   stop_clocks=["penalty.statement.window", "penalty.hearing.request"], style="dark"),
        Transition("archive", source=[S.CLOSED], target=S.ARCHIVED, label=_l("归档"), permission=APPROVE,
                   style="dark"),
]
CASE = Procedure(model=Case, audit_prefix="enforcement.case",
                 transitions=[replace(t, apply=apply_set) for t in _TRANSITIONS])

# Transitions that need their own form (data) rather than a plain button.
FORM_ACTIONS = {"close_transferred", "serve_notice", "request_hearing", "decide", "decide_on_spot", "serve", "close",
                "drop"}
