"""Reads of the town's structure. Every query starts from ``restrict(user, action, Model)``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import restrict

from .models import (
    OPEN_HANDOVER_STATUSES,
    Enterprise,
    Grid,
    GridAssignment,
    GridRole,
    HandoverSlot,
    MicroGrid,
    Position,
    PositionHandover,
    Sector,
    Staff,
    StaffAbsence,
    Town,
    Village,
)

# 1+3+N: one 网格长, the three members (专职网格员, 兼职网格员, 网格指导员), and N (volunteers, 院落长...).
TEAM_ONE = (GridRole.GRID_LEADER,)
TEAM_THREE = (GridRole.GRID_WORKER_FULLTIME, GridRole.GRID_WORKER_PARTTIME, GridRole.GRID_INSTRUCTOR)
TEAM_N = (GridRole.GRID_VOLUNTEER, GridRole.COURTYARD_HEAD)
REQUIRED_ROLES = TEAM_ONE + TEAM_THREE


def _count(model, outer: str, **filters):
    return Coalesce(Subquery(
        model.objects.filter(**{outer: OuterRef("pk")}, **filters).order_by().values(outer)
        .annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), Value(0))


def _active_filter(qs, active: str):
    if active in ("1", "", None):
        return qs.filter(active=True)
    if active == "0":
        return qs.filter(active=False)
    return qs  # "all"


def _search(qs, q: str, *fields):
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q()
    for name in fields:
        cond |= Q(**{f"{name}__icontains": q})
    return qs.filter(cond)


# --- sectors and posts ----------------------------------------------------------------------------------

def sectors(user, *, q: str = "", active: str = "1"):
    posts = restrict(user, "org.view", Position).filter(active=True).select_related("primary_holder",
                                                                                     "backup_holder")
    qs = restrict(user, "org.view", Sector).select_related("town", "lead").prefetch_related(
        Prefetch("positions", queryset=posts, to_attr="live_positions"))
    return _search(_active_filter(qs, active), q, "name", "code")


def positions(user, *, sector=None, status: str = "", q: str = "", active: str = "1"):
    qs = restrict(user, "org.view", Position).select_related("town", "sector", "primary_holder", "backup_holder")
    if sector:
        qs = qs.filter(sector_id=sector)
    if status:
        qs = qs.filter(status=status)
    return _search(_active_filter(qs, active), q, "name", "code", "duties")


def handovers_of(user, position):
    return restrict(user, "org.view", PositionHandover).filter(position=position).select_related(
        "from_staff", "to_staff", "requested_by").order_by("-created_at")


@dataclass
class Acting:
    staff: Staff | None
    slot: str | None
    note: str = ""


def acting_holder(position: Position, *, on_date=None, recused=(), away: set | None = None) -> Acting:
    """Who acts for the post: the A holder, else the B holder when A is absent, recused or missing.

    ``recused`` is a collection of staff ids who must not act on the matter at hand (回避). ``away`` (staff
    ids absent on the date) may be passed when already known; otherwise one query finds it.
    """
    on_date = on_date or timezone.localdate()
    holders = [h for h in (position.primary_holder_id, position.backup_holder_id) if h]
    if away is None and holders:
        away = set(StaffAbsence.objects.filter(staff_id__in=holders, start_date__lte=on_date,
                                               end_date__gte=on_date).values_list("staff_id", flat=True))
    away = set(away or ())
    recused = {int(x) for x in recused}

    def unavailable(staff):
        return staff is None or not staff.active or staff.pk in away or staff.pk in recused

    a, b = position.primary_holder, position.backup_holder
    if not unavailable(a):
        return Acting(a, HandoverSlot.PRIMARY)
    reason = _("A岗空缺") if a is None else (_("A岗回避") if a.pk in recused else _("A岗离岗"))
    if not unavailable(b):
        return Acting(b, HandoverSlot.BACKUP, _("{reason}，由B岗代行").format(reason=reason))
    return Acting(None, None, _("{reason}，B岗也不能履职：请指挥中心另行指派").format(reason=reason))


# --- villages, grids, micro-grids -----------------------------------------------------------------------

def villages(user, *, kind: str = "", q: str = "", active: str = "1"):
    qs = restrict(user, "org.view", Village).select_related("town").annotate(
        grid_count=_count(Grid, "village", active=True))
    if kind:
        qs = qs.filter(kind=kind)
    return _search(_active_filter(qs, active), q, "name", "code")


def grids(user, *, village=None, q: str = "", active: str = "1", completeness: str = ""):
    annotations = {f"n_{role}": _count(GridAssignment, "grid", role=role) for role in GridRole.values}
    qs = restrict(user, "org.view", Grid).select_related("town", "village").annotate(
        micro_count=_count(MicroGrid, "grid", active=True), **annotations)
    if village:
        qs = qs.filter(village_id=village)
    qs = _search(_active_filter(qs, active), q, "name", "code")
    if completeness in ("complete", "incomplete"):
        cond = Q()
        for role in REQUIRED_ROLES:
            cond &= Q(**{f"n_{role}__gt": 0})
        qs = qs.filter(cond) if completeness == "complete" else qs.exclude(cond)
    return qs


@dataclass
class Completeness:
    counts: dict
    missing: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def n(self) -> int:
        return sum(self.counts.get(r, 0) for r in TEAM_N)

    @property
    def label(self) -> str:
        one = sum(self.counts.get(r, 0) for r in TEAM_ONE)
        three = sum(1 for r in TEAM_THREE if self.counts.get(r, 0))
        return _("{one}+{three}+{n}").format(one=one, three=three, n=self.n)


def completeness_from_counts(counts: dict) -> Completeness:
    counts = {str(k): int(v or 0) for k, v in counts.items()}
    missing = [GridRole(r).label for r in REQUIRED_ROLES if not counts.get(r)]
    return Completeness(counts=counts, missing=missing)


def completeness_of(grid) -> Completeness:
    """From the ``n_<role>`` annotations of ``grids()``."""
    return completeness_from_counts({r: getattr(grid, f"n_{r}", 0) for r in GridRole.values})


def team_of(grid):
    return grid.assignments.select_related("staff").order_by("role", "staff__code")


def microgrids(user, *, grid=None, q: str = "", active: str = "1"):
    qs = restrict(user, "org.view", MicroGrid).select_related("town", "grid", "grid__village")
    if grid:
        qs = qs.filter(grid_id=grid)
    return _search(_active_filter(qs, active), q, "name", "code")


def geojson(user) -> dict:
    """Grid and micro-grid boundaries as one GeoJSON FeatureCollection (two queries)."""
    features = []
    for g in restrict(user, "org.view", Grid).filter(active=True, boundary__isnull=False).select_related("village"):
        features.append({"type": "Feature", "geometry": g.boundary, "properties": {
            "kind": "grid", "id": g.pk, "code": g.code, "name": g.name, "village": g.village.name,
            "households": g.households, "url": f"/org/grids/{g.pk}/"}})
    for m in restrict(user, "org.view", MicroGrid).filter(active=True, boundary__isnull=False).select_related("grid"):
        features.append({"type": "Feature", "geometry": m.boundary, "properties": {
            "kind": "micro_grid", "id": m.pk, "code": m.code, "name": m.name, "grid": m.grid.name,
            "households": m.households, "url": f"/org/grids/{m.grid_id}/"}})
    return {"type": "FeatureCollection", "features": features}


# --- people and enterprises -----------------------------------------------------------------------------

def staff(user, *, q: str = "", active: str = "1", role: str = ""):
    qs = restrict(user, "org.view", Staff).select_related("town", "user").annotate(
        a_count=_count(Position, "primary_holder", active=True),
        b_count=_count(Position, "backup_holder", active=True),
        grid_role_count=_count(GridAssignment, "staff"),
    )
    if role:
        qs = qs.filter(pk__in=GridAssignment.objects.filter(role=role).values("staff_id"))
    return _search(_active_filter(qs, active), q, "name", "code", "title")


def enterprises(user, *, q: str = "", grid=None, industry: str = "", active: str = "1", liaison: str = "",
                liaison_staff=None):
    qs = restrict(user, "org.view", Enterprise).select_related("town", "grid", "liaison")
    if liaison_staff:
        qs = qs.filter(liaison_id=liaison_staff)
    if grid:
        qs = qs.filter(grid_id=grid)
    if industry:
        qs = qs.filter(industry=industry)
    if liaison == "none":
        qs = qs.filter(liaison__isnull=True)
    elif liaison == "some":
        qs = qs.filter(liaison__isnull=False)
    return _search(_active_filter(qs, active), q, "name", "credit_code", "industry")


# --- overview -------------------------------------------------------------------------------------------

def overview(user) -> dict:
    """Counts for the 组织概况 panel and page: two queries."""
    sector_rows = list(restrict(user, "org.view", Sector).filter(active=True).annotate(
        post_count=_count(Position, "sector", active=True)).values("pk", "name", "code", "post_count", "town_id")
        .order_by("town_id", "order", "code"))
    towns = restrict(user, "org.view", Town)

    def per_town(model, **filters):
        return _count(model, "town", **filters)

    totals = towns.annotate(
        v=per_town(Village, active=True), g=per_town(Grid, active=True), m=per_town(MicroGrid, active=True),
        s=per_town(Staff, active=True), e=per_town(Enterprise, active=True),
        h=per_town(PositionHandover, status__in=OPEN_HANDOVER_STATUSES),
        vac=per_town(Position, active=True, status="vacant"),
    ).aggregate(villages=Sum("v"), grids=Sum("g"), micro_grids=Sum("m"), staff=Sum("s"), enterprises=Sum("e"),
                open_handovers=Sum("h"), vacant_posts=Sum("vac"), towns=Count("pk"))
    totals = {k: (val or 0) for k, val in totals.items()}
    merged: dict[str, dict] = {}
    for row in sector_rows:  # district users: the same sector across towns, added up
        item = merged.setdefault(row["code"], {"name": row["name"], "code": row["code"], "posts": 0})
        item["posts"] += row["post_count"]
    by_sector = list(merged.values())
    return {
        "sectors": len(by_sector),
        "posts": sum(s["posts"] for s in by_sector),
        "by_sector": by_sector,
        **totals,
    }


def my_grids(user) -> dict | None:
    """The grid(s) of a grid worker (by grant or by assignment), with micro-grids and team: two queries."""
    from access.scope import grants_of

    grid_ids = {g.grid_id for g in grants_of(user) if g.grid_id}
    cond = Q(pk__in=grid_ids) | Q(assignments__staff__user=user)
    rows = list(restrict(user, "org.view", Grid).filter(cond, active=True).order_by("code").values(
        "pk", "code", "name", "households", "population", "village__name",
        "micro_grids__pk", "micro_grids__name", "micro_grids__households", "micro_grids__active").distinct())
    if not rows:
        return None
    grids_by_id: dict[int, dict] = {}
    for r in rows:
        g = grids_by_id.setdefault(r["pk"], {"pk": r["pk"], "code": r["code"], "name": r["name"],
                                             "village": r["village__name"], "households": r["households"],
                                             "population": r["population"], "micro_grids": [], "team": []})
        if r["micro_grids__pk"] and r["micro_grids__active"] and all(
                m["pk"] != r["micro_grids__pk"] for m in g["micro_grids"]):
            g["micro_grids"].append({"pk": r["micro_grids__pk"], "name": r["micro_grids__name"],
                                     "households": r["micro_grids__households"]})
    for a in GridAssignment.objects.filter(grid_id__in=list(grids_by_id)).select_related("staff").order_by(
            "role", "staff__code"):
        grids_by_id[a.grid_id]["team"].append(a)
    result = list(grids_by_id.values())
    for g in result:
        counts: dict = {}
        for a in g["team"]:
            counts[a.role] = counts.get(a.role, 0) + 1
        g["completeness"] = completeness_from_counts(counts)
        g["micro_households"] = sum(m["households"] for m in g["micro_grids"])
    return {"grids": result}


def my_posts(user) -> list:
    """Posts where the user's staff record is the A or B holder: one query."""
    return list(restrict(user, "org.view", Position).filter(
        Q(primary_holder__user=user) | Q(backup_holder__user=user), active=True,
    ).select_related("sector", "primary_holder", "backup_holder").order_by("sector__order", "order", "code"))


# --- the organisation chart: 一中心四板块一网格 in two queries ----------------------------------------------

def chart(user) -> dict:
    """centre → sectors → posts (A/B holders); villages → grids → micro-grids."""
    sector_rows = restrict(user, "org.view", Sector).filter(active=True).order_by(
        "town_id", "order", "code").values(
        "pk", "name", "town__name", "lead__name", "positions__pk", "positions__name", "positions__active",
        "positions__status", "positions__order", "positions__primary_holder__name",
        "positions__backup_holder__name")
    sectors_by_id: dict = {}
    for r in sector_rows:
        s = sectors_by_id.setdefault(r["pk"], {"pk": r["pk"], "name": r["name"], "town": r["town__name"],
                                               "lead": r["lead__name"], "posts": []})
        if r["positions__pk"] and r["positions__active"]:
            s["posts"].append({"pk": r["positions__pk"], "name": r["positions__name"],
                               "status": r["positions__status"], "order": r["positions__order"] or 0,
                               "a": r["positions__primary_holder__name"], "b": r["positions__backup_holder__name"]})
    for s in sectors_by_id.values():
        s["posts"].sort(key=lambda p: (p["order"], p["pk"]))
    grids_visible = restrict(user, "org.view", Grid).values("pk")
    village_rows = restrict(user, "org.view", Village).filter(active=True).filter(
        Q(grids__isnull=True) | Q(grids__in=grids_visible)).order_by("town_id", "code", "grids__code").values(
        "pk", "name", "kind", "grids__pk", "grids__name", "grids__active", "grids__households",
        "grids__micro_grids__pk", "grids__micro_grids__name", "grids__micro_grids__active",
        "grids__micro_grids__households")
    villages_by_id: dict = {}
    for r in village_rows:
        v = villages_by_id.setdefault(r["pk"], {"pk": r["pk"], "name": r["name"], "kind": r["kind"], "grids": {}})
        if not (r["grids__pk"] and r["grids__active"]):
            continue
        g = v["grids"].setdefault(r["grids__pk"], {"pk": r["grids__pk"], "name": r["grids__name"],
                                                   "households": r["grids__households"], "micro": []})
        if r["grids__micro_grids__pk"] and r["grids__micro_grids__active"]:
            g["micro"].append({"name": r["grids__micro_grids__name"],
                               "households": r["grids__micro_grids__households"]})
    villages_list = []
    for v in villages_by_id.values():
        v["grids"] = list(v["grids"].values())
        villages_list.append(v)
    return {
        "sectors": list(sectors_by_id.values()),
        "villages": villages_list,
        "posts": sum(len(s["posts"]) for s in sectors_by_id.values()),
        "grids": sum(len(v["grids"]) for v in villages_list),
    }
