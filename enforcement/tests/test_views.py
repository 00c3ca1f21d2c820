"""Pages: allowed, forbidden, other town, bad input (clear message, nothing written), query budgets,
Excel exports, the case page driving a case, public pages without personal data."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from enforcement import services
from enforcement.models import Case, CaseStatus, EvidenceKind, Matter, Outcome
from enforcement.tests.factories import CaseFactory
from enforcement.tests.test_services import open_case, to_notice

pytestmark = pytest.mark.django_db

ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def login(client, user):
    client.force_login(user)
    return client


def test_case_list_filters_paginates_exports(client, world, django_assert_max_num_queries):
    w = world
    for _ in range(3):
        CaseFactory(town=w.town, matter=w.matter)
    login(client, w.leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("enforcement:cases"), {"status": "lead"})
    assert response.status_code == 200 and response.content.decode().count('data-testid="case-link"') == 3
    export = client.get(reverse("enforcement:cases"), {"export": "xlsx", "status": "lead"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row >= 4
    assert AuditEntry.objects.filter(action="enforcement.case_export").exists()


def test_case_page_budget_and_guidance(client, world, django_assert_max_num_queries):
    w = world
    case = to_notice(w)
    login(client, w.leader)
    client.get(reverse("core:home"))  # the session is refreshed at most once a minute
    with django_assert_max_num_queries(10):
        response = client.get(reverse("enforcement:case_detail", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="procedure-steps"' in html and "核实经营地点" in html  # the matter's checklist
    assert "行政处罚事先告知书" in html  # instrument listed
    assert 'data-testid="step-decide"' in html  # the leader may decide now
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    services.publication_publish(case=case, actor=w.leader)
    for user in (w.leader, w.officer, w.reviewer_user):
        login(client, user)
        client.get(reverse("core:home"))
        with django_assert_max_num_queries(10):
            assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 200


def test_other_town_case_is_404(client, world, other_world):
    case = open_case(other_world)
    login(client, world.leader)
    assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 404


def test_decision_guard_shown_as_message(client, world):
    w = world
    case = to_notice(w, complex_case=True)
    login(client, w.leader)
    before = AuditEntry.objects.count()
    response = client.post(reverse("enforcement:case_step", args=[case.pk, "decide"]), {
        "decide-outcome": Outcome.PENALTY, "decide-penalty_text": "罚款500元", "decide-fine": "500",
        "decide-correction_ordered": "on", "decide-party_present": "on"}, follow=True)
    assert response.status_code == 200
    assert "未经法制审核" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_SERVED
    assert AuditEntry.objects.count() == before


def test_ordinary_case_through_the_pages(client, world):
    w = world
    login(client, w.officer)
    response = client.post(reverse("enforcement:case_create"), {
        "matter": w.matter.pk, "party_kind": "person", "party_name": "张三", "party_id_number": "500101199001011234",
        "party_phone": "13900001111", "party_address": "和平村3组12号", "source": "inspection", "facts": "占道经营。",
        "officers": [w.a.pk, w.b.pk]})
    case = Case.objects.get(town=w.town)
    assert response.status_code == 302
    login(client, w.leader)
    client.post(reverse("enforcement:case_act", args=[case.pk, "file"]))
    login(client, w.officer)
    client.post(reverse("enforcement:case_act", args=[case.pk, "investigate"]))
    client.post(reverse("enforcement:evidence_add", args=[case.pk]), {
        "kind": EvidenceKind.INSPECTION_RECORD, "title": "现场检查笔录", "officers": [w.a.pk, w.b.pk],
        "credentials_shown": "on", "description": "现场摆摊。"})
    client.post(reverse("enforcement:case_act", args=[case.pk, "close_investigation"]))
    client.post(reverse("enforcement:case_step", args=[case.pk, "serve_notice"]), {
        "serve_notice-proposed_penalty": "罚款200元", "serve_notice-proposed_fine": "200"})
    login(client, w.leader)
    client.post(reverse("enforcement:case_step", args=[case.pk, "decide"]), {
        "decide-outcome": Outcome.PENALTY, "decide-penalty_text": "罚款200元", "decide-fine": "200",
        "decide-correction_ordered": "on", "decide-party_present": "on"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED, case.status
    client.post(reverse("enforcement:publish", args=[case.pk]))
    public = client.get(reverse("enforcement:public_decisions", args=[w.town.code])).content.decode()
    assert case.decision_number in public and "张某" in public and "张三" not in public


def test_bad_evidence_input_writes_nothing(client, world):
    w = world
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    login(client, w.officer)
    before = AuditEntry.objects.count()
    response = client.post(reverse("enforcement:evidence_add", args=[case.pk]), {
        "kind": EvidenceKind.INTERVIEW_RECORD, "title": "询问笔录", "officers": [w.a.pk, w.b.pk]})
    assert response.status_code == 200 and "出示执法证件" in response.content.decode()
    assert case.evidence.count() == 0 and AuditEntry.objects.count() == before


def test_matter_pages_and_import_errors(client, world, django_assert_max_num_queries):
    w = world
    login(client, w.leader)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("enforcement:matters")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("enforcement:matter_detail", args=[w.matter.pk])).status_code == 200
    wb = Workbook()
    wb.active.append([label for _n, label in services.IMPORT_COLUMNS])
    wb.active.append(["X1", "事项", "行政处罚", "", "赋权", "", "", "条例"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "m.xlsx"
    count = Matter.objects.count()
    response = client.post(reverse("enforcement:matter_import"), {"file": buffer})
    assert response.status_code == 200 and "第 2 行" in response.content.decode()
    assert Matter.objects.count() == count
    export = client.get(reverse("enforcement:matters"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_officer_pages(client, world, django_assert_max_num_queries):
    w = world
    login(client, w.leader)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("enforcement:officers")).content.decode()
    assert w.a.credential in html and "无效" in html  # the expired one
    response = client.post(reverse("enforcement:officer_detail", args=[w.a.pk]),
                           {"year": 2026, "hours": "40", "exam_score": "92", "passed": "on"})
    assert response.status_code == 302 and w.a.trainings.get(year=2026).passed
    response = client.post(reverse("enforcement:officer_create"), {
        "name": "新人", "credential": w.a.credential, "valid_from": "2026-01-01", "valid_until": "2028-01-01",
        "post": "enf_casework"})
    assert "已登记" in response.content.decode()


def test_supervision_page(client, world, django_assert_max_num_queries):
    login(client, world.leader)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("enforcement:supervision")).status_code == 200


def test_casefile_download(client, world):
    w = world
    case = to_notice(w)
    login(client, w.leader)
    response = client.get(reverse("enforcement:casefile", args=[case.pk]))
    assert response["Content-Type"] == "application/zip"
    assert services.casefile_verify(response.content) == []


def test_public_pages_show_no_personal_data(client, world):
    """Crawl every public enforcement page: no unmasked ID number or mobile number."""
    w = world
    case = to_notice(w)
    Case.objects.filter(pk=case.pk).update(facts="张三（500101199001011234，13900001111）在和平村3组12号占道经营。")
    case.refresh_from_db()
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    publication = services.publication_publish(case=case, actor=w.leader)
    client.logout()
    seen, queue = set(), [reverse("enforcement:public_index", args=[w.town.code])]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not ID_RE.search(html), url
        assert not MOBILE_RE.search(html), url
        queue += [u for u in re.findall(r'href="(/enforcement/public/[^"]+)"', html) if u not in seen]
    assert reverse("enforcement:public_decision", args=[w.town.code, publication.pk]) in seen


def test_revoke_through_the_page_withdraws_the_public_entry(client, world):
    w = world
    case = to_notice(w)
    services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text="罚款500元", fine="500",
                         correction_ordered=True, actor=w.leader)
    publication = services.publication_publish(case=case, actor=w.leader)
    login(client, w.leader)
    html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-revoke"' in html
    response = client.post(reverse("enforcement:case_step", args=[case.pk, "revoke"]),
                           {"revoke-reason": "复议决定撤销原处罚决定。"})
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("enforcement:public_decision", args=[w.town.code, publication.pk])).content.decode()
    assert "已于" in page and "复议决定撤销原处罚决定" in page
    listing = client.get(reverse("enforcement:public_decisions", args=[w.town.code])).content.decode()
    assert case.decision_number not in listing


def test_recusal_through_the_page(client, world):
    w = world
    case = open_case(w)
    login(client, w.leader)
    client.get(reverse("core:home"))
    html = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-recusal"' in html
    response = client.post(reverse("enforcement:case_step", args=[case.pk, "recusal"]),
                           {"recusal-officer": w.b.pk, "recusal-reason": "与当事人系近亲属。"})
    assert response.status_code == 302
    assert list(case.recused.all()) == [w.b] and w.b not in case.officers.all()


def test_api_lists_and_transition(client, world):
    w = world
    case = open_case(w)
    client.force_login(w.leader)
    data = client.get("/api/v1/enforcement/cases/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows[0]["number"] == case.number and rows[0]["party"] == "张某"
    assert "500101199001011234" not in str(rows)
    response = client.post(f"/api/v1/enforcement/cases/{case.pk}/transition/", {"action": "file"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "filed"
    response = client.post(f"/api/v1/enforcement/cases/{case.pk}/transition/", {"action": "archive"},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["rule"]
    client.force_login(w.officer)
    assert client.post(f"/api/v1/enforcement/cases/{case.pk}/transition/", {"action": "archive"},
                       content_type="application/json").status_code == 403


def test_reviewer_registration_and_officer_edit(client, world, make_user):
    from access.roles import Role

    w = world
    newbie = make_user(Role.LEGAL_REVIEWER, username="lawyer2")
    login(client, w.leader)
    response = client.post(reverse("enforcement:reviewers"), {"username": "nobody", "name": "某", "active": "on"})
    assert "没有该登录账号" in response.content.decode()
    response = client.post(reverse("enforcement:reviewers"), {"username": "lawyer2", "name": "钱律",
                                                              "qualification_number": "A2021", "active": "on"})
    assert response.status_code == 302
    assert w.town.pk and newbie.pk
    from enforcement.models import Reviewer

    assert Reviewer.objects.get(user=newbie).qualification_number == "A2021"
    response = client.post(reverse("enforcement:officer_edit", args=[w.a.pk]), {
        "name": w.a.name, "valid_from": "2027-01-01", "valid_until": "2026-01-01", "post": "enf_casework",
        "active": "on"})
    assert response.status_code == 200 and "不能晚于" in response.content.decode()
    response = client.post(reverse("enforcement:officer_edit", args=[w.a.pk]), {
        "name": w.a.name, "valid_from": "2025-01-01", "valid_until": "2025-12-31", "post": "enf_casework",
        "active": "on"})
    assert response.status_code == 302
    w.a.refresh_from_db()
    assert not w.a.credential_valid(w.a.valid_until + __import__("datetime").timedelta(days=1))


def test_summary_procedure_through_the_page(client, world):
    w = world
    login(client, w.officer)
    data = {"matter": w.matter.pk, "party_kind": "person", "party_name": "李四", "party_address": "和平村",
            "facts": "占道经营。", "penalty_text": "罚款300元", "fine": "300", "officers": [w.a.pk, w.b.pk]}
    response = client.post(reverse("enforcement:summary_create"), data)
    assert response.status_code == 200 and "200" in response.content.decode()  # the threshold in the message
    assert not Case.objects.filter(town=w.town).exists()
    data.update(fine="200", penalty_text="罚款200元")
    response = client.post(reverse("enforcement:summary_create"), data)
    assert response.status_code == 302
    assert Case.objects.get(town=w.town).status == CaseStatus.DECIDED_ON_SPOT


def test_home_panels(client, world, django_assert_max_num_queries):
    w = world
    case = open_case(w)
    for user in (w.officer, w.leader):
        login(client, user)
        client.get(reverse("core:home"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("core:home"))
        assert response.status_code == 200
    login(client, w.officer)
    assert "enforcement_mine" in client.get(reverse("core:home")).content.decode()
    with django_assert_max_num_queries(10):
        panel = client.get(reverse("core:panel", args=["enforcement_mine"]))
    assert panel.status_code == 200 and case.number in panel.content.decode()
    login(client, w.leader)
    panel = client.get(reverse("core:panel", args=["enforcement_overview"]))
    assert panel.status_code == 200 and 'open_only=on">1</a>' in panel.content.decode()  # one open case
