from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("t/<str:town_code>/", views.town_home, name="town_home"),
    path("t/<str:town_code>/report/", views.report, name="report"),
    path("t/<str:town_code>/appeal/", views.appeal, name="appeal"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track_detail"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
]
