from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class RoleGrant(models.Model):
    """A role held by a user, optionally narrowed to one sector or one grid of the user's town."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants",
                             verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    sector = models.ForeignKey("org.Sector", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("限定板块"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("限定网格"))
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "sector", "grid"], name="access_grant_unique"),
        ]

    def __str__(self):
        scope = self.sector or self.grid or ""
        return f"{self.get_role_display()} {scope}".strip()
