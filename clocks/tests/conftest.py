import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from access.roles import Role

D = dt.date


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, username="leader")


@pytest.fixture
def dispatcher(make_user):
    return make_user(Role.DISPATCHER, username="dispatcher")


@pytest.fixture
def sysadmin(make_user):
    return make_user(Role.SYSADMIN, username="sysadmin")


@pytest.fixture
def record(town):
    """A record that clocks can run for: the town itself (any model with a town path works)."""
    return town


def workbook(rows, headers=("日期", "类型", "名称", "备注"), note=None) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    if note:
        ws.append([note])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "calendar.xlsx"
    return buffer


# The State Council's 2027 schedule is not published: this fictional one is for tests only.
HOLIDAYS_2027 = [
    ("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    ("春节", D(2027, 2, 5), D(2027, 2, 12)),
    ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
]
MAKEUP_2027 = [(D(2027, 2, 20), "春节"), (D(2027, 10, 9), "国庆节")]
