"""The public portal: 随手拍 with no login, enterprise appeals, tracking by code and rating.

Public pages show masked projections only (events.selectors.public_projection): no names, phone
numbers, ID numbers or full addresses. Every write goes through events.services."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.contrib import messages
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events import selectors, services
from events.models import Channel, Event, EventStatus
from org.models import Enterprise, Grid, Town

from .forms import AppealForm, PublicReportForm, RatingForm, TrackForm
from .ratelimit import allow


def _too_many(request):
    return render(request, "portal/limited.html", {"title": _("操作过于频繁")}, status=429)


def home(request):
    towns = list(Town.objects.order_by("code").only("pk", "code", "name"))
    if len(towns) == 1:
        return redirect("portal:town_home", town_code=towns[0].code)
    return render(request, "portal/home.html", {"title": _("公众服务"), "towns": towns, "track_form": TrackForm()})


def town_home(request, town_code):
    town = get_object_or_404(Town, code=town_code)
    start = timezone.make_aware(dt.datetime(timezone.localdate().year, 1, 1))
    figures = Event.objects.filter(town=town, reported_at__gte=start).aggregate(
        received=Count("pk"), closed=Count("pk", filter=Q(status=EventStatus.CLOSED)), satisfaction=Avg("rating"))
    return render(request, "portal/town_home.html", {"title": town.name, "town": town, "figures": figures,
                                                     "track_form": TrackForm(), "year": start.year})


def _submit(request, town, form, *, channel, enterprise=None):
    d = form.cleaned_data
    categories = {c.pk: c for c in selectors.leaf_categories(town, public_only=True)}
    return services.event_report(
        town=town, category=categories.get(d.get("category")), title=d.get("title") or "",
        description=d.get("description") or "", channel=channel, actor=None, lat=d.get("lat"), lng=d.get("lng"),
        address=d.get("address") or "", reporter_name=d.get("reporter_name") or "",
        reporter_phone=d.get("reporter_phone") or "", photos=request.FILES.getlist("photos"),
        client_key=d.get("token") or "", enterprise=enterprise)


def _report_page(request, town_code, *, appeal: bool):
    town = get_object_or_404(Town, code=town_code)
    categories = selectors.leaf_categories(town, public_only=True)
    form_class = AppealForm if appeal else PublicReportForm
    if request.method == "POST":
        if not allow(request, "appeal" if appeal else "report"):
            return _too_many(request)
        form = form_class(request.POST, categories=categories)
        if form.is_valid():
            enterprise = None
            if appeal:
                enterprise = Enterprise.objects.filter(town=town, credit_code=form.cleaned_data["credit_code"]
                                                       .strip().upper()).select_related("liaison").first()
                if enterprise is None or enterprise.name.strip() != form.cleaned_data["enterprise_name"].strip():
                    form.add_error(None, _("未找到该企业：请核对企业名称和统一社会信用代码。"))
            if not form.errors:
                try:
                    event = _submit(request, town, form, channel=Channel.ENTERPRISE if appeal else Channel.PORTAL,
                                    enterprise=enterprise)
                except services.DuplicateSubmission as exc:
                    messages.warning(request, str(exc))
                    return redirect("portal:track_detail", code=exc.event.tracking_code)
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    return redirect(reverse("portal:track_detail", args=[event.tracking_code]) + "?new=1")
    else:
        form = form_class(initial={"token": uuid.uuid4().hex}, categories=categories)
    features = [{"type": "Feature", "geometry": g.boundary, "properties": {"name": g.name}}
                for g in Grid.objects.filter(town=town, active=True, boundary__isnull=False).only("name", "boundary")]
    return render(request, "portal/report.html", {
        "title": _("企业诉求") if appeal else _("随手拍"), "town": town, "form": form, "appeal": appeal,
        "grids_json": json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        "centre": [town.centre_lat, town.centre_lng] if town.centre_lat is not None else None})


def report(request, town_code):
    return _report_page(request, town_code, appeal=False)


def appeal(request, town_code):
    return _report_page(request, town_code, appeal=True)


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        if not allow(request, "track"):
            return _too_many(request)
        event = selectors.public_event(form.cleaned_data["code"])
        if event is not None:
            return redirect("portal:track_detail", code=event.tracking_code)
        form.add_error("code", _("查询码不存在，请核对后重新输入。"))
    return render(request, "portal/track.html", {"title": _("进度查询"), "form": form})


def track_detail(request, code):
    if not allow(request, "track"):
        return _too_many(request)
    event = selectors.public_event(code)
    if event is None:
        return render(request, "portal/track.html", {"title": _("进度查询"), "form": TrackForm(initial={"code": code}),
                                                     "not_found": True}, status=404)
    data = selectors.public_projection(event)
    since = event.closed_at or event.resolved_at or event.reported_at
    rated = data["can_rate"] and event.evaluations.filter(at__gte=since).exists()
    return render(request, "portal/track_detail.html", {
        "title": _("进度查询"), "e": data, "new": request.GET.get("new") == "1",
        "rating_form": RatingForm() if data["can_rate"] and not rated else None, "rated": rated})


@require_POST
def rate(request, code):
    if not allow(request, "rate"):
        return _too_many(request)
    event = selectors.public_event(code)
    if event is None:
        return render(request, "portal/track.html", {"title": _("进度查询"), "form": TrackForm(), "not_found": True},
                      status=404)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            evaluation = services.event_rate(event=event, rating=form.cleaned_data.get("rating"),
                                             comment=form.cleaned_data.get("comment") or "", channel="portal")
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            if evaluation.reopened:
                messages.success(request, _("感谢您的评价。您的不满意评价已转指挥中心，事件已重新办理。"))
            else:
                messages.success(request, _("感谢您的评价！"))
    else:
        messages.error(request, _("请选择 1 至 5 星的满意度。"))
    return redirect("portal:track_detail", code=event.tracking_code)
