"""The workflow steps beyond the decision (transfer, recusal application, instalments, seizure), shared by the case
page (``views.case_step``) and the API (``api.CaseViewSet.workflow``): the form that parses a step's input, the
choices it needs, and the service it calls. Thin: the services decide."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import DomainError

from . import services
from .forms import (
    CloseForm,
    InstalmentForm,
    InstalmentPayForm,
    MeasureEndForm,
    MeasureExtendForm,
    MeasureForm,
    MeasureReportForm,
    MeasureTestingForm,
    RecusalApplyForm,
    RecusalDecideForm,
    TransferAnswerForm,
    TransferDecideForm,
    TransferReceiptForm,
    TransferReconsiderForm,
    TransferReportForm,
    TransferSendForm,
)

# step → (form, permission shown on the page; the service checks again)
WORKFLOW_FORMS = {
    "transfer_report": (TransferReportForm, "enforcement.case_handle"),
    "transfer_decide": (TransferDecideForm, "enforcement.case_approve"),
    "transfer_send": (TransferSendForm, "enforcement.case_handle"),
    "transfer_receipt": (TransferReceiptForm, "enforcement.case_handle"),
    "transfer_answer": (TransferAnswerForm, "enforcement.case_handle"),
    "transfer_reconsider": (TransferReconsiderForm, "enforcement.case_approve"),
    "close_transferred": (CloseForm, "enforcement.case_approve"),
    "recusal_apply": (RecusalApplyForm, "enforcement.case_handle"),
    "recusal_decide": (RecusalDecideForm, "enforcement.case_approve"),
    "instalment": (InstalmentForm, "enforcement.case_approve"),
    "instalment_pay": (InstalmentPayForm, "enforcement.case_handle"),
    "measure": (MeasureForm, "enforcement.case_view"),  # officers in an emergency, else the head (the service checks)
    "measure_report": (MeasureReportForm, "enforcement.case_approve"),
    "measure_testing": (MeasureTestingForm, "enforcement.case_handle"),
    "measure_extend": (MeasureExtendForm, "enforcement.case_approve"),
    "measure_end": (MeasureEndForm, "enforcement.case_approve"),
}


def form_kwargs(case, step: str) -> dict:
    """The choices a step's form needs when it parses a submission (read from the case, in scope)."""
    if step in ("recusal", "recusal_apply", "measure"):
        return {"officers": list(case.officers.all())}
    if step.startswith("measure_"):
        return {"measures": [{"id": m.pk, "kind_label": m.get_kind_display(), "decision_number": m.decision_number}
                             for m in case.measures.filter(status="in_force")]}
    if step == "recusal_decide":
        return {"applications": [{"id": a.pk, "applicant": a.applicant, "received_on": a.received_on}
                                 for a in case.recusal_applications.filter(status="pending")]}
    return {}


def run(case, step: str, data: dict, user):
    """Call the service of ``step`` with the form's cleaned ``data``."""
    d = dict(data)
    if step == "recusal_apply":
        return services.recusal_apply(case=case, actor=user, applicant=d["applicant"], grounds=d["grounds"],
                                      received_on=d["received_on"],
                                      officers=list(case.officers.filter(pk__in=d["officers"])))
    if step == "recusal_decide":
        application = case.recusal_applications.get(pk=d["application"])
        return services.recusal_application_decide(application=application, grant=d["grant"], reason=d["reason"],
                                                   actor=user)
    if step == "instalment":
        return services.instalment_approve(case=case, actor=user, **d)
    if step == "instalment_pay":
        return services.instalment_pay(case=case, actor=user, **d)
    if step == "measure":
        return services.measure_decide(case=case, actor=user, kind=d["kind"], items=d["items"], place=d["place"],
                                       emergency=d["emergency"],
                                       officers=list(case.officers.filter(pk__in=d["officers"])))
    if step.startswith("measure_"):
        measure = case.measures.get(pk=d.pop("measure"))
        service = {"measure_report": services.measure_report, "measure_testing": services.measure_testing,
                   "measure_extend": services.measure_extend, "measure_end": services.measure_end}[step]
        return service(measure=measure, actor=user, **d)
    if step == "close_transferred":
        return services.case_close_transferred(case=case, actor=user, **d)
    if step == "transfer_report":
        return services.transfer_report(case=case, actor=user, **d)
    transfer = case.transfers.order_by("-id").first()
    if transfer is None:
        raise DomainError(_("本案没有移送记录。"), rule="penalty.guard.crime_transfer")
    service = {"transfer_decide": services.transfer_decide, "transfer_send": services.transfer_send,
               "transfer_receipt": services.transfer_receipt, "transfer_answer": services.transfer_answer,
               "transfer_reconsider": services.transfer_reconsider}[step]
    return service(transfer=transfer, actor=user, **d)
