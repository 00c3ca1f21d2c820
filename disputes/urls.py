from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_new, name="new"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/consent/", views.dispute_consent, name="consent"),
    path("<int:pk>/act/", views.dispute_act, name="act"),
    path("<int:pk>/session/", views.dispute_session, name="session"),
    path("<int:pk>/agreement/", views.dispute_agreement, name="agreement"),
    path("<int:pk>/sign/", views.dispute_sign, name="sign"),
    path("<int:pk>/terminate/", views.dispute_terminate, name="terminate"),
    path("<int:pk>/visit/", views.dispute_visit, name="visit"),
    path("<int:pk>/confirmation/", views.dispute_confirmation, name="confirmation"),
    path("<int:pk>/escalate/", views.dispute_escalate, name="escalate"),
    path("<int:pk>/risk-report/", views.dispute_risk_report, name="risk_report"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/dismiss/", views.lead_dismiss, name="lead_dismiss"),
    path("screening/", views.screening, name="screening"),
    path("screening/plan/", views.screening_plan, name="screening_plan"),
    path("screening/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("committees/", views.committees, name="committees"),
    path("committees/<int:pk>/mediator/", views.mediator_add, name="mediator_add"),
    path("petitions/", views.petition_list, name="petitions"),
    path("petitions/new/", views.petition_new, name="petition_new"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/classify/", views.petition_classify, name="petition_classify"),
    path("petitions/<int:pk>/answer/", views.petition_answer, name="petition_answer"),
    path("petitions/<int:pk>/step/", views.petition_step, name="petition_step"),
    path("petitions/<int:pk>/extend/", views.petition_extend, name="petition_extend"),
    path("stats/", views.stats, name="stats"),
    path("public/petition/", views.public_petition, name="public_petition"),
]
