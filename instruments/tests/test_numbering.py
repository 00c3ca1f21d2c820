import threading

import pytest
from django.db import connection, connections, transaction

from core.errors import DomainError
from instruments.models import InstrumentKind, NumberSequence
from instruments.services import format_number, number_next
from org.tests.factories import TownFactory


def take(town, code="penalty_decision", year=2026):
    with transaction.atomic():
        return number_next(town=town, kind=InstrumentKind.objects.get(code=code), year=year)


@pytest.mark.django_db
def test_number_format():
    town = TownFactory(abbreviation="清镇")
    kind = InstrumentKind.objects.get(code="penalty_decision")
    assert format_number(town=town, kind=kind, year=2026, serial=3) == "清镇罚决〔2026〕3号"


@pytest.mark.django_db
def test_numbers_run_per_town_kind_and_year(town, other_town):
    assert [take(town)[1] for _ in range(3)] == ["甲镇罚决〔2026〕1号", "甲镇罚决〔2026〕2号", "甲镇罚决〔2026〕3号"]
    assert take(other_town)[1] == "乙镇罚决〔2026〕1号"
    assert take(town, "notice_of_intended_penalty")[1] == "甲镇罚告〔2026〕1号"
    assert take(town, year=2027)[1] == "甲镇罚决〔2027〕1号"
    assert take(town)[0] == 4
    assert NumberSequence.objects.get(town=town, kind__code="penalty_decision", year=2026).last == 4


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again(town):
    assert take(town)[0] == 1
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            number_next(town=town, kind=InstrumentKind.objects.get(code="penalty_decision"), year=2026)
            raise RuntimeError("the render failed")
    assert take(town)[0] == 2  # no gap


@pytest.mark.django_db
def test_numbering_needs_abbreviations(town):
    with pytest.raises(DomainError, match="编号简称"):
        take(town, "interview_record")


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_distinct_gap_free_numbers(town):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite test database is shared by threads without locking; "
                    "run with FAZHI_TEST_SQLITE=/tmp/x.sqlite3 or on PostgreSQL")
    kind = InstrumentKind.objects.get(code="penalty_decision")
    results, errors = [], []

    def worker():
        try:
            for _ in range(5):
                with transaction.atomic():
                    results.append(number_next(town=town, kind=kind, year=2026)[0])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 41))
