from access.matrix import Entry
from access.roles import Role

ALL = frozenset(Role)
ADMINS = {Role.SYSADMIN, Role.SECADMIN}


def _user(town):
    from org.tests.factories import UserFactory

    return {"pk": UserFactory(town=town).pk}


def _locked_user(town):
    from django.utils import timezone

    from org.tests.factories import UserFactory

    user = UserFactory(town=town, failed_logins=5, locked_until=timezone.now() + timezone.timedelta(minutes=15))
    return {"pk": user.pk}


def _grant(town):
    from access.models import RoleGrant
    from org.tests.factories import UserFactory

    user = UserFactory(town=town)
    return {"pk": user.pk, "grant_pk": RoleGrant.objects.create(user=user, role=Role.DISPATCHER).pk}


MATRIX = {
    # The login page redirects an authenticated user home; anonymous users see the form.
    "accounts:login": Entry(public=True),
    "accounts:logout": Entry(public=True, method="post", ok=(302,)),
    "accounts:password_change": Entry(allowed=ALL),
    "accounts:profile": Entry(allowed=ALL),
    # Account and role administration: sysadmin runs accounts, secadmin grants roles (三员).
    "accounts:user_list": Entry(allowed=ADMINS),
    "accounts:user_detail": Entry(allowed=ADMINS, kwargs=_user),
    "accounts:user_create": Entry(allowed={Role.SYSADMIN}),
    "accounts:user_password_reset": Entry(allowed={Role.SYSADMIN}, kwargs=_user),
    "accounts:user_set_active": Entry(allowed={Role.SYSADMIN}, kwargs=_user, method="post", ok=(302,),
                                      data={"active": "0", "reason": "离职"}),
    "accounts:user_unlock": Entry(allowed={Role.SYSADMIN}, kwargs=_locked_user, method="post", ok=(302,)),
    "accounts:grant_create": Entry(allowed={Role.SECADMIN}, kwargs=_user),
    "accounts:grant_revoke": Entry(allowed={Role.SECADMIN}, kwargs=_grant, method="post", ok=(302,),
                                   data={"reason": "调岗"}),
}
