"""The mediation and petition procedures: guards naming their rules, clocks by rule code, audit."""

import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from clocks.models import Clock
from core.errors import DomainError
from disputes import services
from disputes.models import Dispute, Lead, Petition

pytestmark = pytest.mark.django_db

PARTIES = [{"side": "applicant", "name": "张三丰", "phone": "13900001111", "address": "青石村3组12号"},
           {"side": "respondent", "name": "李四光", "phone": "13900002222", "address": "青石村3组14号"}]


def clocks_of(obj):
    return {c.rule_code: c for c in Clock.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)}


def register(world, **kwargs):
    params = {"town": world.town, "actor": world.users.mediator, "kind": "neighbour", "summary": "排水沟纠纷",
              "committee": world.committee, "mediator": world.mediator, "parties": PARTIES, "grid": world.grid,
              "place": "青石村3组"} | kwargs
    return services.dispute_register(**params)


def mediate(world, dispute, sessions=2):
    for party in dispute.parties.all():
        services.party_consent(party=party, actor=world.users.mediator, consent="agreed")
    services.dispute_accept(dispute=dispute, actor=world.users.mediator)
    for i in range(sessions):
        services.session_add(dispute=dispute, actor=world.users.mediator, held_on=timezone.localdate(),
                             place="村调解室", attendees="双方当事人、调解员", record_text=f"第{i + 1}次调解")
    return dispute


def test_register_encrypts_contacts_and_grades_risk(world):
    dispute = register(world, amount="150000")
    assert dispute.risk == "red" and dispute.level == "village"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, name FROM disputes_party WHERE dispute_id = %s", [dispute.pk])
        raw = cursor.fetchone()
    assert "13900001111" not in raw[0] and "张三丰" not in raw[1]
    assert "mediation.risk_report" in clocks_of(dispute)
    assert AuditEntry.objects.filter(action="disputes.dispute_register", object_id=str(dispute.pk)).exists()


def test_recurrence_raises_an_early_warning(world):
    first = register(world)
    assert first.warning == "" and first.risk == "green"
    second = register(world, parties=[PARTIES[0], {"side": "respondent", "name": "赵六"}], place="别处")
    assert first.code in second.warning and second.risk == "yellow"


def test_consent_guard_refusal_ends_mediation(world):
    dispute = register(world)
    parties = list(dispute.parties.all())
    services.party_consent(party=parties[0], actor=world.users.mediator, consent="agreed")
    with pytest.raises(DomainError) as exc:
        services.dispute_accept(dispute=dispute, actor=world.users.mediator)
    assert exc.value.rule == "mediation.guard.consent"
    services.party_consent(party=parties[1], actor=world.users.mediator, consent="refused")
    with pytest.raises(DomainError) as exc:
        services.dispute_accept(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator)
    assert exc.value.rule == "mediation.guard.consent" and "拒绝" in str(exc.value)
    dispute = services.dispute_refuse(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator,
                                      reason="李四光明确表示不接受调解，已告知可向法院起诉")
    assert dispute.status == "refused" and dispute.outcome == "refused"
    services.dispute_close(dispute=dispute, actor=world.users.lead)
    assert Dispute.objects.get(pk=dispute.pk).status == "closed"


def test_written_agreement_effective_only_when_all_signed_and_sealed(world):
    dispute = mediate(world, register(world))
    agreement = services.agreement_make(dispute=dispute, actor=world.users.mediator, kind="written",
                                        terms="李四光于十日内疏通排水沟。", performance_days=10)
    assert agreement.instrument.number and "调协" in agreement.instrument.number
    with zipfile.ZipFile(io.BytesIO(agreement.instrument.file.read())) as docx:
        assert "word/document.xml" in docx.namelist()
    dispute = Dispute.objects.get(pk=dispute.pk)
    with pytest.raises(DomainError) as exc:
        services.agreement_effect(dispute=dispute, actor=world.users.mediator)
    assert exc.value.rule == "mediation.agreement.effective"
    parties = list(dispute.parties.all())
    for p in parties:
        services.agreement_sign(dispute=dispute, actor=world.users.mediator, party=p)
    services.agreement_sign(dispute=dispute, actor=world.users.mediator, mediator=True)
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.status == "signing"  # no seal yet
    with pytest.raises(DomainError) as exc:
        services.agreement_effect(dispute=dispute, actor=world.users.mediator)
    assert exc.value.rule == "mediation.agreement.effective" and "印章" in str(exc.value)
    services.agreement_sign(dispute=dispute, actor=world.users.mediator, seal=True)
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.status == "performing" and dispute.agreement.effective_on == timezone.localdate()
    clocks = clocks_of(dispute)
    confirmation = clocks["mediation.judicial_confirmation"]
    assert confirmation.start_date == timezone.localdate() and confirmation.length == 30
    assert clocks["mediation.performance"].length == 10


def test_archive_guard_and_full_journey(world):
    dispute = mediate(world, register(world))
    with pytest.raises(DomainError) as exc:
        services.dispute_close(dispute=dispute, actor=world.users.lead)
    assert exc.value.rule.startswith("procedure.")  # not closable while mediating
    services.agreement_make(dispute=dispute, actor=world.users.mediator, kind="oral", terms="当场赔偿200元。")
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.status == "performing" and "mediation.judicial_confirmation" in clocks_of(dispute)
    with pytest.raises(DomainError):
        services.dispute_return_visit(dispute=dispute, actor=world.users.mediator, visit_note="", performance="full")
    services.dispute_return_visit(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator,
                                  visit_note="双方关系恢复", performance="full")
    services.confirmation_set(dispute=dispute, actor=world.users.mediator, confirmation="declined")
    dispute = services.dispute_close(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.lead)
    assert dispute.status == "closed" and dispute.closed_on
    assert clocks_of(dispute)["mediation.judicial_confirmation"].status == "met"


def test_archive_guard_refuses_an_incomplete_file(world):
    dispute = register(world)
    Dispute.objects.filter(pk=dispute.pk).update(status="terminated", outcome="terminated")
    with pytest.raises(DomainError) as exc:
        services.dispute_close(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.lead)
    assert exc.value.rule == "mediation.guard.archive"
    assert Dispute.objects.get(pk=dispute.pk).status == "terminated"


def test_termination_needs_a_route_and_transfers(world):
    dispute = mediate(world, register(world), sessions=1)
    with pytest.raises(DomainError) as exc:
        services.dispute_terminate(dispute=dispute, actor=world.users.mediator, route="", reason="分歧过大")
    assert exc.value.rule == "mediation.terminate"
    dispute = services.dispute_terminate(dispute=dispute, actor=world.users.mediator, route="litigation",
                                         reason="分歧过大，已告知可向人民法院起诉")
    assert dispute.level == "transferred" and dispute.status == "terminated"
    assert services.dispute_close(dispute=dispute, actor=world.users.lead).status == "closed"


def test_invitees_need_consent(world):
    dispute = mediate(world, register(world), sessions=0)
    with pytest.raises(DomainError) as exc:
        services.session_add(dispute=dispute, actor=world.users.mediator, held_on=timezone.localdate(), place="村委",
                             attendees="双方", record_text="记录", invitees="村民代表王某")
    assert exc.value.rule == "mediation.guard.invitees"


def test_committee_composition_guard(world):
    with pytest.raises(DomainError) as exc:
        services.committee_save(town=world.town, actor=world.users.lead, name="新委员会", level="town", members=2,
                                women_members=1, term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31))
    assert exc.value.rule == "mediation.guard.committee"
    with pytest.raises(DomainError) as exc:
        services.committee_save(town=world.town, actor=world.users.lead, name="新委员会", level="town", members=5,
                                women_members=0, term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31))
    assert exc.value.rule == "mediation.guard.committee"


def test_lead_from_screening_and_conversion(world):
    round_ = services.screening_plan(town=world.town, month=timezone.localdate(), actor=world.users.lead)[0]
    services.screening_complete(round_=round_, actor=world.users.worker, households=120, note="全面排查",
                                findings=[{"kind": "land", "summary": "承包地边界争议", "place": "2组"}])
    lead = Lead.objects.get(screening=round_)
    assert lead.source == "screening" and lead.risk == "yellow"
    dispute = register(world, lead=lead)
    assert Lead.objects.get(pk=lead.pk).status == "converted" and dispute.lead_id == lead.pk


def test_petition_classify_guard_and_clocks(world):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="visit",
                                          petitioner_name="王五", subject="补偿款", content="补偿款未发放")
    assert clocks_of(petition)["petition.ack.direct"].length == 15
    with pytest.raises(DomainError) as exc:
        services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="", route="petition")
    assert exc.value.rule == "petition.guard.classify"
    services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                               route="petition", handling_unit="农业服务中心")
    clocks = clocks_of(petition)
    assert clocks["petition.ack.direct"].status == "met" and clocks["petition.handle"].length == 60
    services.petition_extend(petition=petition, actor=world.users.dispatcher, approver=world.users.leader, days=30,
                             reason="需核实多年账目", notice="已电话并书面告知信访人")
    assert Clock.objects.get(pk=clocks["petition.handle"].pk).extended_by == 30
    with pytest.raises(DomainError):
        services.petition_extend(petition=petition, actor=world.users.dispatcher, approver=world.users.leader,
                                 days=10, reason="再延", notice="已告知")
    petition = services.petition_answer(petition=Petition.objects.get(pk=petition.pk), actor=world.users.dispatcher,
                                        opinion="support", opinion_text="经核实，补发补偿款。")
    assert petition.opinion_instrument_id and clocks_of(petition)["petition.review"].length == 30
    for action, text in [("request_review", ""), ("review_done", "维持"), ("request_recheck", ""),
                         ("recheck_done", "维持")]:
        petition = services.petition_step(petition=Petition.objects.get(pk=petition.pk), actor=world.users.dispatcher,
                                          action=action, text=text)
    assert petition.status == "rechecked"
    assert clocks_of(petition)["petition.recheck.answer"].status == "met"


def test_petition_diverted_to_statutory_route(world):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="transferred",
                                          petitioner_name="赵七", subject="劳动报酬", content="工资被拖欠")
    assert {"petition.ack.transferred", "petition.objection"} <= set(clocks_of(petition))
    petition = services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                                          route="arbitration", reason="属劳动争议仲裁范围")
    assert petition.status == "diverted" and "petition.handle" not in clocks_of(petition)


def test_petition_routed_to_mediation_becomes_a_lead(world):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="visit",
                                          petitioner_name="钱八", subject="相邻通行", content="邻居堵路",
                                          grid=world.grid)
    services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                               route="mediation", reason="引导人民调解")
    lead = Lead.objects.get(petition=petition)
    assert lead.source == "petition" and lead.grid_id == world.grid.pk


def test_every_audit_action_has_a_label(world):
    from audit.labels import action_label
    from disputes.audit_labels import LABELS

    dispute = mediate(world, register(world))
    services.agreement_make(dispute=dispute, actor=world.users.mediator, kind="oral", terms="道歉")
    actions = set(AuditEntry.objects.filter(action__startswith="disputes.").values_list("action", flat=True))
    assert actions <= set(LABELS)
    assert str(action_label("disputes.dispute.accept")) == "开始调解"


def test_monthly_screening_is_planned_once(world, other_world):
    assert services.screening_plan_all() == 2  # one village in each town
    assert services.screening_plan_all() == 0
    assert AuditEntry.objects.filter(action="disputes.screening_plan").count() == 2


def test_screening_job_is_scheduled_and_runs(world):
    from clocks.scheduling import all_jobs
    from disputes.tasks import plan_screening

    job = next(j for j in all_jobs() if j.name == "disputes.screening_plan")
    assert job.task == "disputes.tasks.plan_screening"
    assert plan_screening.call() == 1
