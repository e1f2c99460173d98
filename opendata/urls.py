from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("calls/<slug:slug>/results/", views.CallResultsView.as_view(), name="call-results"),
    path("calls/<slug:slug>/results.csv", views.call_results_csv, name="call-results-csv"),
    path("calls/<slug:slug>/results.xlsx", views.call_results_xlsx, name="call-results-xlsx"),
]
