"""The calendar in the database: loading whole years for a computation, and seeding from chinesecalendar."""

from __future__ import annotations

import datetime as dt

from .errors import CalendarMissing
from .periods import HOLIDAY, MAKEUP_WORKDAY, default_kind

# chinese_calendar's English holiday names → the names of 全国年节及纪念日放假办法.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class DbCalendar:
    """A calendar lookup backed by ``CalendarDay``/``CalendarYear``.

    A year is loaded on first use together with its neighbours (two queries for three years), so a
    computation never queries per day. Reuse one instance for a batch (e.g. recomputing every clock).
    """

    def __init__(self):
        self._days: dict[dt.date, tuple[str, str]] = {}
        self._complete: dict[int, bool] = {}
        self.queries = 0

    def load(self, years) -> None:
        from .models import CalendarDay, CalendarYear

        years = sorted({int(y) for y in years} - set(self._complete))
        if not years:
            return
        complete = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "complete"))
        days = CalendarDay.objects.filter(date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31))
        for date, kind, name in days.values_list("date", "kind", "name"):
            if date.year in years:
                self._days[date] = (kind, name)
        for year in years:
            self._complete[year] = bool(complete.get(year))
        self.queries += 2

    def is_complete(self, year: int) -> bool:
        if year not in self._complete:
            self.load([year - 1, year, year + 1])
        return self._complete[year]

    def day(self, date: dt.date) -> tuple[str, str]:
        if not self.is_complete(date.year):
            raise CalendarMissing(date.year)
        try:
            return self._days[date]
        except KeyError:
            raise CalendarMissing(date.year) from None


def year_dates(year: int):
    date = dt.date(year, 1, 1)
    while date.year == year:
        yield date
        date += dt.timedelta(days=1)


def package_years() -> list[int]:
    """The years chinesecalendar covers (every year between its first and last listed holiday)."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return list(range(min(years), max(years) + 1))


def package_days(year: int) -> dict[dt.date, tuple[str, str, str]]:
    """Every date of ``year`` from chinesecalendar: {date: (kind, name, note)}."""
    from chinese_calendar import constants

    out = {}
    for date in year_dates(year):
        if date in constants.holidays:
            name = HOLIDAY_NAMES.get(str(constants.holidays[date]), str(constants.holidays[date]))
            note = "调休休息" if date in constants.in_lieu_days else ""
            out[date] = (HOLIDAY, name, note)
        elif date in constants.workdays:
            name = HOLIDAY_NAMES.get(str(constants.workdays[date]), str(constants.workdays[date]))
            out[date] = (MAKEUP_WORKDAY, name, "调休上班")
        else:
            out[date] = (default_kind(date), "", "")
    return out


def seed_from_package(CalendarDay, CalendarYear, *, years=None, replace=False) -> list[int]:
    """Bulk-insert the package's years that are not in the database (all of them with ``replace``
    only for years whose source is still chinesecalendar). Used by the data migration and by
    ``manage.py calendar_seed``. Returns the years written. No audit here: the command audits."""
    years = list(years or package_years())
    existing = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "source"))
    todo = [y for y in years if y not in existing or (replace and existing[y] == "chinesecalendar")]
    if not todo:
        return []
    CalendarDay.objects.filter(date__year__in=todo).delete()
    rows = []
    for year in todo:
        for date, (kind, name, note) in package_days(year).items():
            rows.append(CalendarDay(date=date, kind=kind, name=name, note=note, source="chinesecalendar"))
    CalendarDay.objects.bulk_create(rows, batch_size=2000)
    for year in todo:
        CalendarYear.objects.update_or_create(
            year=year, defaults={"complete": True, "source": "chinesecalendar",
                                 "note": "由 chinesecalendar 数据包导入"})
    return todo
