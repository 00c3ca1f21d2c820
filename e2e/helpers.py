"""Shared helpers of the browser journeys (plain functions; the fixtures stay in each test module).

Transactional tests flush the database after each test, which also removes the rows that data migrations
seeded (the working-day calendar, the instrument kinds). Journeys that need them re-seed them here, through
the same functions the migrations and commands use.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from openpyxl import Workbook, load_workbook

PASSWORD = "Fazhi-Test-2026!"
PHONE_MAX_WIDTH = 392  # 390 px viewport + 2 px of rounding


def deadline_lines(code: str, start: str) -> list[str]:
    """``manage.py deadline CODE START``: the due date (first line), then the explanation steps."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("deadline", code, start, stdout=out)
    return out.getvalue().strip().splitlines()


def seed_calendar(years=(2025, 2026)) -> None:
    """The chinesecalendar years a journey needs (what migration clocks/0002 seeds; skipped when present)."""
    from clocks.calendar import seed_from_package
    from clocks.models import CalendarDay, CalendarYear

    seed_from_package(CalendarDay, CalendarYear, years=list(years))


def seed_calendar_around_today() -> None:
    """A complete calendar for last, this and next year, so that a clock started today always computes.

    Years of the chinesecalendar package are seeded from it. A year it does not cover yet (next year, late
    in the year) gets plain weekdays, marked complete: fictional data that exists only in the test database.
    """
    from django.utils import timezone

    from audit.context import acting_as
    from clocks import services
    from clocks.calendar import package_years
    from clocks.models import CalendarYear

    today = timezone.localdate()
    wanted = [today.year - 1, today.year, today.year + 1]
    covered = set(package_years())
    seed_calendar([y for y in wanted if y in covered])
    for year in wanted:
        if year not in covered and not CalendarYear.objects.filter(year=year).exists():
            with acting_as(None, channel="cli"):
                services.calendar_set_year(year=year, holidays=[], makeup_days=[], actor=None, complete=True,
                                           reason="端到端测试：虚构的工作日历（仅存在于测试数据库）")


def seed_instrument_kinds() -> None:
    """The instrument kinds of migration instruments/0002 (update_or_create: safe to repeat)."""
    import importlib

    from django.apps import apps

    importlib.import_module("instruments.migrations.0002_seed_kinds").seed(apps, None)


class RequestLog:
    """Every request the page makes, to prove that nothing leaves the server (no CDN, no map tiles)."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def foreign(self, live_server_url: str) -> list[str]:
        host = urlparse(live_server_url).netloc
        return [u for u in self.urls
                if not u.startswith(("data:", "blob:", "about:")) and urlparse(u).netloc != host]


def download(page, selector: str) -> tuple[str, bytes]:
    """Click ``selector``, wait for the download it starts, return (suggested file name, bytes)."""
    with page.expect_download() as info:
        page.click(selector)
    dl = info.value
    assert dl.failure() is None, dl.failure()
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def read_xlsx(data: bytes) -> list[list]:
    """The first sheet of an .xlsx as rows of values (asserting it really is an Office Open XML workbook)."""
    assert data[:4] == b"PK\x03\x04", "not a zip file"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "xl/workbook.xml" in zf.namelist()
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]


def docx_text(data: bytes) -> str:
    """The XML of the body of a .docx (asserting it is a zip with word/document.xml)."""
    assert data[:4] == b"PK\x03\x04", "not a zip file"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "word/document.xml" in zf.namelist()
        return zf.read("word/document.xml").decode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    """A one-sheet workbook built in memory (test input files)."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(page, selector: str, name: str, data: bytes) -> None:
    page.set_input_files(selector, files=[{
        "name": name, "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def logout(page) -> None:
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/**")
