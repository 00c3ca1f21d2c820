"""Pluggable SMS: ``FAZHI_SMS_BACKEND`` names a class with ``send(phone, text)``. The default only logs."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from core.crypto import mask_phone

logger = logging.getLogger("fazhi.sms")


class LogSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def get_backend():
    return import_string(settings.FAZHI_SMS_BACKEND)()
