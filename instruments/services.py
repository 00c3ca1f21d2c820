"""The write path of instruments: numbering, rendering, PDF copies, template versions, audited downloads."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import _town_of, record, snapshot
from core.crypto import sm3_hex
from core.errors import DomainError

from . import pdf
from .models import Instrument, InstrumentKind, InstrumentTemplate, NumberSequence
from .rendering import MAX_TEMPLATE_BYTES, current_template, date_cn, render_docx
from .samples import sample_context

ISSUER_SUFFIX = {"town": "人民政府", "township": "人民政府", "subdistrict": "办事处"}


def format_number(*, town, kind: InstrumentKind, year: int, serial: int) -> str:
    """"清镇罚决〔2026〕3号": town abbreviation + kind abbreviation + 〔year〕 + serial + 号 (GB/T 9704 §7.2.5)."""
    return f"{town.abbreviation}{kind.abbreviation}〔{year}〕{serial}号"


def number_next(*, town, kind: InstrumentKind, year: int) -> tuple[int, str]:
    """Take the next serial for (town, kind, year). Must run inside the transaction that uses the number:
    the row stays locked until it commits, and a rollback gives the number back (no gaps)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next() must run inside a transaction")
    if not kind.abbreviation:
        raise DomainError(_("文书种类“{kind}”未设置编号简称，不能编号。").format(kind=kind.name),
                          rule="instruments.number.abbreviation", field="kind")
    if not town.abbreviation:
        raise DomainError(_("镇街“{town}”未设置简称，不能编号。").format(town=town.name),
                          rule="instruments.number.abbreviation", field="town")
    sequence = NumberSequence.objects.select_for_update().filter(town=town, kind=kind, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(town=town, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # created meanwhile by a concurrent transaction: lock it below
        sequence = NumberSequence.objects.select_for_update().get(town=town, kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last, format_number(town=town, kind=kind, year=year, serial=sequence.last)


def issuer_for(town) -> str:
    return "{name}{suffix}".format(name=town.name, suffix=ISSUER_SUFFIX.get(town.kind, ""))


def base_context(*, town, kind: InstrumentKind, number: str, on_date) -> dict:
    issuer = issuer_for(town)
    return {
        "town_name": town.name, "town_abbreviation": town.abbreviation, "town_address": town.address,
        "town_phone": town.phone, "issuer": issuer, "signature": issuer, "kind_name": kind.name,
        "title": kind.name, "number": number, "year": on_date.year, "date": on_date, "date_cn": date_cn(on_date),
        "printed_date": on_date, "printed_date_cn": date_cn(on_date),
        "recipient": "", "paragraphs": [], "attachments": [], "note": "", "cc": "", "printed_by": "",
    }


def _context(*, town, kind, number: str, on_date, context: dict | None) -> dict:
    merged = base_context(town=town, kind=kind, number=number, on_date=on_date)
    extra = dict(context or {})
    if "body" in extra and "paragraphs" not in extra:
        extra["paragraphs"] = [line.strip() for line in str(extra["body"] or "").splitlines() if line.strip()]
    merged.update(extra)
    if "signature" not in extra and "issuer" in extra:
        merged["signature"] = extra["issuer"]
    return merged


def _store(data: bytes, *, prefix: str, suffix: str) -> str:
    return default_storage.save(f"{prefix}-{uuid.uuid4().hex[:8]}{suffix}", ContentFile(data))


def _get_kind(kind_code: str) -> InstrumentKind:
    kind = InstrumentKind.objects.filter(code=kind_code, active=True).first()
    if kind is None:
        raise DomainError(_("没有代码为“{code}”的文书种类。").format(code=kind_code), rule="instruments.kind",
                          field="kind")
    return kind


@transaction.atomic
def instrument_render(*, kind_code: str, obj: Model | None = None, context: dict | None = None, actor,
                      number: bool | str = True, town=None, title: str = "", on_date=None) -> Instrument:
    """Render an instrument of ``kind_code`` for ``obj`` and archive it with its SM3 digest.

    ``number``: True takes the next number of the town, kind and year (kinds that are not numbered get
    none); False renders without a number; a string re-renders an existing number as its next version.
    The audit entry (on ``obj`` when given, so it shows in the record's timeline) lists the file, so
    ``audit_verify`` re-checks it. With LibreOffice installed a PDF copy is made after commit.
    """
    kind = _get_kind(kind_code)
    if town is None and obj is not None:
        town = _town_of(obj)
    if town is None:
        raise DomainError(_("无法确定文书所属镇街。"), rule="instruments.town", field="town")
    on_date = on_date or timezone.localdate()
    year, serial, number_text, version = on_date.year, None, "", 1
    if isinstance(number, str) and number:
        previous = (Instrument.objects.select_for_update().filter(town=town, number=number)
                    .order_by("-version").first())
        if previous is None or previous.kind_id != kind.pk:
            raise DomainError(_("本镇没有编号为“{number}”的{kind}。").format(number=number, kind=kind.name),
                              rule="instruments.number.unknown", field="number")
        year, serial, number_text, version = previous.year, previous.serial, number, previous.version + 1
    elif number and kind.numbered:
        serial, number_text = number_next(town=town, kind=kind, year=year)

    source = current_template(town=town, kind=kind)
    rendered_context = _context(town=town, kind=kind, number=number_text, on_date=on_date, context=context)
    if title:
        rendered_context["title"] = title
    data = render_docx(source.data, rendered_context)
    digest = sm3_hex(data)
    path = _store(data, prefix=f"instruments/{town.code}/{year}/{kind.code}/{serial or 'x'}-v{version}",
                  suffix=".docx")
    try:
        instrument = Instrument.objects.create(
            town=town, kind=kind, number=number_text, year=year, serial=serial,
            title=str(rendered_context.get("title") or kind.name)[:200],
            content_type=_content_type(obj), object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            file=path, sm3=digest, size=len(data), template_label=source.label, template_sm3=source.sm3,
            rendered_at=timezone.now(), rendered_by=actor if getattr(actor, "is_authenticated", False) else None,
            version=version,
        )
        display = instrument.number or kind.name
        record(action="instruments.render", obj=obj or instrument, town=town, actor=actor,
               after={"instrument": instrument.pk, "kind": kind.code, "number": instrument.number,
                      "version": version, "template": source.label, "template_sm3": source.sm3},
               files=[{"name": f"{display}.docx", "path": path, "sm3": digest}])
    except Exception:
        default_storage.delete(path)
        raise
    if pdf.available():
        pk = instrument.pk
        transaction.on_commit(lambda: _enqueue_pdf(pk))
    return instrument


def _content_type(obj):
    if obj is None:
        return None
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def _enqueue_pdf(instrument_id: int) -> None:
    from .tasks import instrument_make_pdf

    instrument_make_pdf.enqueue(instrument_id=instrument_id)


@transaction.atomic
def instrument_attach_pdf(*, instrument: Instrument, actor=None) -> Instrument:
    """Convert the DOCX to PDF with LibreOffice, store it with its digest and audit it."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.pdf:
        return instrument
    if not pdf.available():
        raise DomainError(_("本机未安装 LibreOffice，无法生成 PDF。"), rule="instruments.pdf.unavailable")
    with instrument.file.open("rb") as fh:
        docx = fh.read()
    try:
        data = pdf.convert(docx)
    except pdf.PdfUnavailable as exc:
        raise DomainError(_("PDF 生成失败，请稍后重试。"), rule="instruments.pdf.failed") from exc
    digest = sm3_hex(data)
    path = _store(data, prefix=f"instruments/{instrument.town.code}/{instrument.year}/{instrument.kind.code}/"
                               f"{instrument.serial or 'x'}-v{instrument.version}", suffix=".pdf")
    try:
        Instrument.objects.filter(pk=instrument.pk).update(pdf=path, pdf_sm3=digest)
        instrument.pdf, instrument.pdf_sm3 = path, digest
        record(action="instruments.pdf", obj=instrument, actor=actor,
               after={"pdf_sm3": digest}, files=[{"name": f"{instrument.download_name}.pdf", "path": path,
                                                  "sm3": digest}])
    except Exception:
        default_storage.delete(path)
        raise
    return instrument


def instrument_download(*, instrument: Instrument, actor, fmt: str = "docx") -> tuple[bytes, str, str]:
    """The bytes of an instrument for download, checked against the recorded digest; the download is audited.

    A file that is missing or changed is refused, and the refusal is recorded (its own transaction)."""
    field, expected = (instrument.pdf, instrument.pdf_sm3) if fmt == "pdf" else (instrument.file, instrument.sm3)
    if not field:
        raise DomainError(_("该文书没有 PDF 文件。"), rule="instruments.pdf.missing")
    try:
        with field.open("rb") as fh:
            data = fh.read()
    except OSError:
        data = None
    if data is None or sm3_hex(data) != expected:
        record(action="instruments.download_refused", obj=instrument, actor=actor, after={"format": fmt})
        raise DomainError(_("文书文件缺失或已被改动（SM3 摘要不符），已拒绝下载并记录。请联系安全审计员。"),
                          rule="instruments.digest_mismatch")
    record(action="instruments.download", obj=instrument, actor=actor, after={"format": fmt, "sm3": expected})
    content_type = ("application/pdf" if fmt == "pdf" else
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return data, f"{instrument.download_name}.{fmt}", content_type


@transaction.atomic
def template_upload(*, town, kind: InstrumentKind, upload, actor, note: str = "") -> InstrumentTemplate:
    """Store a new version of the town's template for ``kind`` after checking that it renders."""
    if upload is None:
        raise DomainError(_("请选择要上传的 DOCX 模板文件。"), field="file")
    if not upload.name.lower().endswith(".docx"):
        raise DomainError(_("模板须为 Word 文档（.docx）。"), field="file", rule="instruments.template_invalid")
    if upload.size > MAX_TEMPLATE_BYTES:
        raise DomainError(_("模板文件不得超过 {n} MB。").format(n=MAX_TEMPLATE_BYTES // (1024 * 1024)), field="file")
    data = upload.read()
    # A trial render with sample data: a template that cannot render is refused now, not at use.
    render_docx(data, _context(town=town, kind=kind, number=_("（预览）"), on_date=timezone.localdate(),
                               context=sample_context(kind)))
    last = InstrumentTemplate.objects.select_for_update().filter(town=town, kind=kind).aggregate(v=Max("version"))
    version = (last["v"] or 0) + 1
    digest = sm3_hex(data)
    template = InstrumentTemplate(town=town, kind=kind, version=version, sm3=digest, size=len(data),
                                  note=note[:255], uploaded_at=timezone.now(), uploaded_by=actor)
    template.file.save(f"{kind.code}.docx", ContentFile(data), save=False)
    try:
        template.save()
        record(action="instruments.template_upload", obj=template, actor=actor, reason=note,
               after=snapshot(template, ["kind_id", "version", "sm3", "size"]),
               files=[{"name": f"{kind.name}-v{version}.docx", "path": template.file.name, "sm3": digest}])
    except Exception:
        default_storage.delete(template.file.name)
        raise
    return template


def template_preview(*, town, kind: InstrumentKind) -> bytes:
    """Render the current template with sample data (nothing is stored or numbered)."""
    source = current_template(town=town, kind=kind)
    if town is None:  # a district user: a stand-in town
        town = SimpleNamespace(name=_("某镇"), abbreviation=_("某镇"), kind="town", code="", address="", phone="")
    context = _context(town=town, kind=kind, number=_("（预览）") if kind.numbered else "",
                       on_date=timezone.localdate(), context=sample_context(kind))
    return render_docx(source.data, context)


def instruments_exported(*, actor, count: int, filters: dict) -> None:
    """Exports of the ledger are audited (S7)."""
    filters = {k: v for k, v in filters.items() if k != "export" and v}
    record(action="instruments.export", actor=actor, town=getattr(actor, "town_id", None),
           after={"rows": count, "filters": filters})
