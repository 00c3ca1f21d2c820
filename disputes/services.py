"""The one write path of the disputes module: screening, leads, disputes and their mediation, petitions.

Every function is keyword-only, atomic, and writes its audit entry inside the transaction; deadlines run on
the shared clocks by rule code (mediation.*, petition.*).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from clocks import services as clock_services
from core.crypto import blind_index
from core.errors import DomainError
from core.i18n import in_official_language, official_language

from . import documents
from .choices import AgreementKind, DisputeStatus, LeadStatus, PetitionStatus, RoundStatus
from .models import (
    Agreement,
    Dispute,
    DisputeKind,
    DisputeSettings,
    Lead,
    MediationCommittee,
    Mediator,
    Party,
    Petition,
    Risk,
    ScreeningRound,
    Session,
)
from .procedure import DISPUTE, PETITION

RECURRENCE_DAYS = 180  # early warning: the same party or place again within this period (configurable default)
RED_AMOUNT = Decimal("100000")
YELLOW_AMOUNT = Decimal("20000")
RED_PEOPLE = 10
YELLOW_PEOPLE = 5
OPEN_DISPUTE = (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING, DisputeStatus.SIGNING)
SENSITIVE_KINDS = {DisputeKind.LAND, DisputeKind.LABOUR, DisputeKind.PROPERTY}


def _today(on_date=None) -> dt.date:
    return on_date or timezone.localdate()


def _text(value, label, *, required=True, max_length=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("请填写{label}。").format(label=label), field=str(label))
    if max_length and len(value) > max_length:
        raise DomainError(_("{label}不能超过{n}个字。").format(label=label, n=max_length))
    return value


def _amount(value):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("涉及金额须为数字。"), field="amount") from None
    if amount < 0 or amount >= Decimal("10000000000"):
        raise DomainError(_("涉及金额不正确。"), field="amount")
    return amount


def _same_town(town, *objs):
    for obj in objs:
        if obj is not None and obj.town_id != town.pk:
            raise DomainError(_("所选{name}不属于本镇街。").format(name=obj._meta.verbose_name))


def town_settings(town) -> DisputeSettings:
    """The town's thresholds; an unsaved row with the defaults when the town has set none."""
    return DisputeSettings.objects.filter(town=town).first() or DisputeSettings(
        town=town, recurrence_days=RECURRENCE_DAYS, yellow_amount=YELLOW_AMOUNT, red_amount=RED_AMOUNT,
        yellow_people=YELLOW_PEOPLE, red_people=RED_PEOPLE)


def grade_risk(*, kind, parties_count, amount, violence_threat, settings=None) -> str:
    """Red / yellow / green from the type, the number of people, the amount and any threat of violence,
    against the town's thresholds (``settings``) or the defaults."""
    amount = amount or Decimal(0)
    red_amount, yellow_amount = (settings.red_amount, settings.yellow_amount) if settings else (RED_AMOUNT,
                                                                                                YELLOW_AMOUNT)
    red_people, yellow_people = (settings.red_people, settings.yellow_people) if settings else (RED_PEOPLE,
                                                                                                YELLOW_PEOPLE)
    if violence_threat or amount >= red_amount or (parties_count or 0) >= red_people:
        return Risk.RED
    if amount >= yellow_amount or (parties_count or 0) >= yellow_people or kind in SENSITIVE_KINDS:
        return Risk.YELLOW
    return Risk.GREEN


@transaction.atomic
def settings_save(*, town, actor, recurrence_days, yellow_amount, red_amount, yellow_people,
                  red_people) -> DisputeSettings:
    """Set the town's early-warning period and risk thresholds (yellow below red, both positive)."""
    try:
        days, y_people, r_people = int(recurrence_days), int(yellow_people), int(red_people)
    except (TypeError, ValueError):
        raise DomainError(_("预警期和人数须为整数。")) from None
    if not 1 <= days <= 3650:
        raise DomainError(_("重复发生预警期须在1至3650天之间。"), field="recurrence_days")
    y_amount, r_amount = _amount(yellow_amount), _amount(red_amount)
    if not y_amount or not r_amount:
        raise DomainError(_("请填写大于零的风险金额。"), field="yellow_amount")
    if y_amount >= r_amount:
        raise DomainError(_("黄色风险金额须低于红色风险金额。"), field="red_amount")
    if not 1 <= y_people < r_people <= 10000:
        raise DomainError(_("黄色风险涉及人数须至少为1人且少于红色风险涉及人数。"), field="red_people")
    current = DisputeSettings.objects.select_for_update().filter(town=town).first()
    fields = ["recurrence_days", "yellow_amount", "red_amount", "yellow_people", "red_people"]
    before = snapshot(current, fields) if current else snapshot(town_settings(town), fields)
    obj = current or DisputeSettings(town=town)
    obj.recurrence_days, obj.yellow_amount, obj.red_amount = days, y_amount, r_amount
    obj.yellow_people, obj.red_people = y_people, r_people
    obj.save()
    record(action="disputes.settings_save", obj=obj, actor=actor, before=before, after=snapshot(obj, fields))
    return obj


def _new_code(model, town, prefix: str, on: dt.date) -> str:
    stem = f"{prefix}{on:%Y}"
    last = (model.objects.filter(town=town, code__startswith=stem).order_by("-code")
            .values_list("code", flat=True).first())
    serial = int(last[len(stem):]) + 1 if last and last[len(stem):].isdigit() else 1
    return f"{stem}{serial:04d}"


# --- committees and mediators -------------------------------------------------------------------------

@transaction.atomic
def committee_save(*, town, actor, name, level, members, women_members, term_start, term_end, village=None,
                   committee=None, active=True) -> MediationCommittee:
    """mediation.guard.committee (调解法 Arts 8–9): 3–9 members, at least one woman, a three-year term.

    With ``committee`` this edits it; a committee with disputes still in mediation cannot be deactivated."""
    name = _text(name, _("名称"), max_length=80)
    _same_town(town, village, committee)
    if term_start is None or term_end is None:
        raise DomainError(_("请填写任期起止日期。"), field="term_end")
    if committee is not None and committee.active and not active:
        codes = list(Dispute.objects.filter(town=town, committee=committee, status__in=OPEN_DISPUTE)
                     .order_by("code").values_list("code", flat=True)[:5])
        if codes:
            raise DomainError(_("该调解委员会仍有调解中的纠纷（{codes}），不能停用。").format(codes="、".join(codes)),
                              field="active")
    if level not in ("village", "town"):
        raise DomainError(_("请选择调解委员会层级。"), field="level")
    if level == "village" and village is None:
        raise DomainError(_("村(社区)调解委员会须选择所在村(社区)。"), field="village")
    if not 3 <= int(members) <= 9:
        raise DomainError(_("人民调解委员会由委员三至九人组成。"), rule="mediation.guard.committee", field="members")
    if int(women_members) < 1 or int(women_members) > int(members):
        raise DomainError(_("人民调解委员会应当有妇女成员。"), rule="mediation.guard.committee",
                          field="women_members")
    if term_end <= term_start or term_end > term_start.replace(year=term_start.year + 3):
        raise DomainError(_("人民调解委员会委员每届任期三年，任期止不能晚于任期起后三年。"),
                          rule="mediation.guard.committee", field="term_end")
    if MediationCommittee.objects.filter(town=town, name=name).exclude(pk=getattr(committee, "pk", None)).exists():
        raise DomainError(_("已有同名的调解委员会。"), field="name")
    before = snapshot(committee) if committee else None
    committee = committee or MediationCommittee(town=town)
    committee.name, committee.level, committee.village = name, level, village if level == "village" else None
    committee.members, committee.women_members = int(members), int(women_members)
    committee.term_start, committee.term_end = term_start, term_end
    committee.active = bool(active)
    committee.save()
    record(action="disputes.committee_save", obj=committee, actor=actor, before=before, after=snapshot(committee))
    return committee


@transaction.atomic
def mediator_save(*, town, actor, committee, name, qualification="", certificate_no="", phone="", trained_on=None,
                  user=None, mediator=None) -> Mediator:
    if committee is None:
        raise DomainError(_("请选择调解委员会。"), field="committee")
    _same_town(town, committee, mediator)
    if not committee.active and (mediator is None or mediator.committee_id != committee.pk):
        raise DomainError(_("该调解委员会已停用，不能登记调解员。"), field="committee")
    if user is not None and user.town_id != town.pk:
        raise DomainError(_("所选账号不属于本镇街。"), field="user")
    mediator = mediator or Mediator(town=town)
    before = snapshot(mediator, ["committee_id", "name", "qualification", "certificate_no", "active"]) \
        if mediator.pk else None
    mediator.committee = committee
    mediator.name = _text(name, _("姓名"), max_length=32)
    mediator.qualification = _text(qualification, _("资质"), required=False, max_length=120)
    mediator.certificate_no = _text(certificate_no, _("证号"), required=False, max_length=40)
    mediator.phone = (phone or "").strip()
    mediator.trained_on = trained_on
    mediator.user = user
    mediator.save()
    record(action="disputes.mediator_save", obj=mediator, actor=actor, before=before,
           after=snapshot(mediator, ["committee_id", "name", "qualification", "certificate_no", "active"]))
    return mediator


@transaction.atomic
def mediator_set_active(*, mediator, actor, active, reason="") -> Mediator:
    """Deactivate (离任) or reinstate a mediator. A mediator still assigned to a dispute in mediation cannot
    leave until those disputes are reassigned or concluded; reinstating needs an active committee."""
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    active = bool(active)
    if mediator.active == active:
        raise DomainError(_("该调解员已在任。") if active else _("该调解员已离任。"), field="active")
    if active and not mediator.committee.active:
        raise DomainError(_("该调解委员会已停用，不能恢复调解员。"), field="committee")
    reason = _text(reason, _("原因"), required=not active, max_length=200)
    if not active:
        codes = list(Dispute.objects.filter(town_id=mediator.town_id, mediator=mediator, status__in=OPEN_DISPUTE)
                     .order_by("code").values_list("code", flat=True)[:5])
        if codes:
            raise DomainError(_("该调解员仍承办调解中的纠纷（{codes}），请先改派或办结。").format(
                codes="、".join(codes)), field="active")
    mediator.active = active
    mediator.save(update_fields=["active"])
    record(action="disputes.mediator_set_active", obj=mediator, actor=actor, before={"active": not active},
           after={"active": active}, reason=reason)
    return mediator


# --- screening and leads ------------------------------------------------------------------------------

@transaction.atomic
def screening_plan(*, town, month: dt.date, actor) -> list[ScreeningRound]:
    """Plan the month's full screening (每月全面排查): one round per active village; existing rounds kept."""
    from org.models import Village

    month = month.replace(day=1)
    created = []
    for village in Village.objects.filter(town=town, active=True).order_by("code"):
        round_, new = ScreeningRound.objects.get_or_create(town=town, month=month, village=village, grid=None)
        if new:
            created.append(round_)
    if not created:
        return created
    record(action="disputes.screening_plan", town=town, actor=actor, object_type="disputes.screeninground",
           object_repr=_("{month}月排查计划").format(month=month.strftime("%Y-%m")),
           after={"month": month.isoformat(), "rounds": [r.pk for r in created]})
    return created


@transaction.atomic
def screening_complete(*, round_, actor, households, note, findings=(), on_date=None) -> ScreeningRound:
    """Record a completed round; each finding ({kind, summary, place, parties_count, amount, violence_threat})
    becomes a lead with source ``screening``."""
    if round_.status != RoundStatus.PLANNED:
        raise DomainError(_("该轮排查已完成。"), field="status")
    try:
        households = int(households)
    except (TypeError, ValueError):
        raise DomainError(_("走访户数须为整数。"), field="households") from None
    if households < 0:
        raise DomainError(_("走访户数须为整数。"), field="households")
    on = _today(on_date)
    before = snapshot(round_, ["status", "households", "note"])
    round_.status, round_.done_on, round_.done_by = RoundStatus.DONE, on, actor
    round_.households, round_.note = households, _text(note, _("排查情况"))
    round_.save()
    for finding in findings:
        lead_create(town=round_.town, actor=actor, source=Lead.Source.SCREENING, screening=round_,
                    village=round_.village, grid=round_.grid, on_date=on, **finding)
    record(action="disputes.screening_complete", obj=round_, actor=actor, before=before,
           after=snapshot(round_, ["status", "households", "note"]) | {"leads": len(findings)})
    return round_


@transaction.atomic
def lead_create(*, town, actor, source, summary, kind=DisputeKind.OTHER, place="", village=None, grid=None,
                parties_count=2, amount=None, violence_threat=False, event=None, screening=None, petition=None,
                on_date=None) -> Lead:
    if source not in Lead.Source.values:
        raise DomainError(_("请选择线索来源。"), field="source")
    if kind not in DisputeKind.values:
        raise DomainError(_("请选择纠纷类型。"), field="kind")
    if source == Lead.Source.EVENT and event is None:
        raise DomainError(_("来源为网格事件的线索须关联事件。"), field="event")
    _same_town(town, village, grid, screening, petition, event)
    if grid is not None:
        village = grid.village
    try:
        parties_count = int(parties_count)
    except (TypeError, ValueError):
        raise DomainError(_("涉及人数须为整数。"), field="parties_count") from None
    if not 1 <= parties_count <= 10000:
        raise DomainError(_("涉及人数须为整数。"), field="parties_count")
    amount = _amount(amount)
    on = _today(on_date)
    lead = Lead.objects.create(
        town=town, code=_new_code(Lead, town, "XS", on), source=source, kind=kind,
        summary=_text(summary, _("线索摘要")), place=_text(place, _("地点"), required=False, max_length=120),
        village=village, grid=grid, parties_count=parties_count, amount=amount,
        violence_threat=bool(violence_threat), found_on=on, reported_by=actor, screening=screening, petition=petition,
        event_id=getattr(event, "pk", None), event_code=getattr(event, "tracking_code", "") or "",
        risk=grade_risk(kind=kind, parties_count=parties_count, amount=amount, violence_threat=violence_threat,
                        settings=town_settings(town)))
    record(action="disputes.lead_create", obj=lead, actor=actor, after=snapshot(lead))
    return lead


@transaction.atomic
def lead_dismiss(*, lead, actor, reason) -> Lead:
    if lead.status != LeadStatus.OPEN:
        raise DomainError(_("该线索已处理。"), field="status")
    reason = _text(reason, _("排除理由"))
    lead.status, lead.note = LeadStatus.DISMISSED, reason
    lead.save(update_fields=["status", "note"])
    record(action="disputes.lead_dismiss", obj=lead, actor=actor, reason=reason,
           before={"status": LeadStatus.OPEN}, after={"status": lead.status})
    return lead


def _fire(procedure, obj, action, fields, *, actor, reason="", on_date=None, **data):
    """Fire a transition; ``fields`` were set on ``obj`` by the caller and are saved with the new status."""
    return procedure.fire(obj, action, actor=actor, reason=reason, on_date=on_date, data={"fields": fields, **data})


def screening_plan_all(*, on_date=None) -> int:
    """The monthly full screening (每月全面排查) of every town: rounds for the current month, once."""
    from org.models import Town

    month = _today(on_date).replace(day=1)
    return sum(len(screening_plan(town=town, month=month, actor=None)) for town in Town.objects.all())


# --- disputes -----------------------------------------------------------------------------------------

def _recurrence(town, *, name_indexes, grid, place, exclude_pk=None, on, days=RECURRENCE_DAYS) -> list[Dispute]:
    since = on - dt.timedelta(days=days)
    qs = Dispute.objects.filter(town=town, registered_on__gte=since).exclude(pk=exclude_pk)
    by_party = set(Party.objects.filter(town=town, name_index__in=list(name_indexes), dispute__in=qs)
                   .values_list("dispute_id", flat=True))
    by_place = set(qs.filter(grid=grid, place=place).values_list("pk", flat=True)) if grid and place else set()
    return list(Dispute.objects.filter(pk__in=by_party | by_place).order_by("registered_on"))


def _raise_risk(risk: str) -> str:
    return Risk.YELLOW if risk == Risk.GREEN else risk


@transaction.atomic
def dispute_register(*, town, actor, kind, summary, committee, parties, mediator=None, lead=None, amount=None,
                     violence_threat=False, grid=None, village=None, place="", on_date=None) -> Dispute:
    """Register a dispute (登记, 调解法 Art. 27) with its parties ({side, name, phone, address}).

    The risk grade follows the type, people, amount and threat of violence; the same party or place again
    within the town's recurrence period (default RECURRENCE_DAYS) raises an early warning and at least a
    yellow grade."""
    if kind not in DisputeKind.values:
        raise DomainError(_("请选择纠纷类型。"), field="kind")
    if committee is None:
        raise DomainError(_("请选择调解委员会。"), field="committee")
    _same_town(town, committee, mediator, lead, grid, village)
    if mediator is not None and mediator.committee_id != committee.pk:
        raise DomainError(_("调解员不属于所选调解委员会。"), field="mediator")
    if lead is not None and lead.status != LeadStatus.OPEN:
        raise DomainError(_("该线索已处理。"), field="lead")
    parties = [p for p in parties if (p.get("name") or "").strip()]
    if len(parties) < 2:
        raise DomainError(_("纠纷至少须登记两方当事人。"), field="parties")
    for p in parties:
        if p.get("side") not in Party.Side.values:
            raise DomainError(_("请选择当事人身份。"), field="parties")
        if len(p["name"].strip()) > 60:
            raise DomainError(_("当事人姓名/名称不能超过60个字。"), field="parties")
    if grid is not None:
        village = grid.village
    if lead is not None:
        grid, village = grid or lead.grid, village or lead.village
        place = place or lead.place
    amount = _amount(amount)
    on = _today(on_date)
    place = _text(place, _("地点"), required=False, max_length=120)
    conf = town_settings(town)
    risk = grade_risk(kind=kind, parties_count=len(parties), amount=amount, violence_threat=violence_threat,
                      settings=conf)
    name_indexes = {blind_index(p["name"].strip()) for p in parties}
    earlier = _recurrence(town, name_indexes=name_indexes, grid=grid, place=place, on=on,
                          days=conf.recurrence_days)
    warning = ""
    if earlier:
        risk = _raise_risk(risk)
        with official_language():  # stored on the case file, whoever registers it
            warning = _("{days}日内同一当事人或地点再次发生纠纷：{codes}").format(
                days=conf.recurrence_days, codes="、".join(d.code for d in earlier))[:255]
    dispute = Dispute.objects.create(
        town=town, code=_new_code(Dispute, town, "TJ", on), lead=lead, kind=kind,
        summary=_text(summary, _("纠纷简要情况")),
        amount=amount, violence_threat=bool(violence_threat), risk=risk, warning=warning, grid=grid, village=village,
        place=place, level=committee.level, committee=committee, mediator=mediator, registered_on=on, created_by=actor)
    for p in parties:
        name = p["name"].strip()
        Party.objects.create(town=town, dispute=dispute, side=p["side"], name=name, name_index=blind_index(name),
                             phone=(p.get("phone") or "").strip()[:32], address=(p.get("address") or "").strip()[:120])
    if lead is not None:
        lead.status = LeadStatus.CONVERTED
        lead.save(update_fields=["status"])
        record(action="disputes.lead_convert", obj=lead, actor=actor, before={"status": LeadStatus.OPEN},
               after={"status": lead.status, "dispute": dispute.code})
    record(action="disputes.dispute_register", obj=dispute, actor=actor,
           after=snapshot(dispute) | {"parties": len(parties)})
    if risk == Risk.RED:
        # mediation.risk_report (调解法 Art. 25): a dispute that may escalate is reported at once.
        clock_services.clock_start(obj=dispute, rule_code="mediation.risk_report", actor=actor, start_date=on)
    return dispute


@transaction.atomic
def dispute_escalate(*, dispute, actor, reason, risk=Risk.RED) -> Dispute:
    """The dispute escalates: raise its grade and warn (the risk report clock starts for red)."""
    if risk not in Risk.values:
        raise DomainError(_("请选择风险等级。"), field="risk")
    reason = _text(reason, _("升级理由"))
    order = [Risk.GREEN, Risk.YELLOW, Risk.RED]
    if order.index(risk) <= order.index(dispute.risk):
        raise DomainError(_("升级后的风险等级须高于当前等级。"), field="risk")
    before = snapshot(dispute, ["risk", "warning"])
    dispute.risk = risk
    with official_language():
        dispute.warning = _("纠纷激化：{reason}").format(reason=reason)[:255]
    dispute.save(update_fields=["risk", "warning"])
    record(action="disputes.dispute_escalate", obj=dispute, actor=actor, reason=reason, before=before,
           after=snapshot(dispute, ["risk", "warning"]))
    if risk == Risk.RED:
        clock_services.clock_start(obj=dispute, rule_code="mediation.risk_report", actor=actor)
    return dispute


@transaction.atomic
def risk_reported(*, dispute, actor, to_whom) -> Dispute:
    to_whom = _text(to_whom, _("报告对象"), max_length=80)
    with official_language():
        reported = _("已报告{who}").format(who=to_whom)
    clock_services.clock_stop_for(obj=dispute, rule_code="mediation.risk_report", actor=actor, reason=reported)
    record(action="disputes.risk_report", obj=dispute, actor=actor, reason=to_whom)
    return dispute


@transaction.atomic
def party_consent(*, party, actor, consent, on_date=None) -> Party:
    """Record a party's will to mediate; a refusal is final for this mediation (mediation.guard.consent)."""
    dispute = party.dispute
    if dispute.status != DisputeStatus.REGISTERED and not (
            dispute.status == DisputeStatus.MEDIATING and consent == Party.Consent.REFUSED):
        raise DomainError(_("当前状态不能变更调解意愿。"), field="consent")
    if consent not in (Party.Consent.AGREED, Party.Consent.REFUSED):
        raise DomainError(_("请选择同意或拒绝调解。"), field="consent")
    before = {"consent": party.consent}
    party.consent, party.consent_on = consent, _today(on_date)
    party.save(update_fields=["consent", "consent_on"])
    record(action="disputes.party_consent", obj=dispute, actor=actor, before=before,
           after={"party": party.pk, "consent": consent})
    return party


@transaction.atomic
def dispute_accept(*, dispute, actor, on_date=None) -> Dispute:
    return DISPUTE.fire(dispute, "accept", actor=actor, on_date=on_date)


@transaction.atomic
def dispute_refuse(*, dispute, actor, reason, on_date=None) -> Dispute:
    reason = _text(reason, _("拒绝调解情况"))
    dispute.outcome, dispute.outcome_on = Dispute.Outcome.REFUSED, _today(on_date)
    dispute.termination_record = reason
    return _fire(DISPUTE, dispute, "refuse", ["outcome", "outcome_on", "termination_record"], actor=actor,
                 reason=reason, on_date=on_date)


@transaction.atomic
def session_add(*, dispute, actor, held_on, place, attendees, record_text, invitees="", invitees_consented=False,
                public=False) -> Session:
    if dispute.status != DisputeStatus.MEDIATING:
        raise DomainError(_("只有调解中的纠纷可以登记调解记录。"), field="status")
    invitees = _text(invitees, _("邀请参与人员"), required=False, max_length=255)
    if invitees and not invitees_consented:
        raise DomainError(_("邀请当事人亲属、邻里或专业人员参与调解须经当事人同意。"), rule="mediation.guard.invitees",
                          field="invitees_consented")
    if held_on is None:
        raise DomainError(_("请填写调解日期。"), field="held_on")
    if held_on > timezone.localdate() or held_on < dispute.registered_on:
        raise DomainError(_("调解日期须在登记日期与今天之间。"), field="held_on")
    session = Session.objects.create(
        town=dispute.town, dispute=dispute, held_on=held_on, place=_text(place, _("调解地点"), max_length=120),
        attendees=_text(attendees, _("参加人员"), max_length=255), invitees=invitees,
        invitees_consented=bool(invitees_consented), public=bool(public),
        record=_text(record_text, _("调解记录")), recorded_by=actor)
    record(action="disputes.session_add", obj=dispute, actor=actor,
           after={"session": session.pk, "held_on": held_on.isoformat(), "place": session.place})
    return session


def _agreement_context(dispute, agreement) -> dict:
    from core.crypto import mask_address

    parties = list(dispute.parties.all())
    paragraphs = [_("纠纷类型：{kind}").format(kind=dispute.get_kind_display())]
    for p in parties:
        paragraphs.append(_("{side}：{name}，住址：{address}").format(
            side=p.get_side_display(), name=p.name, address=mask_address(p.address) or "—"))
    paragraphs.append(_("纠纷主要事实、争议事项：{summary}").format(summary=dispute.summary))
    paragraphs.append(_("经人民调解委员会调解，各方当事人自愿达成如下协议："))
    paragraphs += [line.strip() for line in agreement.terms.splitlines() if line.strip()]
    if agreement.performance_days:
        paragraphs.append(_("履行期限：自协议生效之日起{n}日内履行完毕。").format(n=agreement.performance_days))
    paragraphs.append(_("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                        "本协议一式三份，当事人各执一份，人民调解委员会留存一份。"))
    paragraphs.append(_("双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"))
    paragraphs.append(_("当事人（签名、盖章或按指印）：") + "　".join("________" for _p in parties))
    paragraphs.append(_("人民调解员（签名）：{name}").format(name=dispute.mediator or "________"))
    context = documents.dispute_context(dispute, agreement)
    context.update({"title": _("人民调解协议书"), "paragraphs": paragraphs, "signature": str(dispute.committee),
                    "date": agreement.agreed_on, "note": _("案号：{code}").format(code=dispute.code)})
    return context


@transaction.atomic
def agreement_make(*, dispute, actor, kind, terms, performance_days=None, on_date=None) -> Agreement:
    """A written agreement (调解协议书, rendered from the DOCX template) or an oral one recorded by the mediator
    (effective when agreed: mediation.agreement.effective)."""
    if kind not in AgreementKind.values:
        raise DomainError(_("请选择协议形式。"), field="kind")
    terms = _text(terms, _("协议内容"))
    if performance_days not in (None, ""):
        try:
            performance_days = int(performance_days)
        except (TypeError, ValueError):
            raise DomainError(_("履行期限须为1至3650之间的天数。"), field="performance_days") from None
        if not 1 <= performance_days <= 3650:
            raise DomainError(_("履行期限须为1至3650之间的天数。"), field="performance_days")
    else:
        performance_days = None
    on = _today(on_date)
    action = "agree_written" if kind == AgreementKind.WRITTEN else "agree_oral"
    DISPUTE.check(dispute, action, _ctx(actor))
    agreement = Agreement.objects.create(town=dispute.town, dispute=dispute, kind=kind, terms=terms,
                                         performance_days=performance_days, agreed_on=on,
                                         effective_on=on if kind == AgreementKind.ORAL else None)
    dispute.outcome = Dispute.Outcome.WRITTEN if kind == AgreementKind.WRITTEN else Dispute.Outcome.ORAL
    dispute.outcome_on = on
    _fire(DISPUTE, dispute, action, ["outcome", "outcome_on"], actor=actor, on_date=on)
    if kind == AgreementKind.WRITTEN:
        from instruments.services import instrument_render

        instrument = instrument_render(kind_code="mediation_agreement", obj=dispute, actor=actor, number=True,
                                       context=in_official_language(_agreement_context, dispute, agreement),
                                       on_date=on)
        agreement.instrument = instrument
        agreement.save(update_fields=["instrument"])
    else:
        _on_effect(dispute, agreement, actor=actor, on=on)
    record(action="disputes.agreement_make", obj=dispute, actor=actor,
           after={"kind": kind, "performance_days": performance_days, "instrument": agreement.instrument_id})
    return agreement


def _ctx(actor):
    from core.procedure import TransitionContext

    return TransitionContext(actor=actor)


def _on_effect(dispute, agreement, *, actor, on):
    if agreement.kind == AgreementKind.ORAL:
        # An oral agreement is effective when agreed; the 30-day 司法确认 window follows a written one only
        # in practice, but Art. 33 speaks of "调解协议生效": start it for both.
        clock_services.clock_start(obj=dispute, rule_code="mediation.judicial_confirmation", actor=actor,
                                   start_date=on)
    if agreement.performance_days:
        clock_services.clock_start(obj=dispute, rule_code="mediation.performance", actor=actor, start_date=on,
                                   length=agreement.performance_days)


@transaction.atomic
def agreement_sign(*, dispute, actor, party=None, mediator=False, seal=False, on_date=None) -> Agreement:
    """Record one signature (a party's, the mediator's) or the committee seal; once all are there the
    agreement takes effect (mediation.agreement.effective) and the 30-day 司法确认 clock starts."""
    agreement = getattr(dispute, "agreement", None)
    if dispute.status != DisputeStatus.SIGNING or agreement is None:
        raise DomainError(_("当前没有待签署的调解协议书。"), rule="mediation.agreement.effective")
    on = _today(on_date)
    if party is not None:
        if party.dispute_id != dispute.pk:
            raise DomainError(_("当事人不属于该纠纷。"), field="party")
        if party.signed_on is None:
            party.signed_on = on
            party.save(update_fields=["signed_on"])
        with official_language():  # the signature record of the agreement (audit reason)
            what = _("当事人{name}签名").format(name=str(party))
    elif mediator:
        agreement.mediator_signed_on = agreement.mediator_signed_on or on
        with official_language():
            what = _("调解员签名")
    elif seal:
        agreement.seal_on = agreement.seal_on or on
        with official_language():
            what = _("加盖调解委员会印章")
    else:
        raise DomainError(_("请选择签署事项。"), field="party")
    agreement.save(update_fields=["mediator_signed_on", "seal_on"])
    record(action="disputes.agreement_sign", obj=dispute, actor=actor, reason=what, after={"on": on.isoformat()})
    parties_signed = all(p.signed_on for p in dispute.parties.all())
    if parties_signed and agreement.mediator_signed_on and agreement.seal_on:
        agreement_effect(dispute=dispute, actor=actor, on_date=on)
    return agreement


@transaction.atomic
def agreement_effect(*, dispute, actor, on_date=None) -> Dispute:
    on = _today(on_date)
    DISPUTE.fire(dispute, "make_effective", actor=actor, on_date=on)
    agreement = dispute.agreement
    agreement.effective_on = on
    agreement.save(update_fields=["effective_on"])
    if agreement.performance_days:
        clock_services.clock_start(obj=dispute, rule_code="mediation.performance", actor=actor, start_date=on,
                                   length=agreement.performance_days)
    return dispute


@transaction.atomic
def confirmation_set(*, dispute, actor, confirmation) -> Agreement:
    """司法确认 (调解法 Art. 33): the parties applied jointly, the court confirmed, or they saw no need."""
    agreement = getattr(dispute, "agreement", None)
    if agreement is None or agreement.effective_on is None:
        raise DomainError(_("调解协议生效后才能登记司法确认情况。"), rule="mediation.judicial_confirmation")
    if confirmation not in Agreement.Confirmation.values or confirmation == Agreement.Confirmation.NONE:
        raise DomainError(_("请选择司法确认情况。"), field="confirmation")
    before = {"confirmation": agreement.confirmation}
    agreement.confirmation = confirmation
    agreement.save(update_fields=["confirmation"])
    clock_services.clock_stop_for(obj=dispute, rule_code="mediation.judicial_confirmation", actor=actor,
                                  reason=agreement.get_confirmation_display())
    record(action="disputes.confirmation_set", obj=dispute, actor=actor, before=before,
           after={"confirmation": confirmation})
    return agreement


@transaction.atomic
def dispute_terminate(*, dispute, actor, route, reason, level_transferred=True, on_date=None) -> Dispute:
    """Mediation fails (调解法 Arts 23(2), 26): the termination record names the route the parties were told."""
    if route not in Dispute.Route.values:
        raise DomainError(_("终止调解须告知当事人可通过仲裁、行政、司法等途径维护权利，请选择告知的途径。"),
                          rule="mediation.terminate", field="route")
    reason = _text(reason, _("终止调解情况"))
    dispute.route, dispute.termination_record = route, reason
    dispute.outcome, dispute.outcome_on = Dispute.Outcome.TERMINATED, _today(on_date)
    fields = ["route", "termination_record", "outcome", "outcome_on"]
    if level_transferred:
        dispute.level = "transferred"
        fields.append("level")
    return _fire(DISPUTE, dispute, "terminate", fields, actor=actor, reason=reason, on_date=on_date)


@transaction.atomic
def dispute_return_visit(*, dispute, actor, visit_note, performance, on_date=None) -> Dispute:
    """回访 and the follow-up of performance (调解法 Art. 31)."""
    if performance not in Dispute.Performance.values:
        raise DomainError(_("请选择协议履行情况。"), field="performance")
    on = _today(on_date)
    dispute.visited_on, dispute.visit_note, dispute.performance = on, (visit_note or "").strip(), performance
    _fire(DISPUTE, dispute, "return_visit", ["visited_on", "visit_note", "performance"], actor=actor, on_date=on,
          visit_note=visit_note)
    if performance == Dispute.Performance.FULL:
        clock_services.clock_stop_for(obj=dispute, rule_code="mediation.performance", actor=actor, on_date=on)
    return dispute


@transaction.atomic
def dispute_close(*, dispute, actor, on_date=None) -> Dispute:
    """Archive (mediation.guard.archive): registration, work record and agreement or termination record."""
    on = _today(on_date)
    dispute.closed_on = on
    _fire(DISPUTE, dispute, "close", ["closed_on"], actor=actor, on_date=on)
    with official_language():  # stored on the clocks of the case file: the record's language, not the reader's
        archived = _("案卷归档")
    for code in ("mediation.performance", "mediation.risk_report"):
        clock_services.clock_stop_for(obj=dispute, rule_code=code, actor=actor, on_date=on, outcome="stopped",
                                      reason=archived)
    return dispute


# --- petitions ----------------------------------------------------------------------------------------

def _petition_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "XF" + "".join(secrets.choice(alphabet) for _i in range(8))
        if not Petition.objects.filter(code=code).exists():
            return code


@transaction.atomic
def petition_register(*, town, actor, channel, petitioner_name, subject, content, petitioner_phone="",
                      petitioner_address="", people=1, grid=None, village=None, received_on=None) -> Petition:
    """Register a petition from any channel; the 15-day written acknowledgement clock starts (Art. 23)."""
    if channel not in Petition.Channel.values:
        raise DomainError(_("请选择信访渠道。"), field="channel")
    _same_town(town, grid, village)
    received = received_on or timezone.localdate()
    if received > timezone.localdate():
        raise DomainError(_("收到日期不能晚于今天。"), field="received_on")
    try:
        people = int(people)
    except (TypeError, ValueError):
        raise DomainError(_("人数须为正整数。"), field="people") from None
    if people < 1:
        raise DomainError(_("人数须为正整数。"), field="people")
    if grid is not None:
        village = grid.village
    petition = Petition.objects.create(
        town=town, code=_petition_code(), channel=channel, received_on=received,
        petitioner_name=_text(petitioner_name, _("信访人"), max_length=60),
        petitioner_phone=(petitioner_phone or "").strip()[:32],
        petitioner_address=(petitioner_address or "").strip()[:120], people=people, grid=grid, village=village,
        subject=_text(subject, _("信访事由"), max_length=120), content=_text(content, _("信访内容")), created_by=actor)
    record(action="disputes.petition_register", obj=petition, actor=actor,
           after=snapshot(petition, ["code", "channel", "received_on", "subject", "people"]))
    rule = "petition.ack.transferred" if channel == Petition.Channel.TRANSFERRED else "petition.ack.direct"
    clock_services.clock_start(obj=petition, rule_code=rule, actor=actor, start_date=received)
    if channel == Petition.Channel.TRANSFERRED:
        clock_services.clock_start(obj=petition, rule_code="petition.objection", actor=actor, start_date=received)
    return petition


@transaction.atomic
def petition_classify(*, petition, actor, petition_class, route, handling_unit="", reason="", on_date=None):
    """Class the matter (petition.guard.classify), then accept it on the 信访 route or divert it to its
    statutory route (petition.guard.route_first); the written acknowledgement is recorded."""
    if petition.status != PetitionStatus.REGISTERED:
        raise DomainError(_("该信访事项已分类处理。"), field="status")
    if petition_class not in Petition.Class.values:
        raise DomainError(_("请先将信访事项分为建议意见、检举控告或申诉求决类，再行处理。"),
                          rule="petition.guard.classify", field="petition_class")
    if route not in Petition.Route.values:
        raise DomainError(_("请选择处理途径。"), rule="petition.guard.route_first", field="route")
    on = _today(on_date)
    petition.petition_class, petition.route = petition_class, route
    petition.handling_unit = _text(handling_unit, _("承办单位"), required=False, max_length=80)
    petition.acknowledged_on = on
    fields = ["petition_class", "route", "handling_unit", "acknowledged_on"]
    if route == Petition.Route.PETITION:
        _fire(PETITION, petition, "accept", fields, actor=actor, reason=reason, on_date=on)
        if petition_class == Petition.Class.CLAIM:
            clock_services.clock_start(obj=petition, rule_code="petition.handle", actor=actor, start_date=on)
    else:
        petition.closed_on = on
        if not reason:  # the route told to the petitioner in writing: recorded in the official language
            with official_language():
                reason = str(petition.get_route_display())
        _fire(PETITION, petition, "divert", fields + ["closed_on"], actor=actor, reason=reason, on_date=on)
        if route == Petition.Route.MEDIATION:
            # 信访条例 Art. 33 / the 枫桥 approach: the matter becomes a dispute lead for people's mediation.
            lead_create(town=petition.town, actor=actor, source=Lead.Source.PETITION, petition=petition,
                        summary=petition.subject + "：" + petition.content, grid=petition.grid,
                        village=petition.village, parties_count=max(petition.people, 2), on_date=on)
    with official_language():
        accepted = _("已受理")
    clock_services.clock_stop_for(obj=petition, rule_code="petition.objection", actor=actor, on_date=on,
                                  outcome="stopped", reason=accepted)
    return petition


@transaction.atomic
def petition_extend(*, petition, actor, approver, days, reason, notice) -> Petition:
    """petition.handle +≤30 d with the head's approval; the petitioner is told why (Art. 34)."""
    from clocks.models import OPEN_STATUSES, Clock

    clock = Clock.objects.filter(town=petition.town, object_id=petition.pk, rule_code="petition.handle",
                                 content_type__app_label="disputes", content_type__model="petition",
                                 status__in=OPEN_STATUSES).first()
    if clock is None:
        raise DomainError(_("该事项没有正在计算的办理期限。"), rule="petition.handle")
    if not (notice or "").strip():
        raise DomainError(_("延期须告知信访人延期理由，请填写告知情况。"), rule="petition.handle", field="notice")
    clock_services.clock_extend(clock=clock, days_or_length=days, approver=approver, reason=reason, notice=notice,
                                actor=actor)
    record(action="disputes.petition_extend", obj=petition, actor=actor, reason=reason, after={"days": days})
    return petition


@transaction.atomic
def petition_answer(*, petition, actor, opinion, opinion_text, on_date=None) -> Petition:
    """信访处理意见书 (support / explain / not support, with basis); the 30-day 复查 window starts."""
    if opinion not in Petition.Opinion.values:
        raise DomainError(_("处理意见须写明支持、解释说明或不支持及其依据。"), rule="petition.guard.route_first",
                          field="opinion")
    on = _today(on_date)
    petition.opinion, petition.opinion_text, petition.answered_on = opinion, (opinion_text or "").strip(), on
    _fire(PETITION, petition, "answer", ["opinion", "opinion_text", "answered_on"], actor=actor, on_date=on)
    from instruments.services import instrument_render

    with official_language():
        context = _petition_opinion_context(petition)
    instrument = instrument_render(kind_code="petition_opinion", obj=petition, actor=actor, number=True, on_date=on,
                                   context=context)
    Petition.objects.filter(pk=petition.pk).update(opinion_instrument=instrument)
    petition.opinion_instrument = instrument
    return petition


def _petition_opinion_context(petition) -> dict:
    paragraphs = [_("信访人：{name}").format(name=petition.petitioner_name),
                  _("信访事项：{subject}（{code}，{date}收到）").format(
                      subject=petition.subject, code=petition.code, date=petition.received_on),
                  _("处理意见：{opinion}").format(opinion=petition.get_opinion_display())]
    paragraphs += [line.strip() for line in petition.opinion_text.splitlines() if line.strip()]
    paragraphs.append(_("如对本处理意见不服，可以自收到本意见书之日起30日内请求原办理机关的上一级机关复查。"))
    context = documents.petition_context(petition)
    context.update({"title": _("信访事项处理意见书"), "paragraphs": paragraphs, "date": petition.answered_on})
    return context


@transaction.atomic
def petition_step(*, petition, actor, action, text="", on_date=None) -> Petition:
    """复查/复核 requests and their opinions, and closing."""
    on = _today(on_date)
    fields = []
    if action == "review_done":
        petition.review_text = _text(text, _("复查意见"))
        fields = ["review_text"]
    elif action == "recheck_done":
        petition.recheck_text = _text(text, _("复核意见"))
        petition.closed_on = on
        fields = ["recheck_text", "closed_on"]
    elif action == "close":
        petition.closed_on = on
        fields = ["closed_on"]
    elif action not in ("request_review", "request_recheck"):
        raise DomainError(_("未知的操作。"), field="action")
    return _fire(PETITION, petition, action, fields, actor=actor, reason=text, on_date=on)
