"""Thin views: parse input, call a selector or a service, render. Domain errors become messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, require, restrict
from audit.selectors import timeline_for
from audit.services import record
from core.crypto import sm3_hex
from core.errors import DomainError
from core.exports import xlsx_response
from org.models import Town

from . import selectors, services, steps
from .forms import (
    CaseFilterForm,
    CaseForm,
    CloseForm,
    CourtForm,
    DecisionForm,
    DeferForm,
    DemandForm,
    DiscussionForm,
    DrawForm,
    EvidenceForm,
    HearingForm,
    ImportForm,
    InspectionForm,
    MatterFilterForm,
    MatterForm,
    NoticeForm,
    OfficerEditForm,
    OfficerForm,
    OfficersForm,
    PaymentForm,
    PlanForm,
    ReasonForm,
    RecusalForm,
    ReviewerForm,
    ReviewForm,
    RevokeForm,
    ServeForm,
    StatementForm,
    SummaryForm,
    TrainingForm,
    WithdrawForm,
)
from .models import Evidence, Inspection, InspectionPlan, Matter, Officer, Publication, Reviewer
from .procedure import CASE

PAGE_SIZE = 30


def _page(request, qs, size=PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _town(request):
    town = request.user.town
    if town is None:
        raise PermissionDenied(_("区县账号不能在镇街登记数据。"))
    return town


def _form_error(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


# --- powers catalogue ------------------------------------------------------------------------------
@login_required
def matters(request):
    form = MatterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.matters(request.user, data)
    if request.GET.get("export") == "xlsx":
        record(action="enforcement.matter_export", actor=request.user, town=request.user.town,
               object_type="enforcement.matter", after={"filter": {k: str(v) for k, v in data.items() if v}})
        rows = ([m.code, m.name, m.get_category_display(), m.area, m.get_source_display(), m.source_document,
                 m.acting_body, m.law, m.article, m.penalty_kinds, m.fine_min, m.fine_max,
                 "；".join(f"{d['circumstance']}：{d['range']}" for d in m.discretion),
                 _("是") if m.summary_allowed else _("否"), m.get_responsible_post_display()] for m in qs[:5000])
        return xlsx_response(f"matters-{timezone.localdate():%Y%m%d}", _("执法事项清单"), [
            _("事项编码"), _("事项名称"), _("权力类别"), _("执法领域"), _("权力来源"), _("赋权/委托/派驻文件"),
            _("实施主体"), _("法律依据"), _("条款"), _("处罚种类"), _("罚款下限"), _("罚款上限"), _("裁量基准"),
            _("可适用简易程序"), _("责任岗位")], rows)
    return render(request, "enforcement/matters.html", {
        "title": _("执法事项清单"), "form": form, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "enforcement.manage")})


@login_required
def matter_detail(request, pk):
    matter = get_in_scope(request.user, "enforcement.view", Matter, pk=pk)
    return render(request, "enforcement/matter_detail.html", {
        "title": matter.name, "matter": matter, "steps": selectors.guidance(matter),
        "can_manage": can(request.user, "enforcement.manage"),
        "can_open": can(request.user, "enforcement.case_open")})


def _matter_initial(matter):
    initial = {name: getattr(matter, name) for name in services.MATTER_FIELDS}
    initial["discretion"] = "\n".join(f"{d['circumstance']}：{d['range']}" for d in matter.discretion)
    return initial


@login_required
def matter_edit(request, pk=None):
    require(request.user, "enforcement.manage")
    matter = get_in_scope(request.user, "enforcement.manage", Matter, pk=pk) if pk else None
    town = matter.town if matter else _town(request)
    form = MatterForm(request.POST or None, initial=_matter_initial(matter) if matter else {"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            if matter:
                matter = services.matter_update(matter=matter, actor=request.user, **form.cleaned_data)
            else:
                matter = services.matter_create(town=town, actor=request.user, **form.cleaned_data)
            messages.success(request, _("执法事项已保存。"))
            return redirect("enforcement:matter_detail", pk=matter.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {
        "title": _("编辑执法事项") if matter else _("新增执法事项"), "form": form})


@login_required
def matter_import(request):
    require(request.user, "enforcement.manage")
    town = _town(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.matter_import(town=town, file=form.cleaned_data["file"], actor=request.user)
            messages.success(request, _("导入成功：新增{c}项，更新{u}项。").format(c=result["created"],
                                                                              u=result["updated"]))
            return redirect("enforcement:matters")
        except DomainError as exc:
            form.add_error("file", str(exc))
            errors = exc.extra.get("errors", [])
    return render(request, "enforcement/import.html", {
        "title": _("导入执法事项清单"), "form": form, "errors": errors, "columns": services.IMPORT_COLUMNS})


# --- officers -----------------------------------------------------------------------------------
@login_required
def officers(request):
    qs = selectors.officers(request.user)
    year = timezone.localdate().year
    if request.GET.get("export") == "xlsx":
        record(action="enforcement.officer_export", actor=request.user, town=request.user.town,
               object_type="enforcement.officer")
        rows = []
        for o in qs[:2000]:
            t = next((t for t in o.trainings.all() if t.year == year), None)
            rows.append([o.name, o.credential, o.credential_scope, o.get_post_display(), o.valid_from, o.valid_until,
                         _("有效") if o.credential_valid(timezone.localdate()) else _("无效"),
                         t.hours if t else "", t.exam_score if t else "",
                         (_("合格") if t.passed else _("不合格")) if t else ""])
        return xlsx_response(f"officers-{timezone.localdate():%Y%m%d}", _("执法人员"), [
            _("姓名"), _("执法证号"), _("执法类别"), _("岗位"), _("有效期起"), _("有效期至"), _("证件状态"),
            _("本年培训学时"), _("考试成绩"), _("考试结果")], rows)
    today = timezone.localdate()
    page = _page(request, qs)
    for o in page:
        o.valid_now = o.credential_valid(today)
        o.this_year = next((t for t in o.trainings.all() if t.year == year), None)
    return render(request, "enforcement/officers.html", {
        "title": _("执法人员"), "page_obj": page, "year": year, "can_manage": can(request.user, "enforcement.manage")})


@login_required
def officer_create(request):
    require(request.user, "enforcement.manage")
    town = _town(request)
    form = OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = None
        if d.get("username"):
            user = get_user_model().objects.filter(username=d["username"], town=town).first()
            if user is None:
                form.add_error("username", _("本镇街没有该登录账号。"))
        if not form.errors:
            try:
                officer = services.officer_create(
                    town=town, actor=request.user, name=d["name"], credential=d["credential"],
                    credential_scope=d.get("credential_scope") or "", valid_from=d["valid_from"],
                    valid_until=d["valid_until"], post=d["post"], legal_qualification=d["legal_qualification"],
                    user=user)
                messages.success(request, _("执法人员已登记。"))
                return redirect("enforcement:officer_detail", pk=officer.pk)
            except DomainError as exc:
                _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("登记执法人员"), "form": form})


@login_required
def officer_detail(request, pk):
    officer = get_in_scope(request.user, "enforcement.view", Officer.objects.prefetch_related("trainings"), pk=pk)
    form = TrainingForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require(request.user, "enforcement.manage")
        if form.is_valid():
            try:
                services.training_record(officer=officer, actor=request.user, **form.cleaned_data)
                messages.success(request, _("培训考试记录已保存。"))
                return redirect("enforcement:officer_detail", pk=officer.pk)
            except DomainError as exc:
                _form_error(form, exc)
    return render(request, "enforcement/officer_detail.html", {
        "title": officer.name, "officer": officer, "form": form, "valid_now": officer.credential_valid(
            timezone.localdate()), "can_manage": can(request.user, "enforcement.manage"),
        "cases": officer.cases.select_related("matter").order_by("-created_at")[:20]})


# --- cases ----------------------------------------------------------------------------------------
@login_required
def cases(request):
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.cases(request.user, data)
    if request.GET.get("export") == "xlsx":
        require(request.user, "enforcement.export")
        record(action="enforcement.case_export", actor=request.user, town=request.user.town,
               object_type="enforcement.case", after={"filter": {k: str(v) for k, v in data.items() if v}})
        show = can(request.user, "enforcement.party_data")
        rows = ([c.number, c.matter.name, c.matter.area, c.get_procedure_display(), c.get_status_display(),
                 c.party_name if show else c.party_display, c.get_source_display(), c.filed_on,
                 c.get_outcome_display() if c.outcome else "", c.fine, c.decision_number, c.decided_on,
                 c.served_on, c.paid_on, c.closed_on] for c in qs[:20000])
        return xlsx_response(f"enforcement-cases-{timezone.localdate():%Y%m%d}", _("行政执法案件台账"), [
            _("案件编号"), _("执法事项"), _("执法领域"), _("程序"), _("状态"), _("当事人"), _("来源"), _("立案日期"),
            _("处理结果"), _("罚款（元）"), _("决定书文号"), _("决定日期"), _("送达日期"), _("缴款日期"),
            _("结案日期")], rows)
    return render(request, "enforcement/cases.html", {
        "title": _("执法案件"), "form": form, "page_obj": _page(request, qs),
        "can_open": can(request.user, "enforcement.case_open"),
        "can_summary": can(request.user, "enforcement.case_handle"),
        "can_export": can(request.user, "enforcement.export")})


def _matters_for(user, action, **filters):
    return list(restrict(user, action, Matter).filter(active=True, **filters).order_by("code"))


def _officers_for(user, action):
    return list(restrict(user, action, Officer).filter(active=True).order_by("credential"))


@login_required
def case_create(request):
    require(request.user, "enforcement.case_open")
    town = _town(request)
    matter_list = _matters_for(request.user, "enforcement.case_open")
    officer_list = _officers_for(request.user, "enforcement.case_open")
    initial = {}
    event_id = request.GET.get("event")
    if event_id and event_id.isdigit():
        initial = {"event": int(event_id), "source": "event"}
    form = CaseForm(request.POST or None, matters=matter_list, officers=officer_list, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_open(
                town=town, matter=next(m for m in matter_list if m.pk == d["matter"]), actor=request.user,
                party_name=d["party_name"], party_kind=d["party_kind"], facts=d["facts"],
                party_id_number=d.get("party_id_number") or "", party_phone=d.get("party_phone") or "",
                party_address=d.get("party_address") or "", place=d.get("place") or "", act_date=d.get("act_date"),
                source=d["source"], event_id=d.get("event"),
                officers=[o for o in officer_list if o.pk in set(d.get("officers") or [])],
                major_public_interest=d["major_public_interest"], complex_case=d["complex_case"],
                serious_violation=d["serious_violation"])
            messages.success(request, _("案源已登记：{n}").format(n=case.number))
            return redirect("enforcement:case_detail", pk=case.pk)
        except Http404:
            form.add_error("event", _("来源事件不存在或无权查看。"))
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("登记案源"), "form": form})


@login_required
def summary_create(request):
    require(request.user, "enforcement.case_handle")
    town = _town(request)
    matter_list = _matters_for(request.user, "enforcement.case_handle", summary_allowed=True)
    officer_list = _officers_for(request.user, "enforcement.case_handle")
    form = SummaryForm(request.POST or None, matters=matter_list, officers=officer_list)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_summary_decide(
                town=town, matter=next(m for m in matter_list if m.pk == d["matter"]), actor=request.user,
                party_name=d["party_name"], party_kind=d["party_kind"], facts=d["facts"],
                penalty_text=d["penalty_text"], fine=d.get("fine"), party_id_number=d.get("party_id_number") or "",
                party_address=d["party_address"], place=d.get("place") or "",
                officers=[o for o in officer_list if o.pk in set(d["officers"])])
            messages.success(request, _("当场处罚决定已作出：{n}").format(n=case.decision_number))
            return redirect("enforcement:case_detail", pk=case.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("简易程序（当场处罚）"), "form": form})


# Forms shown on the case page for the steps that need data: action → (form class, permission).
STEP_FORMS = {
    "serve_notice": (NoticeForm, "enforcement.case_handle"),
    "hearing": (HearingForm, "enforcement.case_handle"),
    "review": (ReviewForm, "enforcement.legal_review"),
    "discuss": (DiscussionForm, "enforcement.collective"),
    "decide": (DecisionForm, "enforcement.case_approve"),
    "serve": (ServeForm, "enforcement.case_handle"),
    "payment": (PaymentForm, "enforcement.case_handle"),
    "close": (CloseForm, "enforcement.case_approve"),
    "demand": (DemandForm, "enforcement.case_handle"),
    "court": (CourtForm, "enforcement.case_handle"),
    "revoke": (RevokeForm, "enforcement.case_approve"),
    "recusal": (RecusalForm, "enforcement.case_approve"),
    "statement": (StatementForm, "enforcement.case_handle"),
    "defer": (DeferForm, "enforcement.case_approve"),
    **steps.WORKFLOW_FORMS,
}
STEP_TITLES = {
    "serve_notice": _l("送达行政处罚事先告知书"), "hearing": _l("听证记录"), "review": _l("法制审核意见"),
    "discuss": _l("集体讨论记录"), "decide": _l("作出决定"), "serve": _l("送达决定书"), "payment": _l("登记缴款"),
    "close": _l("结案"), "demand": _l("送达履行催告书"), "court": _l("申请法院强制执行"),
    "revoke": _l("撤销或变更决定"), "recusal": _l("决定回避"), "statement": _l("陈述申辩与复核"),
    "defer": _l("批准暂缓缴纳罚款"), "transfer_report": _l("报告涉嫌犯罪，提请移送司法机关"),
    "transfer_decide": _l("审批是否移送"), "transfer_send": _l("移送公安机关"),
    "transfer_receipt": _l("登记公安机关回执"),
    "transfer_answer": _l("登记公安机关是否立案的决定"), "transfer_reconsider": _l("对不予立案提请复议"),
    "close_transferred": _l("移送结案"), "recusal_apply": _l("登记当事人回避申请"),
    "recusal_decide": _l("对回避申请作出决定"), "instalment": _l("批准分期（延期）缴纳罚款"),
    "instalment_pay": _l("登记分期缴款"), "measure": _l("查封、扣押"),
    "measure_report": _l("当场查封扣押的报告与补办批准"),
    "measure_testing": _l("检测、检验期间（暂停/恢复期限）"), "measure_extend": _l("延长查封、扣押期限"),
    "measure_end": _l("解除、没收或者销毁"),
}


@login_required
def case_detail(request, pk):
    case = selectors.case_detail(request.user, pk)
    user = request.user
    available = selectors.available_actions(case, user)
    names = {t.action for t in available}
    today = timezone.localdate()
    officers_all = list(case.officers.all())
    timeline = timeline_for(case, limit=200)
    flows = selectors.workflows(timeline)
    transfer_steps = selectors.transfer_steps(case, flows["transfer"][0] if flows["transfer"] else None)
    pending_applications = [a for a in flows["application"] if a.get("status") == "pending"]
    in_force = [m for m in flows["measure"] if m.get("status") == "in_force"]
    forms = {}
    defaults = {"served_on": today, "paid_on": today, "held_on": today, "notice_date": today, "receipt_on": today,
                "received_on": today, "applicant": case.party_name,
                "party_present": True, "fine": case.proposed_fine, "penalty_text": case.proposed_penalty}
    for key, (form_class, permission) in STEP_FORMS.items():
        offered = key in names or (key == "hearing" and case.status == "hearing") or \
            (key == "review" and case.status == "legal_review") or \
            (key == "payment" and case.status in ("served", "filed_with_agency", "executing") and case.fine
             and not case.paid_on)
        unpaid = case.status in ("served", "filed_with_agency", "executing") and case.fine and not case.paid_on \
            and not case.revoked_on
        offered = offered or (key == "demand" and unpaid and not case.demand_served_on) or \
            (key == "court" and unpaid and case.demand_served_on and not case.court_applied_on) or \
            (key == "revoke" and case.decided_on and not case.revoked_on and case.status != "archived") or \
            (key == "defer" and unpaid and case.served_on and not case.demand_served_on)
        extra = {}
        if key.startswith("transfer_") or key == "close_transferred":
            offered = key in transfer_steps
        if key == "recusal_apply":
            offered = case.is_open and case.procedure == "ordinary" and bool(officers_all)
            extra = {"officers": officers_all}
        if key == "recusal_decide":
            offered = bool(pending_applications)
            extra = {"applications": pending_applications}
        if key in ("payment", "defer") and flows["plan"]:
            offered = False
        if key == "instalment":
            offered = bool(unpaid and case.served_on and not flows["plan"] and not case.court_applied_on)
        if key == "instalment_pay":
            offered = bool(flows["plan"] and not case.paid_on and not case.revoked_on)
        if key == "measure":
            offered = case.is_open and case.matter.coercive_measures_allowed and (
                can(user, "enforcement.case_handle") or can(user, "enforcement.case_approve"))
            extra = {"officers": officers_all}
        if key.startswith("measure_"):
            choices = {"measure_report": [m for m in in_force if m.get("emergency") and not m.get("reported_on")],
                       "measure_extend": [m for m in in_force if not m.get("extended")]}.get(key, in_force)
            offered, extra = bool(choices), {"measures": choices}
        if key == "statement":
            offered = case.status == "notice_served" and not case.statement_on
        if key == "recusal":
            offered = case.is_open and case.procedure == "ordinary"
            extra = {"officers": officers_all}
        if offered and can(user, permission):
            forms[key] = (STEP_TITLES[key], form_class(initial=defaults | {"on_date": today}, prefix=key, **extra))
    if "statement" in forms:  # the party's statement comes before any new notice
        forms = {"statement": forms.pop("statement"), **forms}
    plain = [t for t in available if t.action not in STEP_FORMS and t.action not in ("decide_on_spot", "drop")]
    evidence = list(case.evidence.all())
    clocks = selectors.case_clocks(case)
    instruments = selectors.case_instruments(case)
    reviews, discussions = selectors.reviews_and_discussions(timeline)
    return render(request, "enforcement/case_detail.html", {
        "title": case.number, "case": case, "available": plain, "forms": forms,
        "can_drop": "drop" in names, "officers": officers_all, "evidence": evidence, "clocks": clocks,
        "instruments": instruments, "reviews": reviews, "discussions": discussions,
        "timeline": timeline, "steps": selectors.guidance(case.matter, case), "flows": flows,
        "show_party": can(user, "enforcement.party_data"), "can_handle": can(user, "enforcement.case_handle"),
        "can_export": can(user, "enforcement.export"), "can_publish": can(user, "enforcement.publish"),
        "publication": selectors.case_publication(case),
        "late_fine": _late_fine_today(case, flows, today), "reason_form": ReasonForm(), "today": today})


def _late_fine_today(case, flows, today):
    if not case.fine or case.paid_on or not case.served_on:
        return None
    if flows["plan"]:
        return services.plan_late_fine(flows["plan"][0].get("instalments", []), today)
    return services.late_fine_for(case, today)


def _case_for(request, pk, permission):
    require(request.user, permission)
    return selectors.case_detail(request.user, pk)


def _done(request, case, message):
    messages.success(request, message)
    return redirect("enforcement:case_detail", pk=case.pk)


def _failed(request, case, exc):
    messages.error(request, str(exc))
    return redirect("enforcement:case_detail", pk=case.pk)


@login_required
@require_POST
def case_act(request, pk, action):
    """The plain steps (a button, optional reason)."""
    if action not in CASE.transitions or action in STEP_FORMS:
        raise Http404
    case = _case_for(request, pk, CASE.get(action).permission)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        if action == "file":
            services.case_file(case=case, actor=request.user, reason=reason)
        else:
            services.case_fire(case=case, action=action, actor=request.user, reason=reason)
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("已完成：{a}").format(a=CASE.get(action).label))


@login_required
@require_POST
def case_step(request, pk, step):
    """The steps with a form: notice, hearing, review, discussion, decision, service, payment, closure."""
    if step not in STEP_FORMS:
        raise Http404
    form_class, permission = STEP_FORMS[step]
    case = _case_for(request, pk, permission)
    extra = steps.form_kwargs(case, step)
    form = form_class(request.POST, prefix=step, **extra)
    if not form.is_valid():
        errors = "；".join(f"{form.fields[f].label if f in form.fields else ''}{'：' if f in form.fields else ''}"
                          f"{'，'.join(e)}" for f, e in form.errors.items())
        messages.error(request, _("请检查填写的内容：{e}").format(e=errors))
        return redirect("enforcement:case_detail", pk=case.pk)
    d, user = form.cleaned_data, request.user
    try:
        if step == "serve_notice":
            services.notice_serve(case=case, actor=user, **d)
        elif step == "hearing":
            host = get_user_model().objects.filter(username=d["host"], town=case.town).first()
            if host is None:
                raise DomainError(_("本镇街没有用户名为“{u}”的账号。").format(u=d["host"]), field="host")
            services.hearing_hold(case=case, host=host, held_on=d["held_on"], record_text=d["record_text"],
                                  signed=d["signed"], notice_date=d["notice_date"], actor=user)
        elif step == "review":
            services.legal_review_record(case=case, actor=user, **d)
        elif step == "discuss":
            services.discussion_record(case=case, actor=user, **d)
        elif step == "decide":
            services.case_decide(case=case, actor=user, **d)
        elif step == "serve":
            services.case_serve(case=case, actor=user, **d)
        elif step == "payment":
            services.payment_record(case=case, actor=user, **d)
        elif step == "close":
            services.case_close(case=case, actor=user, **d)
        elif step == "demand":
            services.demand_serve(case=case, actor=user, **d)
        elif step == "court":
            services.court_apply(case=case, actor=user, **d)
        elif step == "revoke":
            services.decision_revoke(case=case, actor=user, **d)
        elif step == "defer":
            services.payment_defer(case=case, actor=user, **d)
        elif step == "statement":
            services.statement_record(case=case, actor=user, **d)
        elif step == "recusal":
            officer = case.officers.get(pk=d["officer"])
            services.recusal_decide(case=case, officer=officer, reason=d["reason"], actor=user)
        elif step in steps.WORKFLOW_FORMS:
            steps.run(case, step, d, user)
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("已保存。"))


@login_required
@require_POST
def case_hearing_request(request, pk):
    case = _case_for(request, pk, "enforcement.case_handle")
    try:
        services.hearing_request(case=case, actor=request.user)
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("已登记听证申请。"))


@login_required
def case_officers(request, pk):
    case = _case_for(request, pk, "enforcement.case_handle")
    officer_list = _officers_for(request.user, "enforcement.case_handle")
    form = OfficersForm(request.POST or None, officers=officer_list,
                        initial={"officers": [o.pk for o in case.officers.all()]})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_set_officers(case=case, actor=request.user,
                                       officers=[o for o in officer_list if o.pk in set(form.cleaned_data["officers"])])
            return _done(request, case, _("承办人员已更新。"))
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("承办执法人员：{n}").format(n=case.number),
                                                      "form": form, "back": case})


@login_required
def evidence_add(request, pk):
    case = _case_for(request, pk, "enforcement.case_handle")
    officer_list = list(case.officers.all())
    form = EvidenceForm(request.POST or None, request.FILES or None, officers=officer_list,
                        initial={"officers": [o.pk for o in officer_list]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.evidence_add(case=case, actor=request.user, kind=d["kind"], title=d["title"],
                                  description=d.get("description") or "", upload=d.get("upload"),
                                  officers=[o for o in officer_list if o.pk in set(d.get("officers") or [])],
                                  credentials_shown=d["credentials_shown"], device=d.get("device") or "",
                                  recorded_from=d.get("recorded_from"), recorded_to=d.get("recorded_to"),
                                  preserved=d["preserved"])
            return _done(request, case, _("证据已登记。"))
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("登记证据：{n}").format(n=case.number), "form": form,
                                                      "multipart": True, "back": case})


@login_required
def evidence_download(request, pk):
    evidence = get_in_scope(request.user, "enforcement.case_view", Evidence.objects.exclude(file=""), pk=pk)
    with default_storage.open(evidence.file.name, "rb") as handle:
        data = handle.read()
    if sm3_hex(data) != evidence.sm3:
        record(action="enforcement.evidence_refused", obj=evidence.case, actor=request.user,
               after={"evidence": evidence.pk})
        messages.error(request, _("证据文件与登记的SM3摘要不符，已拒绝下载并记录。"))
        return redirect("enforcement:case_detail", pk=evidence.case_id)
    record(action="enforcement.evidence_download", obj=evidence.case, actor=request.user,
           after={"evidence": evidence.pk})
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''evidence-{pk}.{ext}".format(
        pk=evidence.pk, ext=evidence.file.name.rsplit(".", 1)[-1])
    return response


@login_required
def casefile(request, pk):
    case = _case_for(request, pk, "enforcement.export")
    try:
        data = services.casefile_zip(case=case, actor=request.user)
    except DomainError as exc:
        return _failed(request, case, exc)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename=casefile-{case.pk}.zip"
    return response


@login_required
@require_POST
def publish(request, pk):
    case = _case_for(request, pk, "enforcement.publish")
    try:
        services.publication_publish(case=case, actor=request.user)
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("已在执法公示栏公开（已去除个人信息）。"))


@login_required
@require_POST
def withdraw(request, pk):
    require(request.user, "enforcement.publish")
    publication = get_in_scope(request.user, "enforcement.publish", Publication.objects.select_related("case"), pk=pk)
    form = WithdrawForm(request.POST)
    try:
        services.publication_withdraw(publication=publication, actor=request.user,
                                      reason=form.data.get("reason", ""))
    except DomainError as exc:
        return _failed(request, publication.case, exc)
    return _done(request, publication.case, _("公示已撤回。"))


@login_required
def supervision(request):
    require(request.user, "enforcement.case_view")
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or year)
    except ValueError:
        pass
    figures = selectors.annual_figures(request.user, year=year)
    return render(request, "enforcement/supervision.html", {
        "title": _("执法监督与统计"), "figures": figures, "year": year,
        "counts": figures | selectors.clock_counts(request.user), "workload": selectors.workload(request.user),
        "open": selectors.open_workflows(request.user)})


# --- public pages ---------------------------------------------------------------------------------
def public_index(request, town_code):
    town = get_object_or_404(Town, code=town_code)
    return render(request, "enforcement/public_index.html", {
        "title": _("行政执法公示"), "town": town, "matters": selectors.public_matters(town),
        "officers": selectors.public_officers(town), "steps": selectors.ORDINARY_STEPS,
        "plans": selectors.public_plans(town),
        "figures": [selectors.public_figures(town, y) for y in (timezone.localdate().year - 1,
                                                               timezone.localdate().year)],
        "summary_steps": selectors.SUMMARY_STEPS})


def public_decisions(request, town_code):
    town = get_object_or_404(Town, code=town_code)
    page = Paginator(selectors.public_decisions(town), 30).get_page(request.GET.get("page"))
    return render(request, "enforcement/public_decisions.html", {
        "title": _("行政处罚决定公示"), "town": town, "page_obj": page})


def public_decision(request, town_code, pk):
    town = get_object_or_404(Town, code=town_code)
    publication = selectors.public_decision(town, pk)
    if publication is None:
        raise Http404
    return render(request, "enforcement/public_decision.html", {
        "title": publication.title, "town": town, "p": publication})


# --- inspections (双随机一公开, 综合查一次) --------------------------------------------------------------
@login_required
def plans(request):
    qs = restrict(request.user, "enforcement.view", InspectionPlan).annotate(
        targets=Count("inspections")).order_by("-planned_on", "-id")
    return render(request, "enforcement/plans.html", {
        "title": _("双随机检查计划"), "page_obj": _page(request, qs),
        "can_manage": can(request.user, "enforcement.manage")})


@login_required
def plan_create(request):
    require(request.user, "enforcement.manage")
    town = _town(request)
    matter_list = _matters_for(request.user, "enforcement.manage")
    form = PlanForm(request.POST or None, matters=matter_list,
                    initial={"inspectors_per_target": 2, "public": True, "planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(town=town, actor=request.user, title=d["title"], kind=d["kind"],
                                        matters=[m for m in matter_list if m.pk in set(d["matters"])],
                                        industry=d.get("industry") or "", sample_size=d["sample_size"],
                                        inspectors_per_target=d["inspectors_per_target"],
                                        planned_on=d["planned_on"], public=d["public"])
            return redirect("enforcement:plan_detail", pk=plan.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("新建检查计划"), "form": form})


@login_required
def plan_detail(request, pk):
    plan = get_in_scope(request.user, "enforcement.view", InspectionPlan, pk=pk)
    inspections = list(plan.inspections.select_related("enterprise", "case").prefetch_related("officers"))
    return render(request, "enforcement/plan_detail.html", {
        "title": plan.title, "plan": plan, "inspections": inspections, "matters": list(plan.matters.all()),
        "draw_form": DrawForm(), "record_form": InspectionForm(),
        "can_manage": can(request.user, "enforcement.manage"),
        "can_handle": can(request.user, "enforcement.case_handle")})


@login_required
@require_POST
def plan_draw(request, pk):
    require(request.user, "enforcement.manage")
    plan = get_in_scope(request.user, "enforcement.manage", InspectionPlan, pk=pk)
    form = DrawForm(request.POST)
    try:
        services.plan_draw(plan=plan, actor=request.user,
                           seed=form.cleaned_data.get("seed", "") if form.is_valid() else "")
        messages.success(request, _("已随机抽取检查对象和检查人员。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("enforcement:plan_detail", pk=plan.pk)


@login_required
@require_POST
def inspection_record(request, pk):
    require(request.user, "enforcement.case_handle")
    inspection = get_in_scope(request.user, "enforcement.case_handle",
                              Inspection.objects.select_related("plan", "enterprise"), pk=pk)
    form = InspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择检查结果并填写检查情况。"))
        return redirect("enforcement:plan_detail", pk=inspection.plan_id)
    try:
        services.inspection_record(inspection=inspection, actor=request.user, **form.cleaned_data)
        messages.success(request, _("检查结果已登记。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("enforcement:plan_detail", pk=inspection.plan_id)


@login_required
def officer_edit(request, pk):
    require(request.user, "enforcement.manage")
    officer = get_in_scope(request.user, "enforcement.manage", Officer, pk=pk)
    fields = ["name", "credential_scope", "valid_from", "valid_until", "post", "legal_qualification", "active"]
    form = OfficerEditForm(request.POST or None, initial={f: getattr(officer, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(officer=officer, actor=request.user, **form.cleaned_data)
            messages.success(request, _("执法人员信息已保存。"))
            return redirect("enforcement:officer_detail", pk=officer.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "enforcement/form.html", {"title": _("编辑执法人员：{n}").format(n=officer.name),
                                                      "form": form})


@login_required
def reviewers(request):
    require(request.user, "enforcement.manage")
    town = _town(request)
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = get_user_model().objects.filter(username=d["username"], town=town).first()
        if user is None:
            form.add_error("username", _("本镇街没有该登录账号。"))
        else:
            try:
                services.reviewer_set(town=town, user=user, name=d["name"], actor=request.user,
                                      qualification_number=d.get("qualification_number") or "", active=d["active"])
                messages.success(request, _("法制审核人员已登记。"))
                return redirect("enforcement:reviewers")
            except DomainError as exc:
                _form_error(form, exc)
    rows = restrict(request.user, "enforcement.manage", Reviewer).select_related("user").order_by("name")
    return render(request, "enforcement/reviewers.html", {"title": _("法制审核人员"), "form": form, "rows": rows})
