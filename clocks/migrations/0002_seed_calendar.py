"""Seed the working-day calendar from the chinesecalendar package (every year it covers).

Test databases get the calendar too. Years added by later package versions: ``manage.py calendar_seed``.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from clocks.calendar import seed_from_package

    seed_from_package(apps.get_model("clocks", "CalendarDay"), apps.get_model("clocks", "CalendarYear"))


def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("clocks", "CalendarYear")
    CalendarDay = apps.get_model("clocks", "CalendarDay")
    years = list(CalendarYear.objects.filter(source="chinesecalendar").values_list("year", flat=True))
    CalendarDay.objects.filter(date__year__in=years).delete()
    CalendarYear.objects.filter(year__in=years).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("clocks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
