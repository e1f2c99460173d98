from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .middleware import two_factor_exempt

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("two-factor/", views.two_factor_verify, name="two-factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("profile/personal-data.json", views.my_personal_data, name="personal-data"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
