from django.urls import path, re_path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.MyCasesView.as_view(), name="my-cases"),
    path("new/<slug:slug>/", views.StartApplicationView.as_view(), name="start"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ApplicationEditView.as_view(), name="edit"),
    path("<int:pk>/participants/", views.ParticipantsView.as_view(), name="participants"),
    path("<int:pk>/participants/shares/", views.SharesView.as_view(), name="shares"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.RemoveParticipantView.as_view(),
        name="remove-participant",
    ),
    path("<int:pk>/participation/", views.ParticipationView.as_view(), name="participation"),
    path("<int:pk>/attachments/", views.AttachmentsView.as_view(), name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment"
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="delete-attachment",
    ),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/print/", views.PrintView.as_view(), name="print"),
    path("<int:pk>/copy.pdf", views.ApplicationCopyPdfView.as_view(), name="copy-pdf"),
    re_path(
        r"^(?P<pk>[0-9]+)/project/(?P<kind>changes|returns)/(?P<item>[0-9]+)/decision\.pdf$",
        views.FollowUpDecisionPdfView.as_view(),
        name="follow-up-decision-pdf",
    ),
    path("<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path("<int:pk>/project/", views.ProjectView.as_view(), name="project"),
    re_path(
        r"^(?P<pk>[0-9]+)/project/(?P<action>payment|change|report|joining)/$",
        views.ProjectView.as_view(),
        name="project-action",
    ),
    path("<int:pk>/decision/pdf/", views.DecisionView.as_view(), {"pdf": True}, name="decision-pdf"),
    path(
        "<int:pk>/requests/<int:request_pk>/answer/",
        views.InformationAnswerView.as_view(),
        name="answer-request",
    ),
]
