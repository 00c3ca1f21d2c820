from django.urls import path

from . import user_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    # Account and role administration (三员).
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("users/<int:pk>/password/", user_views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", user_views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/grants/new/", user_views.grant_create, name="grant_create"),
    path("users/<int:pk>/grants/<int:grant_pk>/revoke/", user_views.grant_revoke, name="grant_revoke"),
]
