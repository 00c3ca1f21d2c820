import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from access.roles import Role
from access.scope import get_in_scope, restrict
from org.models import Grid, Village
from org.tests import factories as f


@pytest.mark.django_db
def test_town_user_sees_only_own_town(town, other_town, make_user):
    mine = f.VillageFactory(town=town)
    theirs = f.VillageFactory(town=other_town)
    user = make_user(Role.DISPATCHER)
    assert list(restrict(user, "org.view", Village)) == [mine]
    with pytest.raises(Http404):
        get_in_scope(user, "org.view", Village, pk=theirs.pk)


@pytest.mark.django_db
def test_forbidden_action_is_403(make_user):
    auditor = make_user(Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        restrict(auditor, "org.view", Village)


@pytest.mark.django_db
def test_district_supervisor_sees_all_towns_of_district(town, other_town, make_user):
    a = f.VillageFactory(town=town)
    b = f.VillageFactory(town=other_town)
    far = f.VillageFactory()  # another district
    sup = make_user(Role.DISTRICT_SUPERVISOR)
    assert set(restrict(sup, "org.view", Village)) == {a, b}
    assert far not in restrict(sup, "org.view", Village)


@pytest.mark.django_db
def test_grid_worker_narrowed_to_grid(town, make_user):
    village = f.VillageFactory(town=town)
    g1 = f.GridFactory(village=village)
    g2 = f.GridFactory(village=village)
    worker = make_user(Role.GRID_WORKER, grid=g1)
    assert list(restrict(worker, "org.view", Grid)) == [g1]
    # Villages carry no grid path: the grant is town-wide for them.
    assert list(restrict(worker, "org.view", Village)) == [village]
    assert g2 not in restrict(worker, "org.view", Grid)
