import io
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from access.roles import Role
from audit import selectors
from audit.context import acting_as
from audit.models import AuditEntry, Verification
from audit.services import record
from core.crypto import sm3_hex


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR, username="aud1")


def warm(client, user):
    client.force_login(user)
    client.get(reverse("core:healthz"))


@pytest.fixture
def log(town, other_town, make_user):
    leader = make_user(Role.LEADER, username="leader_log")
    with acting_as(leader, channel="web", request_id="req-123"):
        a = record(action="org.village_update", obj=town, actor=leader, before={"name": "旧名"},
                   after={"name": "新名"}, reason="更正")
    b = record(action="accounts.login", obj=leader, actor=leader)
    c = record(action="org.secret", town=other_town, object_type="org.village", object_id="9")
    return {"update": a, "login": b, "other": c, "leader": leader}


@pytest.mark.django_db
def test_auditor_browses_the_log_and_the_read_is_audited(client, auditor, log, django_assert_max_num_queries):
    warm(client, auditor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit:entry_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "org.village_update" in body and "accounts.login" in body and "org.secret" not in body
    read = AuditEntry.objects.filter(action="audit.read").get()
    assert read.actor == auditor and read.after["shown"] >= 2

    response = client.get(reverse("audit:entry_list"), {"action": "accounts.", "actor": "leader_log"})
    body = response.content.decode()
    assert "accounts.login" in body and "org.village_update" not in body
    assert AuditEntry.objects.filter(action="audit.read").first().after["filters"] == {
        "action": "accounts.", "actor": "leader_log"}
    for params, visible in [({"request_id": "req-123"}, True), ({"channel": "api"}, False),
                            ({"object_type": "org.town", "object_id": str(log["update"].object_id)}, True),
                            ({"date_from": timezone.localdate().isoformat()}, True),
                            ({"date_to": (timezone.localdate() - timedelta(days=1)).isoformat()}, False)]:
        body = client.get(reverse("audit:entry_list"), params).content.decode()
        assert ("org.village_update" in body) is visible, params


@pytest.mark.django_db
def test_bad_filter_shows_a_message_and_no_rows(client, auditor, log):
    warm(client, auditor)
    response = client.get(reverse("audit:entry_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    body = response.content.decode()
    assert "起始日期不能晚于截止日期" in body and "没有符合条件的记录" in body
    assert "输入一个有效的日期" in client.get(reverse("audit:entry_list"), {"date_from": "x"}).content.decode()


@pytest.mark.django_db
def test_keyset_pages_and_count_limit(client, auditor, town, monkeypatch):
    for i in range(120):
        record(action="test.bulk", town=town, object_repr=f"条目{i}")
    warm(client, auditor)
    first = client.get(reverse("audit:entry_list"), {"action": "test."})
    page = first.context["page"]
    assert [e.seq for e in page.rows] == list(range(120, 70, -1)) and page.newer is None and page.older == 71
    second = client.get(reverse("audit:entry_list"), {"action": "test.", "before": page.older}).context["page"]
    assert second.rows[0].seq == 70 and second.rows[-1].seq == 21 and second.newer == 70
    back = client.get(reverse("audit:entry_list"), {"action": "test.", "after": second.newer}).context["page"]
    assert [e.seq for e in back.rows] == [e.seq for e in page.rows]
    assert first.context["total"] is None and "统计条数" in first.content.decode()
    counted = client.get(reverse("audit:entry_list"), {"action": "test.", "count": "1"})
    assert counted.context["total"] == 120 and not counted.context["more"]
    monkeypatch.setattr(selectors.count_upto, "__defaults__", (100,))
    response = client.get(reverse("audit:entry_list"), {"action": "test.", "count": "1"})
    assert response.context["more"] and "超过 100 条" in response.content.decode()


@pytest.mark.django_db
def test_export_is_audited_and_limited_to_auditors(client, auditor, log, make_user):
    warm(client, auditor)
    response = client.get(reverse("audit:entry_list"), {"action": "org.", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "筛选" in sheet["A1"].value and "导出人" in sheet["A1"].value
    actions = [row[5].value for row in sheet.iter_rows(min_row=3)]
    assert actions == ["org.village_update"]
    export = AuditEntry.objects.get(action="audit.export")
    assert export.after == {"filters": {"action": "org."}, "shown": 1}
    secadmin = make_user(Role.SECADMIN)
    warm(client, secadmin)
    assert client.get(reverse("audit:security_list"), {"export": "xlsx"}).status_code == 403


@pytest.mark.django_db
def test_security_admin_sees_security_events_only(client, make_user, log):
    secadmin = make_user(Role.SECADMIN)
    warm(client, secadmin)
    assert client.get(reverse("audit:entry_list")).status_code == 403
    body = client.get(reverse("audit:security_list")).content.decode()
    assert "accounts.login" in body and "org.village_update" not in body
    assert client.get(reverse("audit:entry_detail", args=[log["login"].pk])).status_code == 200
    assert client.get(reverse("audit:entry_detail", args=[log["update"].pk])).status_code == 404
    assert AuditEntry.objects.filter(action="audit.read_security", actor=secadmin).exists()


@pytest.mark.django_db
def test_business_roles_cannot_read_the_log(client, make_user, log):
    for role in (Role.LEADER, Role.SYSADMIN, Role.DISTRICT_SUPERVISOR):
        warm(client, make_user(role))
        for name in ("audit:entry_list", "audit:security_list", "audit:verification_list"):
            assert client.get(reverse(name)).status_code == 403
        assert client.get(reverse("audit:entry_detail", args=[log["login"].pk])).status_code == 403


@pytest.mark.django_db
def test_entry_detail_shows_diff_files_and_chain(client, auditor, log, town, settings, tmp_path,
                                                 django_assert_max_num_queries):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "f.docx").write_bytes(b"abc")
    with_file = record(action="test.file", obj=town, files=[{"name": "f.docx", "path": "f.docx",
                                                             "sm3": sm3_hex(b"abc")}])
    warm(client, auditor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit:entry_detail", args=[log["update"].pk]))
    body = response.content.decode()
    assert "旧名" in body and "新名" in body and "更正" in body and "校验通过" in body
    assert "与第 0 条一致" not in body and log["update"].hash in body
    body = client.get(reverse("audit:entry_detail", args=[with_file.pk])).content.decode()
    assert sm3_hex(b"abc") in body and "f.docx" in body and "链接断裂" not in body
    assert client.get(reverse("audit:entry_detail", args=[log["other"].pk])).status_code == 404
    read = AuditEntry.objects.filter(action="audit.read_entry").last()  # ordered newest first: the oldest read
    assert read.object_type == "audit.auditentry" and read.object_id == str(log["update"].pk)


@pytest.mark.django_db
def test_verification_page_and_run(client, auditor, log, django_capture_on_commit_callbacks):
    warm(client, auditor)
    assert "尚未校验过" in client.get(reverse("audit:verification_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audit:verification_run"), follow=True)
    body = response.content.decode()
    assert "已提交审计链校验" in body and "完整" in body
    verification = Verification.objects.get()
    assert verification.ok and verification.actor == auditor and verification.channel == "task"
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="panel-audit-chain"' in home and "完整" in home


@pytest.mark.django_db
def test_timeline_include(town, log):
    html = Template('{% include "audit/includes/timeline.html" with object=town %}').render(Context({"town": town}))
    assert "leader_log" in html or "用户" in html
    assert "更正" in html and "name" in html
    empty = Template('{% include "audit/includes/timeline.html" with timeline=rows %}').render(Context({"rows": []}))
    assert "暂无操作记录" in empty
    assert selectors.timeline_for(town)[0].action == "org.village_update"


@pytest.mark.django_db
def test_api_lists_filters_and_audits(client, auditor, log, make_user):
    warm(client, auditor)
    data = client.get("/api/v1/audit/entries/", {"action": "org."}).json()
    assert [r["action"] for r in data["results"]] == ["org.village_update"]
    assert data["results"][0]["before"] == {"name": "旧名"} and "next" in data
    assert AuditEntry.objects.filter(action="audit.read", channel="api").exists()
    detail = client.get(f"/api/v1/audit/entries/{log['update'].pk}/").json()
    assert detail["hash"] == log["update"].hash
    assert client.get("/api/v1/audit/entries/", {"date_from": "nope"}).status_code == 400
    assert client.get(f"/api/v1/audit/entries/{log['other'].pk}/").status_code == 404
    secadmin = make_user(Role.SECADMIN)
    warm(client, secadmin)
    actions = {r["action"] for r in client.get("/api/v1/audit/entries/").json()["results"]}
    assert "accounts.login" in actions and "org.village_update" not in actions
    warm(client, make_user(Role.LEADER))
    assert client.get("/api/v1/audit/entries/").status_code == 403
