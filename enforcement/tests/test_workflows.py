"""Transfer to judicial organs, a party's recusal application, instalments, seizure and sealing, the display-period
take-down and official-language instruments: every step allowed, refused by its guard, and audited."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from clocks.models import Clock
from core.errors import DomainError
from enforcement import services
from enforcement.models import CaseStatus, Outcome, RecusalStatus, TransferStatus
from enforcement.tests.test_services import case_instruments, open_case, to_notice

pytestmark = pytest.mark.django_db


def clock_of(obj, code):
    return Clock.objects.filter(object_id=obj.pk, rule_code=code).order_by("-id").first()


def reported(w, **kw):
    case = to_notice(w, **kw)
    transfer = services.transfer_report(case=case, suspected_offence="非法经营罪", report="经营数额巨大，涉嫌犯罪。",
                                        actor=w.officer)
    return case, transfer


def sent(w):
    case, transfer = reported(w)
    services.transfer_decide(transfer=transfer, approve=True, opinion="同意移送", actor=w.leader)
    services.transfer_send(transfer=transfer, organ="某县公安局", materials="移送书\n调查报告\n涉案物品清单",
                           actor=w.officer)
    transfer.refresh_from_db()
    return case, transfer


# --- transfer ------------------------------------------------------------------------------------------
def test_transfer_through_to_acceptance_and_closure(world):
    w = world
    case, transfer = reported(w)
    assert clock_of(case, "penalty.transfer.decide").length == 3
    with pytest.raises(DomainError) as exc:  # the case waits: no administrative decision meanwhile
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.transfer_pending"
    services.transfer_decide(transfer=transfer, approve=True, opinion="同意移送", actor=w.leader)
    assert clock_of(case, "penalty.transfer.decide").status == "met"
    assert clock_of(case, "penalty.transfer.send").unit == "h"
    services.transfer_send(transfer=transfer, organ="某县公安局", materials="移送书\n调查报告", actor=w.officer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT and transfer.letter_number
    assert {"crime_transfer", "transfer_materials"} <= set(case_instruments(case))
    assert clock_of(case, "penalty.transfer.accept").status == "running"
    services.transfer_receipt(transfer=transfer, receipt_on=transfer.sent_on, actor=w.officer)
    services.transfer_answer(transfer=transfer, accepted=True, reason="公立〔2026〕1号", actor=w.officer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    with pytest.raises(DomainError) as exc:  # no fine instead of the criminal proceedings
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.transfer_pending" and exc.value.field == "fine"
    with pytest.raises(DomainError):
        services.case_close_transferred(case=case, summary="", actor=w.leader)
    services.case_close_transferred(case=case, summary="公安机关已立案侦查。", actor=w.leader)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.TRANSFER
    assert clock_of(case, "penalty.decision").status == "stopped"
    actions = set(AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"enforcement.transfer_report", "enforcement.transfer_decide", "enforcement.transfer_send",
            "enforcement.transfer_receipt", "enforcement.transfer_answer"} <= actions


def test_transfer_refused_reconsidered_and_case_continues(world):
    w = world
    case, transfer = sent(w)
    with pytest.raises(DomainError):  # a refusal needs its reason
        services.transfer_answer(transfer=transfer, accepted=False, reason="", actor=w.officer)
    services.transfer_answer(transfer=transfer, accepted=False, reason="不构成犯罪", actor=w.officer)
    reconsider = clock_of(case, "penalty.transfer.reconsider")
    assert reconsider.status == "running"
    with pytest.raises(PermissionDenied):
        services.transfer_reconsider(transfer=transfer, reason="数额已达标准", actor=w.officer)
    with pytest.raises(DomainError) as exc:
        services.transfer_reconsider(transfer=transfer, reason="数额已达标准", actor=w.leader,
                                     on_date=reconsider.due_date + dt.timedelta(days=1))
    assert exc.value.rule == "penalty.transfer.reconsider"
    services.transfer_reconsider(transfer=transfer, reason="数额已达标准", actor=w.leader)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECONSIDERING
    with pytest.raises(DomainError):  # still waiting
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    services.transfer_answer(transfer=transfer, accepted=False, reason="维持不予立案", actor=w.officer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and transfer.reconsider_answer == "维持不予立案"
    with pytest.raises(DomainError):  # one reconsideration only
        services.transfer_reconsider(transfer=transfer, reason="再议", actor=w.leader)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)  # continues administratively
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_transfer_guards(world):
    w = world
    lead = open_case(w)
    with pytest.raises(DomainError):  # not filed yet
        services.transfer_report(case=lead, suspected_offence="非法经营罪", report="理由", actor=w.officer)
    case, transfer = reported(w)
    with pytest.raises(DomainError):  # one transfer at a time
        services.transfer_report(case=case, suspected_offence="非法经营罪", report="理由", actor=w.officer)
    with pytest.raises(DomainError):  # not approved yet
        services.transfer_send(transfer=transfer, organ="某县公安局", materials="移送书", actor=w.officer)
    with pytest.raises(PermissionDenied):
        services.transfer_decide(transfer=transfer, approve=True, opinion="", actor=w.officer)
    with pytest.raises(DomainError):  # refusing needs reasons
        services.transfer_decide(transfer=transfer, approve=False, opinion="", actor=w.leader)
    services.transfer_decide(transfer=transfer, approve=True, opinion="", actor=w.leader)
    with pytest.raises(DomainError):  # the materials list
        services.transfer_send(transfer=transfer, organ="某县公安局", materials="  ", actor=w.officer)
    with pytest.raises(DomainError):
        services.transfer_send(transfer=transfer, organ="", materials="移送书", actor=w.officer)
    with pytest.raises(DomainError):  # no answer before sending
        services.transfer_answer(transfer=transfer, accepted=True, reason="", actor=w.officer)
    with pytest.raises(DomainError):  # cannot close as transferred before the organ filed the case
        services.case_close_transferred(case=case, summary="结案", actor=w.leader)


def test_transfer_not_approved_lets_the_case_continue(world):
    w = world
    case, transfer = reported(w)
    services.transfer_decide(transfer=transfer, approve=False, opinion="尚未达到追诉标准", actor=w.leader)
    assert clock_of(case, "penalty.transfer.send") is None
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)


# --- recusal application -----------------------------------------------------------------------------------
def test_recusal_application_granted_and_refused(world):
    w = world
    case = to_notice(w)
    with pytest.raises(DomainError):
        services.recusal_apply(case=case, applicant="张三", officers=[w.a], grounds="", actor=w.officer)
    with pytest.raises(DomainError):  # only officers of the case
        services.recusal_apply(case=case, applicant="张三", officers=[w.expired], grounds="亲属", actor=w.officer)
    with pytest.raises(DomainError):
        services.recusal_apply(case=case, applicant="张三", officers=[], grounds="亲属", actor=w.officer)
    application = services.recusal_apply(case=case, applicant="张三", officers=[w.a], grounds="系当事人亲属",
                                         actor=w.officer)
    assert application.status == RecusalStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.recusal_application_decide(application=application, grant=True, reason="属实", actor=w.officer)
    with pytest.raises(DomainError):
        services.recusal_application_decide(application=application, grant=False, reason="", actor=w.leader)
    services.recusal_application_decide(application=application, grant=True, reason="经核实属实", actor=w.leader)
    application.refresh_from_db()
    assert application.status == RecusalStatus.GRANTED and application.notified_on
    assert w.a not in case.officers.all() and w.a in case.recused.all()
    assert "recusal_decision" in set(case_instruments(case))
    with pytest.raises(DomainError):  # decided once
        services.recusal_application_decide(application=application, grant=False, reason="x", actor=w.leader)
    second = services.recusal_apply(case=case, applicant="张三", officers=[w.b], grounds="态度不好", actor=w.officer)
    services.recusal_application_decide(application=second, grant=False, reason="不属于法定回避情形",
                                        actor=w.leader)
    second.refresh_from_db()
    assert second.status == RecusalStatus.REFUSED and w.b in case.officers.all()


# --- pages -----------------------------------------------------------------------------------------------
def test_transfer_steps_on_the_case_page(client, world, other_world, django_assert_max_num_queries):
    w = world
    case = to_notice(w)
    client.force_login(w.officer)
    client.get(reverse("core:home"))
    html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-transfer_report"' in html and 'data-testid="step-recusal_apply"' in html
    url = reverse("enforcement:case_step", args=[case.pk, "transfer_report"])
    response = client.post(url, {"transfer_report-suspected_offence": "", "transfer_report-report": "x"})
    assert response.status_code == 302 and not case.transfers.exists()  # bad input: message, nothing written
    client.post(url, {"transfer_report-suspected_offence": "非法经营罪", "transfer_report-report": "数额巨大"})
    assert case.transfers.get().status == TransferStatus.REPORTED
    client.force_login(w.leader)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-transfer_decide"' in html and "非法经营罪" in html
    assert 'data-testid="transfer-waiting"' in html
    client.post(reverse("enforcement:case_step", args=[case.pk, "transfer_decide"]),
                {"transfer_decide-approve": "1", "transfer_decide-opinion": "同意"})
    assert case.transfers.get().status == TransferStatus.APPROVED
    # the leader may not send (officers' step): 403; another town's user: 404
    assert client.post(reverse("enforcement:case_step", args=[case.pk, "transfer_send"]), {}).status_code == 403
    client.force_login(other_world.officer)
    assert client.post(reverse("enforcement:case_step", args=[case.pk, "transfer_send"]), {}).status_code == 404
    client.force_login(w.officer)
    client.post(reverse("enforcement:case_step", args=[case.pk, "transfer_send"]),
                {"transfer_send-organ": "某县公安局", "transfer_send-materials": "移送书\n调查报告"})
    assert case.transfers.get().status == TransferStatus.SENT


def test_supervision_lists_open_transfers(client, world):
    w = world
    case, _transfer = sent(w)
    client.force_login(w.leader)
    html = client.get(reverse("enforcement:supervision")).content.decode()
    assert 'data-testid="open-transfers"' in html and case.number in html


# --- official language ------------------------------------------------------------------------------------
def test_english_reader_still_produces_chinese_documents(world):
    import docx

    from instruments.models import Instrument

    w = world
    with translation.override("en"):
        assert translation.gettext("经调查，你（单位）{f}") != "经调查，你（单位）{f}"  # the UI really is English
        case = to_notice(w)
        with pytest.raises(DomainError) as exc:  # guards still speak the reader's language
            services.case_decide(case=case, outcome="bogus", actor=w.leader)
        assert exc.value.message != "请选择处理结果。"
    notice = Instrument.objects.filter(object_id=str(case.pk), kind__code="notice_of_intended_penalty").get()
    with notice.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "经调查，你（单位）" in text and "Our investigation" not in text


# --- instalments ------------------------------------------------------------------------------------------
def served_fine(w, fine="1000"):
    from e2e.helpers import seed_calendar_around_today

    seed_calendar_around_today()
    case = to_notice(w, fine=fine)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text=f"罚款{fine}元", fine=fine,
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    return case


def test_instalment_plan_allocates_payments_and_closes(world):
    from decimal import Decimal

    w = world
    case = served_fine(w)
    with pytest.raises(PermissionDenied):
        services.instalment_approve(case=case, instalments="30 500\n60 500", reason="困难", actor=w.officer)
    with pytest.raises(DomainError) as exc:  # the amounts must sum to the fine
        services.instalment_approve(case=case, instalments="30 500\n60 400", reason="困难", actor=w.leader)
    assert exc.value.rule == "penalty.fine.instalment"
    for bad in ("30 500\n20 500", "abc 500\n60 500", "30\n60 500", "30 -5\n60 1005", ""):
        with pytest.raises(DomainError):
            services.instalment_approve(case=case, instalments=bad, reason="困难", actor=w.leader)
    assert not case.instalments.exists()
    rows = services.instalment_approve(case=case, instalments="30 500\n60 500", reason="经营困难", actor=w.leader)
    assert [r.due_date for r in rows] == [clock_of(r, "penalty.fine.instalment").due_date for r in rows]
    assert rows[0].due_date < rows[1].due_date
    assert clock_of(case, "penalty.fine.payment").status == "stopped"
    with pytest.raises(DomainError):  # the single payment path is closed
        services.payment_record(case=case, paid_on=case.served_on, amount="1000", actor=w.officer)
    with pytest.raises(DomainError):  # nothing overdue yet: no demand
        services.demand_serve(case=case, actor=w.officer)
    services.instalment_pay(case=case, paid_on=rows[0].due_date, amount="500", actor=w.officer)
    rows[0].refresh_from_db()
    assert rows[0].paid_on == rows[0].due_date and clock_of(rows[0], "penalty.fine.instalment").status == "met"
    late_day = rows[1].due_date + dt.timedelta(days=2)  # two days late: 3 % × 500 × 2 = 30
    assert services.plan_late_fine(case.instalments.all(), late_day) == Decimal("30.00")
    with pytest.raises(DomainError):  # more than owed
        services.instalment_pay(case=case, paid_on=late_day, amount="600", actor=w.officer)
    services.instalment_pay(case=case, paid_on=late_day, amount="530", actor=w.officer)
    case.refresh_from_db()
    assert case.paid_on == late_day and case.late_fine == Decimal("30.00") and case.paid_amount == Decimal("1030.00")
    services.case_close(case=case, summary="分期缴清。", actor=w.leader)
    assert "payment_deferral" in set(case_instruments(case))


def test_instalment_late_fine_is_capped_and_demand_when_overdue(world):
    from decimal import Decimal

    w = world
    case = served_fine(w)
    rows = services.instalment_approve(case=case, instalments=[{"days": 10, "amount": "400"},
                                                               {"days": 40, "amount": "600"}],
                                       reason="困难", actor=w.leader)
    far = rows[0].due_date + dt.timedelta(days=400)
    assert services.instalment_late_fine(amount=Decimal("400"), outstanding=Decimal("400"), already=0,
                                         due=rows[0].due_date, on=far) == Decimal("400")
    assert services.plan_late_fine(case.instalments.all(), far) <= case.fine
    services.demand_serve(case=case, actor=w.officer, on_date=rows[0].due_date + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.demand_served_on


def test_instalment_late_fine_follows_partial_payments_day_by_day(world):
    """A partial payment after the due date closes the ledger up to that day; afterwards the late fine accrues on
    what is still unpaid only (3 % a day of the unpaid part, 处罚法 72(1))."""
    from decimal import Decimal

    w = world
    case = served_fine(w)
    rows = services.instalment_approve(case=case, instalments="30 1000", reason="困难", actor=w.leader)
    due = rows[0].due_date
    ten, twenty = due + dt.timedelta(days=10), due + dt.timedelta(days=20)
    assert services.plan_late_fine(case.instalments.all(), ten) == Decimal("300.00")  # 3 % × 1000 × 10
    services.instalment_pay(case=case, paid_on=ten, amount="500", actor=w.officer)  # 300 late fine + 200 principal
    rows[0].refresh_from_db()
    assert (rows[0].late_fine, rows[0].paid_amount, rows[0].late_accrued, rows[0].accrued_to) == (
        Decimal("300.00"), Decimal("200.00"), Decimal("300.00"), ten)
    # ten more days on the 800 still unpaid: 3 % × 800 × 10 = 240 (not 3 % × 800 × 20 − 300 = 180)
    assert services.plan_late_fine(case.instalments.all(), twenty) == Decimal("240.00")
    services.instalment_pay(case=case, paid_on=twenty, amount="1040", actor=w.officer)
    case.refresh_from_db()
    assert case.late_fine == Decimal("540.00") and case.paid_amount == Decimal("1540.00")


# --- seizure and sealing ---------------------------------------------------------------------------------
def coercive(w):
    from e2e.helpers import seed_calendar_around_today

    seed_calendar_around_today()
    w.matter.coercive_measures_allowed = True
    w.matter.save()
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    return case


def test_seizure_basis_and_officer_guards(world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    with pytest.raises(DomainError) as exc:  # the matter's law sets no coercive measure
        services.measure_decide(case=case, kind="seize", items="水果10箱", place="和平村", officers=[w.a, w.b],
                                actor=w.leader)
    assert exc.value.rule == "penalty.guard.coercion_basis"
    case = coercive(w)
    with pytest.raises(DomainError) as exc:
        services.measure_decide(case=case, kind="seize", items="水果10箱", place="和平村", officers=[w.a],
                                actor=w.leader)
    assert exc.value.rule == "penalty.guard.two_officers"
    with pytest.raises(DomainError) as exc:
        services.measure_decide(case=case, kind="seize", items="水果10箱", place="和平村",
                                officers=[w.a, w.expired], actor=w.leader)
    assert exc.value.rule == "penalty.guard.two_officers"
    with pytest.raises(DomainError):
        services.measure_decide(case=case, kind="seize", items=" ", place="和平村", officers=[w.a, w.b],
                                actor=w.leader)
    with pytest.raises(PermissionDenied):  # without the head's approval only in an emergency
        services.measure_decide(case=case, kind="seize", items="水果10箱", place="和平村", officers=[w.a, w.b],
                                actor=w.officer)
    w.matter.source = "entrusted"
    w.matter.acting_body = "某局"
    w.matter.save()
    with pytest.raises(DomainError) as exc:  # coercive powers cannot be entrusted
        services.measure_decide(case=case, kind="seize", items="水果10箱", place="和平村", officers=[w.a, w.b],
                                actor=w.leader)
    assert exc.value.rule == "penalty.guard.coercion_basis"


def test_seizure_with_testing_extension_and_release(world):
    w = world
    case = coercive(w)
    measure = services.measure_decide(case=case, kind="seize", items="水果10箱\n电子秤1台", place="和平村主干道",
                                      officers=[w.a, w.b], actor=w.leader)
    term = clock_of(measure, "penalty.seizure.term")
    assert term.length == 30 and measure.decision_number
    assert {"seizure_decision", "seizure_list"} <= set(case_instruments(case))
    with pytest.raises(DomainError):
        services.measure_testing(measure=measure, start=True, reason="", actor=w.officer)
    services.measure_testing(measure=measure, start=True, reason="送区质检所检验", actor=w.officer)
    assert clock_of(measure, "penalty.seizure.term").status == "paused"
    services.measure_testing(measure=measure, start=False, actor=w.officer)
    assert clock_of(measure, "penalty.seizure.term").status == "running"
    with pytest.raises(DomainError):  # at most 30 days
        services.measure_extend(measure=measure, days=31, reason="情况复杂", actor=w.leader)
    services.measure_extend(measure=measure, days=30, reason="情况复杂", actor=w.leader)
    extended = clock_of(measure, "penalty.seizure.term")
    assert extended.due_date > term.due_date and extended.extensions_used == 1
    with pytest.raises(DomainError):  # once only
        services.measure_extend(measure=measure, days=10, reason="再延长", actor=w.leader)
    assert "seizure_extension" in set(case_instruments(case))
    with pytest.raises(DomainError):
        services.measure_end(measure=measure, outcome="bogus", reason="x", actor=w.leader)
    services.measure_end(measure=measure, outcome="released", reason="检验合格", actor=w.leader)
    measure.refresh_from_db()
    assert measure.status == "released" and clock_of(measure, "penalty.seizure.term").status == "met"
    assert "seizure_release" in set(case_instruments(case))
    with pytest.raises(DomainError):
        services.measure_end(measure=measure, outcome="destroyed", reason="x", actor=w.leader)


def test_emergency_seizure_reported_and_refused_releases(world):
    w = world
    case = coercive(w)
    measure = services.measure_decide(case=case, kind="seal", items="仓库1间", place="和平村", officers=[w.a, w.b],
                                      actor=w.officer, emergency=True)
    report = clock_of(measure, "penalty.coercion.emergency_report")
    assert report.unit == "h" and report.status == "running"
    with pytest.raises(DomainError):
        services.measure_report(measure=measure, approve=False, reason="", actor=w.leader)
    services.measure_report(measure=measure, approve=False, reason="不符合条件", actor=w.leader)
    measure.refresh_from_db()
    assert measure.status == "released" and measure.reported_on
    assert clock_of(measure, "penalty.coercion.emergency_report").status == "met"
    second = services.measure_decide(case=case, kind="seize", items="货车1辆", place="和平村",
                                     officers=[w.a, w.b], actor=w.officer, emergency=True)
    services.measure_report(measure=second, approve=True, reason="", actor=w.leader)
    services.measure_end(measure=second, outcome="confiscated", reason="依法没收", actor=w.leader)
    assert "seizure_disposal" in set(case_instruments(case))


def test_measure_steps_on_the_case_page_and_supervision(client, world, django_assert_max_num_queries):
    w = world
    case = coercive(w)
    client.force_login(w.leader)
    client.get(reverse("core:home"))
    html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-measure"' in html
    url = reverse("enforcement:case_step", args=[case.pk, "measure"])
    client.post(url, {"measure-kind": "seize", "measure-items": "", "measure-place": "x",
                      "measure-officers": [w.a.pk, w.b.pk]})
    assert not case.measures.exists()
    client.post(url, {"measure-kind": "seize", "measure-items": "水果10箱", "measure-place": "和平村",
                      "measure-officers": [w.a.pk, w.b.pk]})
    measure = case.measures.get()
    with django_assert_max_num_queries(10):
        html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="measures"' in html and 'data-testid="step-measure_extend"' in html
    assert "查封、扣押期限" in html  # the measure's term clock is listed with the case's
    html = client.get(reverse("enforcement:supervision")).content.decode()
    assert measure.decision_number in html
    client.post(reverse("enforcement:case_step", args=[case.pk, "measure_end"]),
                {"measure_end-measure": measure.pk, "measure_end-outcome": "released", "measure_end-reason": "合格"})
    measure.refresh_from_db()
    assert measure.status == "released"
    client.force_login(w.reviewer_user)  # a reader, not an actor
    assert client.post(url, {}).status_code == 302 and case.measures.count() == 1


# --- the display period ------------------------------------------------------------------------------------
def test_publications_expire_after_the_display_period(client, world):
    from e2e.helpers import seed_calendar_around_today
    from enforcement.models import Publication
    from enforcement.schedule import JOBS

    seed_calendar_around_today()
    w = world
    case = to_notice(w)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    publication = services.publication_publish(case=case, actor=w.leader)
    end = services.display_end(publication)
    assert end is not None and end > publication.published_on
    assert services.publications_expire(on_date=end) == 0
    assert services.publications_expire(on_date=end + dt.timedelta(days=1)) == 1
    publication.refresh_from_db()
    assert publication.expired and publication.withdraw_reason == "公示期满"
    entry = AuditEntry.objects.get(action="enforcement.publication_expire")
    assert entry.actor is None and entry.reason == "公示期满"
    listing = client.get(reverse("enforcement:public_decisions", args=[w.town.code])).content.decode()
    assert publication.decision_number not in listing
    page = client.get(reverse("enforcement:public_decision", args=[w.town.code, publication.pk])).content.decode()
    assert 'data-testid="publication-expired"' in page and 'data-testid="publication-withdrawn"' not in page
    assert any(job.task == "enforcement.tasks.expire_publications" for job in JOBS)
    # a revoked decision is "withdrawn", not "expired"
    other = to_notice(w)
    services.case_decide(case=other, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    revoked = services.publication_publish(case=other, actor=w.leader)
    services.decision_revoke(case=other, reason="复议撤销", actor=w.leader)
    revoked.refresh_from_db()
    assert not revoked.expired
    page = client.get(reverse("enforcement:public_decision", args=[w.town.code, revoked.pk])).content.decode()
    assert 'data-testid="publication-withdrawn"' in page
    assert Publication.objects.filter(expired=True).count() == 1


# --- from an event to a case --------------------------------------------------------------------------------
def test_event_page_links_to_a_new_case_for_those_who_may_open_one(client, world, make_user):
    from access.roles import Role
    from events.tests.factories import EventFactory

    w = world
    event = EventFactory(town=w.town)
    target = f'{reverse("enforcement:case_create")}?event={event.pk}'
    client.force_login(w.officer)
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="to-enforcement-case"' in html and target in html and "立案（执法）" in html
    assert client.get(target).status_code == 200
    client.force_login(w.reviewer_user)  # may read cases, may not open one
    response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code in (200, 403, 404)
    assert 'data-testid="to-enforcement-case"' not in response.content.decode()
    client.force_login(make_user(Role.DISPATCHER, username="dispatcher_x"))
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="to-enforcement-case"' in html


# --- API ---------------------------------------------------------------------------------------------------
def test_api_workflow_steps(client, world, other_world):
    w = world
    case = to_notice(w)
    url = f"/api/v1/enforcement/cases/{case.pk}/workflow/"
    client.force_login(w.officer)
    bad = client.post(url, {"step": "transfer_report", "data": {"report": "x"}}, content_type="application/json")
    assert bad.status_code == 400 and not case.transfers.exists()
    data = {"suspected_offence": "非法经营罪", "report": "数额巨大"}
    ok = client.post(url, {"step": "transfer_report", "data": data}, content_type="application/json")
    assert ok.status_code == 200 and case.transfers.get().status == TransferStatus.REPORTED
    assert client.post(url, {"step": "transfer_decide", "data": {"approve": "1"}},
                       content_type="application/json").status_code == 403
    client.force_login(w.leader)
    refused = client.post(url, {"step": "transfer_decide", "data": {"approve": "0", "opinion": ""}},
                          content_type="application/json")
    assert refused.status_code in (400, 409) and refused.json()["rule"] == "penalty.transfer.decide"
    assert client.post(url, {"step": "transfer_decide", "data": {"approve": "1", "opinion": "同意"}},
                       content_type="application/json").status_code == 200
    assert case.transfers.get().status == TransferStatus.APPROVED
    client.force_login(other_world.leader)
    assert client.post(url, {"step": "transfer_decide", "data": {"approve": "1"}},
                       content_type="application/json").status_code == 404


def test_transition_labels_and_step_titles_follow_the_reader():
    from enforcement.procedure import CASE
    from enforcement.views import STEP_TITLES

    with translation.override("en"):
        assert str(CASE.get("file").label) == "Approve filing"
        assert str(STEP_TITLES["decide"]) == "Make decision"
    with translation.override("zh-hans"):
        assert str(CASE.get("file").label) == "批准立案"
