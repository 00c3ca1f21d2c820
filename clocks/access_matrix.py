from access.matrix import Entry
from access.roles import BUSINESS_ROLES, Role


def _clock(town):
    from clocks.tests.factories import ClockFactory

    return {"pk": ClockFactory(town=town).pk}


REFERENCE = BUSINESS_ROLES | {Role.SYSADMIN}
CALENDAR_ADMIN = {Role.SYSADMIN}
OVERRIDE = {Role.LEADER, Role.LEGAL_REVIEWER}
OPERATE = {Role.LEADER, Role.DISPATCHER}

MATRIX = {
    "clocks:supervision": Entry(allowed=BUSINESS_ROLES),
    "clocks:clock_detail": Entry(allowed=BUSINESS_ROLES, kwargs=_clock),
    # A pause on a rule that cannot pause: the page answers with a message and redirects.
    "clocks:clock_action": Entry(allowed=OPERATE, kwargs=_clock, method="post", ok=(302,),
                                 data={"action": "pause", "on_date": "2026-10-12", "reason": "征求第三方意见"}),
    "clocks:calculator": Entry(allowed=REFERENCE),
    "clocks:calendar": Entry(allowed=REFERENCE),
    "clocks:calendar_import": Entry(allowed=CALENDAR_ADMIN),
    "clocks:calendar_template": Entry(allowed=CALENDAR_ADMIN),
    # National reference data: the same for every town, so there is no other town's object to hide.
    "clocks:calendar_year_edit": Entry(allowed=CALENDAR_ADMIN, kwargs=lambda town: {"year": 2026},
                                       out_of_scope_404=False),
    "clocks:calendar_year_mark": Entry(allowed=CALENDAR_ADMIN, kwargs=lambda town: {"year": 2026},
                                       out_of_scope_404=False, method="post", ok=(302,),
                                       data={"complete": "1", "reason": "按国务院办公厅通知核对"}),
    "clocks:calendar_day_edit": Entry(allowed=CALENDAR_ADMIN, kwargs=lambda town: {"day": "2026-10-01"},
                                      out_of_scope_404=False),
    "clocks:rules": Entry(allowed=REFERENCE),
    "clocks:rule_detail": Entry(allowed=REFERENCE, kwargs=lambda town: {"code": "ogi.request.reply"},
                                out_of_scope_404=False),
    "clocks:rule_override": Entry(allowed=OVERRIDE, kwargs=lambda town: {"code": "org.handover.complete"},
                                  out_of_scope_404=False, method="post", ok=(302,),
                                  data={"length": "7", "note": "区县通知"}),
}
