"""Background work of the events app (Django task API; ``manage.py scheduler`` enqueues it)."""

from django_tasks import task

from audit.context import acting_as


@task()
def scan_overdue() -> dict:
    """Overdue crossings recorded once; events past their category's grid/village timer move one level up;
    unanswered transfers to district departments get a supervision and a reminder."""
    from . import services

    with acting_as(None, channel="task"):
        return services.scan_overdue()
