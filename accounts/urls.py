from django.urls import path

from . import sso_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", sso_views.logout, name="logout"),
    path("invitations/", sso_views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/withdraw/", sso_views.invitation_withdraw, name="invitation-withdraw"),
    path("invitation/<str:token>/", sso_views.invitation, name="invitation"),
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
