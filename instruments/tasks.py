"""Background work of instruments (django-tasks): thin, idempotent, load by id and call a service."""

from django_tasks import task

from audit.context import acting_as

from .models import Instrument
from .services import instrument_attach_pdf


@task()
def instrument_make_pdf(instrument_id: int) -> bool:
    instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None or instrument.pdf:
        return False
    with acting_as(None, channel="task"):
        instrument_attach_pdf(instrument=instrument)
    return True
