from django.urls import path, re_path

from .views import base, case, drafting, project

app_name = "applications"

urlpatterns = [
    path("", base.MyCasesView.as_view(), name="my-cases"),
    path("new/<slug:slug>/", base.StartApplicationView.as_view(), name="start"),
    path("<int:pk>/", case.ApplicationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", drafting.ApplicationEditView.as_view(), name="edit"),
    path("<int:pk>/participants/", drafting.ParticipantsView.as_view(), name="participants"),
    path("<int:pk>/participants/shares/", drafting.SharesView.as_view(), name="shares"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        drafting.RemoveParticipantView.as_view(),
        name="remove-participant",
    ),
    path("<int:pk>/participation/", drafting.ParticipationView.as_view(), name="participation"),
    path("<int:pk>/attachments/", drafting.AttachmentsView.as_view(), name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        drafting.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        drafting.AttachmentDeleteView.as_view(),
        name="delete-attachment",
    ),
    path("<int:pk>/submit/", case.SubmitView.as_view(), name="submit"),
    path("<int:pk>/submitted/", case.ReceiptView.as_view(), name="receipt"),
    path("<int:pk>/withdraw/", case.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/print/", case.PrintView.as_view(), name="print"),
    path("<int:pk>/copy.pdf", case.ApplicationCopyPdfView.as_view(), name="copy-pdf"),
    re_path(
        r"^(?P<pk>[0-9]+)/project/(?P<kind>changes|returns)/(?P<item>[0-9]+)/decision\.pdf$",
        project.FollowUpDecisionPdfView.as_view(),
        name="follow-up-decision-pdf",
    ),
    path("<int:pk>/decision/", case.DecisionView.as_view(), name="decision"),
    path("<int:pk>/issued/<int:document_pk>/pdf/", case.IssuedDocumentPdfView.as_view(), name="issued-pdf"),
    path(
        "<int:pk>/issued/<int:document_pk>/rectification/",
        case.RectificationRequestView.as_view(),
        name="rectification",
    ),
    path("<int:pk>/project/hearing/", project.AnswerHearingView.as_view(), name="project-hearing"),
    path("<int:pk>/project/", project.ProjectView.as_view(), name="project"),
    path("<int:pk>/project/payment/", project.RequestPaymentView.as_view(), name="project-payment"),
    path("<int:pk>/project/change/", project.RequestChangeView.as_view(), name="project-change"),
    path("<int:pk>/project/report/", project.SubmitReportView.as_view(), name="project-report"),
    path("<int:pk>/project/joining/", project.AnswerJoiningView.as_view(), name="project-joining"),
    path("<int:pk>/decision/pdf/", case.DecisionView.as_view(), {"pdf": True}, name="decision-pdf"),
    path(
        "<int:pk>/requests/<int:request_pk>/answer/",
        case.InformationAnswerView.as_view(),
        name="answer-request",
    ),
]
