"""Reads of 综合行政执法, always starting from ``restrict()``."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.scope import get_in_scope, restrict

from .models import OPEN_STATUSES, Case, CaseStatus, Matter, Officer, ProcedureKind, Publication
from .procedure import CASE


def matters(user, data: dict | None = None):
    data = data or {}
    qs = restrict(user, "enforcement.view", Matter).order_by("code")
    if data.get("q"):
        qs = qs.filter(Q(code__icontains=data["q"]) | Q(name__icontains=data["q"]))
    for name in ("area", "source", "category"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    return qs


def officers(user):
    return restrict(user, "enforcement.view", Officer).prefetch_related("trainings").order_by("credential")


def cases(user, data: dict | None = None):
    data = data or {}
    qs = restrict(user, "enforcement.case_view", Case).select_related("matter").order_by("-created_at", "-id")
    if data.get("q"):
        qs = qs.filter(Q(number__icontains=data["q"]) | Q(party_name__icontains=data["q"]))
    for name in ("status", "procedure"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("area"):
        qs = qs.filter(matter__area=data["area"])
    if data.get("year"):
        qs = qs.filter(created_at__year=data["year"])
    if data.get("open_only"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs


def case_detail(user, pk):
    return get_in_scope(user, "enforcement.case_view",
                        Case.objects.select_related("matter", "town", "publication"), pk=pk)


def case_publication(case):
    """The publication fetched with the case (reverse one-to-one), or None."""
    try:
        return case.publication
    except Case.publication.RelatedObjectDoesNotExist:
        return None


def reviews_and_discussions(timeline) -> tuple[list[dict], list[dict]]:
    """法制审核 and 集体讨论 as the audit chain recorded them (no extra query on the case page)."""
    from .models import ReviewResult

    reviews, discussions = [], []
    for entry in reversed(timeline):
        after = entry.after if isinstance(entry.after, dict) else {}
        if entry.action == "enforcement.legal_review":
            result = after.get("result", "")
            reviews.append({"on": after.get("reviewed_on", ""), "opinion": after.get("opinion", ""),
                            "reviewer": after.get("reviewer", ""),
                            "result": ReviewResult(result).label if result in ReviewResult.values else result})
        elif entry.action == "enforcement.discussion":
            discussions.append({"on": after.get("held_on", ""), "conclusion": after.get("conclusion", ""),
                                "dissent": after.get("dissent", ""), "participants": after.get("participants", "")})
    return reviews, discussions


WORKFLOW_ACTIONS = {
    "transfer": ("enforcement.transfer_report", "enforcement.transfer_decide", "enforcement.transfer_send",
                 "enforcement.transfer_receipt", "enforcement.transfer_answer", "enforcement.transfer_reconsider"),
    "application": ("enforcement.recusal_apply", "enforcement.recusal_application_decide"),
    "measure": ("enforcement.measure_decide", "enforcement.measure_report", "enforcement.measure_testing",
                "enforcement.measure_extend", "enforcement.measure_end"),
    "plan": ("enforcement.instalment_approve", "enforcement.instalment_pay"),
}


def workflows(timeline) -> dict:
    """Transfers, recusal applications, coercive measures and the instalment plan of a case as they stand after
    their latest audited step (each step records the record's state): no extra query on the case page.
    Returns ``{"transfer": [...], "application": [...], "measure": [...], "plan": [...]}``, newest first."""
    from .models import MeasureStatus, RecusalStatus, TransferStatus

    labels = {"transfer": TransferStatus, "application": RecusalStatus, "measure": MeasureStatus}
    found = {key: {} for key in WORKFLOW_ACTIONS}
    for entry in reversed(timeline):  # oldest first: the latest state wins
        after = entry.after if isinstance(entry.after, dict) else {}
        for key, actions in WORKFLOW_ACTIONS.items():
            if entry.action in actions and after.get(key) is not None:
                state = dict(after)
                state["id"] = after[key]
                enum = labels.get(key)
                if enum is not None and state.get("status") in enum.values:
                    state["status_label"] = enum(state["status"]).label
                found[key][after[key]] = state
    return {key: sorted(items.values(), key=lambda s: -int(s["id"])) for key, items in found.items()}


def transfer_steps(case, transfer: dict | None) -> set[str]:
    """The transfer steps that fit the case and its latest transfer (as ``workflows`` folded it)."""
    from .models import CaseStatus, ProcedureKind, TransferStatus

    status = (transfer or {}).get("status")
    steps = set()
    if case.is_open and case.procedure == ProcedureKind.ORDINARY and case.status != CaseStatus.LEAD and \
            status not in ("reported", "approved", "sent", "reconsidering", "accepted"):
        steps.add("transfer_report")
    if status == TransferStatus.REPORTED:
        steps.add("transfer_decide")
    elif status == TransferStatus.APPROVED:
        steps.add("transfer_send")
    elif status == TransferStatus.SENT:
        steps |= {"transfer_answer"} | (set() if transfer.get("receipt_on") else {"transfer_receipt"})
    elif status == TransferStatus.RECONSIDERING:
        steps.add("transfer_answer")
    elif status == TransferStatus.REFUSED and not transfer.get("reconsider_requested_on"):
        steps.add("transfer_reconsider")
    elif status == TransferStatus.ACCEPTED and case.status in (
            "filed", "investigating", "investigation_closed", "notice_served", "hearing", "legal_review",
            "collective_discussion"):
        steps.add("close_transferred")
    return steps


def _child_clocks(cases) -> Q:
    """Clocks of the cases' coercive measures and instalments, joined by content type in the same query."""
    from .models import CoerciveMeasure, Instalment

    return (Q(content_type__app_label="enforcement", content_type__model="coercivemeasure",
              object_id__in=CoerciveMeasure.objects.filter(case__in=cases).values("pk"))
            | Q(content_type__app_label="enforcement", content_type__model="instalment",
                object_id__in=Instalment.objects.filter(case__in=cases).values("pk")))


def case_clocks(case):
    """The case's clocks with those of its measures and instalments (one query)."""
    from clocks.models import Clock

    own = Q(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
    return list(Clock.objects.filter(own | _child_clocks([case.pk])).order_by("start_date", "id"))


def case_instruments(case):
    from instruments.models import Instrument

    return list(Instrument.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                          object_id=str(case.pk)).select_related("kind").order_by("rendered_at"))


# The ordinary procedure as officers see it: step, the state reached, instrument(s), rule.
ORDINARY_STEPS = [
    ("lead", _("登记案源"), "lead_register", "penalty.open"),
    ("filed", _("立案审批（负责人批准）"), "filing_approval", "penalty.decision"),
    ("investigating", _("调查取证（两名持证执法人员，出示证件，制作笔录）"), "inspection_record",
     "penalty.guard.two_officers"),
    ("investigation_closed", _("调查终结报告"), "investigation_report", "penalty.guard.full_record"),
    ("notice_served", _("送达行政处罚事先告知书（陈述申辩、听证权利）"), "notice_of_intended_penalty",
     "penalty.guard.notice_first"),
    ("hearing", _("听证（当事人五个工作日内申请；提前七个工作日通知）"), "hearing_record", "penalty.hearing.request"),
    ("legal_review", _("法制审核（第五十八条情形必经）"), "legal_review_opinion", "penalty.guard.legal_review"),
    ("collective_discussion", _("负责人集体讨论（情节复杂或重大违法）"), "collective_discussion_record",
     "penalty.guard.collective"),
    ("decided", _("作出决定（立案之日起九十日内）"), "penalty_decision", "penalty.decision"),
    ("served", _("送达决定书（当事人不在场的七个工作日内）"), "proof_of_service", "penalty.serve"),
    ("executing", _("执行（十五日内缴纳罚款；逾期每日加处百分之三）"), "demand_notice", "penalty.fine.payment"),
    ("closed", _("结案报告"), "closing_report", "penalty.guard.full_record"),
    ("archived", _("立卷归档"), "file_cover", ""),
]
SUMMARY_STEPS = [
    ("decided_on_spot", _("当场处罚（警告或公民二百元、组织三千元以下罚款）"), "onspot_decision",
     "penalty.guard.summary"),
    ("served", _("当场交付决定书"), "proof_of_service", ""),
    ("filed_with_agency", _("报所属机关备案"), "", "penalty.summary.file"),
    ("closed", _("结案"), "closing_report", ""),
]


def guidance(matter, case=None) -> list[dict]:
    """The procedure a matter's case follows, with where the case stands (the report's shortcoming:
    officers carry many delegated matters and need the right steps for each)."""
    from clocks.registry import find

    summary = case is not None and case.procedure == ProcedureKind.SUMMARY
    steps = SUMMARY_STEPS if summary else ORDINARY_STEPS
    order = [s[0] for s in steps]
    current = order.index(case.status) if case is not None and case.status in order else -1
    out = []
    for index, (state, label, instrument, rule) in enumerate(steps):
        item = {"state": state, "label": label, "instrument": instrument,
                "rule": rule, "citation": getattr(find(rule), "citation", "") if rule else "",
                "done": case is not None and index <= current, "current": index == current}
        if case is not None and state == "legal_review":
            item["required"] = case.legal_review_mandatory
        if case is not None and state == "collective_discussion":
            item["required"] = case.collective_mandatory
        out.append(item)
    return out


def available_actions(case, user) -> list:
    return CASE.available(case, user)


def clock_counts(user, *, on: dt.date | None = None) -> dict:
    """Overdue clocks and clocks due within three days, over the cases in scope (one query)."""
    from clocks.models import Clock, ClockStatus

    on = on or timezone.localdate()
    qs = restrict(user, "enforcement.case_view", Case)
    own = Q(content_type=ContentType.objects.get_for_model(Case), object_id__in=qs.values("pk"))
    return Clock.objects.filter(own | _child_clocks(qs.values("pk"))).aggregate(
        overdue=Count("id", filter=Q(status=ClockStatus.OVERDUE)),
        due_soon=Count("id", filter=Q(status=ClockStatus.RUNNING, due_date__gte=on,
                                      due_date__lte=on + dt.timedelta(days=3))))


def supervision(user, *, on: dt.date | None = None) -> dict:
    """Open cases and overdue / due-soon clocks (home panel)."""
    counts = restrict(user, "enforcement.case_view", Case).aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
    return counts | clock_counts(user, on=on)


def workload(user) -> list:
    """Per-officer open and total cases (no amounts: fines may not be used to rate staff, Art. 74 para 3)."""
    return list(restrict(user, "enforcement.view", Officer).filter(active=True).annotate(
        open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES), distinct=True),
        all_cases=Count("cases", distinct=True)).order_by("-open_cases", "credential")[:50])


def annual_figures(user, *, year: int) -> dict:
    """The figures the annual report quotes: cases, penalties, amounts, hearings, legal reviews, records,
    instruments, officers trained and passed."""
    from django.db.models import Exists, OuterRef

    from instruments.models import Instrument

    from .models import LegalReview

    scope = restrict(user, "enforcement.case_view", Case)
    qs = scope.filter(created_at__year=year)
    y = Q(created_at__year=year)
    figures = scope.aggregate(
        cases=Count("id", filter=y), summary=Count("id", filter=y & Q(procedure=ProcedureKind.SUMMARY)),
        penalties=Count("id", filter=y & Q(outcome="penalty")), amount=Sum("fine", filter=y & Q(outcome="penalty")),
        hearings=Count("id", filter=y & Q(hearing_on__isnull=False)),
        closed=Count("id", filter=y & Q(status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED])),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)), total=Count("id"),
        legal_reviews=Count("id", filter=y & Q(Exists(LegalReview.objects.filter(case=OuterRef("pk"))))))
    from django.db.models import CharField
    from django.db.models.functions import Cast

    figures["instruments"] = Instrument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id__in=qs.annotate(pk_text=Cast("pk", CharField())).values("pk_text")).count()
    figures.update(restrict(user, "enforcement.view", Officer).filter(active=True).aggregate(
        officers=Count("id", distinct=True),
        trained=Count("id", filter=Q(trainings__year=year, trainings__hours__gt=0), distinct=True),
        passed=Count("id", filter=Q(trainings__year=year, trainings__passed=True), distinct=True)))
    return figures


# --- public pages (no login): the town's 事前 and 事后 information -------------------------------
def public_matters(town):
    return Matter.objects.filter(town=town, active=True).order_by("area", "code")


def public_officers(town):
    today = timezone.localdate()
    return Officer.objects.filter(town=town, active=True, valid_until__gte=today).order_by("credential")


def public_decisions(town):
    return Publication.objects.filter(town=town, withdrawn_on__isnull=True).order_by("-published_on", "-id")


def public_decision(town, pk):
    return Publication.objects.filter(town=town, pk=pk).first()


def public_plans(town):
    from .models import InspectionPlan

    return (InspectionPlan.objects.filter(town=town, public=True).exclude(status="draft")
            .prefetch_related("matters", "inspections__enterprise").order_by("-planned_on")[:20])


def public_figures(town, year: int) -> dict:
    """The yearly enforcement data published on the portal (enfpub.annual_data): counts only, no parties."""
    from .models import LegalReview

    cases = Case.objects.filter(town=town, created_at__year=year)
    figures = cases.aggregate(
        cases=Count("id"), summary=Count("id", filter=Q(procedure=ProcedureKind.SUMMARY)),
        penalties=Count("id", filter=Q(outcome="penalty")), no_penalty=Count("id", filter=Q(outcome="no_penalty")),
        amount=Sum("fine", filter=Q(outcome="penalty")), hearings=Count("id", filter=Q(hearing_on__isnull=False)))
    figures["legal_reviews"] = (LegalReview.objects.filter(town=town, case__created_at__year=year)
                                .values("case").distinct().count())
    figures["year"] = year
    return figures


def open_workflows(user) -> dict:
    """Transfers awaiting the organ (or the head) and seizures in force, each with its running clock (due date,
    status): one UNION query for the supervision page. Returns {"transfers": [...], "measures": [...]}."""
    from django.db.models import CharField, F, OuterRef, Subquery, Value

    from clocks.models import Clock

    from .models import TRANSFER_PENDING, CoerciveMeasure, MeasureStatus, Transfer

    def clock_of(model, ref, codes):
        clocks = Clock.objects.filter(content_type__app_label="enforcement", content_type__model=model,
                                      object_id=OuterRef(ref), status__in=["running", "overdue", "paused"])
        clocks = clocks.filter(rule_code__in=codes).order_by("-id")
        return Subquery(clocks.values("due_date")[:1]), Subquery(clocks.values("status")[:1]), \
            Subquery(clocks.values("rule_code")[:1])

    columns = ["what", "case_id", "number", "label", "detail", "on", "due", "clock_status", "rule"]
    due, status, rule = clock_of("case", "case_id", ["penalty.transfer.decide", "penalty.transfer.send",
                                                      "penalty.transfer.accept"])
    transfers = (restrict(user, "enforcement.case_view", Transfer).filter(status__in=TRANSFER_PENDING).order_by()
                 .annotate(what=Value("transfer", output_field=CharField()), number=F("case__number"),
                           label=F("suspected_offence"), detail=F("status"), on=F("reported_on"), due=due,
                           clock_status=status, rule=rule).values_list(*columns))
    due, status, rule = clock_of("coercivemeasure", "pk", ["penalty.seizure.term"])
    measures = (restrict(user, "enforcement.case_view", CoerciveMeasure).filter(status=MeasureStatus.IN_FORCE)
                .order_by().annotate(what=Value("measure", output_field=CharField()), number=F("case__number"),
                                     label=F("kind"), detail=F("decision_number"), on=F("decided_on"), due=due,
                                     clock_status=status, rule=rule).values_list(*columns))
    out = {"transfers": [], "measures": []}
    for row in transfers.union(measures, all=True)[:200]:
        item = dict(zip(columns, row, strict=True))
        out[item["what"] + "s"].append(item)
    for key in out:
        out[key].sort(key=lambda r: (r["on"] or dt.date.min, r["case_id"]))
    return out
