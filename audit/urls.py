from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("security/", views.security_list, name="security_list"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("verifications/", views.verification_list, name="verification_list"),
    path("verifications/run/", views.verification_run, name="verification_run"),
]
