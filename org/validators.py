"""Checks on the values the town's structure is built from. Each raises DomainError with a Chinese message."""

from __future__ import annotations

import json
import math
import re

from django.utils.translation import gettext as _

from core.errors import DomainError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(_("请填写{label}。").format(label=label), rule="org.required", field=field)
    if len(text) > max_length:
        raise DomainError(_("{label}不得超过 {n} 个字符。").format(label=label, n=max_length),
                          rule="org.too_long", field=field)
    return text


def clean_count(value, *, field: str, label: str) -> int:
    if value in (None, ""):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(_("{label}须为非负整数。").format(label=label), rule="org.count", field=field)
    if not number.is_integer() or number < 0 or number > 10_000_000:
        raise DomainError(_("{label}须为非负整数。").format(label=label), rule="org.count", field=field)
    return int(number)


def normalise_phone(value) -> str:
    return re.sub(r"[\s()（）]", "", "" if value is None else str(value)).replace("—", "-")


def clean_phone(value, *, field: str = "phone", label: str = "") -> str:
    """An 11-digit mainland mobile (1[3-9]…) or a landline with its area code; blank allowed."""
    phone = normalise_phone(value)
    if phone.endswith(".0") and phone[:-2].isdigit():  # a number typed into Excel as a number
        phone = phone[:-2]
    if not phone:
        return ""
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise DomainError(_("{label}格式不正确：应为11位手机号或带区号的固定电话。").format(label=label or _("手机号")),
                      rule="org.phone", field=field)


def id_number_valid(value: str) -> bool:
    """GB 11643-1999: 17 digits and a check character (0-9 or X)."""
    v = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return False
    total = sum(int(d) * w for d, w in zip(v[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == v[17]


def clean_id_number(value, *, field: str = "id_number") -> str:
    v = "" if value is None else re.sub(r"\s", "", str(value)).upper()
    if not v:
        return ""
    if not id_number_valid(v):
        raise DomainError(_("身份证号不正确：应为18位且校验位正确。"), rule="org.id_number", field=field)
    return v


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def clean_credit_code(value, *, field: str = "credit_code") -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters with its check character."""
    v = "" if value is None else re.sub(r"\s", "", str(value)).upper()
    if not v:
        raise DomainError(_("请填写统一社会信用代码。"), rule="org.required", field=field)
    if len(v) != 18 or any(c not in CREDIT_CHARS for c in v) or credit_code_check_char(v[:17]) != v[17]:
        raise DomainError(_("统一社会信用代码不正确：应为18位且校验位正确。"), rule="org.credit_code", field=field)
    return v


def _position_ok(pos) -> bool:
    if not isinstance(pos, (list, tuple)) or len(pos) < 2:
        return False
    lng, lat = pos[0], pos[1]
    if isinstance(lng, bool) or isinstance(lat, bool) or not isinstance(lng, (int, float)) \
            or not isinstance(lat, (int, float)):
        return False
    if not (math.isfinite(lng) and math.isfinite(lat)):
        return False
    return -180 <= lng <= 180 and -90 <= lat <= 90


def _polygon_ok(rings) -> bool:
    if not isinstance(rings, list) or not rings:
        return False
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4 or not all(_position_ok(p) for p in ring):
            return False
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return False
    return True


def clean_boundary(value, *, field: str = "boundary"):
    """A GeoJSON Polygon or MultiPolygon geometry (a Feature wrapping one is unwrapped); blank → None.

    Coordinates are [longitude, latitude] (WGS 84 / GCJ-02 as the town's base map uses), rings closed.
    """
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise DomainError(_("边界不是有效的 GeoJSON。"), rule="org.geojson", field=field)
    if not isinstance(value, dict):
        raise DomainError(_("边界不是有效的 GeoJSON。"), rule="org.geojson", field=field)
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise DomainError(_("边界不是有效的 GeoJSON。"), rule="org.geojson", field=field)
    kind = value.get("type")
    coords = value.get("coordinates")
    if kind == "Polygon":
        ok = _polygon_ok(coords)
    elif kind == "MultiPolygon":
        ok = isinstance(coords, list) and bool(coords) and all(_polygon_ok(p) for p in coords)
    else:
        raise DomainError(_("边界须为 GeoJSON 的 Polygon 或 MultiPolygon。"), rule="org.geojson", field=field)
    if not ok:
        raise DomainError(
            _("边界坐标不正确：每个环至少4个点、首尾相同，坐标为[经度, 纬度]。"), rule="org.geojson", field=field)
    return {"type": kind, "coordinates": coords}
