from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("privacy/", views.page("grants/privacy.html"), name="privacy"),
    path("accessibility/", views.page("grants/accessibility.html"), name="accessibility"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call-detail"),
]
