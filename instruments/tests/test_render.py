"""Rendering: a valid GB/T 9704 DOCX, digest recorded, audited, re-checked by audit_verify."""

import io
import stat
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from access.roles import Role
from audit.models import AuditEntry
from audit.selectors import timeline_for
from audit.verification import verify_chain
from core.crypto import sm3_hex
from core.errors import DomainError
from instruments.docx_builder import TEMPLATES_DIR, build_all
from instruments.models import Instrument, InstrumentKind, InstrumentTemplate
from instruments.services import instrument_render, template_preview, template_upload
from org.tests.factories import PositionFactory, SectorFactory


def open_docx(instrument):
    with instrument.file.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER)


@pytest.mark.django_db
def test_notice_renders_with_number_layout_digest_and_audit(town, leader):
    instrument = instrument_render(kind_code="notice", obj=town, actor=leader, context={
        "title": "关于开展安全检查的通知", "recipient": "各村（社区）",
        "body": "第一段：请于 3 月 10 日前报送 <材料> & 台账。\n\n第二段。",
        "cc": "区司法局"})
    assert instrument.number == f"甲镇府发〔{timezone.localdate().year}〕1号"
    assert instrument.version == 1 and instrument.town == town
    document = open_docx(instrument)
    text = text_of(document)
    for expected in ("甲镇人民政府文件", instrument.number, "关于开展安全检查的通知", "各村（社区）：",
                     "第一段：请于 3 月 10 日前报送 <材料> & 台账。", "第二段。", "抄送：区司法局。"):
        assert expected in text
    # GB/T 9704-2012 page: A4, 37/35/28/26 mm margins, 22 lines x 28 characters.
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = next(p for p in document.paragraphs if p.text == "关于开展安全检查的通知")
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert section.footer.paragraphs[0].text == "— 1 —"
    assert section.footer.paragraphs[0].runs[0].font.size.pt == 14
    # Fallback fonts are declared in the font table.
    with zipfile.ZipFile(instrument.file.path) as z:
        fonts = z.read("word/fontTable.xml").decode()
    assert 'w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    # Digest and audit entry with the file.
    with instrument.file.open("rb") as fh:
        assert sm3_hex(fh.read()) == instrument.sm3
    entry = AuditEntry.objects.get(action="instruments.render")
    assert entry.files == [{"name": f"{instrument.number}.docx", "path": instrument.file.name, "sm3": instrument.sm3}]
    assert entry.object_type == "org.town" and entry.after["instrument"] == instrument.pk
    assert entry in timeline_for(town)
    assert instrument.pdf.name in (None, "")  # no LibreOffice here: no PDF, no failure


@pytest.mark.django_db
def test_audit_verify_rechecks_the_rendered_file(town, leader):
    instrument = instrument_render(kind_code="notice", obj=town, actor=leader, context={"body": "正文"})
    call_command("audit_verify", stdout=io.StringIO())
    with default_storage.open(instrument.file.name, "wb") as fh:
        fh.write(b"not the document any more")
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=io.StringIO())
    assert "instruments.render" in str(exc.value) and "SM3" in str(exc.value)


@pytest.mark.django_db
def test_post_handover_form(town, leader):
    position = PositionFactory(sector=SectorFactory(town=town, name="平安法治"), town=town, name="综治岗")
    instrument = instrument_render(kind_code="post_handover", obj=position, actor=leader, context={
        "position": position, "sector": position.sector, "from_holder": "张三", "to_holder": "李四",
        "supervisor": "王五", "reason": "调岗", "duties": position.duty_list,
        "pending_items": [{"title": "某纠纷", "status": "调解中", "deadline": "3月20日"}],
        "handover_date": __import__("datetime").date(2026, 3, 5)})
    assert instrument.number.startswith("甲镇岗交〔") and instrument.content_type.model == "position"
    text = text_of(open_docx(instrument))
    for expected in ("岗位交接单", "综治岗", "平安法治", "张三", "李四", "2026年3月5日", "1. 受理事项",
                     "2. 跟踪办理", "1. 某纠纷（调解中），期限 3月20日", "移交人（签字）"):
        assert expected in text


@pytest.mark.django_db
def test_unnumbered_kinds_and_generic_template(town, leader):
    instrument = instrument_render(kind_code="decision_approval", obj=town, actor=leader,
                                   context={"paragraphs": ["拟处罚：……", "审批：……"]})
    assert instrument.number == "" and instrument.serial is None
    assert instrument.template_label == "通用模板"
    assert "行政处罚决定审批表" in text_of(open_docx(instrument))


@pytest.mark.django_db
def test_rerender_keeps_the_number_as_a_new_version(town, leader):
    first = instrument_render(kind_code="penalty_decision", obj=town, actor=leader, context={"body": "初稿"})
    second = instrument_render(kind_code="penalty_decision", obj=town, actor=leader, number=first.number,
                               context={"body": "更正稿"})
    assert second.number == first.number and second.version == 2 and second.serial == first.serial
    assert first.file.name != second.file.name
    assert instrument_render(kind_code="penalty_decision", obj=town, actor=leader).serial == first.serial + 1
    with pytest.raises(DomainError):
        instrument_render(kind_code="penalty_decision", obj=town, actor=leader, number="甲镇罚决〔1999〕9号")


@pytest.mark.django_db
def test_unknown_kind_and_missing_town_are_domain_errors(leader):
    with pytest.raises(DomainError):
        instrument_render(kind_code="nope", actor=leader)
    with pytest.raises(DomainError):
        instrument_render(kind_code="notice", actor=leader)


def _docx_with(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_uploaded_template_is_versioned_and_used(town, leader):
    kind = InstrumentKind.objects.get(code="notice")
    upload = SimpleUploadedFile("通知.docx", _docx_with("{{ issuer }}通知 {{ number }} {{ title }}"))
    template = template_upload(town=town, kind=kind, upload=upload, actor=leader, note="改抬头")
    assert template.version == 1 and InstrumentTemplate.objects.count() == 1
    entry = AuditEntry.objects.get(action="instruments.template_upload")
    assert entry.files[0]["sm3"] == template.sm3 and entry.reason == "改抬头"
    instrument = instrument_render(kind_code="notice", obj=town, actor=leader, context={"title": "试行"})
    year = timezone.localdate().year
    assert f"甲镇人民政府通知 甲镇府发〔{year}〕1号 试行" in text_of(open_docx(instrument))
    assert instrument.template_label == "本镇第 1 版" and instrument.template_sm3 == template.sm3
    second = template_upload(town=town, kind=kind, upload=SimpleUploadedFile("b.docx", _docx_with("{{ title }}")),
                             actor=leader)
    assert second.version == 2
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize("content, name, message", [
    (b"not a zip", "x.docx", "无法使用"),
    (None, "x.docx", "模板有误"),
    (b"x", "x.doc", ".docx"),
])
def test_bad_templates_are_refused(town, leader, content, name, message):
    data = content if content is not None else _docx_with("{% for x in %}")
    with pytest.raises(DomainError, match=message):
        template_upload(town=town, kind=InstrumentKind.objects.get(code="notice"),
                        upload=SimpleUploadedFile(name, data), actor=leader)
    assert not InstrumentTemplate.objects.exists()


@pytest.mark.django_db
def test_templates_run_in_a_sandbox(town, leader):
    kind = InstrumentKind.objects.get(code="notice")
    upload = SimpleUploadedFile("evil.docx", _docx_with("{{ number.__class__.__mro__[1].__subclasses__() }}"))
    with pytest.raises(DomainError):
        template_upload(town=town, kind=kind, upload=upload, actor=leader)


@pytest.mark.django_db
def test_preview_renders_sample_data_without_storing(town):
    for code in ("notice", "post_handover", "penalty_decision"):
        data = template_preview(town=town, kind=InstrumentKind.objects.get(code=code))
        assert "（预览）" in text_of(Document(io.BytesIO(data))) or code == "post_handover"
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_pdf_is_made_when_libreoffice_is_installed(town, leader, settings, tmp_path,
                                                   django_capture_on_commit_callbacks):
    # A stand-in for soffice: writes <outdir>/instrument.pdf like LibreOffice does.
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\n'
                    'printf "%%PDF-1.4 fake" > "$2/instrument.pdf"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    settings.FAZHI_LIBREOFFICE = str(fake)
    with django_capture_on_commit_callbacks(execute=True):
        instrument = instrument_render(kind_code="notice", obj=town, actor=leader, context={"body": "正文"})
    instrument.refresh_from_db()
    assert instrument.pdf and instrument.pdf_sm3 == sm3_hex(b"%PDF-1.4 fake")
    assert AuditEntry.objects.filter(action="instruments.pdf").get().files[0]["sm3"] == instrument.pdf_sm3
    assert verify_chain().ok


def test_shipped_templates_are_what_the_builder_makes(tmp_path):
    """The committed DOCX files come from docx_builder (regenerate with manage.py instruments_build_templates)."""
    built = {p.name: p for p in build_all(tmp_path)}
    for name, path in built.items():
        shipped = Document(TEMPLATES_DIR / name)
        fresh = Document(path)
        assert [p.text for p in shipped.paragraphs] == [p.text for p in fresh.paragraphs], name
        assert shipped.sections[0].top_margin == fresh.sections[0].top_margin
