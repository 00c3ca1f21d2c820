"""Background work of the disputes app (Django task API; ``manage.py scheduler`` enqueues it)."""

from django_tasks import task

from audit.context import acting_as


@task()
def plan_screening() -> int:
    """Plan the month's full screening of every village of every town (idempotent: existing rounds kept)."""
    from . import services

    with acting_as(None, channel="task"):
        return services.screening_plan_all()
