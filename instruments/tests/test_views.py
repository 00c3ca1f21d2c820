import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from access.roles import Role
from audit.models import AuditEntry
from instruments.models import InstrumentTemplate
from instruments.services import instrument_render

from .factories import InstrumentFactory


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER)


@pytest.fixture
def rendered(town, leader):
    return [instrument_render(kind_code="notice", obj=town, actor=leader, context={"title": f"通知{i}", "body": "正文"})
            for i in range(3)]


@pytest.mark.django_db
def test_list_filters_paginates_and_stays_within_ten_queries(client, leader, rendered, django_assert_max_num_queries):
    client.force_login(leader)
    url = reverse("instruments:instrument_list")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and all(i.number in body for i in rendered)
    response = client.get(url, {"q": rendered[0].number})
    assert rendered[0].number in response.content.decode() and rendered[1].number not in response.content.decode()
    response = client.get(url, {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert client.get(url, {"year": "abc"}).status_code == 200


@pytest.mark.django_db
def test_export_is_audited(client, leader, rendered):
    client.force_login(leader)
    response = client.get(reverse("instruments:instrument_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {row[0].value for row in sheet.iter_rows(min_row=3)}
    assert {i.number for i in rendered} <= numbers
    assert AuditEntry.objects.get(action="instruments.export").after["rows"] == 3


@pytest.mark.django_db
def test_three_officers_do_not_see_instruments(client, make_user, rendered):
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        client.force_login(make_user(role))
        assert client.get(reverse("instruments:instrument_list")).status_code == 403
        assert client.get(reverse("instruments:instrument_download", args=[rendered[0].pk])).status_code == 403


@pytest.mark.django_db
def test_other_towns_instrument_is_404(client, leader, other_town):
    theirs = InstrumentFactory(town=other_town)
    client.force_login(leader)
    for name in ("instruments:instrument_detail", "instruments:instrument_download"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_download_is_audited_and_checked(client, leader, rendered, django_assert_max_num_queries):
    instrument = rendered[0]
    client.force_login(leader)
    client.get(reverse("core:healthz"))  # the first request after login stores the idle clock in the session
    url = reverse("instruments:instrument_download", args=[instrument.pk])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert "通知0" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    entry = AuditEntry.objects.filter(action="instruments.download").get()
    assert entry.actor == leader and entry.object_id == str(instrument.pk)

    # No PDF without LibreOffice: a message, not an error.
    response = client.get(url + "?format=pdf", follow=True)
    assert "没有 PDF" in response.content.decode()

    with open(instrument.file.path, "wb") as fh:
        fh.write(b"tampered")
    response = client.get(url, follow=True)
    assert "SM3 摘要不符" in response.content.decode()
    assert AuditEntry.objects.filter(action="instruments.download_refused").count() == 1


@pytest.mark.django_db
def test_detail_shows_digest_timeline_and_pdf_state(client, leader, rendered, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("instruments:instrument_detail", args=[rendered[0].pk]))
    body = response.content.decode()
    assert rendered[0].sm3 in body and "PDF 暂不可用" in body and 'data-testid="audit-timeline"' in body
    response = client.post(reverse("instruments:instrument_make_pdf", args=[rendered[0].pk]), follow=True)
    assert "未安装 LibreOffice" in response.content.decode()


@pytest.mark.django_db
def test_kinds_templates_preview_and_current(client, leader, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("instruments:kind_list"))
    body = response.content.decode()
    assert "行政处罚决定书" in body and "岗位交接单" in body and "罚决" in body
    with django_assert_max_num_queries(10):
        response = client.get(reverse("instruments:kind_detail", args=["notice"]))
    assert "issuer" in response.content.decode()  # template variables listed for editors
    response = client.get(reverse("instruments:template_preview", args=["post_handover"]))
    assert response.status_code == 200
    assert "岗位交接单" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    response = client.get(reverse("instruments:template_current", args=["notice"]))
    assert Document(io.BytesIO(response.content)).sections[0].top_margin.mm > 36
    assert client.get(reverse("instruments:kind_detail", args=["no-such-kind"])).status_code == 404


def _docx(text):
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_upload_new_version_and_bad_upload(client, leader, make_user):
    client.force_login(leader)
    url = reverse("instruments:template_upload", args=["notice"])
    response = client.post(url, {"file": SimpleUploadedFile("n.docx", _docx("{{ title }}")), "note": "新抬头"})
    assert response.status_code == 302
    assert InstrumentTemplate.objects.get().version == 1
    before = AuditEntry.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("n.docx", _docx("{% if %}")), "note": ""})
    assert response.status_code == 200 and "模板有误" in response.content.decode()
    assert InstrumentTemplate.objects.count() == 1 and AuditEntry.objects.count() == before
    response = client.post(url, {"note": "x"})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    client.force_login(make_user(Role.GRID_WORKER))
    assert client.post(url, {"file": SimpleUploadedFile("n.docx", _docx("x"))}).status_code == 403


@pytest.mark.django_db
def test_api_lists_metadata_in_scope(client, leader, rendered, other_town, make_user):
    InstrumentFactory(town=other_town)
    client.force_login(leader)
    data = client.get("/api/v1/instruments/instruments/", {"kind": "notice"}).json()
    assert data["count"] == 3 and data["results"][0]["download_url"].endswith("/download/")
    assert data["results"][0]["record_type"] == "org.town"
    assert client.get("/api/v1/instruments/kinds/penalty_decision/").json()["abbreviation"] == "罚决"
    client.force_login(make_user(Role.AUDITOR))
    assert client.get("/api/v1/instruments/instruments/").status_code == 403
