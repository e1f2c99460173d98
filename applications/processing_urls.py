from django.urls import path

from . import processing_views as views

app_name = "processing"

urlpatterns = [
    path("", views.CallsView.as_view(), name="calls"),
    path("calls/<slug:slug>/", views.WorklistView.as_view(), name="worklist"),
    path("calls/<slug:slug>/worklist.csv", views.WorklistExportView.as_view(), name="worklist-csv"),
    path("cases/<int:pk>/", views.CaseView.as_view(), name="case"),
]
