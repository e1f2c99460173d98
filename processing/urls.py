"""The back office's URLs: one per page and one per action, each with its own name."""

from django.urls import path, re_path

from .views import call_setup, calls, case, decisions, desk, follow_up, reviews

app_name = "processing"

urlpatterns = [
    path("", calls.CallsView.as_view(), name="calls"),
    path("tasks/", desk.DeskView.as_view(), name="desk"),
    path("calls/new/", call_setup.CallFormView.as_view(), name="call-create"),
    path("calls/<slug:slug>/", calls.WorklistView.as_view(), name="worklist"),
    path("calls/<slug:slug>/edit/", call_setup.CallFormView.as_view(), name="call-edit"),
    path("calls/<slug:slug>/preview/", call_setup.CallPreviewView.as_view(), name="call-preview"),
    path("calls/<slug:slug>/open/", call_setup.OpenCallView.as_view(), name="call-open"),
    path("calls/<slug:slug>/close/", call_setup.CloseCallView.as_view(), name="call-close"),
    path("calls/<slug:slug>/worklist.csv", calls.WorklistExportView.as_view(), name="worklist-csv"),
    path("calls/<slug:slug>/assign/", calls.BulkAssignView.as_view(), name="bulk-assign"),
    re_path(
        r"^calls/(?P<slug>[-a-zA-Z0-9_]+)/treasury\.(?P<format>csv|xlsx)$",
        calls.TreasuryExportView.as_view(),
        name="treasury-export",
    ),
    path("calls/<slug:slug>/ranking/", calls.RankingView.as_view(), name="ranking"),
    path("calls/<slug:slug>/decisions/", decisions.DecisionsView.as_view(), name="decisions"),
    path("calls/<slug:slug>/decisions/approve-all/", decisions.ApproveAllView.as_view(), name="approve-all"),
    path("calls/<slug:slug>/publish/", decisions.PublishView.as_view(), name="publish"),
    path("cases/<int:pk>/", case.CaseView.as_view(), name="case"),
    path("cases/<int:pk>/eligibility/", case.EligibilityView.as_view(), name="eligibility"),
    path("cases/<int:pk>/information/", case.InformationRequestView.as_view(), name="information"),
    path("cases/<int:pk>/reviewers/", case.AssignReviewersView.as_view(), name="assign"),
    path("cases/<int:pk>/proposal/", case.ProposalView.as_view(), name="proposal"),
    path("decisions/<int:pk>/", decisions.DecisionDocumentView.as_view(), name="decision"),
    path(
        "decisions/<int:pk>/pdf/",
        decisions.DecisionDocumentView.as_view(),
        {"pdf": True},
        name="decision-pdf",
    ),
    path("decisions/<int:pk>/approve/", decisions.ApproveView.as_view(), name="approve"),
    path("decisions/<int:pk>/original/", decisions.AttachOriginalView.as_view(), name="attach-original"),
    path("issued/<int:pk>/letter/", decisions.RecordLetterView.as_view(), name="record-letter"),
    path(
        "rectification/<int:pk>/decide/",
        decisions.DecideRectificationView.as_view(),
        name="decide-rectification",
    ),
    path("cases/<int:pk>/diary-number/", decisions.DiaryNumberView.as_view(), name="diary-number"),
    path("decisions/<int:pk>/return/", decisions.SendBackView.as_view(), name="return"),
    path("follow-up/", follow_up.FollowUpView.as_view(), name="follow-up"),
    path("follow-up.csv", follow_up.FollowUpExportView.as_view(), name="follow-up-csv"),
    path("projects/<int:pk>/", follow_up.ProjectCaseView.as_view(), name="project"),
    path(
        "projects/<int:pk>/past-payment/",
        follow_up.RecordPastPaymentView.as_view(),
        name="project-past-payment",
    ),
    path("projects/<int:pk>/return/", follow_up.DecideReturnView.as_view(), name="project-return"),
    path("projects/<int:pk>/hearing/", follow_up.HearingView.as_view(), name="project-hearing"),
    path("projects/<int:pk>/close/", follow_up.CloseCaseView.as_view(), name="project-close"),
    path(
        "projects/<int:pk>/approve-payment/<int:target>/",
        follow_up.ApprovePaymentView.as_view(),
        name="project-approve-payment",
    ),
    path(
        "projects/<int:pk>/reject-payment/<int:target>/",
        follow_up.RejectPaymentView.as_view(),
        name="project-reject-payment",
    ),
    path("projects/<int:pk>/paid/<int:target>/", follow_up.MarkPaidView.as_view(), name="project-paid"),
    path(
        "projects/<int:pk>/change/<int:target>/", follow_up.DecideChangeView.as_view(), name="project-change"
    ),
    path(
        "projects/<int:pk>/report-check/<int:target>/",
        follow_up.CheckReportView.as_view(),
        name="project-report-check",
    ),
    path(
        "projects/<int:pk>/repayment/<int:target>/",
        follow_up.RecordRepaymentView.as_view(),
        name="project-repayment",
    ),
    path("reviews/", reviews.MyReviewsView.as_view(), name="my-reviews"),
    path("reviews/<int:pk>/", reviews.ReviewView.as_view(), name="review"),
]
