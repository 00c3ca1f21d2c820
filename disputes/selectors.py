"""Reads of the disputes module, always through ``access.scope.restrict``."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from django.db.models import CharField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import get_in_scope, restrict

from .choices import PetitionStatus
from .models import Dispute, DisputeKind, Lead, Level, MediationCommittee, Mediator, Petition, Risk, ScreeningRound

AGREED = ("written", "oral")
MEDIATION_CLOSED = ("written", "oral", "terminated")


def disputes(user, action="disputes.view"):
    return restrict(user, action, Dispute)


def dispute_list(user, data: dict):
    qs = disputes(user).select_related("grid", "village", "committee", "mediator")
    for name in ("status", "kind", "risk", "level"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("grid"):
        qs = qs.filter(grid=data["grid"])
    if data.get("date_from"):
        qs = qs.filter(registered_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(registered_on__lte=data["date_to"])
    if data.get("warning"):
        qs = qs.exclude(warning="")
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(summary__icontains=q) | Q(place__icontains=q))
    return qs.prefetch_related("parties").order_by("-registered_on", "-pk")


def dispute_detail(user, pk):
    return get_in_scope(user, "disputes.view", Dispute.objects.select_related(
        "grid", "village", "committee", "mediator", "lead", "created_by", "agreement", "agreement__instrument"), pk=pk)


def dispute_related(dispute) -> dict:
    return {"parties": list(dispute.parties.all()), "sessions": list(dispute.sessions.all())}


def leads(user, action="disputes.view"):
    return restrict(user, action, Lead)


def lead_list(user, data: dict):
    qs = leads(user).select_related("grid", "village", "dispute")
    for name in ("status", "source", "risk", "kind"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("date_from"):
        qs = qs.filter(found_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(found_on__lte=data["date_to"])
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(summary__icontains=q) | Q(place__icontains=q))
    return qs.order_by("-found_on", "-pk")


def lead_detail(user, pk):
    return get_in_scope(user, "disputes.view", Lead.objects.select_related(
        "grid", "village", "screening", "petition", "reported_by", "dispute"), pk=pk)


def rounds(user, data: dict | None = None):
    qs = restrict(user, "disputes.view", ScreeningRound).select_related("village", "grid", "done_by")
    data = data or {}
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    return qs.order_by("-month", "village__code", "pk")


def round_detail(user, pk):
    return get_in_scope(user, "disputes.view", ScreeningRound.objects.select_related("village", "grid", "done_by"),
                        pk=pk)


def committees(user):
    return restrict(user, "disputes.view", MediationCommittee).select_related("village").prefetch_related(
        "mediators").order_by("level", "name")


def mediators(user):
    return restrict(user, "disputes.view", Mediator).select_related("committee").filter(active=True)


def all_mediators(user, action="disputes.committee_manage"):
    """Serving and former mediators (the registry keeps both)."""
    return restrict(user, action, Mediator).select_related("committee")


def petitions(user, action="disputes.petition_view"):
    return restrict(user, action, Petition)


def petition_list(user, data: dict):
    qs = petitions(user).select_related("grid", "village")
    for name in ("status", "channel", "petition_class", "route"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("date_from"):
        qs = qs.filter(received_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(received_on__lte=data["date_to"])
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(subject__icontains=q))
    return qs.order_by("-received_on", "-pk")


def petition_detail(user, pk):
    return get_in_scope(user, "disputes.petition_view", Petition.objects.select_related(
        "grid", "village", "created_by", "opinion_instrument"), pk=pk)


def public_petition(code: str) -> dict | None:
    """What a petitioner may see by the query code: no names, contacts, content or opinion text."""
    code = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if not 6 <= len(code) <= 16:
        return None
    p = Petition.objects.select_related("town").filter(code=code).first()
    if p is None:
        return None
    return {"code": p.code, "town": p.town.name, "received_on": p.received_on, "status": p.get_status_display(),
            "status_value": p.status, "petition_class": p.get_petition_class_display(),
            "route": p.get_route_display(), "acknowledged_on": p.acknowledged_on, "answered_on": p.answered_on,
            "closed_on": p.closed_on, "subject": _("信访事项")}


# --- statistics ---------------------------------------------------------------------------------------

def default_range(today=None):
    today = today or timezone.localdate()
    return today - dt.timedelta(days=364), today


def _pct(n, d):
    return round(n * 100 / d, 1) if d else None


def statistics(user, *, date_from, date_to) -> dict:
    """Every figure with its definition; the test recomputes each from the records.

    - disputes registered: registered_on in the range;
    - disputes resolved: outcome written/oral agreement, outcome_on in the range;
    - mediations closed: outcome written/oral/terminated, outcome_on in the range;
    - mediation success rate = agreements ÷ mediations closed;
    - settled at village / town / transferred: among agreements (village or town level) and transferred
      disputes with outcome_on in the range, the share of each level;
    - leads found: found_on in the range (of them from screening);
    - petitions: received_on in the range, by class; timeliness from the shared clocks of those petitions
      (acknowledgement petition.ack.*, handling petition.handle): met by the due date, late, open overdue.
    """
    from clocks.models import Clock, ClockStatus

    rows = list(disputes(user).filter(
        Q(registered_on__range=(date_from, date_to)) | Q(outcome_on__range=(date_from, date_to))).values(
        "registered_on", "outcome", "outcome_on", "level", "kind", "risk", "grid__name"))
    registered = [r for r in rows if date_from <= r["registered_on"] <= date_to]
    concluded = [r for r in rows if r["outcome_on"] and date_from <= r["outcome_on"] <= date_to]
    agreements = [r for r in concluded if r["outcome"] in AGREED]
    mediations_closed = [r for r in concluded if r["outcome"] in MEDIATION_CLOSED]
    levels = Counter()
    for r in concluded:
        if r["level"] == Level.TRANSFERRED:
            levels["transferred"] += 1
        elif r["outcome"] in AGREED:
            levels[r["level"]] += 1
    level_total = sum(levels.values())
    kinds = Counter(r["kind"] for r in registered)
    months = Counter(r["registered_on"].strftime("%Y-%m") for r in registered)
    grids = defaultdict(Counter)
    for r in registered:
        grids[r["grid__name"] or _("未指定网格")][r["risk"]] += 1

    petition_qs = petitions(user, "disputes.petition_view").filter(received_on__range=(date_from, date_to))
    # One query: the petitions' clocks joined to the petitions themselves (class and status come along).
    # One query for the leads and the petitions of the range (a UNION of two restricted querysets).
    text = CharField()
    union = leads(user).filter(found_on__range=(date_from, date_to)).order_by().values_list(
        Value("L", output_field=text), "source", Value("", output_field=text)).union(
        petition_qs.order_by().values_list(Value("P", output_field=text), "petition_class", "status"), all=True)
    lead_rows, petition_rows = [], []
    for tag, a, b in union:
        if tag == "L":
            lead_rows.append(a)
        else:
            petition_rows.append((None, a, b))
    timeliness = {key: Counter() for key in ("ack", "handle")}
    today = timezone.localdate()
    if petition_rows:
        for code, status, due, met in Clock.objects.filter(
                content_type__app_label="disputes", content_type__model="petition",
                object_id__in=petition_qs.values("pk"),
                rule_code__in=["petition.ack.direct", "petition.ack.transferred", "petition.handle"]).values_list(
                "rule_code", "status", "due_date", "met_at"):
            key = "handle" if code == "petition.handle" else "ack"
            if status == ClockStatus.MET:
                timeliness[key]["on_time" if due is None or met <= due else "late"] += 1
            elif status in (ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.OVERDUE) and due and due < today:
                timeliness[key]["overdue"] += 1
            elif status != ClockStatus.STOPPED:
                timeliness[key]["running"] += 1
    classes = Counter(p[1] or "" for p in petition_rows)
    kind_labels = dict(DisputeKind.choices)
    class_labels = dict(Petition.Class.choices) | {"": _("待分类")}
    return {
        "date_from": date_from, "date_to": date_to,
        "registered": len(registered), "resolved": len(agreements), "mediations_closed": len(mediations_closed),
        "agreements": len(agreements), "success_rate": _pct(len(agreements), len(mediations_closed)),
        "by_level": [{"key": k, "name": str(label), "n": levels[k], "pct": _pct(levels[k], level_total)}
                     for k, label in Level.choices],
        "level_total": level_total,
        "leads": len(lead_rows), "leads_screening": sum(1 for s in lead_rows if s == Lead.Source.SCREENING),
        "red": sum(1 for r in registered if r["risk"] == Risk.RED),
        "by_kind": [{"key": k, "name": str(kind_labels[k]), "n": n} for k, n in kinds.most_common()],
        "months": [{"month": m, "n": months[m]} for m in sorted(months)],
        "by_grid": [{"name": g, "red": c[Risk.RED], "yellow": c[Risk.YELLOW], "green": c[Risk.GREEN],
                     "n": sum(c.values())} for g, c in sorted(grids.items())],
        "petitions": len(petition_rows),
        "petitions_closed": sum(1 for p in petition_rows if p[2] in (
            PetitionStatus.CLOSED, PetitionStatus.DIVERTED, PetitionStatus.RECHECKED)),
        "by_class": [{"key": k, "name": str(class_labels[k]), "n": classes[k]}
                     for k in ["suggestion", "accusation", "claim", ""] if classes[k]],
        "timeliness": {k: dict(v) for k, v in timeliness.items()},
        "ack_on_time_rate": _pct(timeliness["ack"]["on_time"],
                                 timeliness["ack"]["on_time"] + timeliness["ack"]["late"]),
        "handle_on_time_rate": _pct(timeliness["handle"]["on_time"],
                                    timeliness["handle"]["on_time"] + timeliness["handle"]["late"]),
    }


def panel_counts(user) -> dict:
    qs = disputes(user)
    open_statuses = ["registered", "mediating", "signing", "performing", "visited", "terminated", "refused"]
    from django.db.models import Count

    return qs.aggregate(open=Count("pk", filter=Q(status__in=open_statuses)),
                        red=Count("pk", filter=Q(status__in=open_statuses, risk=Risk.RED)),
                        warned=Count("pk", filter=Q(status__in=open_statuses) & ~Q(warning="")))


# --- case-file cover and index (卷宗封面, 卷内文件目录) ---------------------------------------------------

def _instruments_of(obj) -> list:
    from instruments.selectors import instruments_by_record

    found = instruments_by_record(town_id=obj.town_id, model=type(obj), object_ids=[obj.pk])
    return sorted(found.get(str(obj.pk), []), key=lambda i: (i.rendered_at, i.pk))


def _instrument_item(instrument) -> dict:
    note = _("第{n}版").format(n=instrument.version) if instrument.version > 1 else ""
    return {"title": instrument.title or instrument.kind.name, "number": instrument.number,
            "date": timezone.localtime(instrument.rendered_at).date(), "note": note}


def _numbered(items: list[dict]) -> list[dict]:
    for serial, item in enumerate(items, start=1):
        item["serial"] = serial
        item.setdefault("number", "")
        item.setdefault("note", "")
    return items


def dispute_cover(user, pk) -> dict:
    """The case file of a dispute for its printed cover and index: the record, parties and documents.

    Index order follows the file as bound: registration, consent, mediation records, the agreement (or the
    oral-agreement / termination / refusal record), the rendered instruments, the return visit. Call it inside
    ``core.i18n.official_language()``: the cover is a document of the archive.
    """
    dispute = get_in_scope(user, "disputes.view", Dispute.objects.select_related(
        "town", "town__district", "village", "grid", "committee", "mediator", "agreement"), pk=pk)
    parties = list(dispute.parties.all())
    sessions = sorted(dispute.sessions.all(), key=lambda s: (s.held_on, s.pk))
    instruments = _instruments_of(dispute)
    agreement = getattr(dispute, "agreement", None)
    items = [{"title": _("矛盾纠纷登记表"), "date": dispute.registered_on}]
    consents = [p.consent_on for p in parties if p.consent_on]
    if consents:
        items.append({"title": _("当事人调解意愿记录"), "date": max(consents)})
    for n, session in enumerate(sessions, start=1):
        items.append({"title": _("人民调解记录（第{n}次）").format(n=n), "date": session.held_on})
    if agreement is not None and agreement.kind == "oral":
        items.append({"title": _("口头调解协议记录"), "date": agreement.agreed_on})
    items += [_instrument_item(i) for i in instruments]
    if dispute.outcome == Dispute.Outcome.TERMINATED:
        items.append({"title": _("终止调解记录"), "date": dispute.outcome_on, "note": dispute.get_route_display()})
    elif dispute.outcome == Dispute.Outcome.REFUSED:
        items.append({"title": _("当事人拒绝调解记录"), "date": dispute.outcome_on})
    if agreement is not None and agreement.confirmation and agreement.confirmation != "none":
        items.append({"title": _("司法确认情况"), "date": None, "note": agreement.get_confirmation_display()})
    if dispute.visited_on:
        items.append({"title": _("回访记录"), "date": dispute.visited_on, "note": dispute.get_performance_display()})
    return {"record": dispute, "parties": parties, "index": _numbered(items), "instruments": instruments}


def petition_cover(user, pk) -> dict:
    """The case file of a petition (信访事项卷宗) for its printed cover and index; see ``dispute_cover``."""
    petition = get_in_scope(user, "disputes.petition_view", Petition.objects.select_related(
        "town", "town__district", "village", "grid"), pk=pk)
    instruments = _instruments_of(petition)
    items = [{"title": _("信访事项登记表"), "date": petition.received_on, "note": petition.get_channel_display()}]
    if petition.acknowledged_on:
        diverted = petition.route and petition.route != Petition.Route.PETITION
        title = _("导入法定途径告知") if diverted else _("受理告知")
        items.append({"title": title, "date": petition.acknowledged_on, "note": petition.get_route_display()})
    items += [_instrument_item(i) for i in instruments]
    if petition.review_text:
        items.append({"title": _("复查意见"), "date": None})
    if petition.recheck_text:
        items.append({"title": _("复核意见"), "date": None})
    return {"record": petition, "parties": [petition.petitioner_name], "index": _numbered(items),
            "instruments": instruments}
