"""Services: the ordinary and summary procedures, each guard refused with its rule, clocks, late fine,
the powers-list import and the 卷宗 export."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from audit.models import AuditEntry
from clocks.models import Clock
from core.errors import DomainError, TransitionError
from enforcement import services
from enforcement.models import Case, CaseStatus, EvidenceKind, Matter, Outcome, PartyKind, Publication, ReviewResult

pytestmark = pytest.mark.django_db


def open_case(w, **kw):
    kw.setdefault("officers", [w.a, w.b])
    return services.case_open(town=w.town, matter=w.matter, actor=w.officer, party_name="张三", facts="占道经营。",
                              party_id_number="500101199001011234", party_phone="13900001111",
                              party_address="和平村3组12号", **kw)


def to_notice(w, *, fine="500", hearing=False, **kw):
    case = open_case(w, **kw)
    services.case_file(case=case, actor=w.leader)
    services.case_fire(case=case, action="investigate", actor=w.officer)
    services.evidence_add(case=case, kind=EvidenceKind.INSPECTION_RECORD, title="现场检查笔录", actor=w.officer,
                          officers=[w.a, w.b], credentials_shown=True, description="现场摆放水果摊三处。")
    services.evidence_add(case=case, kind=EvidenceKind.PHOTO, title="现场照片", actor=w.officer,
                          upload=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"x" * 50, content_type="image/jpeg"))
    services.case_fire(case=case, action="close_investigation", actor=w.officer)
    services.notice_serve(case=case, proposed_penalty=f"罚款{fine}元", proposed_fine=fine,
                          hearing_offered=hearing, actor=w.officer)
    return case


def clock_of(case, code):
    return Clock.objects.filter(object_id=case.pk, rule_code=code).order_by("-id").first()


def test_ordinary_case_end_to_end(world):
    w = world
    case = to_notice(w)
    assert case.status == CaseStatus.NOTICE_SERVED
    decision_clock = clock_of(case, "penalty.decision")
    assert decision_clock.start_date == case.filed_on and decision_clock.length == 90
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision_number.startswith("甲镇罚决〔")
    assert clock_of(case, "penalty.decision").status == "met"
    assert clock_of(case, "enfpub.after.penalty_license").status == "running"
    services.case_serve(case=case, method="direct", actor=w.officer)
    pay = clock_of(case, "penalty.fine.payment")
    assert pay.length == 15 and pay.status == "running"
    services.payment_record(case=case, paid_on=case.served_on, amount="500", actor=w.officer)
    services.case_close(case=case, summary="罚款已缴纳，当事人已改正。", actor=w.leader)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    services.case_fire(case=case, action="archive", actor=w.leader)
    kinds = set(case_instruments(case))
    assert {"filing_approval", "inspection_record", "notice_of_intended_penalty", "penalty_decision",
            "proof_of_service", "closing_report"} <= kinds
    # personal data never in clear in the audit chain
    for entry in AuditEntry.objects.filter(object_type="enforcement.case", object_id=str(case.pk)):
        text = str(entry.before) + str(entry.after)
        assert "500101199001011234" not in text and "13900001111" not in text


def case_instruments(case):
    from instruments.models import Instrument

    return Instrument.objects.filter(object_id=str(case.pk), content_type__model="case").values_list(
        "kind__code", flat=True)


def test_decision_before_notice_refused(world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    services.case_fire(case=case, action="investigate", actor=w.officer)
    services.evidence_add(case=case, kind=EvidenceKind.DOCUMENT, title="营业执照复印件", actor=w.officer)
    services.case_fire(case=case, action="close_investigation", actor=w.officer)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款100元", fine="100",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.notice_first"
    assert "第四十四条" in str(exc.value)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATION_CLOSED


def test_missing_legal_review_in_art58_case_refused(world):
    w = world
    case = to_notice(w, complex_case=True)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.legal_review"
    services.review_submit(case=case, actor=w.officer)
    services.legal_review_record(case=case, result=ReviewResult.FAILED, opinion="证据不足。", actor=w.reviewer_user)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.legal_review"
    services.legal_review_record(case=case, result=ReviewResult.PASSED, opinion="同意。", actor=w.reviewer_user)
    # complex case: collective discussion also required (Art. 57 para 2)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.collective"
    services.discussion_record(case=case, held_on=dt.date.today(), participants="镇长、分管副镇长", minutes="讨论。",
                               conclusion="同意罚款500元。", actor=w.leader)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_reviewer_must_be_qualified_and_not_an_officer(world, make_user):
    w = world
    case = to_notice(w, complex_case=True)
    services.review_submit(case=case, actor=w.officer)
    from access.roles import Role

    unqualified = make_user(Role.LEGAL_REVIEWER, username="newbie")
    services.reviewer_set(town=w.town, user=unqualified, name="新人", qualification_number="", actor=w.leader)
    with pytest.raises(DomainError) as exc:
        services.legal_review_record(case=case, result=ReviewResult.PASSED, opinion="同意。", actor=unqualified)
    assert exc.value.rule == "penalty.guard.reviewer_qualified"


def test_one_officer_only_refused(world):
    w = world
    case = open_case(w, officers=[w.a])
    services.case_file(case=case, actor=w.leader)
    with pytest.raises(DomainError) as exc:
        services.case_fire(case=case, action="investigate", actor=w.officer)
    assert exc.value.rule == "penalty.guard.two_officers"
    with pytest.raises(DomainError) as exc:
        services.evidence_add(case=case, kind=EvidenceKind.INTERVIEW_RECORD, title="询问笔录", actor=w.officer,
                              officers=[w.a], credentials_shown=True)
    assert exc.value.rule == "penalty.guard.two_officers"


def test_expired_certificate_cannot_act(world):
    w = world
    case = open_case(w, officers=[w.a, w.expired])
    services.case_file(case=case, actor=w.leader)
    with pytest.raises(DomainError) as exc:
        services.case_fire(case=case, action="investigate", actor=w.officer)
    assert exc.value.rule == "penalty.guard.two_officers"
    assert "过期员" in str(exc.value)
    with pytest.raises(DomainError):
        services.case_set_officers(case=case, officers=[w.a, w.expired], actor=w.officer)


def test_credentials_shown_required(world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    with pytest.raises(DomainError) as exc:
        services.evidence_add(case=case, kind=EvidenceKind.INTERVIEW_RECORD, title="询问笔录", actor=w.officer,
                              officers=[w.a, w.b], credentials_shown=False)
    assert exc.value.rule == "penalty.guard.credentials_shown"


@pytest.mark.parametrize("kind,fine,rule", [(PartyKind.PERSON, "201", "penalty.summary.max_fine.person"),
                                            (PartyKind.ORG, "3000.01", "penalty.summary.max_fine.org")])
def test_summary_above_threshold_refused(world, kind, fine, rule):
    w = world
    before = Case.objects.count()
    with pytest.raises(DomainError) as exc:
        services.case_summary_decide(town=w.town, matter=w.matter, actor=w.officer, party_name="某商店",
                                     party_kind=kind, facts="占道。", penalty_text="罚款", fine=fine,
                                     officers=[w.a, w.b], party_address="和平村")
    assert exc.value.rule == rule
    assert Case.objects.count() == before  # nothing half-written


def test_summary_procedure_within_threshold(world):
    w = world
    case = services.case_summary_decide(town=w.town, matter=w.matter, actor=w.officer, party_name="李四",
                                        facts="占道经营。", penalty_text="罚款200元", fine="200",
                                        officers=[w.a, w.b], party_address="和平村")
    assert case.status == CaseStatus.DECIDED_ON_SPOT and case.decision_number.startswith("甲镇当罚〔")
    assert clock_of(case, "penalty.summary.file").status == "running"
    services.case_serve(case=case, method="direct", actor=w.officer)
    services.case_fire(case=case, action="file_with_agency", actor=w.officer)
    assert clock_of(case, "penalty.summary.file").status == "met"
    services.payment_record(case=case, paid_on=dt.date.today(), amount="200", actor=w.officer)
    services.case_close(case=case, summary="已缴纳。", actor=w.leader)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_hearing_offered_required_above_threshold_and_host_guard(world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    services.case_fire(case=case, action="investigate", actor=w.officer)
    services.evidence_add(case=case, kind=EvidenceKind.DOCUMENT, title="书证", actor=w.officer)
    services.case_fire(case=case, action="close_investigation", actor=w.officer)
    with pytest.raises(DomainError) as exc:
        services.notice_serve(case=case, proposed_penalty="罚款6000元", proposed_fine="6000", actor=w.officer)
    assert exc.value.rule == "penalty.guard.hearing_offered"
    services.notice_serve(case=case, proposed_penalty="罚款6000元", proposed_fine="6000", hearing_offered=True,
                          actor=w.officer)
    assert clock_of(case, "penalty.hearing.request").length == 5
    services.hearing_request(case=case, actor=w.officer)
    with pytest.raises(DomainError) as exc:
        services.hearing_hold(case=case, host=w.officer, held_on=dt.date.today(), record_text="笔录", signed=True,
                              actor=w.officer)
    assert exc.value.rule == "penalty.guard.hearing_host"
    with pytest.raises(DomainError) as exc:
        services.review_submit(case=case, actor=w.officer)
    assert exc.value.rule == "penalty.guard.hearing_record"
    services.hearing_hold(case=case, host=w.leader, held_on=dt.date.today(), record_text="当事人陈述。", signed=True,
                          actor=w.officer)
    services.review_submit(case=case, actor=w.officer)
    case.refresh_from_db()
    assert case.legal_review_mandatory  # heard → Art. 58 (2)
    # no heavier penalty than notified
    services.legal_review_record(case=case, result=ReviewResult.PASSED, opinion="同意。", actor=w.reviewer_user)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款7000元", fine="7000",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.no_heavier"


def test_hearing_notice_seven_working_days(world):
    w = world
    case = to_notice(w, fine="6000", hearing=True)
    services.hearing_request(case=case, actor=w.officer)
    held = dt.date(2026, 6, 15)  # Monday
    with pytest.raises(DomainError) as exc:
        services.hearing_hold(case=case, host=w.leader, held_on=held, record_text="笔录", signed=True,
                              actor=w.officer, notice_date=dt.date(2026, 6, 10))
    assert exc.value.rule == "penalty.hearing.notice"
    services.hearing_hold(case=case, host=w.leader, held_on=held, record_text="笔录", signed=True,
                          actor=w.officer, notice_date=dt.date(2026, 6, 3))


def test_late_fine_uses_registry_rate_and_cap(world):
    w = world
    case = to_notice(w, fine="1000")
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款1000元", fine="1000",
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    due = services.payment_due_date(case)
    assert services.late_fine_for(case, due) == Decimal("0.00")
    assert services.late_fine_for(case, due + dt.timedelta(days=2)) == Decimal("60.00")
    assert services.late_fine_for(case, due + dt.timedelta(days=400)) == Decimal("1000.00")
    with pytest.raises(DomainError) as exc:
        services.payment_record(case=case, paid_on=due + dt.timedelta(days=2), amount="1000", actor=w.officer)
    assert exc.value.rule == "penalty.late_fine"
    services.payment_record(case=case, paid_on=due + dt.timedelta(days=2), amount="1060", actor=w.officer)
    assert Case.objects.get(pk=case.pk).late_fine == Decimal("60.00")


def test_close_requires_full_record_and_eservice_consent(world):
    w = world
    case = to_notice(w, fine="500")
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader, party_present=False)
    assert clock_of(case, "penalty.serve").unit == "wd"
    with pytest.raises(DomainError) as exc:
        services.case_serve(case=case, method="electronic", actor=w.officer)
    assert exc.value.rule == "penalty.guard.e_service"
    services.case_serve(case=case, method="electronic", eservice_consent=True, actor=w.officer)
    assert clock_of(case, "penalty.serve").status == "met"
    with pytest.raises(DomainError) as exc:
        services.case_close(case=case, summary="结案", actor=w.leader)
    assert exc.value.rule == "penalty.guard.full_record"


def test_correction_order_required(world):
    w = world
    case = to_notice(w)
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                             correction_ordered=False, actor=w.leader)
    assert exc.value.rule == "penalty.guard.correction_order"


def test_power_guard(world):
    w = world
    w.matter.source_document = ""
    w.matter.save()
    with pytest.raises(DomainError) as exc:
        open_case(w)
    assert exc.value.rule == "penalty.guard.power"


def test_limitation_guard(world):
    w = world
    with pytest.raises(DomainError) as exc:
        open_case(w, act_date=dt.date.today() - dt.timedelta(days=800))
    assert exc.value.rule == "penalty.guard.limitation"


def test_permissions(world):
    w = world
    case = open_case(w)
    with pytest.raises(PermissionDenied):
        services.case_file(case=case, actor=w.officer)  # only the head approves filing
    with pytest.raises(TransitionError):
        services.case_fire(case=case, action="investigate", actor=w.officer)


def test_preservation_clock(world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    evidence = services.evidence_add(case=case, kind=EvidenceKind.DOCUMENT, title="账册", preserved=True,
                                     actor=w.officer)
    clock = clock_of(case, "penalty.preservation.decide")
    assert clock.length == 7 and clock.unit == "wd"
    services.preservation_decide(evidence=evidence, decision="解除保存，退还当事人。", actor=w.officer)
    assert clock_of(case, "penalty.preservation.decide").status == "met"


def test_publication_deidentified_and_withdrawn(world):
    w = world
    case = open_case(w)
    case.facts = "张三（身份证500101199001011234，电话13900001111）在和平村3组12号占道经营。"
    case.save()
    services.case_file(case=case, actor=w.leader)
    services.case_fire(case=case, action="investigate", actor=w.officer)
    services.evidence_add(case=case, kind=EvidenceKind.DOCUMENT, title="书证", actor=w.officer)
    services.case_fire(case=case, action="close_investigation", actor=w.officer)
    services.notice_serve(case=case, proposed_penalty="罚款500元", proposed_fine="500", actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    publication = services.publication_publish(case=case, actor=w.leader)
    text = publication.party + publication.summary
    assert "500101199001011234" not in text and "13900001111" not in text and "张三" not in text
    assert publication.party == "张某"
    assert clock_of(case, "enfpub.after.penalty_license").status == "met"
    with pytest.raises(DomainError):
        services.publication_withdraw(publication=publication, reason="", actor=w.leader)
    services.publication_withdraw(publication=publication, reason="决定已被撤销。", actor=w.leader)
    assert Publication.objects.get(pk=publication.pk).withdrawn_on is not None


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append([label for _name, label in services.IMPORT_COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "matters.xlsx"
    return buffer


def _row(code, source="法定", document=""):
    return [code, "对乱倒垃圾的处罚", "行政处罚", "人居环境", source, document, "", "城市市容和环境卫生管理条例",
            "第三十四条", "", "警告、罚款", 50, 500, "初次：警告；再次：罚款200元", "是", "", "", "", "否",
            "执法事务岗", "拍照\n询问"]


def test_matter_import_all_or_nothing(world):
    w = world
    count = Matter.objects.count()
    audit_count = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.matter_import(town=w.town, file=_workbook([_row("R1"), _row("R2", source="赋权"), _row("R1")]),
                               actor=w.leader)
    rows = [r for r, _m in exc.value.extra["errors"]]
    assert rows == [3, 4]
    assert Matter.objects.count() == count and AuditEntry.objects.count() == audit_count
    result = services.matter_import(town=w.town, file=_workbook([_row("R1"), _row("R2", "赋权", "渝府发〔2023〕1号")]),
                                    actor=w.leader)
    assert result == {"created": 2, "updated": 0}
    matter = Matter.objects.get(town=w.town, code="R1")
    assert matter.discretion == [{"circumstance": "初次", "range": "警告"},
                                 {"circumstance": "再次", "range": "罚款200元"}]
    assert matter.summary_allowed and matter.checklist_items == ["拍照", "询问"]


def test_casefile_zip_verifies_and_detects_change(world):
    w = world
    case = to_notice(w)
    data = services.casefile_zip(case=case, actor=w.leader)
    assert services.casefile_verify(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "manifest.json" in names and "SM3SUMS" in names
    target = next(n for n in names if n.startswith("instruments/"))
    # change one byte of one document
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as tampered:
        for name in names:
            content = archive.read(name)
            if name == target:
                content = content[:100] + bytes([content[100] ^ 1]) + content[101:]
            tampered.writestr(name, content)
    problems = services.casefile_verify(out.getvalue())
    assert len(problems) == 1 and target in problems[0]


def test_case_from_event_links_through_events_selectors(world):
    from events.tests.factories import EventFactory

    w = world
    event = EventFactory(town=w.town)
    from access.roles import Role  # noqa: F401  (officers may view events: events.view)

    case = open_case(w, event_id=event.pk)
    assert case.event_id == event.pk and case.source == "event"


def test_verify_command(world, tmp_path):
    from django.core.management import CommandError, call_command

    w = world
    case = to_notice(w)
    path = tmp_path / "casefile.zip"
    path.write_bytes(services.casefile_zip(case=case, actor=w.leader))
    out = io.StringIO()
    call_command("enforcement_verify_casefile", str(path), stdout=out)
    assert "校验通过" in out.getvalue()
    data = bytearray(path.read_bytes())
    # flip one byte inside the first stored document (after its local header)
    data[200] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("enforcement_verify_casefile", str(path), stdout=io.StringIO())


def test_demand_then_court_application_then_close(world):
    w = world
    case = to_notice(w, fine="1000")
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款1000元", fine="1000",
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    due = services.payment_due_date(case)
    with pytest.raises(DomainError) as exc:
        services.demand_serve(case=case, actor=w.officer, on_date=due)
    assert exc.value.rule == "penalty.fine.payment"
    services.demand_serve(case=case, actor=w.officer, on_date=due + dt.timedelta(days=1))
    demand = clock_of(case, "penalty.enforce.demand")
    assert demand.length == 10 and demand.unit == "wd"
    with pytest.raises(DomainError) as exc:
        services.court_apply(case=case, court="某区人民法院", actor=w.officer, on_date=due + dt.timedelta(days=2))
    assert exc.value.rule == "penalty.enforce.demand"
    services.court_apply(case=case, court="某区人民法院", actor=w.officer, on_date=demand.due_date)
    assert {"demand_notice", "enforcement_application", "correction_order"} <= set(case_instruments(case))
    services.case_close(case=case, summary="已申请法院强制执行。", actor=w.leader)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_revocation_withdraws_publication(world):
    w = world
    case = to_notice(w)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    publication = services.publication_publish(case=case, actor=w.leader)
    with pytest.raises(DomainError):
        services.decision_revoke(case=case, reason=" ", actor=w.leader)
    services.decision_revoke(case=case, reason="经复查，认定事实不清，决定撤销。", actor=w.leader)
    publication.refresh_from_db()
    assert publication.withdrawn_on and "撤销" in publication.withdraw_reason
    assert clock_of(case, "penalty.withdraw").status == "met"


def test_recusal(world):
    from enforcement.tests.factories import OfficerFactory

    w = world
    c = OfficerFactory(town=w.town, name="回避员")
    case = open_case(w, officers=[w.a, w.b, c])
    with pytest.raises(PermissionDenied):
        services.recusal_decide(case=case, officer=c, reason="与当事人有亲属关系。", actor=w.officer)
    services.recusal_decide(case=case, officer=c, reason="与当事人有亲属关系。", actor=w.leader)
    assert list(case.officers.all()) == [w.a, w.b] or set(case.officers.all()) == {w.a, w.b}
    with pytest.raises(DomainError) as exc:
        services.case_set_officers(case=case, officers=[w.a, c], actor=w.officer)
    assert exc.value.rule == "penalty.guard.recusal"


def test_statement_and_renotice_for_a_heavier_penalty(world):
    w = world
    case = to_notice(w, fine="500")
    with pytest.raises(DomainError):
        services.statement_record(case=case, statement="", review="", actor=w.officer)
    services.statement_record(case=case, statement="初次违法，请求从轻。", review="不予采纳：情节不属轻微。",
                              actor=w.officer)
    assert clock_of(case, "penalty.statement.window").status == "met"
    with pytest.raises(DomainError) as exc:
        services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款800元", fine="800",
                             correction_ordered=True, actor=w.leader)
    assert exc.value.rule == "penalty.guard.no_heavier"
    services.notice_serve(case=case, proposed_penalty="罚款800元", proposed_fine="800", actor=w.officer)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款800元", fine="800",
                         correction_ordered=True, actor=w.leader)
    assert "statement_record" in set(case_instruments(case))


def test_payment_deferral_extends_the_clock_once(world):
    from e2e.helpers import seed_calendar_around_today

    seed_calendar_around_today()  # the extended date may fall in next year
    w = world
    case = to_notice(w, fine="1000")
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款1000元", fine="1000",
                         correction_ordered=True, actor=w.leader)
    services.case_serve(case=case, method="direct", actor=w.officer)
    due = services.payment_due_date(case)
    with pytest.raises(PermissionDenied):
        services.payment_defer(case=case, days=30, reason="经营困难", actor=w.officer)
    services.payment_defer(case=case, days=30, reason="经营困难，申请暂缓。", actor=w.leader)
    assert services.payment_due_date(case) > due
    assert services.late_fine_for(case, due + dt.timedelta(days=5)) == Decimal("0.00")
    with pytest.raises(DomainError) as exc:
        services.payment_defer(case=case, days=10, reason="再次申请", actor=w.leader)
    assert exc.value.rule == "penalty.fine.payment"
    assert "payment_deferral" in set(case_instruments(case))


def test_case_numbers_are_one_series_in_any_language(world):
    """The case number is an official identifier: a user reading English still gets 〔…执案〔年〕N号〕."""
    from django.utils import translation

    first = open_case(world)
    with translation.override("en"):
        second = open_case(world)
    prefix = f"{world.town.abbreviation}执案〔"
    assert first.number.startswith(prefix) and second.number.startswith(prefix)
    assert int(second.number[len(prefix) + 5:-1]) == int(first.number[len(prefix) + 5:-1]) + 1
