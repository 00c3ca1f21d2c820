"""Background work of the notify app (Django task API; ImmediateBackend under pytest)."""

from django_tasks import task

from . import services


@task()
def send_sms(notification_id: int) -> bool:
    """Send one notification by SMS through ``settings.FAZHI_SMS_BACKEND`` (default: log only)."""
    return services.send_sms_for(notification_id)
