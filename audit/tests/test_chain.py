import pytest

from audit.models import AuditEntry
from audit.services import compute_hash, record


@pytest.mark.django_db
def test_entries_are_chained(town, make_user):
    user = make_user("leader")
    a = record(action="test.one", obj=town, actor=user, after={"x": 1})
    b = record(action="test.two", obj=town, actor=user, reason="因为")
    assert b.prev_hash == a.hash and b.seq == a.seq + 1
    for entry in AuditEntry.objects.order_by("seq"):
        assert compute_hash(entry) == entry.hash
    assert a.role == "leader" and a.town_id == town.pk


@pytest.mark.django_db
def test_entries_cannot_be_saved_again(town):
    entry = record(action="test.one", obj=town)
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
