"""Background work of the audit app (django-tasks). Thin: each task calls a service."""

from django.contrib.auth import get_user_model
from django_tasks import task

from .context import acting_as
from .services import verification_run


@task()
def audit_verify_daily(actor_id: int | None = None) -> dict:
    """Verify the whole chain; on failure the auditors are notified (S8: a daily job detects tampering).

    Enqueue it once a day from the scheduler (or run ``manage.py audit_verify --notify`` from cron).
    """
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with acting_as(actor, channel="task"):
        result, verification = verification_run(actor=actor, channel="task", notify_auditors=True)
    return {"ok": result.ok, "verification": verification.pk, "summary": result.summary()}
