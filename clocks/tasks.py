"""Background work of the clocks app (Django task API; ``manage.py scheduler`` enqueues it,
``manage.py db_worker`` runs it; ImmediateBackend runs it inline under pytest)."""

from django_tasks import task

from audit.context import acting_as


@task()
def scan_clocks(on_date: str | None = None) -> dict:
    """Write due-soon / overdue crossings once and send the reminders (idempotent)."""
    from . import services

    with acting_as(None, channel="task"):
        return services.scan_clocks(on_date=on_date)
