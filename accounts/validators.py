import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols; at most ``max_length`` (S1)."""

    def __init__(self, min_classes: int = 3, max_length: int = 64):
        self.min_classes = min_classes
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(_("密码不得超过 {n} 个字符。").format(n=self.max_length), code="password_too_long")
        classes = sum(
            bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django 5.2 changed the message id, so its zh_Hans
    catalogue no longer translates it)."""

    def __init__(self, min_length: int = 10):
        super().__init__(min_length=min_length)

    def get_error_message(self):
        return too_short_message(self.min_length)


def too_short_message(min_length: int) -> str:
    return _("密码太短，至少需要 {n} 个字符。").format(n=min_length)
