"""Background work of the events app (Django task API; ``manage.py scheduler`` enqueues it)."""

from django_tasks import task

from audit.context import acting_as


@task()
def scan_overdue() -> dict:
    """Overdue crossings recorded once; events stuck at the grid or village level move up to the town."""
    from . import services

    with acting_as(None, channel="task"):
        return services.scan_overdue()
