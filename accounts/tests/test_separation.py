"""三员 separation (GB/T 22239-2019 §8.1.5; anchors.md §3.2)."""

import pytest
from django.urls import reverse

from access.models import RoleGrant
from access.roles import BUSINESS_ROLES, THREE_OFFICERS, Role
from access.scope import grants_of
from access.services import role_grant, role_revoke, separation_violations
from accounts.panels import accounts_summary
from core.errors import DomainError
from org.tests.factories import UserFactory


def test_three_officer_roles_are_disjoint_from_business_roles():
    assert THREE_OFFICERS == {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    assert not THREE_OFFICERS & BUSINESS_ROLES


@pytest.mark.django_db
def test_no_account_holds_two_three_officer_roles(user_of, make_user):
    """Every account the fixtures (and hence the demo's pattern) build respects the separation."""
    assert separation_violations() == []
    for role in THREE_OFFICERS:
        holder = user_of[role]
        assert {g.role for g in holder.grants.all()} == {role}


@pytest.mark.django_db
@pytest.mark.parametrize("first", sorted(THREE_OFFICERS))
@pytest.mark.parametrize("second", sorted(Role))
def test_service_refuses_any_second_role_for_three_officers(first, second, town, make_user):
    secadmin = make_user(Role.SECADMIN)
    user = UserFactory(town=town)
    role_grant(user=user, role=first, actor=secadmin)
    if second == first:
        assert role_grant(user=user, role=second, actor=secadmin).role == first  # idempotent
        return
    with pytest.raises(DomainError) as exc:
        role_grant(user=user, role=second, actor=secadmin)
    assert exc.value.rule == "access.guard.three_officers" and "三员分立" in str(exc.value)
    assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == [first]


@pytest.mark.django_db
@pytest.mark.parametrize("officer", sorted(THREE_OFFICERS))
def test_business_user_cannot_become_a_three_officer(officer, town, make_user):
    user = UserFactory(town=town)
    role_grant(user=user, role=Role.DISPATCHER, actor=make_user(Role.SECADMIN))
    with pytest.raises(DomainError):
        role_grant(user=user, role=officer, actor=make_user(Role.SECADMIN))


@pytest.mark.django_db
def test_no_self_grant_or_revoke(make_user):
    secadmin = make_user(Role.SECADMIN)
    with pytest.raises(DomainError, match="自己"):
        role_grant(user=secadmin, role=Role.SECADMIN, actor=secadmin)
    with pytest.raises(DomainError, match="自己"):
        role_revoke(grant=secadmin.grants.get(), actor=secadmin)
    assert secadmin.grants.count() == 1


@pytest.mark.django_db
def test_disabled_accounts_get_no_roles(town, make_user):
    user = UserFactory(town=town, is_active=False)
    with pytest.raises(DomainError, match="已停用"):
        role_grant(user=user, role=Role.LEADER, actor=make_user(Role.SECADMIN))


@pytest.mark.django_db
def test_rows_written_around_the_service_are_flagged(town, client, make_user):
    secadmin = make_user(Role.SECADMIN)
    rogue = UserFactory(town=town)
    RoleGrant.objects.create(user=rogue, role=Role.AUDITOR)
    RoleGrant.objects.create(user=rogue, role=Role.LEADER)
    assert separation_violations() == [rogue]
    request = type("R", (), {"user": secadmin})()
    assert accounts_summary(request)["violations"] == 1
    client.force_login(secadmin)
    assert "三员角色与其他角色" in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_three_officers_see_no_business_data(client, make_user):
    for role in THREE_OFFICERS:
        client.force_login(make_user(role))
        for url in ("/api/v1/instruments/instruments/", reverse("instruments:instrument_list")):
            assert client.get(url).status_code == 403
        client.logout()


@pytest.mark.django_db
def test_accounts_panel_counts(user_of, other_town, django_assert_max_num_queries):
    from django.utils import timezone

    UserFactory(town=other_town)  # not counted: another town
    secadmin = user_of[Role.SECADMIN]
    locked = UserFactory(town=secadmin.town, locked_until=timezone.now() + timezone.timedelta(minutes=5))
    request = type("R", (), {"user": secadmin})()
    grants_of(secadmin)  # cached for the request by the page shell already
    with django_assert_max_num_queries(2):
        summary = accounts_summary(request)
    town_users = [u for u in user_of.values() if u.town_id == secadmin.town_id]
    assert summary["active"] == len(town_users) + 1 and summary["locked"] == 1 and summary["no_role"] == 1
    assert summary["officers"] == [("系统管理员", 1), ("安全管理员", 1), ("安全审计员", 1)]
    assert summary["violations"] == 0
    assert locked.pk
