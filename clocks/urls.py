from django.urls import path

from . import views

app_name = "clocks"
urlpatterns = [
    path("", views.supervision, name="supervision"),
    path("<int:pk>/", views.clock_detail, name="clock_detail"),
    path("<int:pk>/action/", views.clock_action, name="clock_action"),
    path("calculator/", views.calculator, name="calculator"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/import/", views.calendar_import, name="calendar_import"),
    path("calendar/template.xlsx", views.calendar_template, name="calendar_template"),
    path("calendar/<int:year>/edit/", views.calendar_year_edit, name="calendar_year_edit"),
    path("calendar/<int:year>/mark/", views.calendar_year_mark, name="calendar_year_mark"),
    path("calendar/day/<str:day>/", views.calendar_day_edit, name="calendar_day_edit"),
    path("rules/", views.rules_view, name="rules"),
    path("rules/<str:code>/", views.rule_detail, name="rule_detail"),
    path("rules/<str:code>/override/", views.rule_override, name="rule_override"),
]
