from access.matrix import Entry
from access.roles import BUSINESS_ROLES, Role

VIEW = BUSINESS_ROLES
MANAGE = {Role.DISPATCHER, Role.LEGAL_REVIEWER, Role.LEADER}


def _instrument(town):
    from instruments.tests.factories import InstrumentFactory

    return {"pk": InstrumentFactory(town=town).pk}


def _template(town):
    from instruments.tests.factories import InstrumentTemplateFactory

    return {"pk": InstrumentTemplateFactory(town=town).pk}


def _kind(town):
    return {"code": "notice"}  # kinds are the same for every town


MATRIX = {
    "instruments:instrument_list": Entry(allowed=VIEW),
    "instruments:instrument_detail": Entry(allowed=VIEW, kwargs=_instrument),
    "instruments:instrument_download": Entry(allowed=VIEW, kwargs=_instrument),
    # Without LibreOffice the page says PDF is unavailable and goes back to the instrument.
    "instruments:instrument_make_pdf": Entry(allowed=VIEW - {Role.DISTRICT_SUPERVISOR}, kwargs=_instrument,
                                             method="post", ok=(302,)),
    "instruments:kind_list": Entry(allowed=VIEW),
    "instruments:kind_detail": Entry(allowed=VIEW, kwargs=_kind, out_of_scope_404=False),
    "instruments:template_current": Entry(allowed=VIEW, kwargs=_kind, out_of_scope_404=False),
    "instruments:template_preview": Entry(allowed=VIEW, kwargs=_kind, out_of_scope_404=False),
    # An empty upload: the page comes back with the form error (nothing stored).
    "instruments:template_upload": Entry(allowed=MANAGE, kwargs=_kind, out_of_scope_404=False, method="post"),
    "instruments:template_download": Entry(allowed=VIEW, kwargs=_template),
}
