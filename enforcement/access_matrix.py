"""Every URL of the enforcement module × role (tests/test_url_access.py walks them all)."""

import datetime as dt

from django.core.files.base import ContentFile

from access.matrix import Entry
from access.roles import Role

from .permissions import CASE_READERS, OFFICERS, READERS

R = Role
MANAGE = {R.LEADER, R.LEGAL_REVIEWER}


def _matter(town):
    from .tests.factories import MatterFactory

    return {"pk": MatterFactory(town=town).pk}


def _officer(town):
    from .tests.factories import OfficerFactory

    return {"pk": OfficerFactory(town=town).pk}


def _case(town):
    from .tests.factories import CaseFactory

    return {"pk": CaseFactory(town=town).pk}


def _act(town):
    return _case(town) | {"action": "investigate"}


def _step(town):
    return _case(town) | {"step": "decide"}


def _evidence(town):
    from .models import Evidence
    from .tests.factories import CaseFactory

    case = CaseFactory(town=town)
    item = Evidence(town=town, case=case, kind="photo", title="照片", sm3="0" * 64, name="p.jpg", size=4)
    item.file.save("walker.jpg", ContentFile(b"\xff\xd8\xff\x00"), save=True)
    return {"pk": item.pk}


def _publication(town):
    from .models import Publication
    from .tests.factories import CaseFactory

    case = CaseFactory(town=town, outcome="penalty", decided_on=dt.date(2026, 1, 5), decision_number="罚决1号")
    return Publication.objects.create(town=town, case=case, title="公示", decision_number="罚决1号", party="张某",
                                      summary="占道经营。", penalty="罚款200元", basis="《条例》", body="甲镇人民政府",
                                      decided_on=dt.date(2026, 1, 5), published_on=dt.date(2026, 1, 6))


def _plan(town):
    import datetime as dt

    from .models import InspectionPlan
    from .tests.factories import MatterFactory

    plan = InspectionPlan.objects.create(town=town, title="抽查", sample_size=1, planned_on=dt.date(2026, 3, 1))
    plan.matters.set([MatterFactory(town=town)])
    return plan


def _inspection(town):
    from org.tests.factories import EnterpriseFactory

    from .models import Inspection

    return Inspection.objects.create(town=town, plan=_plan(town), enterprise=EnterpriseFactory(town=town))


def _town_code(town):
    return {"town_code": town.code}


MATRIX = {
    "enforcement:matters": Entry(allowed=READERS),
    "enforcement:matter_create": Entry(allowed=MANAGE),
    "enforcement:matter_import": Entry(allowed=MANAGE),
    "enforcement:matter_detail": Entry(allowed=READERS, kwargs=_matter),
    "enforcement:matter_edit": Entry(allowed=MANAGE, kwargs=_matter),
    "enforcement:officers": Entry(allowed=READERS),
    "enforcement:officer_create": Entry(allowed=MANAGE),
    "enforcement:officer_detail": Entry(allowed=READERS, kwargs=_officer),
    "enforcement:officer_edit": Entry(allowed=MANAGE, kwargs=_officer),
    "enforcement:reviewers": Entry(allowed=MANAGE),
    "enforcement:cases": Entry(allowed=CASE_READERS),
    "enforcement:case_create": Entry(allowed=OFFICERS | {R.DISPATCHER}),
    "enforcement:summary_create": Entry(allowed=OFFICERS),
    "enforcement:case_detail": Entry(allowed=CASE_READERS, kwargs=_case),
    "enforcement:case_act": Entry(allowed=OFFICERS, kwargs=_act, method="post", data={}, ok=(302,)),
    "enforcement:case_step": Entry(allowed={R.LEADER}, kwargs=_step, method="post", data={}, ok=(302,)),
    "enforcement:case_hearing_request": Entry(allowed=OFFICERS, kwargs=_case, method="post", data={}, ok=(302,)),
    "enforcement:case_officers": Entry(allowed=OFFICERS, kwargs=_case),
    "enforcement:evidence_add": Entry(allowed=OFFICERS, kwargs=_case),
    "enforcement:casefile": Entry(allowed=CASE_READERS, kwargs=_case),
    "enforcement:publish": Entry(allowed={R.LEADER}, kwargs=_case, method="post", data={}, ok=(302,)),
    "enforcement:evidence_download": Entry(allowed=CASE_READERS, kwargs=_evidence, ok=(200, 302)),
    "enforcement:withdraw": Entry(allowed={R.LEADER}, kwargs=lambda town: {"pk": _publication(town).pk},
                                  method="post", data={}, ok=(302,)),
    "enforcement:supervision": Entry(allowed=CASE_READERS),
    "enforcement:plans": Entry(allowed=READERS),
    "enforcement:plan_create": Entry(allowed=MANAGE),
    "enforcement:plan_detail": Entry(allowed=READERS, kwargs=lambda town: {"pk": _plan(town).pk}),
    "enforcement:plan_draw": Entry(allowed=MANAGE, kwargs=lambda town: {"pk": _plan(town).pk}, method="post",
                                   data={}, ok=(302,)),
    "enforcement:inspection_record": Entry(allowed=OFFICERS, kwargs=lambda town: {"pk": _inspection(town).pk},
                                           method="post", data={}, ok=(302,)),
    "enforcement:public_index": Entry(public=True, kwargs=_town_code),
    "enforcement:public_decisions": Entry(public=True, kwargs=_town_code),
    "enforcement:public_decision": Entry(public=True, kwargs=lambda town: {"town_code": town.code,
                                                                            "pk": _publication(town).pk}),
    "enforcement-case-transition": Entry(allowed=CASE_READERS, kwargs=_case, method="post", data={}, ok=(400,)),
    "enforcement-case-workflow": Entry(allowed=CASE_READERS, kwargs=_case, method="post", data={}, ok=(400,)),
}
