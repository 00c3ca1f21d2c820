"""The one write path for the town's structure (一中心四板块一网格).

Every function is keyword-only, atomic, checks its input (``DomainError`` with a Chinese message naming a
rule and a field), writes an audit entry in the same transaction, and never stores personal data in
clear in the audit trail (phones and ID numbers are masked there).
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import normalise, record
from core.crypto import EncryptedTextField, mask_address, mask_id_number, mask_phone
from core.errors import DomainError

from . import validators as v
from .models import (
    OPEN_HANDOVER_STATUSES,
    District,
    Enterprise,
    Grid,
    GridAssignment,
    GridRole,
    HandoverSlot,
    MicroGrid,
    Position,
    PositionHandover,
    PositionStatus,
    Sector,
    Staff,
    StaffAbsence,
    Town,
    Village,
)

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")
SLUG_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_\-]*$")

# Seeded data (stored as written, whatever the interface language); names and count stay editable.
DEFAULT_SECTORS = [
    (Sector.Code.PARTY_BUILDING, "党建统领", 10),
    (Sector.Code.ECONOMY, "经济发展", 20),
    (Sector.Code.LIVELIHOOD, "民生服务", 30),
    (Sector.Code.SAFETY_RULE_OF_LAW, "平安法治", 40),
]
DEFAULT_SECTOR_DESCRIPTIONS = {
    Sector.Code.PARTY_BUILDING: "党的建设、干部队伍、宣传思想、群团统战等工作。",
    Sector.Code.ECONOMY: "产业发展、招商引资、企业服务、农业农村、规划建设等工作。",
    Sector.Code.LIVELIHOOD: "社会保障、民政救助、教育卫生、退役军人服务、便民服务等工作。",
    Sector.Code.SAFETY_RULE_OF_LAW: "综治维稳、信访、人民调解、综合行政执法、司法行政、安全生产等工作。",
}

# The access action a structure service requires of a (human) actor. The importer switches it to
# "org.import" for the rows it writes; commands and the demo act as the system (actor None).
_REQUIRED: ContextVar[str] = ContextVar("org_required_action", default="org.manage")


@contextlib.contextmanager
def requiring(action: str):
    token = _REQUIRED.set(action)
    try:
        yield
    finally:
        _REQUIRED.reset(token)


def _check(actor, town, action: str | None = None) -> None:
    """A human actor must hold the action and belong to the town (defence in depth behind the views)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    from access.scope import can

    if not can(actor, action or _REQUIRED.get()):
        raise PermissionDenied(action or _REQUIRED.get())
    if town is not None and actor.town_id != town.pk:
        raise PermissionDenied("org.town")


# --- audit helpers: personal data never goes to the audit trail in clear ----------------------------------

_MASKS = {"phone": mask_phone, "contact_phone": mask_phone, "id_number": mask_id_number, "address": mask_address}


def state(obj) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        if f.attname.endswith("_index") or f.attname == "version":
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, EncryptedTextField):
            value = _MASKS.get(f.name, mask_address)(value)
        data[f.attname] = value
    return normalise(data)


def _audit_create(action: str, obj, actor, reason: str = ""):
    return record(action=action, obj=obj, actor=actor, after=state(obj), reason=reason)


def _audit_change(action: str, obj, before: dict, actor, reason: str = ""):
    after = state(obj)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    if not changed:
        return None
    return record(action=action, obj=obj, actor=actor, reason=reason,
                  before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed})


def _save(obj, *, field: str = "code") -> None:
    """Save in a savepoint so a race on a unique constraint becomes a clear message, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError(_("编码重复：本镇已有相同编码的记录。"), rule="org.unique_code", field=field)


def _clean_code(value, *, label: str, max_length: int, slug: bool = False) -> str:
    code = v.clean_text(value, field="code", label=label, max_length=max_length)
    if not (SLUG_RE if slug else CODE_RE).match(code):
        raise DomainError(_("{label}只能由字母、数字、下划线或连字符组成。").format(label=label),
                          rule="org.code_format", field="code")
    return code


def _unique_in_town(model, town, *, exclude_pk=None, field: str = "code", label: str = "", **lookup) -> None:
    qs = model._default_manager.filter(town=town, **lookup)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(_("{label}重复：本镇已有“{value}”。").format(label=label, value=next(iter(lookup.values()))),
                          rule="org.unique_code", field=field)


def _same_town(obj, town, *, field: str, what: str) -> None:
    if obj is not None and obj.town_id != town.pk:
        raise DomainError(_("{what}不属于本镇。").format(what=what), rule="org.same_town", field=field)


def _active_staff(staff, town, *, field: str, what: str) -> None:
    if staff is None:
        return
    _same_town(staff, town, field=field, what=what)
    if not staff.active:
        raise DomainError(_("{what}“{name}”已不在职。").format(what=what, name=staff.name),
                          rule="org.staff_inactive", field=field)


def _take(changes: dict, allowed: set) -> dict:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    return changes


# --- districts and towns --------------------------------------------------------------------------------

@transaction.atomic
def district_create(*, code: str, name: str, actor=None) -> District:
    """Districts are fixed reference data, loaded by the system administrator's command line."""
    code = _clean_code(code, label=_("区划代码"), max_length=12)
    name = v.clean_text(name, field="name", label=_("名称"), max_length=64)
    if District.objects.filter(code=code).exists():
        raise DomainError(_("区划代码“{code}”已存在。").format(code=code), rule="org.unique_code", field="code")
    district = District(code=code, name=name)
    _save(district)
    record(action="org.district_create", obj=district, actor=actor, after=state(district))
    return district


TOWN_FIELDS = {"name", "abbreviation", "kind", "address", "phone", "centre_lat", "centre_lng", "boundary"}


def _clean_town(data: dict) -> dict:
    out = {
        "name": v.clean_text(data.get("name"), field="name", label=_("名称"), max_length=64),
        "abbreviation": v.clean_text(data.get("abbreviation"), field="abbreviation", label=_("简称"), max_length=16),
        "kind": data.get("kind") or Town.Kind.TOWN,
        "address": v.clean_text(data.get("address"), field="address", label=_("政府地址"), max_length=255,
                                required=False),
        "phone": v.clean_phone(data.get("phone"), field="phone", label=_("办公电话")),
        "centre_lat": data.get("centre_lat"),
        "centre_lng": data.get("centre_lng"),
        "boundary": v.clean_boundary(data.get("boundary")),
    }
    if out["kind"] not in Town.Kind.values:
        raise DomainError(_("镇街类型不正确。"), rule="org.choice", field="kind")
    for key, low, high in (("centre_lat", -90, 90), ("centre_lng", -180, 180)):
        value = out[key]
        if value in (None, ""):
            out[key] = None
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not low <= value <= high:
            raise DomainError(_("中心坐标超出范围。"), rule="org.coordinates", field=key)
        out[key] = value
    return out


@transaction.atomic
def town_create(*, district: District, code: str, actor=None, seed_sectors: bool = True, **fields) -> Town:
    """A new town (the tenant), with the four default sectors unless ``seed_sectors`` is False."""
    _take(fields, TOWN_FIELDS)
    code = _clean_code(code, label=_("区划代码"), max_length=12)
    if Town.objects.filter(code=code).exists():
        raise DomainError(_("区划代码“{code}”已存在。").format(code=code), rule="org.unique_code", field="code")
    town = Town(district=district, code=code, **_clean_town(fields))
    _save(town)
    record(action="org.town_create", obj=town, actor=actor, after=state(town))
    if seed_sectors:
        seed_default_sectors(town=town, actor=actor)
    return town


@transaction.atomic
def town_update(*, town: Town, actor, reason: str = "", **changes) -> Town:
    """The town's settings: only its leaders (org.town_settings) change them."""
    _check(actor, town, "org.town_settings")
    _take(changes, TOWN_FIELDS)
    before = state(town)
    current = {k: getattr(town, k) for k in TOWN_FIELDS}
    current.update(changes)
    for key, value in _clean_town(current).items():
        setattr(town, key, value)
    _save(town, field="name")
    _audit_change("org.town_update", town, before, actor, reason)
    return town


# --- sectors --------------------------------------------------------------------------------------------

@transaction.atomic
def seed_default_sectors(*, town: Town, actor=None) -> list[Sector]:
    """The four default sectors (党建统领, 经济发展, 民生服务, 平安法治); existing codes are left alone."""
    created = []
    existing = set(Sector.objects.filter(town=town).values_list("code", flat=True))
    for code, name, order in DEFAULT_SECTORS:
        if code in existing:
            continue
        sector = Sector(town=town, code=str(code), name=name, order=order,
                        description=DEFAULT_SECTOR_DESCRIPTIONS[code])
        _save(sector)
        _audit_create("org.sector_create", sector, actor)
        created.append(sector)
    return created


SECTOR_FIELDS = {"code", "name", "order", "description", "lead"}


def _clean_sector(town, data: dict, *, exclude_pk=None) -> dict:
    out = {
        "code": _clean_code(data.get("code"), label=_("板块代码"), max_length=32, slug=True),
        "name": v.clean_text(data.get("name"), field="name", label=_("板块名称"), max_length=64),
        "order": v.clean_count(data.get("order"), field="order", label=_("排序")),
        "description": v.clean_text(data.get("description"), field="description", label=_("职能"),
                                    max_length=2000, required=False),
        "lead": data.get("lead"),
    }
    _unique_in_town(Sector, town, exclude_pk=exclude_pk, label=_("板块代码"), code=out["code"])
    _unique_in_town(Sector, town, exclude_pk=exclude_pk, field="name", label=_("板块名称"), name=out["name"])
    _active_staff(out["lead"], town, field="lead", what=_("板块负责人"))
    if out["order"] > 32767:
        raise DomainError(_("排序须小于 32768。"), rule="org.count", field="order")
    return out


@transaction.atomic
def sector_create(*, town: Town, actor, **fields) -> Sector:
    _check(actor, town)
    _take(fields, SECTOR_FIELDS)
    sector = Sector(town=town, **_clean_sector(town, fields))
    _save(sector)
    _audit_create("org.sector_create", sector, actor)
    return sector


@transaction.atomic
def sector_update(*, sector: Sector, actor, reason: str = "", **changes) -> Sector:
    _check(actor, sector.town)
    _take(changes, SECTOR_FIELDS)
    before = state(sector)
    current = {k: getattr(sector, k) for k in SECTOR_FIELDS}
    current.update(changes)
    for key, value in _clean_sector(sector.town, current, exclude_pk=sector.pk).items():
        setattr(sector, key, value)
    _save(sector)
    _audit_change("org.sector_update", sector, before, actor, reason)
    return sector


@transaction.atomic
def sector_deactivate(*, sector: Sector, actor, reason: str = "") -> Sector:
    _check(actor, sector.town)
    if not sector.active:
        raise DomainError(_("该板块已停用。"), rule="org.already_inactive")
    if sector.positions.filter(active=True).exists():
        raise DomainError(_("板块下还有在用岗位，请先停用或调整这些岗位。"), rule="org.sector.has_positions")
    before = state(sector)
    sector.active = False
    sector.save(update_fields=["active"])
    _audit_change("org.sector_deactivate", sector, before, actor, reason)
    return sector


# --- positions ------------------------------------------------------------------------------------------

POSITION_FIELDS = {"sector", "code", "name", "duties", "order"}


def _clean_position(town, data: dict, *, exclude_pk=None) -> dict:
    sector = data.get("sector")
    if sector is None:
        raise DomainError(_("请选择板块。"), rule="org.required", field="sector")
    _same_town(sector, town, field="sector", what=_("板块"))
    if not sector.active:
        raise DomainError(_("板块“{name}”已停用。").format(name=sector.name), rule="org.inactive", field="sector")
    duties = "\n".join(line.strip() for line in str(data.get("duties") or "").splitlines() if line.strip())
    out = {
        "sector": sector,
        "code": _clean_code(data.get("code"), label=_("岗位代码"), max_length=48, slug=True),
        "name": v.clean_text(data.get("name"), field="name", label=_("岗位名称"), max_length=64),
        "duties": v.clean_text(duties, field="duties", label=_("职责清单"), max_length=4000, required=False),
        "order": v.clean_count(data.get("order"), field="order", label=_("排序")),
    }
    if out["order"] > 32767:
        raise DomainError(_("排序须小于 32768。"), rule="org.count", field="order")
    _unique_in_town(Position, town, exclude_pk=exclude_pk, label=_("岗位代码"), code=out["code"])
    return out


def position_status_for(position: Position, *, open_handover: bool | None = None) -> str:
    if open_handover is None:
        open_handover = PositionHandover.objects.filter(position=position, status__in=OPEN_HANDOVER_STATUSES).exists()
    if open_handover:
        return PositionStatus.HANDING_OVER
    return PositionStatus.STAFFED if position.primary_holder_id else PositionStatus.VACANT


@transaction.atomic
def position_create(*, sector: Sector, actor, primary_holder=None, backup_holder=None, **fields) -> Position:
    """A post with its duty list. Holders can be named at creation; later changes go through a handover."""
    town = sector.town
    _check(actor, town)
    _take(fields, POSITION_FIELDS - {"sector"})
    cleaned = _clean_position(town, {**fields, "sector": sector})
    _active_staff(primary_holder, town, field="primary_holder", what=_("A岗人员"))
    _active_staff(backup_holder, town, field="backup_holder", what=_("B岗人员"))
    if primary_holder is not None and backup_holder is not None and primary_holder.pk == backup_holder.pk:
        raise DomainError(_("A岗和B岗不得为同一人。"), rule="org.position.ab_distinct", field="backup_holder")
    position = Position(town=town, primary_holder=primary_holder, backup_holder=backup_holder, **cleaned)
    position.status = PositionStatus.STAFFED if primary_holder else PositionStatus.VACANT
    _save(position)
    _audit_create("org.position_create", position, actor)
    return position


@transaction.atomic
def position_update(*, position: Position, actor, reason: str = "", **changes) -> Position:
    """Name, code, sector, order and duties. The A/B holders change only through a handover."""
    _check(actor, position.town)
    _take(changes, POSITION_FIELDS)
    before = state(position)
    current = {k: getattr(position, k) for k in POSITION_FIELDS}
    current.update(changes)
    cleaned = _clean_position(position.town, current, exclude_pk=position.pk)
    values = {k: (val.pk if k == "sector" else val) for k, val in cleaned.items()}
    values = {("sector_id" if k == "sector" else k): val for k, val in values.items()}
    _locked_update(position, values)
    for key, value in cleaned.items():
        setattr(position, key, value)
    _audit_change("org.position_update", position, before, actor, reason)
    return position


def _locked_update(position: Position, values: dict) -> None:
    """Optimistic locking on the post (its holders are changed by handovers concurrently)."""
    from core.errors import ConflictError

    try:
        with transaction.atomic():
            updated = Position.objects.filter(pk=position.pk, version=position.version).update(
                version=models.F("version") + 1, **values)
    except IntegrityError:
        raise DomainError(_("编码重复：本镇已有相同编码的记录。"), rule="org.unique_code", field="code")
    if updated != 1:
        raise ConflictError(_("该岗位已被他人修改，请刷新后重试。"), rule="org.position.version")
    position.version += 1


@transaction.atomic
def position_deactivate(*, position: Position, actor, reason: str = "") -> Position:
    _check(actor, position.town)
    if not position.active:
        raise DomainError(_("该岗位已停用。"), rule="org.already_inactive")
    if position.handovers.filter(status__in=OPEN_HANDOVER_STATUSES).exists():
        raise DomainError(_("该岗位有未办结的交接，请先办结或撤销。"), rule="org.position.open_handover")
    before = state(position)
    _locked_update(position, {"active": False})
    position.active = False
    _audit_change("org.position_deactivate", position, before, actor, reason)
    return position


# --- villages, grids, micro-grids -----------------------------------------------------------------------

VILLAGE_FIELDS = {"code", "name", "kind", "village_committees", "households", "population"}


def _clean_village(town, data: dict, *, exclude_pk=None) -> dict:
    committees = "\n".join(x.strip() for x in re.split(r"[\n、,，;；]", str(data.get("village_committees") or ""))
                           if x.strip())
    out = {
        "code": _clean_code(data.get("code"), label=_("村(社区)编码"), max_length=32),
        "name": v.clean_text(data.get("name"), field="name", label=_("村(社区)名称"), max_length=64),
        "kind": data.get("kind") or Village.Kind.VILLAGE,
        "village_committees": v.clean_text(committees, field="village_committees", label=_("两委成员"),
                                           max_length=2000, required=False),
        "households": v.clean_count(data.get("households"), field="households", label=_("户数")),
        "population": v.clean_count(data.get("population"), field="population", label=_("人口")),
    }
    if out["kind"] not in Village.Kind.values:
        raise DomainError(_("类型须为“村”或“社区”。"), rule="org.choice", field="kind")
    _unique_in_town(Village, town, exclude_pk=exclude_pk, label=_("村(社区)编码"), code=out["code"])
    _unique_in_town(Village, town, exclude_pk=exclude_pk, field="name", label=_("村(社区)名称"), name=out["name"])
    return out


@transaction.atomic
def village_create(*, town: Town, actor, **fields) -> Village:
    _check(actor, town)
    _take(fields, VILLAGE_FIELDS)
    village = Village(town=town, **_clean_village(town, fields))
    _save(village)
    _audit_create("org.village_create", village, actor)
    return village


@transaction.atomic
def village_update(*, village: Village, actor, reason: str = "", **changes) -> Village:
    _check(actor, village.town)
    _take(changes, VILLAGE_FIELDS)
    before = state(village)
    current = {k: getattr(village, k) for k in VILLAGE_FIELDS}
    current.update(changes)
    for key, value in _clean_village(village.town, current, exclude_pk=village.pk).items():
        setattr(village, key, value)
    _save(village)
    _audit_change("org.village_update", village, before, actor, reason)
    return village


@transaction.atomic
def village_deactivate(*, village: Village, actor, reason: str = "") -> Village:
    _check(actor, village.town)
    if not village.active:
        raise DomainError(_("该村(社区)已停用。"), rule="org.already_inactive")
    if village.grids.filter(active=True).exists():
        raise DomainError(_("该村(社区)下还有在用网格，请先停用或调整这些网格。"), rule="org.village.has_grids")
    before = state(village)
    village.active = False
    village.save(update_fields=["active"])
    _audit_change("org.village_deactivate", village, before, actor, reason)
    return village


GRID_FIELDS = {"village", "code", "name", "boundary", "households", "population"}


def _clean_grid(town, data: dict, *, exclude_pk=None) -> dict:
    village = data.get("village")
    if village is None:
        raise DomainError(_("请选择所属村(社区)。"), rule="org.required", field="village")
    _same_town(village, town, field="village", what=_("所属村(社区)"))
    if not village.active:
        raise DomainError(_("村(社区)“{name}”已停用。").format(name=village.name), rule="org.inactive",
                          field="village")
    out = {
        "village": village,
        "code": _clean_code(data.get("code"), label=_("网格编码"), max_length=32),
        "name": v.clean_text(data.get("name"), field="name", label=_("网格名称"), max_length=64),
        "boundary": v.clean_boundary(data.get("boundary")),
        "households": v.clean_count(data.get("households"), field="households", label=_("户数")),
        "population": v.clean_count(data.get("population"), field="population", label=_("人口")),
    }
    _unique_in_town(Grid, town, exclude_pk=exclude_pk, label=_("网格编码"), code=out["code"])
    return out


@transaction.atomic
def grid_create(*, town: Town, actor, **fields) -> Grid:
    _check(actor, town)
    _take(fields, GRID_FIELDS)
    grid = Grid(town=town, **_clean_grid(town, fields))
    _save(grid)
    _audit_create("org.grid_create", grid, actor)
    return grid


@transaction.atomic
def grid_update(*, grid: Grid, actor, reason: str = "", **changes) -> Grid:
    _check(actor, grid.town)
    _take(changes, GRID_FIELDS)
    before = state(grid)
    current = {k: getattr(grid, k) for k in GRID_FIELDS}
    current.update(changes)
    for key, value in _clean_grid(grid.town, current, exclude_pk=grid.pk).items():
        setattr(grid, key, value)
    _save(grid)
    _audit_change("org.grid_update", grid, before, actor, reason)
    return grid


@transaction.atomic
def grid_deactivate(*, grid: Grid, actor, reason: str = "") -> Grid:
    _check(actor, grid.town)
    if not grid.active:
        raise DomainError(_("该网格已停用。"), rule="org.already_inactive")
    if grid.micro_grids.filter(active=True).exists():
        raise DomainError(_("该网格下还有在用微网格，请先停用或调整这些微网格。"), rule="org.grid.has_micro_grids")
    before = state(grid)
    grid.active = False
    grid.save(update_fields=["active"])
    _audit_change("org.grid_deactivate", grid, before, actor, reason)
    return grid


MICROGRID_FIELDS = {"grid", "code", "name", "households", "boundary"}


def _clean_microgrid(town, data: dict, *, exclude_pk=None) -> dict:
    grid = data.get("grid")
    if grid is None:
        raise DomainError(_("请选择所属网格。"), rule="org.required", field="grid")
    _same_town(grid, town, field="grid", what=_("所属网格"))
    if not grid.active:
        raise DomainError(_("网格“{name}”已停用。").format(name=grid.name), rule="org.inactive", field="grid")
    out = {
        "grid": grid,
        "code": _clean_code(data.get("code"), label=_("微网格编码"), max_length=32),
        "name": v.clean_text(data.get("name"), field="name", label=_("微网格名称"), max_length=64),
        "households": v.clean_count(data.get("households"), field="households", label=_("户数")),
        "boundary": v.clean_boundary(data.get("boundary")),
    }
    _unique_in_town(MicroGrid, town, exclude_pk=exclude_pk, label=_("微网格编码"), code=out["code"])
    return out


@transaction.atomic
def microgrid_create(*, town: Town, actor, **fields) -> MicroGrid:
    _check(actor, town)
    _take(fields, MICROGRID_FIELDS)
    micro = MicroGrid(town=town, **_clean_microgrid(town, fields))
    _save(micro)
    _audit_create("org.microgrid_create", micro, actor)
    return micro


@transaction.atomic
def microgrid_update(*, microgrid: MicroGrid, actor, reason: str = "", **changes) -> MicroGrid:
    _check(actor, microgrid.town)
    _take(changes, MICROGRID_FIELDS)
    before = state(microgrid)
    current = {k: getattr(microgrid, k) for k in MICROGRID_FIELDS}
    current.update(changes)
    for key, value in _clean_microgrid(microgrid.town, current, exclude_pk=microgrid.pk).items():
        setattr(microgrid, key, value)
    _save(microgrid)
    _audit_change("org.microgrid_update", microgrid, before, actor, reason)
    return microgrid


@transaction.atomic
def microgrid_deactivate(*, microgrid: MicroGrid, actor, reason: str = "") -> MicroGrid:
    _check(actor, microgrid.town)
    if not microgrid.active:
        raise DomainError(_("该微网格已停用。"), rule="org.already_inactive")
    before = state(microgrid)
    microgrid.active = False
    microgrid.save(update_fields=["active"])
    _audit_change("org.microgrid_deactivate", microgrid, before, actor, reason)
    return microgrid


# --- staff ----------------------------------------------------------------------------------------------

STAFF_FIELDS = {"code", "name", "title", "phone", "id_number", "user"}


def _clean_staff(town, data: dict, *, exclude_pk=None) -> dict:
    out = {
        "code": _clean_code(data.get("code"), label=_("工号"), max_length=32),
        "name": v.clean_text(data.get("name"), field="name", label=_("姓名"), max_length=64),
        "title": v.clean_text(data.get("title"), field="title", label=_("职务"), max_length=64, required=False),
        "phone": v.clean_phone(data.get("phone")),
        "id_number": v.clean_id_number(data.get("id_number")),
        "user": data.get("user"),
    }
    _unique_in_town(Staff, town, exclude_pk=exclude_pk, label=_("工号"), code=out["code"])
    if out["id_number"]:
        from core.crypto import blind_index

        qs = Staff.objects.filter(town=town, id_number_index=blind_index(out["id_number"]))
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        if qs.exists():
            raise DomainError(_("该身份证号已登记在本镇其他人员名下。"), rule="org.staff.id_number_unique",
                              field="id_number")
    user = out["user"]
    if user is not None:
        if user.town_id != town.pk:
            raise DomainError(_("登录账号不属于本镇。"), rule="org.same_town", field="user")
        qs = Staff.objects.filter(user=user)
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        if qs.exists():
            raise DomainError(_("该登录账号已关联其他人员。"), rule="org.staff.user_unique", field="user")
    return out


@transaction.atomic
def staff_create(*, town: Town, actor, **fields) -> Staff:
    _check(actor, town)
    _take(fields, STAFF_FIELDS)
    staff = Staff(town=town, **_clean_staff(town, fields))
    _save(staff)
    _audit_create("org.staff_create", staff, actor)
    return staff


@transaction.atomic
def staff_update(*, staff: Staff, actor, reason: str = "", **changes) -> Staff:
    """Blank ``phone``/``id_number`` in ``changes`` mean "leave as is" only when omitted; pass "" to clear."""
    _check(actor, staff.town)
    _take(changes, STAFF_FIELDS)
    before = state(staff)
    current = {k: getattr(staff, k) for k in STAFF_FIELDS}
    current.update(changes)
    for key, value in _clean_staff(staff.town, current, exclude_pk=staff.pk).items():
        setattr(staff, key, value)
    _save(staff)
    _audit_change("org.staff_update", staff, before, actor, reason)
    return staff


@transaction.atomic
def staff_deactivate(*, staff: Staff, actor, reason: str = "") -> Staff:
    """Someone leaves: their A/B slots become vacant, grid roles end, liaison and sector lead are cleared."""
    _check(actor, staff.town)
    if not staff.active:
        raise DomainError(_("该人员已是离职状态。"), rule="org.already_inactive")
    if not (reason or "").strip():
        raise DomainError(_("请填写离职（停用）原因。"), rule="org.reason_required", field="reason")
    before = state(staff)
    staff.active = False
    staff.save(update_fields=["active"])
    _audit_change("org.staff_deactivate", staff, before, actor, reason)
    for slot, attr in ((HandoverSlot.PRIMARY, "primary_holder"), (HandoverSlot.BACKUP, "backup_holder")):
        for position in Position.objects.select_for_update().filter(town=staff.town, **{attr: staff}):
            pos_before = state(position)
            setattr(position, attr, None)
            new_status = position_status_for(position)
            _locked_update(position, {f"{attr}_id": None, "status": new_status})
            position.status = new_status
            _audit_change("org.position_vacate", position, pos_before, actor,
                          _("{name}离职，{slot}空缺。").format(name=staff.name, slot=HandoverSlot(slot).label))
    for assignment in GridAssignment.objects.filter(staff=staff).select_related("grid"):
        _assignment_delete(assignment, actor, reason)
    for enterprise in Enterprise.objects.filter(liaison=staff):
        ent_before = state(enterprise)
        enterprise.liaison = None
        enterprise.save(update_fields=["liaison"])
        _audit_change("org.enterprise_update", enterprise, ent_before, actor, reason)
    for sector in Sector.objects.filter(lead=staff):
        sec_before = state(sector)
        sector.lead = None
        sector.save(update_fields=["lead"])
        _audit_change("org.sector_update", sector, sec_before, actor, reason)
    return staff


@transaction.atomic
def absence_record(*, staff: Staff, start_date, end_date, reason: str, actor) -> StaffAbsence:
    """Leave, training, recusal for a period: while it lasts, the B holder acts for the A holder."""
    _check(actor, staff.town)
    reason = v.clean_text(reason, field="reason", label=_("事由"), max_length=200)
    if start_date is None or end_date is None:
        raise DomainError(_("请填写起止日期。"), rule="org.required", field="start_date")
    if end_date < start_date:
        raise DomainError(_("结束日期不得早于开始日期。"), rule="org.absence.dates", field="end_date")
    if StaffAbsence.objects.filter(staff=staff, start_date__lte=end_date, end_date__gte=start_date).exists():
        raise DomainError(_("与已登记的离岗时间重叠。"), rule="org.absence.overlap", field="start_date")
    absence = StaffAbsence.objects.create(town=staff.town, staff=staff, start_date=start_date, end_date=end_date,
                                          reason=reason)
    _audit_create("org.absence_record", absence, actor)
    return absence


# --- grid teams (1+3+N) ---------------------------------------------------------------------------------

@transaction.atomic
def grid_assignment_add(*, grid: Grid, staff: Staff, role: str, actor) -> GridAssignment:
    _check(actor, grid.town)
    if role not in GridRole.values:
        raise DomainError(_("网格角色不正确。"), rule="org.choice", field="role")
    if not grid.active:
        raise DomainError(_("网格“{name}”已停用。").format(name=grid.name), rule="org.inactive", field="grid")
    _active_staff(staff, grid.town, field="staff", what=_("人员"))
    if GridAssignment.objects.filter(town=grid.town, grid=grid, staff=staff, role=role).exists():
        raise DomainError(_("{name}已是本网格的{role}。").format(name=staff.name, role=GridRole(role).label),
                          rule="org.grid.assignment_unique", field="staff")
    if role == GridRole.GRID_LEADER and GridAssignment.objects.filter(grid=grid, role=role).exists():
        raise DomainError(_("每个网格只设一名网格长，请先移除现任网格长。"), rule="org.grid.one_leader", field="role")
    assignment = GridAssignment(town=grid.town, grid=grid, staff=staff, role=role)
    _save(assignment, field="staff")
    _audit_create("org.grid_assignment_add", assignment, actor)
    return assignment


def _assignment_delete(assignment: GridAssignment, actor, reason: str) -> None:
    before = state(assignment)
    grid = assignment.grid
    pk = assignment.pk
    assignment.delete()
    record(action="org.grid_assignment_remove", obj=grid, actor=actor, reason=reason, before=before,
           object_repr=_("{grid}（移除网格角色 #{pk}）").format(grid=grid, pk=pk)[:255])


@transaction.atomic
def grid_assignment_remove(*, assignment: GridAssignment, actor, reason: str = "") -> None:
    _check(actor, assignment.town)
    _assignment_delete(assignment, actor, reason)


# --- enterprises ----------------------------------------------------------------------------------------

ENTERPRISE_FIELDS = {"name", "credit_code", "industry", "grid", "liaison", "legal_representative", "contact_phone",
                     "address", "lat", "lng"}


def _clean_enterprise(town, data: dict, *, exclude_pk=None) -> dict:
    out = {
        "name": v.clean_text(data.get("name"), field="name", label=_("企业名称"), max_length=128),
        "credit_code": v.clean_credit_code(data.get("credit_code")),
        "industry": v.clean_text(data.get("industry"), field="industry", label=_("行业"), max_length=64,
                                 required=False),
        "grid": data.get("grid"),
        "liaison": data.get("liaison"),
        "legal_representative": v.clean_text(data.get("legal_representative"), field="legal_representative",
                                             label=_("法定代表人"), max_length=64, required=False),
        "contact_phone": v.clean_phone(data.get("contact_phone"), field="contact_phone", label=_("联系电话")),
        "address": v.clean_text(data.get("address"), field="address", label=_("地址"), max_length=255,
                                required=False),
        "lat": data.get("lat"),
        "lng": data.get("lng"),
    }
    _same_town(out["grid"], town, field="grid", what=_("所在网格"))
    _active_staff(out["liaison"], town, field="liaison", what=_("联系干部"))
    for key, low, high in (("lat", -90, 90), ("lng", -180, 180)):
        value = out[key]
        if value in (None, ""):
            out[key] = None
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not low <= value <= high:
            raise DomainError(_("坐标超出范围。"), rule="org.coordinates", field=key)
        out[key] = value
    _unique_in_town(Enterprise, town, exclude_pk=exclude_pk, field="credit_code", label=_("统一社会信用代码"),
                    credit_code=out["credit_code"])
    return out


@transaction.atomic
def enterprise_create(*, town: Town, actor, **fields) -> Enterprise:
    _check(actor, town)
    _take(fields, ENTERPRISE_FIELDS)
    enterprise = Enterprise(town=town, **_clean_enterprise(town, fields))
    _save(enterprise, field="credit_code")
    _audit_create("org.enterprise_create", enterprise, actor)
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, actor, reason: str = "", **changes) -> Enterprise:
    _check(actor, enterprise.town)
    _take(changes, ENTERPRISE_FIELDS)
    before = state(enterprise)
    current = {k: getattr(enterprise, k) for k in ENTERPRISE_FIELDS}
    current.update(changes)
    for key, value in _clean_enterprise(enterprise.town, current, exclude_pk=enterprise.pk).items():
        setattr(enterprise, key, value)
    _save(enterprise, field="credit_code")
    _audit_change("org.enterprise_update", enterprise, before, actor, reason)
    return enterprise


@transaction.atomic
def enterprise_deactivate(*, enterprise: Enterprise, actor, reason: str = "") -> Enterprise:
    _check(actor, enterprise.town)
    if not enterprise.active:
        raise DomainError(_("该企业已停用。"), rule="org.already_inactive")
    before = state(enterprise)
    enterprise.active = False
    enterprise.save(update_fields=["active"])
    _audit_change("org.enterprise_deactivate", enterprise, before, actor, reason)
    return enterprise


# --- post handover (the status machine is in org/procedure.py) -----------------------------------------

@transaction.atomic
def handover_request(*, position: Position, slot: str, to_staff: Staff, reason: str, actor, notes: str = "",
                     on_date=None) -> PositionHandover:
    """Open a handover of the A or B slot of a post and fire ``request`` (starts org.handover.complete)."""
    from .procedure import HANDOVER

    _check(actor, position.town, "org.handover")
    if slot not in HandoverSlot.values:
        raise DomainError(_("请选择交接A岗或B岗。"), rule="org.choice", field="slot")
    if to_staff is None:
        raise DomainError(_("请选择接收人。"), rule="org.required", field="to_staff")
    reason = v.clean_text(reason, field="reason", label=_("交接事由"), max_length=2000)
    if not position.active:
        raise DomainError(_("岗位“{name}”已停用。").format(name=position.name), rule="org.inactive",
                          field="position")
    holder = position.primary_holder if slot == HandoverSlot.PRIMARY else position.backup_holder
    handover = PositionHandover(
        town=position.town, position=position, slot=slot, from_staff=holder, to_staff=to_staff, reason=reason,
        notes=v.clean_text(notes, field="notes", label=_("交接清单"), max_length=4000, required=False),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Guards run before anything is written (the procedure runs them again when firing).
    from .procedure import guard_one_open, guard_to_staff

    guard_one_open(handover, None)
    guard_to_staff(handover, None)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        raise DomainError(_("该岗位的{slot}已有未办结的交接。").format(slot=HandoverSlot(slot).label),
                          rule="org.handover.one_open", field="slot")
    _audit_create("org.handover.create", handover, actor, reason)
    HANDOVER.fire(handover, "request", actor=actor, reason=reason, on_date=on_date)
    return handover


@transaction.atomic
def handover_fire(*, handover: PositionHandover, action: str, actor, reason: str = "", on_date=None):
    """confirm / complete / reject / cancel, through the procedure (state, permission, reason, guards)."""
    from .procedure import HANDOVER

    if action == "request":
        from core.errors import TransitionError

        raise TransitionError(_("交接已申请。"), rule="procedure.org.handover.request")
    locked = PositionHandover.objects.select_for_update(of=("self",)).select_related(
        "position", "to_staff", "from_staff", "town").get(pk=handover.pk)
    if locked.version != handover.version:
        from core.errors import ConflictError

        raise ConflictError(_("该交接已被他人处理，请刷新后重试。"), rule="org.handover.version")
    HANDOVER.fire(locked, action, actor=actor, reason=reason, on_date=on_date)
    handover.status, handover.version = locked.status, locked.version
    return locked


@transaction.atomic
def export_record(*, actor, what: str, count: int, label: str = "", filters: dict | None = None):
    """Exports are audited (who took which ledger, with which filter, how many rows)."""
    filters = {k: v for k, v in (filters or {}).items() if k not in ("export", "page")}
    return record(action="org.export", actor=actor, town=getattr(actor, "town", None), object_type=f"org.{what}",
                  object_repr=_("导出{what}").format(what=label or what), after={"rows": count, "filters": filters})


def today():
    return timezone.localdate()
