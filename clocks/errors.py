"""Errors of the clocks app. All are DomainErrors: views show them, the API answers 400."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import DomainError


class CalendarMissing(DomainError):
    """A computation needs a year whose calendar is absent or not marked complete. Never guess."""

    def __init__(self, year: int):
        super().__init__(
            _("{year}年的工作日历尚未录入或尚未确认完整，无法计算期限。请系统管理员按国务院办公厅{year}年"
              "部分节假日安排的通知录入该年日历并标记为完整。").format(year=year),
            rule="calendar.makeup_workday",
            extra={"year": year},
        )
        self.year = year


class UnknownRule(DomainError):
    def __init__(self, code: str):
        super().__init__(_("未知的期限规则代码：{code}").format(code=code), field="rule_code",
                         extra={"code": code})
        self.code = code


class NotAClock(DomainError):
    """The code names a guard, threshold or procedural step: it has no period to count."""

    def __init__(self, code: str, title: str):
        super().__init__(_("规则“{title}”（{code}）不是期限规则，不能计算期限。").format(title=title, code=code),
                         field="rule_code", extra={"code": code})
        self.code = code


class NoLength(DomainError):
    """A clock rule whose length is not fixed by law and was not set for the town or the matter."""

    def __init__(self, code: str, title: str):
        super().__init__(
            _("规则“{title}”（{code}）没有法定天数，须由镇街设置默认期限或按事项给出期限后才能计算。").format(
                title=title, code=code),
            field="length", extra={"code": code})
        self.code = code


class CalendarImportError(DomainError):
    """A calendar file with errors: nothing was imported. ``errors`` = [(row number, message)]."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(_("导入文件有 {n} 处错误，未导入任何数据。").format(n=len(errors)), field="file",
                         extra={"errors": errors})
        self.errors = errors
