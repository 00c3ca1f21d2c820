"""Pages of the disputes module: thin, every change through ``services``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, grants_of, require, restrict
from core.crypto import mask_address, mask_name, mask_phone
from core.errors import DomainError
from core.exports import xlsx_response
from core.i18n import official_language
from org.models import Grid, Village

from . import forms, selectors, services
from .models import Party
from .procedure import DISPUTE

PAGE = 30


def _page(request, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


def _note():
    return _("导出时间 {t}").format(t=timezone.localtime().strftime("%Y-%m-%d %H:%M"))


def _run(request, fn, ok_message):
    """Run a service; a refusal becomes a message (never a 500). Returns True on success."""
    try:
        fn()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, ok_message)
    return True


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, "{label}{sep}{msg}".format(label=label or "", sep="：" if label else "",
                                                           msg=errors[0]))


def _grids(user):
    return Grid.objects.filter(town_id=user.town_id, active=True).order_by("code")


# --- disputes -----------------------------------------------------------------------------------------

@login_required
def dispute_list(request):
    require(request.user, "disputes.view")
    form = forms.DisputeFilterForm(request.GET or None, grids=_grids(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.dispute_list(request.user, data)
    if request.GET.get("export") == "xlsx":
        require(request.user, "disputes.export")
        rows = [(d.code, d.registered_on, d.get_kind_display(), d.summary, "、".join(mask_name(p.name) for p in
                 d.parties.all()), d.grid.name if d.grid else "", d.get_risk_display(), d.get_level_display(),
                 str(d.committee), str(d.mediator or ""), d.get_status_display(), d.get_outcome_display(),
                 d.outcome_on, d.closed_on, d.warning) for d in qs]
        return xlsx_response(f"disputes-{timezone.localdate():%Y%m%d}", _("矛盾纠纷调处台账"), [
            _("案号"), _("登记日期"), _("类型"), _("简要情况"), _("当事人"), _("网格"), _("风险等级"), _("调处层级"),
            _("调解委员会"), _("调解员"), _("状态"), _("结果"), _("结果日期"), _("归档日期"), _("预警")],
            rows, note=_note())
    if request.GET.get("export") == "archive":
        return _archive_export(request, qs)
    return render(request, "disputes/list.html", {
        "form": form, "page_obj": _page(request, qs), "can_export": can(request.user, "disputes.export"),
        "can_register": can(request.user, "disputes.mediate"), "title": _("矛盾纠纷台账")})


def _archive_export(request, qs):
    """归档案卷台账: the archived (closed) disputes the filter shows, one row per case file, parties masked."""
    require(request.user, "disputes.export")
    qs = qs.filter(status="closed").select_related("agreement", "agreement__instrument").order_by("closed_on", "pk")
    rows = []
    for d in qs:
        agreement = getattr(d, "agreement", None)
        rows.append((d.code, d.get_kind_display(), "、".join(mask_name(p.name) for p in d.parties.all()),
                     str(d.committee), str(d.mediator or ""), d.get_level_display(), d.registered_on,
                     d.get_outcome_display(), d.outcome_on,
                     agreement.instrument.number if agreement and agreement.instrument else "",
                     d.get_performance_display(), agreement.get_confirmation_display() if agreement else "",
                     d.closed_on))
    return xlsx_response(f"disputes-archive-{timezone.localdate():%Y%m%d}", _("矛盾纠纷归档案卷台账"), [
        _("案号"), _("类型"), _("当事人"), _("调解委员会"), _("调解员"), _("调处层级"), _("登记日期"), _("调解结果"),
        _("结果日期"), _("协议书文号"), _("履行情况"), _("司法确认"), _("归档日期")], rows, note=_note())


@login_required
def dispute_new(request):
    require(request.user, "disputes.mediate")
    user = request.user
    lead = None
    lead_id = request.GET.get("lead") or request.POST.get("lead")
    if lead_id and str(lead_id).isdigit():
        lead = selectors.lead_detail(user, int(lead_id))
    committees = selectors.committees(user).filter(active=True).prefetch_related(None)
    form = forms.DisputeForm(request.POST or None, committees=committees, mediators=selectors.mediators(user),
                             grids=_grids(user), initial={
                                 "kind": lead.kind if lead else None, "summary": lead.summary if lead else "",
                                 "grid": lead.grid_id if lead else None, "place": lead.place if lead else "",
                                 "amount": lead.amount if lead else None,
                                 "violence_threat": lead.violence_threat if lead else False})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dispute = services.dispute_register(
                town=user.town, actor=user, kind=d["kind"], summary=d["summary"], committee=d["committee"],
                mediator=d["mediator"], parties=form.parties(), lead=lead, amount=d["amount"],
                violence_threat=d["violence_threat"], grid=d["grid"], place=d["place"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记纠纷 {code}。").format(code=dispute.code))
            if dispute.warning:
                messages.warning(request, dispute.warning)
            return redirect("disputes:detail", dispute.pk)
    return render(request, "disputes/form.html", {"form": form, "lead": lead, "title": _("登记矛盾纠纷"),
                                                  "submit_testid": "dispute-submit"})


@login_required
def dispute_detail(request, pk):
    dispute = selectors.dispute_detail(request.user, pk)
    user = request.user
    related = selectors.dispute_related(dispute)
    show_contact = can(user, "disputes.contact")
    for p in related["parties"]:
        p.shown_name = p.name if show_contact else mask_name(p.name)
        p.shown_phone = p.phone if show_contact else mask_phone(p.phone)
        p.shown_address = p.address if show_contact else mask_address(p.address)
    agreement = getattr(dispute, "agreement", None)
    mediate = can(user, "disputes.mediate")
    return render(request, "disputes/detail.html", {
        "dispute": dispute, **related, "agreement": agreement, "can_mediate": mediate,
        "can_close": can(user, "disputes.close"), "show_contact": show_contact,
        "available": [t.action for t in DISPUTE.available(dispute, user)],
        "session_form": forms.SessionForm(initial={"held_on": timezone.localdate(), "place": dispute.place}),
        "agreement_form": forms.AgreementForm(), "terminate_form": forms.TerminateForm(auto_id="term_%s"),
        "visit_form": forms.VisitForm(), "confirmation_form": forms.ConfirmationForm(),
        "escalate_form": forms.EscalateForm(auto_id="esc_%s"), "reason_form": forms.ReasonForm(auto_id="refuse_%s"),
        "title": _("纠纷 {code}").format(code=dispute.code)})


def _dispute_post(request, pk, action="disputes.mediate"):
    require(request.user, action)
    return get_in_scope(request.user, "disputes.view", selectors.disputes(request.user).select_related("agreement"),
                        pk=pk)


@login_required
@require_POST
def dispute_consent(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择当事人和调解意愿。"))
        return redirect("disputes:detail", pk)
    party = Party.objects.filter(dispute=dispute, pk=form.cleaned_data["party"]).first()
    if party is None:
        messages.error(request, _("当事人不属于该纠纷。"))
        return redirect("disputes:detail", pk)
    _run(request, lambda: services.party_consent(party=party, actor=request.user,
                                                 consent=form.cleaned_data["consent"]), _("已记录调解意愿。"))
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_act(request, pk):
    """accept / refuse / close."""
    action = request.POST.get("action")
    dispute = _dispute_post(request, pk, "disputes.close" if action == "close" else "disputes.mediate")
    reason = (request.POST.get("reason") or "").strip()
    if action == "accept":
        _run(request, lambda: services.dispute_accept(dispute=dispute, actor=request.user), _("已开始调解。"))
    elif action == "refuse":
        _run(request, lambda: services.dispute_refuse(dispute=dispute, actor=request.user, reason=reason),
             _("已记录当事人拒绝调解。"))
    elif action == "close":
        _run(request, lambda: services.dispute_close(dispute=dispute, actor=request.user), _("案卷已归档。"))
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_session(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.SessionForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.session_add(dispute=dispute, actor=request.user, **form.cleaned_data),
             _("已登记调解记录。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_agreement(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.AgreementForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.agreement_make(dispute=dispute, actor=request.user, **form.cleaned_data),
             _("已登记调解协议。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_sign(request, pk):
    dispute = _dispute_post(request, pk)
    what = request.POST.get("what", "")
    party = None
    if what.startswith("party-") and what[6:].isdigit():
        party = Party.objects.filter(dispute=dispute, pk=int(what[6:])).first()
        if party is None:
            messages.error(request, _("当事人不属于该纠纷。"))
            return redirect("disputes:detail", pk)
    _run(request, lambda: services.agreement_sign(dispute=dispute, actor=request.user, party=party,
                                                  mediator=what == "mediator", seal=what == "seal"),
         _("已记录签署。"))
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_terminate(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.TerminateForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.dispute_terminate(dispute=dispute, actor=request.user, **form.cleaned_data),
             _("已终止调解。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_visit(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.dispute_return_visit(dispute=dispute, actor=request.user,
                                                            **form.cleaned_data), _("已登记回访。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_confirmation(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.ConfirmationForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.confirmation_set(dispute=dispute, actor=request.user, **form.cleaned_data),
             _("已登记司法确认情况。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_escalate(request, pk):
    dispute = _dispute_post(request, pk)
    form = forms.EscalateForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.dispute_escalate(dispute=dispute, actor=request.user, **form.cleaned_data),
             _("已升级风险等级并预警。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", pk)


@login_required
@require_POST
def dispute_risk_report(request, pk):
    """调解法第二十五条: a dispute that may escalate is reported to the police or another department at once."""
    dispute = _dispute_post(request, pk)
    _run(request, lambda: services.risk_reported(dispute=dispute, actor=request.user,
                                                 to_whom=request.POST.get("to_whom", "")), _("已记录报告情况。"))
    return redirect("disputes:detail", pk)


# --- leads and screening -----------------------------------------------------------------------------

@login_required
def lead_list(request):
    require(request.user, "disputes.view")
    form = forms.LeadFilterForm(request.GET or None)
    qs = selectors.lead_list(request.user, form.cleaned_data if form.is_valid() else {})
    if request.GET.get("export") == "xlsx":
        require(request.user, "disputes.export")
        rows = [(x.code, x.found_on, x.get_source_display(), x.event_code, x.get_kind_display(), x.summary,
                 x.grid.name if x.grid else "", x.place, x.parties_count, x.amount, x.get_risk_display(),
                 x.get_status_display()) for x in qs]
        return xlsx_response(f"dispute-leads-{timezone.localdate():%Y%m%d}", _("矛盾纠纷线索台账"), [
            _("编号"), _("发现日期"), _("来源"), _("来源事件"), _("类型"), _("摘要"), _("网格"), _("地点"), _("人数"),
            _("金额"), _("风险等级"), _("状态")], rows, note=_note())
    return render(request, "disputes/leads.html", {
        "form": form, "page_obj": _page(request, qs), "can_export": can(request.user, "disputes.export"),
        "can_report": can(request.user, "disputes.lead_report"), "can_mediate": can(request.user, "disputes.mediate"),
        "title": _("矛盾纠纷线索")})


@login_required
def lead_new(request):
    require(request.user, "disputes.lead_report")
    user = request.user
    initial = {}
    event_code = (request.GET.get("event") or "").strip()
    if event_code:
        initial = {"source": "event", "event_code": event_code}
    # A grid worker reports within the grid(s) granted, so that the lead stays visible to them.
    grids = restrict(user, "disputes.lead_report", Grid).filter(active=True).order_by("code")
    form = forms.LeadForm(request.POST or None, grids=grids, initial=initial)
    if any(g.grid_id for g in grants_of(user)):
        form.fields["grid"].required = True
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        event = None
        code = d.pop("event_code").strip().upper()
        if code:
            from events import selectors as event_selectors

            event = event_selectors.events(user).filter(tracking_code=code).select_related("grid").first()
            if event is None:
                form.add_error("event_code", _("未找到该查询码的事件。"))
        if not form.errors:
            if event is not None and d["grid"] is None:
                d["grid"] = event.grid
            try:
                lead = services.lead_create(town=user.town, actor=user, event=event, **d)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已登记线索 {code}。").format(code=lead.code))
                return redirect("disputes:lead_detail", lead.pk)
    return render(request, "disputes/form.html", {"form": form, "title": _("登记矛盾纠纷线索"),
                                                  "submit_testid": "lead-submit"})


@login_required
def lead_detail(request, pk):
    lead = selectors.lead_detail(request.user, pk)
    return render(request, "disputes/lead_detail.html", {
        "lead": lead, "can_mediate": can(request.user, "disputes.mediate"), "reason_form": forms.ReasonForm(),
        "dispute": getattr(lead, "dispute", None), "title": _("线索 {code}").format(code=lead.code)})


@login_required
@require_POST
def lead_dismiss(request, pk):
    require(request.user, "disputes.mediate")
    lead = selectors.lead_detail(request.user, pk)
    _run(request, lambda: services.lead_dismiss(lead=lead, actor=request.user, reason=request.POST.get("reason")),
         _("已排除该线索。"))
    return redirect("disputes:lead_detail", pk)


@login_required
def screening(request):
    require(request.user, "disputes.view")
    qs = selectors.rounds(request.user, request.GET)
    if request.GET.get("export") == "xlsx":
        require(request.user, "disputes.export")
        rows = [(r.month.strftime("%Y-%m"), str(r.village), r.grid.name if r.grid else "", r.get_status_display(),
                 r.done_on, str(r.done_by or ""), r.households, r.note) for r in qs]
        return xlsx_response(f"dispute-screening-{timezone.localdate():%Y%m%d}", _("矛盾纠纷排查台账"), [
            _("月份"), _("村(社区)"), _("网格"), _("状态"), _("完成日期"), _("排查人"), _("走访户数"), _("排查情况")],
            rows, note=_note())
    return render(request, "disputes/screening.html", {
        "page_obj": _page(request, qs), "plan_form": forms.PlanForm(initial={"month": timezone.localdate()}),
        "can_plan": can(request.user, "disputes.committee_manage"), "can_export": can(request.user, "disputes.export"),
        "title": _("矛盾纠纷排查")})


@login_required
@require_POST
def screening_plan(request):
    require(request.user, "disputes.committee_manage")
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        created = services.screening_plan(town=request.user.town, month=form.cleaned_data["month"],
                                          actor=request.user)
        messages.success(request, _("已安排{n}个村(社区)的排查。").format(n=len(created)))
    else:
        _form_errors(request, form)
    return redirect("disputes:screening")


@login_required
def screening_detail(request, pk):
    round_ = selectors.round_detail(request.user, pk)
    form = forms.ScreeningForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "disputes.screening")
        if form.is_valid():
            d = form.cleaned_data
            findings = []
            if d["finding_summary"].strip():
                findings.append({"kind": d["finding_kind"] or "other", "summary": d["finding_summary"],
                                 "place": d["finding_place"]})
            if _run(request, lambda: services.screening_complete(
                    round_=round_, actor=request.user, households=d["households"], note=d["note"], findings=findings),
                    _("已记录排查结果。")):
                return redirect("disputes:screening_detail", pk)
    return render(request, "disputes/screening_detail.html", {
        "round": round_, "form": form, "leads": list(round_.leads.all()),
        "can_screen": can(request.user, "disputes.screening"), "title": str(round_)})


# --- committees ---------------------------------------------------------------------------------------

@login_required
def committees(request):
    require(request.user, "disputes.view")
    user = request.user
    manage = can(user, "disputes.committee_manage")
    villages = Village.objects.filter(town_id=user.town_id, active=True).order_by("code")
    form = forms.CommitteeForm(request.POST or None, villages=villages)
    if request.method == "POST":
        require(user, "disputes.committee_manage")
        if form.is_valid():
            if _run(request, lambda: services.committee_save(town=user.town, actor=user, **form.cleaned_data),
                    _("已保存调解委员会。")):
                return redirect("disputes:committees")
    return render(request, "disputes/committees.html", {
        "committees": list(selectors.committees(user)), "form": form, "mediator_form": forms.MediatorForm(),
        "can_manage": manage, "title": _("人民调解组织")})


@login_required
@require_POST
def mediator_add(request, pk):
    require(request.user, "disputes.committee_manage")
    committee = get_in_scope(request.user, "disputes.view", selectors.committees(request.user), pk=pk)
    form = forms.MediatorForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.mediator_save(town=request.user.town, actor=request.user, committee=committee,
                                                     **form.cleaned_data), _("已登记调解员。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:committees")


def _run_form(request, form, fn, ok_message):
    """Run a service for a bound form; a refusal lands on the form (its field when known). True on success."""
    try:
        fn()
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return False
    messages.success(request, ok_message)
    return True


@login_required
def committee_edit(request, pk):
    user = request.user
    committee = get_in_scope(user, "disputes.committee_manage", selectors.committees(user).prefetch_related(None),
                             pk=pk)
    villages = Village.objects.filter(town_id=user.town_id, active=True).order_by("code")
    initial = {f: getattr(committee, f) for f in ("name", "level", "members", "women_members", "term_start",
                                                  "term_end", "active")} | {"village": committee.village_id}
    form = forms.CommitteeEditForm(request.POST or None, villages=villages, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _run_form(request, form, lambda: services.committee_save(town=user.town, actor=user, committee=committee,
                                                                    **form.cleaned_data),
                     _("已保存调解委员会。")):
            return redirect("disputes:committees")
    return render(request, "disputes/form.html", {
        "form": form, "title": _("编辑调解委员会：{name}").format(name=committee.name),
        "submit_testid": "committee-save", "back": "disputes:committees"})


def _mediator_committees(user, mediator=None):
    from django.db.models import Q

    keep = Q(active=True) | Q(pk=mediator.committee_id) if mediator else Q(active=True)
    return selectors.committees(user).prefetch_related(None).filter(keep)


@login_required
def mediator_edit(request, pk):
    user = request.user
    mediator = get_in_scope(user, "disputes.committee_manage", selectors.all_mediators(user), pk=pk)
    initial = {f: getattr(mediator, f) for f in ("name", "qualification", "certificate_no", "phone", "trained_on")}
    form = forms.MediatorEditForm(request.POST or None, committees=_mediator_committees(user, mediator),
                                  initial=initial | {"committee": mediator.committee_id})
    if request.method == "POST" and form.is_valid():
        if _run_form(request, form, lambda: services.mediator_save(
                town=user.town, actor=user, mediator=mediator, user=mediator.user, **form.cleaned_data),
                _("已保存调解员。")):
            return redirect("disputes:committees")
    return render(request, "disputes/mediator_form.html", {
        "form": form, "mediator": mediator, "active_form": forms.MediatorActiveForm(),
        "title": _("编辑调解员：{name}").format(name=mediator.name)})


@login_required
@require_POST
def mediator_active(request, pk):
    user = request.user
    mediator = get_in_scope(user, "disputes.committee_manage", selectors.all_mediators(user), pk=pk)
    form = forms.MediatorActiveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("disputes:mediator_edit", pk)
    active = request.POST.get("active") == "1"
    if _run(request, lambda: services.mediator_set_active(mediator=mediator, actor=user, active=active,
                                                          reason=form.cleaned_data["reason"]),
            _("已恢复在任。") if active else _("已办理离任。")):
        return redirect("disputes:committees")
    return redirect("disputes:mediator_edit", pk)


@login_required
def town_settings(request):
    """The town's early-warning period and risk thresholds (leaders, sector leads)."""
    user = request.user
    require(user, "disputes.settings")
    current = services.town_settings(user.town)
    fields = ("recurrence_days", "yellow_amount", "red_amount", "yellow_people", "red_people")
    form = forms.SettingsForm(request.POST or None, initial={f: getattr(current, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        if _run_form(request, form, lambda: services.settings_save(town=user.town, actor=user, **form.cleaned_data),
                     _("已保存预警设置，此后登记的线索和纠纷按新标准分级。")):
            return redirect("disputes:settings")
    return render(request, "disputes/form.html", {
        "form": form, "title": _("矛盾纠纷预警设置"), "submit_testid": "settings-save",
        "intro": _("红色：有暴力倾向，或金额、人数达到红色标准；黄色：金额、人数达到黄色标准，或属土地山林、"
                   "劳资、房屋宅基地纠纷；其余为绿色。已登记的纠纷不重新分级。")})


# --- petitions ----------------------------------------------------------------------------------------

@login_required
def petition_list(request):
    require(request.user, "disputes.petition_view")
    form = forms.PetitionFilterForm(request.GET or None)
    qs = selectors.petition_list(request.user, form.cleaned_data if form.is_valid() else {})
    if request.GET.get("export") == "xlsx":
        require(request.user, "disputes.export")
        rows = [(p.code, p.received_on, p.get_channel_display(), mask_name(p.petitioner_name), p.people, p.subject,
                 p.get_petition_class_display(), p.get_route_display(), p.handling_unit, p.get_status_display(),
                 p.acknowledged_on, p.answered_on, p.get_opinion_display(), p.closed_on) for p in qs]
        return xlsx_response(f"petitions-{timezone.localdate():%Y%m%d}", _("信访事项台账"), [
            _("查询码"), _("收到日期"), _("渠道"), _("信访人"), _("人数"), _("事由"), _("类别"), _("处理途径"),
            _("承办单位"), _("状态"), _("告知日期"), _("意见日期"), _("处理意见"), _("办结日期")], rows, note=_note())
    return render(request, "disputes/petitions.html", {
        "form": form, "page_obj": _page(request, qs), "can_export": can(request.user, "disputes.export"),
        "can_register": can(request.user, "disputes.petition_handle"), "title": _("信访事项")})


@login_required
def petition_new(request):
    require(request.user, "disputes.petition_handle")
    user = request.user
    form = forms.PetitionForm(request.POST or None, grids=_grids(user),
                              initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_register(town=user.town, actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记信访事项，查询码 {code}。").format(code=petition.code))
            return redirect("disputes:petition_detail", petition.pk)
    return render(request, "disputes/form.html", {"form": form, "title": _("登记信访事项"),
                                                  "submit_testid": "petition-submit"})


@login_required
def petition_detail(request, pk):
    petition = selectors.petition_detail(request.user, pk)
    user = request.user
    show_contact = can(user, "disputes.petition_handle")
    User = get_user_model()
    approvers = User.objects.filter(town_id=user.town_id, is_active=True,
                                    grants__role__in=["leader", "sector_lead"]).distinct()
    return render(request, "disputes/petition_detail.html", {
        "petition": petition, "can_handle": can(user, "disputes.petition_handle"),
        "name": petition.petitioner_name if show_contact else mask_name(petition.petitioner_name),
        "phone": petition.petitioner_phone if show_contact else mask_phone(petition.petitioner_phone),
        "classify_form": forms.ClassifyForm(), "answer_form": forms.AnswerForm(),
        "extend_form": forms.ExtendForm(approvers=approvers), "title": _("信访 {code}").format(code=petition.code)})


def _petition_post(request, pk):
    require(request.user, "disputes.petition_handle")
    return get_in_scope(request.user, "disputes.petition_handle", selectors.petitions(request.user), pk=pk)


@login_required
@require_POST
def petition_classify(request, pk):
    petition = _petition_post(request, pk)
    form = forms.ClassifyForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.petition_classify(petition=petition, actor=request.user, **form.cleaned_data),
             _("已分类并书面告知。"))
    return redirect("disputes:petition_detail", pk)


@login_required
@require_POST
def petition_answer(request, pk):
    petition = _petition_post(request, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.petition_answer(petition=petition, actor=request.user, **form.cleaned_data),
             _("已出具信访处理意见书。"))
    return redirect("disputes:petition_detail", pk)


@login_required
@require_POST
def petition_step(request, pk):
    petition = _petition_post(request, pk)
    form = forms.StepForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.petition_step(petition=petition, actor=request.user, **form.cleaned_data),
             _("已登记。"))
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("disputes:petition_detail", pk)


@login_required
@require_POST
def petition_extend(request, pk):
    petition = _petition_post(request, pk)
    User = get_user_model()
    form = forms.ExtendForm(request.POST, approvers=User.objects.filter(town_id=request.user.town_id, is_active=True))
    if form.is_valid():
        _run(request, lambda: services.petition_extend(petition=petition, actor=request.user, **form.cleaned_data),
             _("已延长办理期限。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:petition_detail", pk)


# --- statistics and the public query ------------------------------------------------------------------

@login_required
def stats(request):
    require(request.user, "disputes.stats")
    form = forms.StatsForm(request.GET or None)
    date_from, date_to = selectors.default_range()
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
    if date_from > date_to:
        messages.error(request, _("起始日期不能晚于截止日期。"))
        date_from, date_to = selectors.default_range()
    figures = selectors.statistics(request.user, date_from=date_from, date_to=date_to)
    chart = {k: figures[k] for k in ("months", "by_kind", "by_grid", "by_level", "by_class")}
    return render(request, "disputes/stats.html", {"form": form, "s": figures, "chart": chart,
                                                   "title": _("矛盾纠纷与信访统计")})


def public_petition(request):
    """信访事项办理进度查询 (信访工作条例 Art. 18): by the query code, without any personal data."""
    form = forms.PublicQueryForm(request.GET or None)
    result = None
    searched = False
    if form.is_valid():
        from portal.ratelimit import allow

        # The same per-address quota as the portal's other progress queries: codes cannot be enumerated.
        if not allow(request, "track"):
            return render(request, "disputes/public_petition.html", {
                "form": form, "too_many": True, "title": _("信访事项办理进度查询")}, status=429)
        searched = True
        result = selectors.public_petition(form.cleaned_data["code"])
    return render(request, "disputes/public_petition.html", {"form": form, "result": result, "searched": searched,
                                                             "title": _("信访事项办理进度查询")})



# --- case-file cover and index (卷宗封面, 卷内文件目录) ---------------------------------------------------

def _archive_rows():
    """Filled in by hand at binding: the town's archive has no such records in Fazhi."""
    return [(_("档号"), ""), (_("保管期限"), ""), (_("立卷人"), ""), (_("检查人"), "")]


def _cover_page(request, record, context):
    return render(request, "disputes/cover.html", context | {
        "back_url": record.get_absolute_url(), "official": settings.LANGUAGE_CODE,
        "organisation": f"{record.town.district.name}{record.town.name}", "code": record.code,
        "title": _("卷宗封面 {code}").format(code=record.code)})


@login_required
def dispute_cover(request, pk):
    """The printable cover and index of a dispute's file (A4), in the official language (a document of the archive);
    names only, masked for readers without ``disputes.contact`` as on the dispute page."""
    show = can(request.user, "disputes.contact")
    with official_language():
        data = selectors.dispute_cover(request.user, pk)
        d = data["record"]
        parties = "；".join(_("{name}（{side}）").format(name=p.name if show else mask_name(p.name),
                                                      side=p.get_side_display()) for p in data["parties"])
        outcome = d.get_outcome_display() if d.outcome else d.get_status_display()
        rows = [(_("调解组织"), str(d.committee)), (_("案号"), d.code), (_("纠纷类型"), d.get_kind_display()),
                (_("当事人"), parties), (_("人民调解员"), str(d.mediator or "")),
                (_("调处层级"), d.get_level_display()), (_("登记日期"), d.registered_on), (_("调解结果"), outcome),
                (_("结果日期"), d.outcome_on), (_("归档日期"), d.closed_on)] + _archive_rows()
        context = {"kind_title": _("人民调解卷宗"), "subtitle": str(d.committee), "rows": rows, "index": data["index"]}
    return _cover_page(request, d, context)


@login_required
def petition_cover(request, pk):
    """The printable cover and index of a petition's file; the petitioner's name as on the petition page."""
    show = can(request.user, "disputes.petition_handle")
    with official_language():
        data = selectors.petition_cover(request.user, pk)
        p = data["record"]
        if p.opinion:
            outcome = _("出具处理意见：{opinion}").format(opinion=p.get_opinion_display())
        elif p.route and p.route != p.Route.PETITION:
            outcome = _("导入法定途径：{route}").format(route=p.get_route_display())
        else:
            outcome = p.get_status_display()
        rows = [(_("查询码"), p.code), (_("信访人"), p.petitioner_name if show else mask_name(p.petitioner_name)),
                (_("信访事由"), p.subject), (_("信访渠道"), p.get_channel_display()),
                (_("信访事项类别"), p.get_petition_class_display()), (_("承办单位"), p.handling_unit),
                (_("收到日期"), p.received_on), (_("处理结果"), outcome), (_("出具处理意见日期"), p.answered_on),
                (_("办结日期"), p.closed_on)] + _archive_rows()
        context = {"kind_title": _("信访事项卷宗"), "subtitle": "", "rows": rows, "index": data["index"]}
    return _cover_page(request, p, context)
