"""Every URL of org, with who may open it. ``kwargs(town)`` builds the object inside ``town``."""

from access.matrix import Entry
from access.roles import BUSINESS_ROLES, Role

VIEW = BUSINESS_ROLES
MANAGE = frozenset({Role.DISPATCHER, Role.LEADER})
IMPORT = MANAGE
HANDOVER = frozenset({Role.DISPATCHER, Role.LEADER, Role.SECTOR_LEAD})
SETTINGS = frozenset({Role.LEADER})


def _f():
    from org.tests import factories

    return factories


def _sector(town):
    return {"pk": _f().SectorFactory(town=town).pk}


def _position(town):
    f = _f()
    return {"pk": f.PositionFactory(sector=f.SectorFactory(town=town)).pk}


def _handover(town):
    f = _f()
    return {"pk": f.PositionHandoverFactory(position=f.PositionFactory(sector=f.SectorFactory(town=town))).pk}


def _village(town):
    return {"pk": _f().VillageFactory(town=town).pk}


def _grid(town):
    f = _f()
    return {"pk": f.GridFactory(village=f.VillageFactory(town=town)).pk}


def _microgrid(town):
    f = _f()
    return {"pk": f.MicroGridFactory(grid=f.GridFactory(village=f.VillageFactory(town=town))).pk}


def _staff(town):
    return {"pk": _f().StaffFactory(town=town).pk}


def _enterprise(town):
    return {"pk": _f().EnterpriseFactory(town=town).pk}


def _post(kwargs, **extra):
    return Entry(allowed=MANAGE, kwargs=kwargs, method="post", ok=(302,), data={"reason": "测试停用"}, **extra)


MATRIX = {
    "org:overview": Entry(allowed=VIEW),
    "org:chart": Entry(allowed=VIEW),
    "org:town_settings": Entry(allowed=SETTINGS),
    "org:sector_list": Entry(allowed=VIEW),
    "org:sector_create": Entry(allowed=MANAGE),
    "org:sector_update": Entry(allowed=MANAGE, kwargs=_sector),
    "org:sector_deactivate": _post(_sector),
    "org:position_list": Entry(allowed=VIEW),
    "org:position_create": Entry(allowed=MANAGE),
    "org:position_detail": Entry(allowed=VIEW, kwargs=_position),
    "org:position_update": Entry(allowed=MANAGE, kwargs=_position),
    "org:position_deactivate": _post(_position),
    "org:handover_request": Entry(allowed=HANDOVER, kwargs=_position),
    # An empty action: checks who may reach the endpoint without moving the handover (tested in org/tests).
    "org:handover_fire": Entry(allowed=HANDOVER, kwargs=_handover, method="post", ok=(302,), data={"action": ""}),
    "org:village_list": Entry(allowed=VIEW),
    "org:village_create": Entry(allowed=MANAGE),
    "org:village_detail": Entry(allowed=VIEW, kwargs=_village),
    "org:village_update": Entry(allowed=MANAGE, kwargs=_village),
    "org:village_deactivate": _post(_village),
    "org:grid_list": Entry(allowed=VIEW),
    "org:grid_create": Entry(allowed=MANAGE),
    "org:grid_detail": Entry(allowed=VIEW, kwargs=_grid),
    "org:grid_update": Entry(allowed=MANAGE, kwargs=_grid),
    "org:grid_deactivate": _post(_grid),
    "org:grid_assignment_add": Entry(allowed=MANAGE, kwargs=_grid),
    "org:grid_assignment_remove": Entry(allowed=MANAGE, kwargs=_grid, method="post", ok=(302,),
                                        data={"assignment": "0"}),
    "org:grid_map": Entry(allowed=VIEW),
    "org:grid_geojson": Entry(allowed=VIEW),
    "org:microgrid_list": Entry(allowed=VIEW),
    "org:microgrid_create": Entry(allowed=MANAGE),
    "org:microgrid_update": Entry(allowed=MANAGE, kwargs=_microgrid),
    "org:microgrid_deactivate": _post(_microgrid),
    "org:staff_list": Entry(allowed=VIEW),
    "org:staff_create": Entry(allowed=MANAGE),
    "org:staff_detail": Entry(allowed=VIEW, kwargs=_staff),
    "org:staff_update": Entry(allowed=MANAGE, kwargs=_staff),
    "org:staff_deactivate": _post(_staff),
    "org:absence_add": Entry(allowed=MANAGE, kwargs=_staff),
    "org:enterprise_list": Entry(allowed=VIEW),
    "org:enterprise_create": Entry(allowed=MANAGE),
    "org:enterprise_update": Entry(allowed=MANAGE, kwargs=_enterprise),
    "org:enterprise_deactivate": _post(_enterprise),
    "org:import_index": Entry(allowed=IMPORT),
    # Not an object of a town: the same template for everyone allowed.
    "org:import_template": Entry(allowed=IMPORT, kwargs=lambda town: {"kind": "villages"}, out_of_scope_404=False),
    # Without a failed upload in the session there is nothing to download: back to the import page.
    "org:import_errors": Entry(allowed=IMPORT, ok=(302,)),
    "org:panel_overview": Entry(allowed=VIEW),
    "org:panel_my_posts": Entry(allowed=VIEW),
    "org:panel_my_grid": Entry(allowed=VIEW),
    # API actions beyond list/detail (the viewsets themselves are covered by org/tests/test_api.py).
    "org-grid-geojson": Entry(allowed=VIEW),
    # An empty body: reaches validation (400) without moving the handover.
    "org-handover-fire": Entry(allowed=HANDOVER, kwargs=_handover, method="post", ok=(400,), data={}),
}
