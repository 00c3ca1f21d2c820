from django.urls import path

from . import views

app_name = "instruments"
urlpatterns = [
    path("", views.instrument_list, name="instrument_list"),
    path("<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("<int:pk>/download/", views.instrument_download, name="instrument_download"),
    path("<int:pk>/pdf/", views.instrument_make_pdf, name="instrument_make_pdf"),
    path("kinds/", views.kind_list, name="kind_list"),
    path("kinds/<slug:code>/", views.kind_detail, name="kind_detail"),
    path("kinds/<slug:code>/template/", views.template_current, name="template_current"),
    path("kinds/<slug:code>/preview/", views.template_preview, name="template_preview"),
    path("kinds/<slug:code>/upload/", views.template_upload, name="template_upload"),
    path("templates/<int:pk>/", views.template_download, name="template_download"),
]
