"""Every URL of the events module × role (tests/test_url_access.py walks them all)."""

from django.core.files.base import ContentFile

from access.matrix import Entry
from access.roles import Role

from .permissions import CENTRE, HANDLERS, READERS

R = Role
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fccf"
    "c0500f0004850180848a4c210000000049454e44ae426082")


def _event(town):
    from .tests.factories import EventFactory

    return {"pk": EventFactory(town=town).pk}


def _photo(town):
    from .models import EventPhoto
    from .tests.factories import EventFactory

    event = EventFactory(town=town)
    photo = EventPhoto(town=town, event=event, sm3="0" * 64, name="p.png", content_type="image/png", size=len(PNG))
    photo.file.save("walker.png", ContentFile(PNG), save=True)
    return {"pk": photo.pk}


def _attachment(town):
    from .models import EventAttachment
    from .tests.factories import EventFactory

    event = EventFactory(town=town)
    item = EventAttachment(town=town, event=event, sm3="0" * 64, name="letter.pdf", content_type="application/pdf",
                           size=9)
    item.file.save("walker.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"pk": item.pk}


def _hazard_photo(town):
    from .models import HazardPhoto
    from .tests.factories import HazardFactory

    hazard = HazardFactory(town=town)
    photo = HazardPhoto(town=town, hazard=hazard, stage="before", sm3="0" * 64, name="p.png",
                        content_type="image/png", size=len(PNG))
    photo.file.save("walker.png", ContentFile(PNG), save=True)
    return {"pk": photo.pk}


def _factory(name):
    def build(town):
        from .tests import factories

        return {"pk": getattr(factories, name)(town=town).pk}

    return build


def _rule(town):
    from org.tests.factories import SectorFactory

    from .models import RoutingRule
    from .tests.factories import CategoryFactory

    rule = RoutingRule.objects.create(town=town, category=CategoryFactory(town=town), sector=SectorFactory(town=town))
    return {"pk": rule.pk}


def _duty(town):
    from .tests.factories import DutyShiftFactory

    return {"pk": DutyShiftFactory(town=town).pk}


def _post(allowed, kwargs, data=None):
    return Entry(allowed=allowed, kwargs=kwargs, method="post", data=data or {}, ok=(302,))


STATS = CENTRE | {R.SECTOR_LEAD, R.DISTRICT_SUPERVISOR}
REPORTERS = {R.GRID_WORKER, R.DISPATCHER, R.LEADER}
CAMPAIGN_MANAGERS = CENTRE | {R.SECTOR_LEAD}

MATRIX = {
    "events:board": Entry(allowed=CENTRE | {R.DISTRICT_SUPERVISOR}),
    "events:list": Entry(allowed=READERS),
    "events:stats": Entry(allowed=STATS),
    "events:map": Entry(allowed=READERS),
    "events:map_data": Entry(allowed=READERS),
    "events:my_tasks": Entry(allowed=HANDLERS),
    "events:my_grid": Entry(allowed={R.GRID_WORKER}),
    "events:report": Entry(allowed=REPORTERS),
    "events:detail": Entry(allowed=READERS, kwargs=_event),
    "events:act": _post(CENTRE, _event, {"action": "accept"}),
    "events:note": _post(HANDLERS, _event),
    "events:pin": _post(CENTRE, _event),
    "events:supervise": _post({R.LEADER}, _event),
    "events:escalate": _post(REPORTERS, _event),
    "events:contact": _post(CENTRE | HANDLERS, _event),
    "events:photo": Entry(allowed=READERS, kwargs=_photo),
    "events:attachment": Entry(allowed=READERS, kwargs=_attachment),
    "events:merge": _post(CENTRE, _event),
    "events:cohandler": _post(CENTRE, _event),
    "events:categories": Entry(allowed=CENTRE),
    "events:category_edit": Entry(allowed=CENTRE, kwargs=_factory("CategoryFactory")),
    "events:rules": Entry(allowed=CENTRE),
    "events:rule_toggle": _post(CENTRE, _rule),
    "events:task_types": Entry(allowed=CENTRE),
    "events:task_type_edit": Entry(allowed=CENTRE, kwargs=_factory("GridTaskTypeFactory")),
    "events:api_keys": Entry(allowed={R.DISPATCHER}),
    "events:api_key_revoke": _post({R.DISPATCHER}, _factory("ApiKeyFactory")),
    "events:campaigns": Entry(allowed=READERS),
    "events:campaign_detail": Entry(allowed=READERS, kwargs=_factory("CampaignFactory")),
    "events:campaign_edit": Entry(allowed=CAMPAIGN_MANAGERS, kwargs=_factory("CampaignFactory")),
    # An active campaign cannot be started again: the manager gets the message and the redirect.
    "events:campaign_act": _post(CAMPAIGN_MANAGERS, _factory("CampaignFactory"), {"action": "start"}),
    "events:duty": Entry(allowed=CENTRE | HANDLERS | {R.DISTRICT_SUPERVISOR}),
    "events:duty_import": _post(CENTRE, None),
    # Without confirm=1 nothing is deleted (message + redirect), so every role meets the same shift.
    "events:duty_clear": _post(CENTRE, _duty),
    "events:plan_create": _post(CAMPAIGN_MANAGERS, _factory("CampaignFactory")),
    "events:plan_detail": Entry(allowed=READERS, kwargs=_factory("ScreeningPlanFactory")),
    "events:task_complete": _post({R.GRID_WORKER, R.DISPATCHER}, _factory("ScreeningTaskFactory")),
    "events:hazards": Entry(allowed=READERS),
    "events:hazard_create": Entry(allowed={R.GRID_WORKER, R.DISPATCHER, R.SECTOR_LEAD, R.ENFORCEMENT_OFFICER}),
    "events:hazard_detail": Entry(allowed=READERS, kwargs=_factory("HazardFactory")),
    "events:hazard_act": _post(CAMPAIGN_MANAGERS, _factory("HazardFactory"), {"action": "order"}),
    "events:hazard_photo": Entry(allowed=READERS, kwargs=_hazard_photo),
    "events:operations": Entry(allowed=READERS),
    "events:operation_create": Entry(allowed=CENTRE | {R.SECTOR_LEAD, R.ENFORCEMENT_OFFICER}),
    "events:operation_detail": Entry(allowed=READERS, kwargs=_factory("OperationFactory")),
}


# --- Open311 GeoReport v2 (public reads; POST requests needs an api_key and is tested in test_open311.py) ---

def _service_code(town):
    from .tests.factories import CategoryFactory

    return {"code": CategoryFactory(town=town).code, "fmt": "json"}


def _request_id(town):
    from .tests.factories import EventFactory

    return {"request_id": str(EventFactory(town=town).pk), "fmt": "json"}


# The walker's database holds two towns, so list endpoints without jurisdiction_id answer the standard
# 400 error; test_open311.py checks the 200 answers with jurisdiction_id.
OPEN311 = {
    "open311:discovery": Entry(public=True, kwargs=lambda town: {"fmt": "json"}),
    "open311:services": Entry(public=True, kwargs=lambda town: {"fmt": "json"}, ok=(200, 400)),
    "open311:service_definition": Entry(public=True, kwargs=_service_code, ok=(200, 400)),
    "open311:requests": Entry(public=True, kwargs=lambda town: {"fmt": "json"}, ok=(200, 400)),
    "open311:request_detail": Entry(public=True, kwargs=_request_id),
}
MATRIX.update(OPEN311)


# --- DRF custom actions (list/detail routes are covered by test_api.py) --------------------------------------
MATRIX.update({
    # An empty body: readers of the object get the serializer's 400, everyone else 403, other towns 404.
    "events-event-transition": Entry(allowed=READERS, kwargs=_event, method="post", data={}, ok=(400,)),
    "events-campaign-transition": Entry(allowed=READERS, kwargs=_factory("CampaignFactory"), method="post",
                                        data={}, ok=(400,)),
    "events-hazard-transition": Entry(allowed=READERS, kwargs=_factory("HazardFactory"), method="post", data={},
                                      ok=(400,)),
})
