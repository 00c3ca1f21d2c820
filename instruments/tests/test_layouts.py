"""The shipped dedicated layouts: resolution order, determinism, every one renders its sample data."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from access.roles import Role
from instruments import docx_builder
from instruments.docx_builder import BUILDERS, TEMPLATES_DIR, build_all
from instruments.models import InstrumentKind
from instruments.rendering import GENERIC_TEMPLATE, current_template, omit, render_docx, shipped_template
from instruments.samples import sample_context
from instruments.services import template_preview, template_upload

from .layout_helpers import full_text

DEDICATED_ENFORCEMENT = {
    "filing_approval", "inspection_record", "interview_record", "statement_record", "hearing_record",
    "collective_discussion_record", "legal_review_opinion", "investigation_report", "closing_report",
    "proof_of_service", "onspot_decision", "notice_of_intended_penalty", "penalty_decision", "no_penalty_decision",
    "correction_order", "demand_notice", "enforcement_application",
}


def test_every_kind_listed_in_the_brief_has_a_dedicated_file():
    shipped = {p.stem for p in TEMPLATES_DIR.glob("*.docx")}
    assert DEDICATED_ENFORCEMENT | {"mediation_agreement", "petition_opinion"} <= shipped
    assert shipped == {name[:-5] for name in BUILDERS}


def test_generation_is_deterministic_and_the_shipped_files_are_current(tmp_path):
    """The committed files are what docx_builder makes now (regenerate: manage.py instruments_build_templates)."""
    assert docx_builder.build_bytes("penalty_decision.docx") == docx_builder.build_bytes("penalty_decision.docx")
    for path in build_all(tmp_path):
        with zipfile.ZipFile(path) as fresh, zipfile.ZipFile(TEMPLATES_DIR / path.name) as shipped:
            assert fresh.namelist() == shipped.namelist(), path.name
            for name in fresh.namelist():
                assert fresh.read(name) == shipped.read(name), f"{path.name}: {name} differs"


def test_omit_filter_keeps_every_line_a_layout_does_not_show():
    lines = ["当事人：张三", "违法事实：占道", "审批意见：同意立案。"]
    assert omit(lines, ["当事人：", "违法事实："]) == ["审批意见：同意立案。"]
    assert omit(lines, []) == lines and omit(lines) == lines and omit(None, ["x"]) == []
    # a salutation the service wrote itself is dropped when the layout prints the recipient
    assert omit(["某区公安局：", "现将该案移送你局。"], [], "某区公安局") == ["现将该案移送你局。"]


@pytest.mark.django_db
def test_resolution_order_town_upload_then_code_file_then_template_file_then_generic(town, make_user, settings):
    leader = make_user(Role.LEADER)
    dedicated = InstrumentKind.objects.get(code="penalty_decision")
    data, generic = shipped_template(dedicated)
    assert not generic and data == (TEMPLATES_DIR / "penalty_decision.docx").read_bytes()
    # a kind whose template_file names a shipped file but has no <code>.docx
    approval = InstrumentKind.objects.get(code="decision_approval")
    assert shipped_template(approval) == ((TEMPLATES_DIR / GENERIC_TEMPLATE).read_bytes(), True)
    approval.template_file = "notice.docx"
    assert shipped_template(approval) == ((TEMPLATES_DIR / "notice.docx").read_bytes(), False)
    # <code>.docx wins over template_file
    dedicated.template_file = "notice.docx"
    assert shipped_template(dedicated)[0] == (TEMPLATES_DIR / "penalty_decision.docx").read_bytes()
    assert current_template(town=town, kind=dedicated).label == "系统默认模板"
    # the town's upload wins over everything shipped
    mine = _docx_with("本镇样式 {{ party_name }} {{ number }}")
    template_upload(town=town, kind=dedicated, upload=SimpleUploadedFile("mine.docx", mine), actor=leader)
    source = current_template(town=town, kind=dedicated)
    assert source.data == mine and source.template is not None
    assert current_template(town=None, kind=dedicated).data == (TEMPLATES_DIR / "penalty_decision.docx").read_bytes()


@pytest.mark.django_db
def test_every_shipped_template_renders_its_sample_context(town):
    """Previews (示例预览) of every kind render; the dedicated ones show their labels and sample values."""
    for kind in InstrumentKind.objects.all():
        text = full_text(Document(io.BytesIO(template_preview(town=town, kind=kind))))
        assert text.strip(), kind.code
        if kind.code in DEDICATED_ENFORCEMENT:
            assert "张某" in text, kind.code
    # every built file renders with every sample context (the upload check uses the same data)
    for kind in InstrumentKind.objects.filter(code__in=[n[:-5] for n in BUILDERS]):
        render_docx((TEMPLATES_DIR / f"{kind.code}.docx").read_bytes(), sample_context(kind))


@pytest.mark.django_db
def test_preview_of_dedicated_layouts_shows_their_fields(town):
    def preview(code):
        return full_text(Document(io.BytesIO(template_preview(town=town,
                                                                kind=InstrumentKind.objects.get(code=code)))))

    text = preview("filing_approval")
    for label in ("案件来源", "案由", "当事人类型", "身份证件号码", "简要案情", "承办人意见", "承办机构意见",
                  "负责人审批意见", "李某（执法证号：500100000001）"):
        assert label in text, label
    text = preview("inspection_record")
    assert "检查时间" in text and "执法人员已出示执法证件：是" in text and "被检查人签名" in text
    text = preview("mediation_agreement")
    for label in ("姓名（名称）", "王某", "刘某", "纠纷主要事实、争议事项", "协议内容", "履行方式、期限",
                  "具有法律约束力", "人民调解委员会（印章）"):
        assert label in text, label


def _docx_with(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
