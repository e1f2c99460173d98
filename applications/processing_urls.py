from django.urls import path, re_path

from . import processing_views as views

app_name = "processing"

urlpatterns = [
    path("", views.CallsView.as_view(), name="calls"),
    path("calls/<slug:slug>/", views.WorklistView.as_view(), name="worklist"),
    path("calls/<slug:slug>/worklist.csv", views.WorklistExportView.as_view(), name="worklist-csv"),
    path("calls/<slug:slug>/assign/", views.BulkAssignView.as_view(), name="bulk-assign"),
    re_path(
        r"^calls/(?P<slug>[-a-zA-Z0-9_]+)/treasury\.(?P<format>csv|xlsx)$",
        views.TreasuryExportView.as_view(),
        name="treasury-export",
    ),
    path("calls/<slug:slug>/ranking/", views.RankingView.as_view(), name="ranking"),
    path("calls/<slug:slug>/decisions/", views.DecisionsView.as_view(), name="decisions"),
    path("calls/<slug:slug>/decisions/approve-all/", views.ApproveAllView.as_view(), name="approve-all"),
    path("calls/<slug:slug>/publish/", views.PublishView.as_view(), name="publish"),
    path("cases/<int:pk>/", views.CaseView.as_view(), name="case"),
    path("cases/<int:pk>/eligibility/", views.EligibilityView.as_view(), name="eligibility"),
    path("cases/<int:pk>/information/", views.InformationRequestView.as_view(), name="information"),
    path("cases/<int:pk>/reviewers/", views.AssignReviewersView.as_view(), name="assign"),
    path("cases/<int:pk>/proposal/", views.ProposalView.as_view(), name="proposal"),
    path("decisions/<int:pk>/", views.DecisionDocumentView.as_view(), name="decision"),
    path("decisions/<int:pk>/pdf/", views.DecisionDocumentView.as_view(), {"pdf": True}, name="decision-pdf"),
    path("decisions/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("decisions/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("follow-up/", views.FollowUpView.as_view(), name="follow-up"),
    path("follow-up.csv", views.FollowUpExportView.as_view(), name="follow-up-csv"),
    path("projects/<int:pk>/", views.ProjectCaseView.as_view(), name="project"),
    re_path(
        r"^projects/(?P<pk>[0-9]+)/(?P<action>past-payment|return|close)/$",
        views.ProjectActionView.as_view(),
        name="project-action",
    ),
    re_path(
        r"^projects/(?P<pk>[0-9]+)/(?P<action>approve-payment|reject-payment|paid|change|report-check|repayment)/"
        r"(?P<target>[0-9]+)/$",
        views.ProjectActionView.as_view(),
        name="project-target-action",
    ),
    path("reviews/", views.MyReviewsView.as_view(), name="my-reviews"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
]
