"""Status machines: a dispute's mediation (人民调解法) and a petition (信访工作条例).

Every guard raises ``DomainError`` naming its rule code of ``clocks/statutes.yaml``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.procedure import Procedure, Transition

from .choices import AgreementKind, DisputeStatus, PetitionStatus
from .models import Dispute, Party, Petition

D = DisputeStatus
P = PetitionStatus


def save_fields(obj, ctx):
    """The services set the step's own fields on the record before firing; they are saved with the status."""
    return list(ctx.data.get("fields", ()))


def T(action, **kwargs) -> Transition:  # noqa: N802
    return Transition(action, apply=save_fields, **kwargs)

# --- guards: mediation ------------------------------------------------------------------------------


def consent_of_all(dispute, ctx):
    """mediation.guard.consent (调解法 Art. 17): every party agreed; one express refusal ends it."""
    parties = list(dispute.parties.all())
    if len(parties) < 2:
        raise DomainError(_("纠纷至少须登记两方当事人。"), rule="mediation.guard.consent", field="parties")
    if any(p.consent == Party.Consent.REFUSED for p in parties):
        raise DomainError(_("有当事人明确拒绝调解，依法不得调解。"),
                          rule="mediation.guard.consent", field="consent")
    if any(p.consent != Party.Consent.AGREED for p in parties):
        raise DomainError(_("尚有当事人未确认同意调解，不能开始调解。"), rule="mediation.guard.consent",
                          field="consent")


def some_party_refused(dispute, ctx):
    if not any(p.consent == Party.Consent.REFUSED for p in dispute.parties.all()):
        raise DomainError(_("没有当事人明确拒绝调解的记录。"), rule="mediation.guard.consent", field="consent")


def has_session(dispute, ctx):
    if not dispute.sessions.exists():
        raise DomainError(_("尚无调解记录，请先登记调解过程。"), rule="mediation.guard.archive", field="sessions")


def agreement_effective(dispute, ctx):
    """mediation.agreement.effective (调解法 Arts 28–31): every party signed, the mediator signed, the seal."""
    agreement = getattr(dispute, "agreement", None)
    if agreement is None or agreement.kind != AgreementKind.WRITTEN:
        raise DomainError(_("尚未制作书面调解协议书。"), rule="mediation.agreement.effective", field="agreement")
    unsigned = [p for p in dispute.parties.all() if p.signed_on is None]
    if unsigned:
        raise DomainError(_("还有{n}方当事人未签名、盖章或按指印，协议不生效。").format(n=len(unsigned)),
                          rule="mediation.agreement.effective", field="signed_on")
    if agreement.mediator_signed_on is None:
        raise DomainError(_("人民调解员尚未签名，协议不生效。"), rule="mediation.agreement.effective",
                          field="mediator_signed_on")
    if agreement.seal_on is None:
        raise DomainError(_("尚未加盖人民调解委员会印章，协议不生效。"), rule="mediation.agreement.effective",
                          field="seal_on")


def termination_recorded(dispute, ctx):
    """Art. 26: a termination names the route the parties were told about."""
    if not dispute.route:
        raise DomainError(_("终止调解须告知当事人可通过仲裁、行政、司法等途径维护权利，请选择告知的途径。"),
                          rule="mediation.terminate", field="route")


def archive_complete(dispute, ctx):
    """mediation.guard.archive (调解法 Art. 27): registration, work record and agreement/termination record."""
    missing = []
    if dispute.outcome == Dispute.Outcome.REFUSED:
        if not dispute.termination_record:
            missing.append(_("拒绝调解记录"))
    else:
        if not dispute.sessions.exists():
            missing.append(_("调解工作记录"))
        if dispute.outcome == Dispute.Outcome.WRITTEN:
            agreement = getattr(dispute, "agreement", None)
            if agreement is None or agreement.effective_on is None or agreement.instrument_id is None:
                missing.append(_("已生效的调解协议书"))
        elif dispute.outcome == Dispute.Outcome.ORAL:
            if getattr(dispute, "agreement", None) is None:
                missing.append(_("口头协议记录"))
        elif dispute.outcome == Dispute.Outcome.TERMINATED:
            if not dispute.termination_record:
                missing.append(_("终止调解记录"))
        else:
            missing.append(_("调解结果"))
    if missing:
        raise DomainError(_("案卷不完整，不能归档：缺少{items}。").format(
            items="、".join(str(m) for m in missing)), rule="mediation.guard.archive")


def return_visit_recorded(dispute, ctx):
    if not (ctx.data.get("visit_note") or "").strip():
        raise DomainError(_("请填写回访情况。"), field="visit_note")


DISPUTE = Procedure(model=Dispute, audit_prefix="disputes.dispute", transitions=[
    T("accept", source=[D.REGISTERED], target=D.MEDIATING, label=gettext_lazy("各方同意，开始调解"),
               permission="disputes.mediate", guards=[consent_of_all]),
    T("refuse", source=[D.REGISTERED, D.MEDIATING], target=D.REFUSED, label=gettext_lazy("当事人拒绝，不予/终止调解"),
               permission="disputes.mediate", guards=[some_party_refused], requires_reason=True, style="secondary"),
    T("agree_written", source=[D.MEDIATING], target=D.SIGNING, label=gettext_lazy("达成书面协议"),
               permission="disputes.mediate", guards=[has_session]),
    T("agree_oral", source=[D.MEDIATING], target=D.PERFORMING, label=gettext_lazy("达成口头协议"),
               permission="disputes.mediate", guards=[has_session]),
    T("make_effective", source=[D.SIGNING], target=D.PERFORMING, label=gettext_lazy("协议生效"),
               permission="disputes.mediate", guards=[agreement_effective],
               start_clocks=["mediation.judicial_confirmation"]),
    T("terminate", source=[D.MEDIATING, D.SIGNING], target=D.TERMINATED, label=gettext_lazy("调解不成，终止调解"),
               permission="disputes.mediate", guards=[termination_recorded], requires_reason=True,
               style="secondary"),
    T("return_visit", source=[D.PERFORMING], target=D.VISITED, label=gettext_lazy("登记回访"),
               permission="disputes.mediate", guards=[return_visit_recorded]),
    T("close", source=[D.VISITED, D.TERMINATED, D.REFUSED], target=D.CLOSED, label=gettext_lazy("审核归档"),
               permission="disputes.close", guards=[archive_complete], style="success"),
])


# --- guards: petitions -------------------------------------------------------------------------------


def classified(petition, ctx):
    """petition.guard.classify (信访工作条例 Arts 29–31)."""
    if not petition.petition_class:
        raise DomainError(_("请先将信访事项分为建议意见、检举控告或申诉求决类，再行处理。"),
                          rule="petition.guard.classify", field="petition_class")


def routed_to_petition(petition, ctx):
    """petition.guard.route_first: a matter of a statutory procedure is routed there, not handled as 信访."""
    if petition.route != Petition.Route.PETITION:
        raise DomainError(_("该事项应导入法定途径办理，不能按信访程序受理。"), rule="petition.guard.route_first",
                          field="route")


def routed_elsewhere(petition, ctx):
    if not petition.route or petition.route == Petition.Route.PETITION:
        raise DomainError(_("请选择导入的法定途径。"), rule="petition.guard.route_first", field="route")


def has_opinion(petition, ctx):
    if not petition.opinion or not (petition.opinion_text or "").strip():
        raise DomainError(_("处理意见须写明支持、解释说明或不支持及其依据。"), rule="petition.guard.route_first",
                          field="opinion")


ACK_CLOCKS = ("petition.ack.direct", "petition.ack.transferred")

PETITION = Procedure(model=Petition, audit_prefix="disputes.petition", transitions=[
    T("accept", source=[P.REGISTERED], target=P.ACCEPTED, label=gettext_lazy("受理并书面告知"),
               permission="disputes.petition_handle", guards=[classified, routed_to_petition],
               stop_clocks=ACK_CLOCKS),
    T("divert", source=[P.REGISTERED], target=P.DIVERTED, label=gettext_lazy("导入法定途径并书面告知"),
               permission="disputes.petition_handle", guards=[classified, routed_elsewhere],
               stop_clocks=ACK_CLOCKS, requires_reason=True),
    T("answer", source=[P.ACCEPTED], target=P.ANSWERED, label=gettext_lazy("出具信访处理意见书"),
               permission="disputes.petition_handle", guards=[has_opinion],
               stop_clocks=["petition.handle"], start_clocks=["petition.review"]),
    T("request_review", source=[P.ANSWERED], target=P.REVIEWING, label=gettext_lazy("信访人请求复查"),
               permission="disputes.petition_handle", stop_clocks=["petition.review"],
               start_clocks=["petition.review.answer"]),
    T("review_done", source=[P.REVIEWING], target=P.REVIEWED, label=gettext_lazy("登记复查意见"),
               permission="disputes.petition_handle", stop_clocks=["petition.review.answer"],
               start_clocks=["petition.recheck"], requires_reason=True),
    T("request_recheck", source=[P.REVIEWED], target=P.RECHECKING, label=gettext_lazy("信访人请求复核"),
               permission="disputes.petition_handle", stop_clocks=["petition.recheck"],
               start_clocks=["petition.recheck.answer"]),
    T("recheck_done", source=[P.RECHECKING], target=P.RECHECKED, label=gettext_lazy("登记复核意见"),
               permission="disputes.petition_handle", stop_clocks=["petition.recheck.answer"],
               requires_reason=True),
    T("close", source=[P.ANSWERED, P.REVIEWED, P.DIVERTED], target=P.CLOSED, label=gettext_lazy("办结归档"),
               permission="disputes.petition_handle", stop_clocks=["petition.review", "petition.recheck"],
               style="success"),
])
