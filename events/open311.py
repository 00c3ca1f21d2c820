"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML), over the same selectors and services.

- ``discovery``, ``services``, ``services/{code}`` and ``requests`` (GET) are public: a request shows the
  same masked projection as the portal, never the reporter.
- ``POST requests`` needs an ``api_key`` issued by the town (``events.ApiKey``; only its SM3 digest is
  stored). An ``Idempotency-Key`` header makes retries safe: the same key returns the same request.
- ``status`` is the standard open/closed; our detailed status is in ``status_notes``.
- ``jurisdiction_id`` is the town's code; optional when the installation serves one town.
- ``service_request_id`` is the event's number (the tracking code, which allows rating, stays private).
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.errors import DomainError
from org.models import Town

from . import selectors, services
from .models import ApiKey, Category, Channel, Event

MAX_REQUESTS = 1000


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def _xml(root: str, item: str, rows) -> bytes:
    top = Element(root)
    for row in rows:
        node = SubElement(top, item)
        for key, value in row.items():
            child = SubElement(node, key)
            if isinstance(value, list):
                for v in value:
                    sub = SubElement(child, "attribute" if isinstance(v, dict) else "value")
                    if isinstance(v, dict):
                        for k2, v2 in v.items():
                            SubElement(sub, k2).text = "" if v2 is None else str(v2)
                    else:
                        sub.text = str(v)
            elif isinstance(value, bool):
                child.text = "true" if value else "false"
            elif value is not None:
                child.text = str(value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="utf-8")


def _respond(fmt: str, data, *, root: str, item: str, status: int = 200):
    if fmt == "xml":
        rows = data if isinstance(data, list) else [data]
        if root == "service_definition":
            top = Element("service_definition")
            SubElement(top, "service_code").text = data["service_code"]
            SubElement(top, "attributes")
            body = b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="utf-8")
        else:
            body = _xml(root, item, rows)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str):
    return _respond(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def api(view):
    def wrapped(request, *args, fmt="json", **kwargs):
        if fmt not in ("json", "xml"):
            return _error("json", 400, _("不支持的格式：{fmt}").format(fmt=fmt))
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _town(request) -> Town:
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if code:
        town = Town.objects.filter(code=code).first()
        if town is None:
            raise Open311Error(404, _("未知的 jurisdiction_id：{code}").format(code=code))
        return town
    towns = list(Town.objects.all()[:2])
    if len(towns) != 1:
        raise Open311Error(400, _("须提供 jurisdiction_id（镇街区划代码）。"))
    return towns[0]


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.parent.name if category.parent_id else "",
        "group": category.parent.name if category.parent_id else category.name,
    }


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request_row(event: Event) -> dict:
    p = selectors.public_projection(event)
    expected = event.due_handle_at if event.is_open else None
    return {
        "service_request_id": str(event.pk),
        "status": p["status"],
        "status_notes": f"{event.status}: {event.get_status_display()}" + (f" — {p['result']}" if p["result"] else ""),
        "service_name": event.category.name,
        "service_code": event.category.code,
        "description": p["description"],
        "agency_responsible": event.sector.name if event.sector_id else event.town.name,
        "service_notice": "",
        "requested_datetime": _iso(event.reported_at),
        "updated_datetime": _iso(p["updated_at"]),
        "expected_datetime": _iso(expected),
        "address": p["address"],
        "address_id": "",
        "zipcode": "",
        "lat": p["lat"],
        "long": p["lng"],
        "media_url": "",
    }


@api
def discovery(request, fmt="json"):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": _("所在镇街基层治理指挥中心"),
        "key_service": _("向镇街指挥中心申请 api_key。"),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-01-01T00:00:00+08:00", "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }
    if fmt == "xml":
        return _respond(fmt, [{"contact": data["contact"], "key_service": data["key_service"], "url": base}],
                        root="discovery", item="endpoint")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@api
def services_list(request, fmt="json"):
    town = _town(request)
    rows = [_service(c) for c in selectors.leaf_categories(town, public_only=True)]
    return _respond(fmt, rows, root="services", item="service")


@api
def service_definition(request, code, fmt="json"):
    town = _town(request)
    category = Category.objects.filter(town=town, code=code, active=True, public=True).first()
    if category is None:
        raise Open311Error(404, _("未知的 service_code：{code}").format(code=code))
    return _respond(fmt, {"service_code": category.code, "attributes": []}, root="service_definition", item="")


def _parse_dt(value: str, name: str):
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min)
        except ValueError:
            raise Open311Error(400, _("{name} 须为 W3C 日期时间，如 2026-01-01T00:00:00+08:00。").format(name=name))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@api
def requests_view(request, fmt="json"):
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, _("只支持 GET 和 POST。"))
    town = _town(request)
    ids = [i for i in (request.GET.get("service_request_id") or "").split(",") if i.strip()]
    if ids and not all(i.strip().isdigit() for i in ids):
        raise Open311Error(400, _("service_request_id 须为数字。"))
    status = request.GET.get("status", "")
    if status and status not in ("open", "closed"):
        raise Open311Error(400, _("status 只能是 open 或 closed。"))
    start = _parse_dt(request.GET.get("start_date", ""), "start_date")
    end = _parse_dt(request.GET.get("end_date", ""), "end_date")
    if start and end and end - start > dt.timedelta(days=90):
        raise Open311Error(400, _("查询时间跨度不能超过 90 天。"))
    rows = selectors.open311_requests(town, service_code=request.GET.get("service_code", ""),
                                      status=status if not ids else "", start=start, end=end,
                                      ids=[int(i) for i in ids], limit=MAX_REQUESTS)
    return _respond(fmt, [_request_row(e) for e in rows], root="service_requests", item="request")


@api
def request_detail(request, request_id, fmt="json"):
    # service_request_id is unique across towns: jurisdiction_id is checked when given, not required.
    has_town = request.GET.get("jurisdiction_id")
    town = _town(request) if has_town else None
    rows = selectors.open311_requests(town, ids=[int(request_id)], limit=1) if request_id.isdigit() else []
    if not rows:
        raise Open311Error(404, _("未找到该请求：{id}").format(id=request_id))
    return _respond(fmt, [_request_row(rows[0])], root="service_requests", item="request")


def _create(request, fmt):
    raw_key = (request.POST.get("api_key") or "").strip()
    if not raw_key:
        raise Open311Error(403, _("须提供 api_key。"))
    key = ApiKey.objects.filter(key_hash=services.hash_key(raw_key), active=True).select_related("town").first()
    if key is None:
        raise Open311Error(403, _("api_key 无效或已停用。"))
    town = key.town
    code = (request.POST.get("jurisdiction_id") or "").strip()
    if code and code != town.code:
        raise Open311Error(403, _("该 api_key 不属于 jurisdiction_id {code}。").format(code=code))
    service_code = (request.POST.get("service_code") or "").strip()
    if not service_code:
        raise Open311Error(400, _("须提供 service_code。"))
    category = Category.objects.filter(town=town, code=service_code, active=True, public=True).first()
    if category is None:
        raise Open311Error(404, _("未知的 service_code：{code}").format(code=service_code))
    lat, lng = request.POST.get("lat"), request.POST.get("long")
    address = (request.POST.get("address_string") or "").strip()
    if not (lat and lng) and not address:
        raise Open311Error(400, _("须提供位置：lat 和 long，或 address_string。"))
    description = (request.POST.get("description") or "").strip()
    name = " ".join(p for p in (request.POST.get("last_name", ""), request.POST.get("first_name", "")) if p).strip()
    idem = (request.headers.get("Idempotency-Key") or "").strip()
    try:
        event = services.event_report(
            town=town, category=category, title=description[:60] or category.name, description=description,
            channel=Channel.OPEN311, actor=None, lat=lat or None, lng=lng or None, address=address,
            reporter_name=name, reporter_phone=request.POST.get("phone", ""),
            client_key=f"open311:{key.pk}:{idem}"[:64] if idem else "", source=key.name)
    except services.DuplicateSubmission as exc:
        event = exc.event
    except DomainError as exc:
        raise Open311Error(400, str(exc))
    services.apikey_touch(key=key)
    row = {"service_request_id": str(event.pk),
           "service_notice": _("已登记，查询码 {code}（凭码在公众服务门户查询进度、评价）").format(
               code=event.tracking_code),
           "account_id": None}
    return _respond(fmt, [row], root="service_requests", item="request", status=201)
