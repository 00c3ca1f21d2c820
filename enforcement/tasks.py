"""Background work of the enforcement app (Django task API; ``manage.py scheduler`` enqueues it)."""

from django_tasks import task

from audit.context import acting_as


@task()
def expire_publications() -> int:
    """Take down the decisions whose display period (enfpub.display_period) has passed."""
    from . import services

    with acting_as(None, channel="task"):
        return services.publications_expire()
