from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField


class User(AbstractUser):
    """A person who logs in. Every user belongs to a town or to a district (not both)."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    town = models.ForeignKey("org.Town", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="users", verbose_name=_("所属镇街"))
    district = models.ForeignKey("org.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="users", verbose_name=_("所属区县"))
    phone = EncryptedTextField(_("手机号"), blank=True, default="")
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    failed_logins = models.PositiveIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False,
        help_text=_("新建账号、重置密码后为真：下次登录须先修改密码才能使用系统。"))

    objects = UserManager()

    scope_town = "town"

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(town__isnull=False) & Q(district__isnull=False)),
                name="accounts_user_town_xor_district",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UserSession(models.Model):
    """A session opened by a login, so that disabling an account can end every session it has (S3)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("用户"))
    session_key = models.CharField(_("会话键"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)
    client_ip = models.CharField(_("客户端地址"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["user", "created_at"], name="accounts_session_user")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
