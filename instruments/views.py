"""Pages of instruments: the town's instruments (list, detail, audited download) and the kinds with
their DOCX templates (current version, history, upload, preview with sample data)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, require, restrict
from core.errors import DomainError
from core.exports import xlsx_response

from . import pdf, services
from .forms import InstrumentFilterForm, TemplateUploadForm
from .models import Instrument, InstrumentKind, InstrumentTemplate
from .rendering import current_template, template_variables

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(data: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
def instrument_list(request):
    qs = restrict(request.user, "instruments.view", Instrument).select_related("kind", "rendered_by", "town")
    form = InstrumentFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        qs = qs.none()
    elif request.GET:
        data = form.cleaned_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("year"):
            qs = qs.filter(year=data["year"])
        if data.get("q"):
            qs = qs.filter(Q(number__icontains=data["q"]) | Q(title__icontains=data["q"]))
        if data.get("date_from"):
            qs = qs.filter(rendered_at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(rendered_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        if data.get("town"):
            qs = qs.filter(town=data["town"])
    qs = qs.order_by("-rendered_at", "-pk")
    if request.GET.get("export") == "xlsx":
        require(request.user, "instruments.export")
        rows = [[i.number or "—", i.kind.name, i.title, i.version, i.object_repr, i.town.name, i.rendered_at,
                 i.rendered_by.display_name if i.rendered_by else "", i.template_label, i.sm3,
                 _("有") if i.pdf else _("无")] for i in qs[:20000]]
        services.instruments_exported(actor=request.user, count=len(rows), filters=request.GET.dict())
        headers = [_("文书编号"), _("文书种类"), _("标题"), _("版次"), _("所属记录"), _("镇街"), _("生成时间"),
                   _("生成人"), _("所用模板"), _("SM3 摘要"), _("PDF")]
        return xlsx_response(_("文书台账-{date}").format(date=timezone.localdate().isoformat()), _("文书台账"),
                             headers, rows, note=_("筛选：{f}").format(f=request.GET.urlencode() or _("无")))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "instruments/instrument_list.html", {
        "title": _("文书"), "form": form, "page_obj": page, "can_export": can(request.user, "instruments.export"),
    })


@login_required
def instrument_detail(request, pk: int):
    instrument = get_in_scope(request.user, "instruments.view",
                              Instrument.objects.select_related("kind", "rendered_by", "town"), pk=pk)
    versions = []
    if instrument.number:
        versions = list(Instrument.objects.filter(town=instrument.town_id, number=instrument.number)
                        .exclude(pk=instrument.pk).order_by("-version").only("pk", "version", "rendered_at"))
    return render(request, "instruments/instrument_detail.html", {
        "title": instrument.display_name, "instrument": instrument, "versions": versions,
        "pdf_available": pdf.available(), "can_make_pdf": can(request.user, "instruments.make_pdf"),
        "can_download": can(request.user, "instruments.download"),
    })


@login_required
def instrument_download(request, pk: int):
    instrument = get_in_scope(request.user, "instruments.download",
                              Instrument.objects.select_related("kind", "town"), pk=pk)
    fmt = "pdf" if request.GET.get("format") == "pdf" else "docx"
    try:
        data, filename, content_type = services.instrument_download(instrument=instrument, actor=request.user,
                                                                    fmt=fmt)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("instruments:instrument_detail", pk=instrument.pk)
    return _attachment(data, filename, content_type)


@login_required
@require_POST
def instrument_make_pdf(request, pk: int):
    require(request.user, "instruments.make_pdf")
    instrument = get_in_scope(request.user, "instruments.make_pdf", Instrument, pk=pk)
    if not pdf.available():
        messages.warning(request, _("本机未安装 LibreOffice，暂不能生成 PDF；可下载 Word 文档打印。"))
    elif instrument.pdf:
        messages.info(request, _("该文书已有 PDF。"))
    else:
        from .tasks import instrument_make_pdf as task

        task.enqueue(instrument_id=instrument.pk)
        messages.success(request, _("已提交 PDF 生成，稍后刷新本页即可下载。"))
    return redirect("instruments:instrument_detail", pk=instrument.pk)


# --- kinds and templates ----------------------------------------------------------------------

def _town(user):
    return user.town if user.town_id else None


@login_required
def kind_list(request):
    require(request.user, "instruments.view")
    latest = dict(restrict(request.user, "instruments.view", InstrumentTemplate).filter(town=request.user.town_id)
                  .values("kind_id").annotate(v=Max("version")).values_list("kind_id", "v"))
    groups = {}
    for kind in InstrumentKind.objects.filter(active=True):
        kind.town_version = latest.get(kind.pk)
        groups.setdefault(kind.get_category_display(), []).append(kind)
    return render(request, "instruments/kind_list.html", {
        "title": _("文书种类与模板"), "groups": groups.items(),
        "can_manage": can(request.user, "instruments.manage_templates"),
    })


def _kind_page(request, kind, form=None, status=200):
    versions = (restrict(request.user, "instruments.view", InstrumentTemplate).filter(kind=kind)
                .select_related("uploaded_by", "town").order_by("town", "-version"))
    source = current_template(town=_town(request.user), kind=kind)
    try:
        variables = sorted(template_variables(source.data))
    except Exception:
        variables = []
    can_manage = can(request.user, "instruments.manage_templates") and request.user.town_id is not None
    return render(request, "instruments/kind_detail.html", {
        "title": kind.name, "kind": kind, "versions": versions, "source": source, "variables": variables,
        "can_manage": can_manage, "form": form or (TemplateUploadForm() if can_manage else None),
    }, status=status)


@login_required
def kind_detail(request, code: str):
    require(request.user, "instruments.view")
    return _kind_page(request, get_object_or_404(InstrumentKind, code=code, active=True))


@login_required
def template_upload(request, code: str):
    require(request.user, "instruments.manage_templates")
    kind = get_object_or_404(InstrumentKind, code=code, active=True)
    if request.method != "POST":
        return redirect("instruments:kind_detail", code=kind.code)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        if request.user.town_id is None:
            form.add_error(None, _("只有镇街用户可以上传本镇模板。"))
        else:
            try:
                template = services.template_upload(town=request.user.town, kind=kind, upload=form.cleaned_data["file"],
                                                    actor=request.user, note=form.cleaned_data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("已上传{kind}模板第 {v} 版。").format(kind=kind.name, v=template.version))
                return redirect("instruments:kind_detail", code=kind.code)
    return _kind_page(request, kind, form=form)


@login_required
def template_current(request, code: str):
    require(request.user, "instruments.view")
    kind = get_object_or_404(InstrumentKind, code=code, active=True)
    source = current_template(town=_town(request.user), kind=kind)
    suffix = f"-v{source.template.version}" if source.template else ""
    return _attachment(source.data, f"{kind.name}模板{suffix}.docx")


@login_required
def template_preview(request, code: str):
    require(request.user, "instruments.view")
    kind = get_object_or_404(InstrumentKind, code=code, active=True)
    try:
        data = services.template_preview(town=_town(request.user), kind=kind)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("instruments:kind_detail", code=kind.code)
    return _attachment(data, _("{kind}（预览）.docx").format(kind=kind.name))


@login_required
def template_download(request, pk: int):
    template = get_in_scope(request.user, "instruments.view", InstrumentTemplate.objects.select_related("kind"),
                            pk=pk)
    with template.file.open("rb") as fh:
        data = fh.read()
    return _attachment(data, f"{template.kind.name}模板-v{template.version}.docx")
