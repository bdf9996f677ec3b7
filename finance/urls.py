from django.urls import path

from ehalsa.freshness import conditional_page

from . import views

app_name = "finance"
urlpatterns = [
    path("planer/<int:plan_pk>/budget/", conditional_page(views.BudgetView.as_view()), name="budget"),
    path("planer/<int:plan_pk>/budget/rad/ny/", views.BudgetEntryCreateView.as_view(), name="budgetentry_create"),
    path("budget/rad/<int:pk>/redigera/", views.BudgetEntryUpdateView.as_view(), name="budgetentry_update"),
    path("budget/rad/<int:pk>/ta-bort/", views.BudgetEntryDeleteView.as_view(), name="budgetentry_delete"),
    path("budget/rad/<int:pk>/utfall/<int:year>/", views.BudgetOutcomeView.as_view(), name="budgetoutcome"),
    path("planer/<int:plan_pk>/budget/part/ny/", views.FinancingPartyCreateView.as_view(), name="party_create"),
    path("budget/part/<int:pk>/redigera/", views.FinancingPartyUpdateView.as_view(), name="party_update"),
    path("budget/part/<int:pk>/ta-bort/", views.FinancingPartyDeleteView.as_view(), name="party_delete"),
    path("planer/<int:plan_pk>/budget/rubrik/ny/", views.BudgetHeadingCreateView.as_view(), name="heading_create"),
    path("budget/rubrik/<int:pk>/redigera/", views.BudgetHeadingUpdateView.as_view(), name="heading_update"),
    path("budget/rubrik/<int:pk>/ta-bort/", views.BudgetHeadingDeleteView.as_view(), name="heading_delete"),
    path(
        "planer/<int:plan_pk>/budget/nyckel/ny/", views.CostSharingKeyCreateView.as_view(), name="costsharingkey_create"
    ),
    path("budget/nyckel/<int:pk>/redigera/", views.CostSharingKeyUpdateView.as_view(), name="costsharingkey_update"),
    path("budget/nyckel/<int:pk>/ta-bort/", views.CostSharingKeyDeleteView.as_view(), name="costsharingkey_delete"),
]
