from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("matters/", views.matters, name="matters"),
    path("matters/new/", views.matter_edit, name="matter_create"),
    path("matters/import/", views.matter_import, name="matter_import"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/edit/", views.matter_edit, name="matter_edit"),
    path("officers/", views.officers, name="officers"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("reviewers/", views.reviewers, name="reviewers"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/summary/", views.summary_create, name="summary_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", views.case_act, name="case_act"),
    path("cases/<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/hearing-request/", views.case_hearing_request, name="case_hearing_request"),
    path("cases/<int:pk>/officers/", views.case_officers, name="case_officers"),
    path("cases/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("cases/<int:pk>/casefile/", views.casefile, name="casefile"),
    path("cases/<int:pk>/publish/", views.publish, name="publish"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("publications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("supervision/", views.supervision, name="supervision"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("public/<str:town_code>/", views.public_index, name="public_index"),
    path("public/<str:town_code>/decisions/", views.public_decisions, name="public_decisions"),
    path("public/<str:town_code>/decisions/<int:pk>/", views.public_decision, name="public_decision"),
]
