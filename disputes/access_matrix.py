"""Every URL of the disputes module × role (tests/test_url_access.py walks them all)."""

from access.matrix import PUBLIC, Entry

from .permissions import MEDIATORS, PETITION_HANDLERS, PETITION_READERS, READERS, STATS, R

LEAD_REPORTERS = MEDIATORS | {R.GRID_WORKER, R.DISPATCHER, R.LEADER}
MANAGERS = {R.SECTOR_LEAD, R.LEADER}


def _factory(name):
    def build(town):
        from .tests import factories

        return {"pk": getattr(factories, name)(town=town).pk}

    return build


def _post(allowed, kwargs=None, data=None):
    return Entry(allowed=allowed, kwargs=kwargs, method="post", data=data or {}, ok=(302,))


DISPUTE = _factory("DisputeFactory")
PETITION = _factory("PetitionFactory")

MATRIX = {
    "disputes:list": Entry(allowed=READERS),
    "disputes:new": Entry(allowed=MEDIATORS),
    "disputes:detail": Entry(allowed=READERS, kwargs=DISPUTE),
    "disputes:cover": Entry(allowed=READERS, kwargs=DISPUTE),
    "disputes:consent": _post(MEDIATORS, DISPUTE),
    "disputes:act": _post(MEDIATORS, DISPUTE, {"action": "accept"}),
    "disputes:session": _post(MEDIATORS, DISPUTE),
    "disputes:agreement": _post(MEDIATORS, DISPUTE),
    "disputes:sign": _post(MEDIATORS, DISPUTE),
    "disputes:terminate": _post(MEDIATORS, DISPUTE),
    "disputes:visit": _post(MEDIATORS, DISPUTE),
    "disputes:confirmation": _post(MEDIATORS, DISPUTE),
    "disputes:escalate": _post(MEDIATORS, DISPUTE),
    "disputes:risk_report": _post(MEDIATORS, DISPUTE),
    "disputes:leads": Entry(allowed=READERS),
    "disputes:lead_new": Entry(allowed=LEAD_REPORTERS),
    "disputes:lead_detail": Entry(allowed=READERS, kwargs=_factory("LeadFactory")),
    "disputes:lead_dismiss": _post(MEDIATORS, _factory("LeadFactory")),
    "disputes:screening": Entry(allowed=READERS),
    "disputes:screening_plan": _post(MANAGERS),
    "disputes:screening_detail": Entry(allowed=READERS, kwargs=_factory("ScreeningRoundFactory")),
    "disputes:committees": Entry(allowed=READERS),
    "disputes:mediator_add": _post(MANAGERS, _factory("CommitteeFactory")),
    "disputes:committee_edit": Entry(allowed=MANAGERS, kwargs=_factory("CommitteeFactory")),
    "disputes:mediator_edit": Entry(allowed=MANAGERS, kwargs=_factory("MediatorFactory")),
    "disputes:mediator_active": _post(MANAGERS, _factory("MediatorFactory"), {"active": "0", "reason": "调离"}),
    "disputes:petitions": Entry(allowed=PETITION_READERS),
    "disputes:petition_new": Entry(allowed=PETITION_HANDLERS),
    "disputes:petition_detail": Entry(allowed=PETITION_READERS, kwargs=PETITION),
    "disputes:petition_cover": Entry(allowed=PETITION_READERS, kwargs=PETITION),
    "disputes:petition_classify": _post(PETITION_HANDLERS, PETITION),
    "disputes:petition_answer": _post(PETITION_HANDLERS, PETITION),
    "disputes:petition_step": _post(PETITION_HANDLERS, PETITION, {"action": "close"}),
    "disputes:petition_extend": _post(PETITION_HANDLERS, PETITION),
    "disputes:stats": Entry(allowed=STATS),
    "disputes:settings": Entry(allowed=MANAGERS),
    "disputes:public_petition": PUBLIC,
    # API actions beyond list/detail (those are covered by disputes/tests/test_api.py).
    "disputes-dispute-statistics": Entry(allowed=STATS),
}
