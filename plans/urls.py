from django.urls import path

from ehalsa.freshness import conditional_page

from . import edit_views, pdf_views, report_views, views
from .imports import views as import_views

app_name = "plans"
urlpatterns = [
    path("", conditional_page(views.ActionPlanListView.as_view()), name="actionplan_list"),
    path("ny/", edit_views.ActionPlanCreateView.as_view(), name="actionplan_create"),
    path("<int:pk>/", conditional_page(views.ActionPlanDetailView.as_view()), name="actionplan_detail"),
    path("samverkan/<int:pk>/", conditional_page(views.CooperationProgressView.as_view()), name="cooperation_progress"),
    path("<int:plan_pk>/redigera/", edit_views.ActionPlanUpdateView.as_view(), name="actionplan_update"),
    path("<int:plan_pk>/nasta-period/", edit_views.NextPeriodPlanView.as_view(), name="actionplan_next_period"),
    path("<int:plan_pk>/historik/", views.PlanHistoryView.as_view(), name="actionplan_history"),
    path("<int:pk>/pdf/", pdf_views.ActionPlanPdfView.as_view(), name="actionplan_pdf"),
    path("<int:pk>/pdf/status/", pdf_views.PdfStatusView.as_view(), name="actionplan_pdf_status"),
    path("<int:pk>/pdf/skapa/", pdf_views.PdfRequestView.as_view(), name="actionplan_pdf_request"),
    path("<int:pk>/bilaga/", pdf_views.AppendixFormView.as_view(), name="actionplan_appendix"),
    path("beslut/<int:pk>/pdf/", pdf_views.DecisionExcerptPdfView.as_view(), name="decision_excerpt_pdf"),
    path("<int:plan_pk>/avsnitt/ny/", edit_views.SectionCreateView.as_view(), name="section_create"),
    path("avsnitt/<int:pk>/redigera/", edit_views.SectionUpdateView.as_view(), name="section_update"),
    path("avsnitt/<int:pk>/ta-bort/", edit_views.SectionDeleteView.as_view(), name="section_delete"),
    path("avsnitt/<int:pk>/flytta/", edit_views.SectionMoveView.as_view(), name="section_move"),
    path("avsnitt/<int:pk>/granskad/", edit_views.SectionReviewedView.as_view(), name="section_reviewed"),
    path("<int:plan_pk>/mal/ny/", edit_views.GoalCreateView.as_view(), name="goal_create"),
    path("mal/<int:pk>/redigera/", edit_views.GoalUpdateView.as_view(), name="goal_update"),
    path("mal/<int:pk>/ta-bort/", edit_views.GoalDeleteView.as_view(), name="goal_delete"),
    path("mal/<int:pk>/flytta/", edit_views.GoalMoveView.as_view(), name="goal_move"),
    path("mal/<int:pk>/granskad/", edit_views.GoalReviewedView.as_view(), name="goal_reviewed"),
]

# The yearly follow-up reports ("uppföljningar"): plans.report_views.
urlpatterns += [
    path("<int:plan_pk>/uppfoljningar/", report_views.ReportListView.as_view(), name="report_list"),
    path("<int:plan_pk>/uppfoljningar/ny/", report_views.ReportCreateView.as_view(), name="report_create"),
    path("uppfoljningar/<int:pk>/", report_views.ReportDetailView.as_view(), name="report_detail"),
    path("uppfoljningar/<int:pk>/redigera/", report_views.ReportUpdateView.as_view(), name="report_update"),
    path("uppfoljningar/<int:pk>/skicka/", report_views.ReportSendView.as_view(), name="report_send"),
    path(
        "uppfoljningar/<int:pk>/beslut/nytt/",
        report_views.ReportDecisionCreateView.as_view(),
        name="report_decision_create",
    ),
    path("uppfoljningar/<int:pk>/pdf/", report_views.ReportPdfView.as_view(), name="report_pdf"),
]

# Tables imported from spreadsheets (activities, budget lines): plans.imports.
urlpatterns += [
    path("<int:plan_pk>/importera/<slug:kind>/", import_views.ImportUploadView.as_view(), name="import_upload"),
    path("importer/<int:pk>/", import_views.ImportDetailView.as_view(), name="import_detail"),
    path("importer/<int:pk>/kolumner/", import_views.ImportMappingView.as_view(), name="import_mapping"),
    path("importer/<int:pk>/importera/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
    path("importer/<int:pk>/forsok-igen/", import_views.ImportRetryView.as_view(), name="import_retry"),
    path("importer/<int:pk>/ta-bort/", import_views.ImportDiscardView.as_view(), name="import_discard"),
]
