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
